/* SPDX-License-Identifier: MIT */
/*
 * Frame layouts shared by trap.S and C, with every offset pinned.
 *
 * Two frames exist:
 *
 *   struct arch_ctx (kernel/hw.h), one per process, inside struct proc.
 *   While a process runs, xscratch points at it; the trap entry stores the
 *   user registers there (x[0] holds the pc; all 31 registers whenever the
 *   run loop gets to see them, see trap.S) and arch_run() loads them back.
 *   Slot i is at CTX_OFF(i).
 *
 *     offset  0        1*R  2*R  3*R  4*R  5*R..7*R  8*R  9*R  10*R..17*R
 *             pc       ra   sp   gp   tp   t0..t2    s0   s1   a0..a7
 *     offset  18*R..27*R  28*R..31*R        (R = REGBYTES)
 *             s2..s11     t3..t6
 *
 *   struct trap_kframe, on the kernel stack below arch_run()'s caller: the
 *   kernel's callee-saved registers and the arch_trap and proc pointers,
 *   saved by arch_run() and restored by the trap entry's slow exit; proc
 *   is the running process (a switch from a system call changes it).
 *   trap_kernel_sp holds its address while a process runs; syscall_entry()
 *   runs on the stack below it.
 *
 * Nothing else crosses between assembly and C.  Changing a layout means
 * changing the offsets here; the _Static_asserts in trap.c catch a mismatch.
 */
#pragma once

#include "platform/arch/riscv/csr.h"

/* Offset of register slot i in struct arch_ctx. */
#define CTX_OFF(i) ((i) * REGBYTES)
#define CTX_SIZE (32 * REGBYTES)

/* struct trap_kframe */
#define KF_RA (0 * REGBYTES)
#define KF_S(i) ((1 + (i)) * REGBYTES) /* s0..s11 */
#define KF_TRAP (13 * REGBYTES)	       /* struct arch_trap * */
#define KF_PROC (14 * REGBYTES)	       /* struct proc * */
#define KF_SIZE (16 * REGBYTES)	       /* keeps sp 16-byte aligned */

/*
 * enum syscall_next (kernel/syscall.h) as trap.S tests it: SYSCALL_RETURN
 * is 0, SYSCALL_UPCALL below this, SYSCALL_SWITCH this, the run loop's
 * outcomes above (asserted in trap.c).
 */
#define TRAP_SYSCALL_SWITCH 2

/*
 * Stack for reporting a trap taken in the kernel (its own sp may be bad).
 * A board short of RAM may set a smaller one (cross file property
 * trap_panic_stack); a report takes about 300 bytes on rv32.
 */
#ifndef TRAP_PANIC_STACK
#define TRAP_PANIC_STACK 1024
#endif

#if defined(__ASSEMBLER__) && RISCV_KERNEL_GP
/*
 * gp := the kernel's, where it has one (see trap.S): at boot and on every
 * trap from U-mode.  Not relaxed itself, since gp does not hold it yet.
 */
.macro load_kernel_gp
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
.endm
#endif

#ifndef __ASSEMBLER__

#include <stdint.h>

#include "kernel/hw.h"

struct trap_kframe {
	uintptr_t ra;
	uintptr_t s[12];
	struct arch_trap *trap;
	struct proc *proc;
	uintptr_t pad;
};

/* Kernel sp (pointing at a struct trap_kframe) while a process runs. */
extern uintptr_t trap_kernel_sp;

/* trap.S: the trap vector, installed in xtvec (direct mode). */
void trap_vector(void);

/*
 * trap.S tail-calls this on every trap from U-mode that returns from
 * arch_run(), with the kernel context restored: fill *t from the raw cause
 * (and xtval) and p, the process that trapped (not arch_run()'s own when a
 * system call switched processes), and return to arch_run()'s caller.
 * For an ecall, next is what syscall_entry() returned (SYSCALL_BLOCKED or
 * SYSCALL_INVALID); for other traps it is meaningless and ignored.
 */
void trap_classify(struct arch_trap *t, uintptr_t cause, uintptr_t next,
		   struct proc *p);

/*
 * trap.S calls this, on a private stack, for a trap taken while the kernel
 * itself ran (xscratch == 0): a kernel bug.  ra and sp are the kernel's at the
 * trap.  Reports and stops.
 */
__attribute__((noreturn)) void trap_kernel_fault(uintptr_t ra, uintptr_t sp);

#endif /* !__ASSEMBLER__ */
