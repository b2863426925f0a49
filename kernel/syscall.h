/* SPDX-License-Identifier: MIT */
/*
 * The Tock 2.x system-call layer (doc/abi.md §2-§5): decode the class in a4,
 * validate, dispatch, and encode the result into the process's registers.
 * Also turns queued tasks into upcalls (doc/abi.md §3.1) and the entry call
 * (doc/abi.md §3.2).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/driver.h"
#include "kernel/proc/proc.h"

struct task;

/*
 * What happens after a system call, as its handler decides it: the trap
 * path (platform/arch/riscv/trap.S) acts on it at once, and the run loop
 * sees the two last.  The outcome names a process too (syscall_out_proc()):
 * the one to run next, or, for the last two, the caller.
 *
 * The caller's registers: for SYSCALL_RETURN and SYSCALL_UPCALL only the
 * ones C may clobber (ra, t0-t6, a0-a7) and the pc may have changed in
 * its ctx (the trap path reloads those and no others); s0-s11, gp and tp
 * are never written by a call whose caller runs on.
 */
enum syscall_next {
	SYSCALL_RETURN = 0,  /* the caller goes on at the next instruction */
	SYSCALL_UPCALL = 1,  /* the caller goes on from its ctx pc (an
				upcall or the Yield-Wait's call started) */
	SYSCALL_SWITCH = 2,  /* the caller blocked; the process named,
				another one, resumed and its timeslice
				started, runs from its whole ctx, its
				protection loaded (kernel/hw.h; only the
				fast path switches) */
	SYSCALL_BLOCKED = 3, /* the caller cannot go on (blocked, exited,
				restarted): the run loop decides */
	SYSCALL_INVALID = 4, /* not a system call (invalid class): the run
				loop faults the caller, its pc back at the
				ecall and nothing else changed */
};

/*
 * The outcome: an enum syscall_next and a struct proc *, packed in one
 * scalar two registers wide, the enum in the low register.  The calling
 * convention returns it in a0 and a1, which is what the trap path reads;
 * GCC 12 builds a struct of two members on the stack before it returns
 * it (four more memory accesses on every system call).  Build it with
 * syscall_out(), read it with syscall_out_next() and syscall_out_proc().
 */
#if UINTPTR_MAX == UINT32_MAX
typedef uint64_t syscall_pair_t;
#else
typedef unsigned __int128 syscall_pair_t;
#endif

struct syscall_outcome {
	syscall_pair_t w; /* (proc << XLEN) | next */
};

#define SYSCALL_HALF (sizeof(uintptr_t) * 8) /* bits per register */

static inline struct syscall_outcome syscall_out(enum syscall_next next,
						 struct proc *p)
{
	return (struct syscall_outcome){
		(syscall_pair_t)(uintptr_t)p << SYSCALL_HALF | next
	};
}

static inline enum syscall_next syscall_out_next(struct syscall_outcome o)
{
	return (enum syscall_next)(uintptr_t)o.w;
}

static inline struct proc *syscall_out_proc(struct syscall_outcome o)
{
	return (struct proc *)(uintptr_t)(o.w >> SYSCALL_HALF);
}

/*
 * The reference path: the definition of every system call.  Runs the call
 * p made with the ecall whose next instruction is p->ctx's pc (the trap
 * path has moved it past the ecall), decoding the class from a4 and the
 * arguments from a0-a3 of p->ctx, and writes the result into p->ctx only
 * if p is still the same incarnation afterwards (doc/abi.md D8).
 * Returns what happens next; never SYSCALL_SWITCH.
 * Requires: p is running (PROC_RUNNABLE); p->ctx holds pc, ra, sp, t0-t6
 * and a0-a7 (the other registers may be stale: nothing here reads them).
 */
struct syscall_outcome syscall_handle(struct proc *p);

/*
 * Write r into p's a0..a3 (only the registers its variant names), if p is
 * still the incarnation that made the call, and say what happens next:
 * SYSCALL_RETURN when p still runs, else SYSCALL_BLOCKED.  The last step
 * of every call that returns a value; the fast path uses it too.
 */
struct syscall_outcome syscall_complete(struct proc *p,
					const struct sysret *r);

/*
 * p is yielded (or unstarted): pop its queued tasks until a function call
 * (return-value records are dropped) and start it, making p
 * PROC_RUNNABLE.  Returns whether it found one.  The reference path's own
 * step; the fast path's Yield-Wait uses it too, so that both start the
 * same call the same way.
 */
bool syscall_start_next(struct proc *p);

/*
 * p is blocked (unstarted, yielded or yielded-for): if a task it can take
 * is queued, set its registers for it and make it PROC_RUNNABLE.  Returns
 * whether it did.
 */
