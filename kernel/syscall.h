/* SPDX-License-Identifier: MIT */
/*
 * The Tock 2.x system-call layer (spec §1-§3): decode the class in a4,
 * validate, dispatch, and encode the result into the process's registers.
 * Also turns queued tasks into upcalls (spec §1.4) and the entry call
 * (spec §1.5).
 */
#pragma once

#include <stdbool.h>

#include "kernel/driver.h"

struct proc;
struct arch_trap;

/*
 * Handle the ecall p just made (ctx.x[0] = address of the ecall).  Advances
 * the pc, runs the call, and writes the result only if p is still the same
 * incarnation afterwards (spec decision 8).  An invalid class faults p.
 * Requires: p->ctx holds every user register.
 */
void syscall_handle(struct proc *p, const struct arch_trap *t);

/*
 * The system-call fast path: the trap entry calls this for every ecall
 * from U-mode, on the kernel stack, before the run loop sees the trap.
 * a0-a4 are the caller's registers as they were at the ecall (the trap
 * entry leaves them where they are, which is where C takes its first
 * five arguments, and passes p sixth).
 *
 * On entry p->ctx holds only what C may clobber: pc (already past the
 * ecall), ra, sp, t0-t6 and a0-a7.  s0-s11, gp and tp still hold the
 * user's values in the registers (callee-saved, and the kernel never uses
 * gp or tp), so their ctx slots are stale and nothing here may read them
 * or fault p.
 *
 * Returns 0 when the call is done and p continues (PROC_RUNNABLE) at the
 * next instruction: the trap entry reloads the caller-saved registers
 * from p->ctx and returns to p at once; (uintptr_t)p when p continues
 * from another pc (an upcall started: its pc too is reloaded).  No
 * preemption test is needed here: the timer interrupt, like any
 * interrupt that arrived meanwhile, traps as soon as p runs again.
 * Otherwise returns either the enum arch_trap_kind the run loop is to
 * see:
 *   ARCH_TRAP_SYSCALL       declined, nothing changed (an invalid class:
 *                           faulting p needs the complete context; the
 *                           pc is put back on the ecall), or
 *   ARCH_TRAP_SYSCALL_DONE  done, but p cannot continue (blocked in a
 *                           yield, exited, restarted) and the run loop
 *                           is to decide what runs next;
 * after which the trap entry completes p->ctx and returns from
 * arch_run(); or, cast to uintptr_t, the process q != p to run instead
 * (p blocked in a yield and sched_switch() picked q: q is PROC_RUNNABLE,
 * its protection loaded and its timeslice started), whereupon the trap
 * entry completes p->ctx and runs q from q->ctx.
 */
uintptr_t syscall_fast(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3,
		       uintptr_t a4, struct proc *p);

/*
 * p is blocked (unstarted, yielded or yielded-for): if a task it can take
 * is queued, set its registers for it and make it PROC_RUNNABLE.  Returns
 * whether it did.
 */
bool syscall_resume(struct proc *p);

/* Write ret into p's a0..a3 per the variant; other registers untouched. */
void syscall_write_ret(struct proc *p, struct sysret ret);

/*
 * The registers a0.. that r becomes with xlen-bit registers (32 or 64);
 * returns how many are written (a0 always), the rest keep their values.
 *   xlen 32: Tock's TRD104 encoding.  The pointer variants become the
 *            32-bit ones (4, 5 -> 2; 134, 135 -> 130; 136, 137 -> 129) and
 *            every value is truncated to 32 bits.
 *   xlen 64: Tock's RISC-V 64-bit encoding (spec decision 11): variants
 *            as given; pointers, lengths and 64-bit values full width, a
 *            64-bit value (two 32-bit words in r) in one register (U64 in
 *            a1, Failure-U64 and U32-U64 in a2); error codes and u32
 *            values zero-extended from 32 bits.
 * The kernel uses xlen = its own XLEN; the argument lets the host tests
 * check both encodings.
 */
unsigned syscall_encode(unsigned xlen, const struct sysret *r, uint64_t a[4]);