bool syscall_resume(struct proc *p);

/*
 * Start upcall fn(a0, a1, a2, userdata) in p (doc/abi.md §3.1): it
 * returns to where p was.  p becomes PROC_RUNNABLE.
 */
static inline void syscall_upcall_regs(struct proc *p, uintptr_t fn,
				       uintptr_t userdata, uint32_t a0,
				       uint32_t a1, uint32_t a2)
{
	struct arch_ctx *c = &p->ctx;

	c->x[CTX_RA] = c->x[CTX_PC];
	c->x[CTX_A0] = a0;
	c->x[CTX_A1] = a1;
	c->x[CTX_A2] = a2;
	c->x[CTX_A3] = userdata;
	c->x[CTX_PC] = fn;
	p->state = PROC_RUNNABLE;
}

/*
 * End p's Yield-WaitFor with (a0, a1, a2), the values of the task it
 * waited for: raw values, no variant; a3 untouched (doc/abi.md §4.1).
 * p becomes PROC_RUNNABLE.
 */
static inline void syscall_wait_for_regs(struct proc *p, uint32_t a0,
					 uint32_t a1, uint32_t a2)
{
	p->ctx.x[CTX_A0] = a0;
	p->ctx.x[CTX_A1] = a1;
	p->ctx.x[CTX_A2] = a2;
	p->state = PROC_RUNNABLE;
}

/*
 * p is blocked in a yield with nothing queued, and a task has just
 * arrived for it from (drv, sub) with values a0-a2: a call of the
 * function subscribed there, or, with none, a return-value record.  If
 * syscall_resume() would take it at once after it was queued, take it now
 * without queueing it (same registers, PROC_RUNNABLE) and return true;
 * else return false and touch nothing.  The caller then marks p ready
 * (sched_ready()).  upcall_of(p, sub, ctx, &fn, &userdata) reads the
 * function and its userdata (fn 0: none); it is asked only for a
 * Yield-Wait, so that a Yield-WaitFor's take looks nothing up.  Inline,
 * upcall_of too, so that IPC's notification (drivers/ipc.c) builds no
 * task for it.  Kernels with IPC only (CONFIG_IPC).
 */
static inline __attribute__((always_inline)) bool
syscall_take_values(struct proc *p, uint32_t drv, uint32_t sub,
		    void (*upcall_of)(const struct proc *p, uint32_t sub,
				      uintptr_t ctx, uintptr_t *fn,
				      uintptr_t *userdata),
		    uintptr_t ctx, uint32_t a0, uint32_t a1, uint32_t a2)
{
	uintptr_t fn, userdata;

	switch (p->state) {
	case PROC_YIELDED:
		upcall_of(p, sub, ctx, &fn, &userdata);
		/* a return-value record is dropped at a pop: queue it */
		if (fn == 0)
			return false;
		syscall_upcall_regs(p, fn, userdata, a0, a1, a2);
		return true;
	case PROC_YIELDED_FOR:
		/*
		 * what syscall_resume() would take first: a1, a2 still hold
		 * the (driver, subscription) waited for
		 */
		if ((uint32_t)p->ctx.x[CTX_A1] != drv ||
		    (uint32_t)p->ctx.x[CTX_A2] != sub)
			return false;
		syscall_wait_for_regs(p, a0, a1, a2);
		return true;
	default:
		return false;
	}
}

/*
 * syscall_take_values() for task t, setting p's bit in *ready (the
 * scheduler's mask: sched_take_now() passes it, so that its call is a
 * tail call with no frame) when it takes it.  Kernels with IPC only
 * (CONFIG_IPC).
 */
bool syscall_take_now(struct proc *p, const struct task *t,
		      uint32_t *ready);

/*
 * The registers a0.. that r becomes with xlen-bit registers (32 or 64);
 * returns how many are written (a0 always), the rest keep their values.
 *   xlen 32: Tock's TRD104 encoding.  The pointer variants become the
 *            32-bit ones (4, 5 -> 2; 134, 135 -> 130; 136, 137 -> 129) and
 *            every value is truncated to 32 bits.
 *   xlen 64: Tock's RISC-V 64-bit encoding (doc/abi.md D11): variants
 *            as given; pointers, lengths and 64-bit values full width, a
 *            64-bit value (two 32-bit words in r) in one register (U64 in
 *            a1, Failure-U64 and U32-U64 in a2); error codes and u32
 *            values zero-extended from 32 bits.
 * The kernel uses xlen = its own XLEN; the argument lets the host tests
 * check both encodings.
 */
unsigned syscall_encode(unsigned xlen, const struct sysret *r, uint64_t a[4]);
