/* SPDX-License-Identifier: MIT */
/*
 * The switch between the kernel and a process, and the trap vector.
 *
 *   void arch_run(struct proc *p, struct arch_trap *t);     (kernel/hw.h)
 *
 * Register contract.  In: a0 = p, a1 = t, ra/sp/s0-s11 the kernel's.
 * arch_run saves ra, s0-s11 and t in a struct trap_kframe on the kernel
 * stack, records sp in trap_kernel_sp, points xscratch at p->ctx, loads all
 * 31 user registers from p->ctx with the pc into xepc and leaves to U-mode
 * with xret.  It "returns" when the process traps: trap_vector stores the 31
 * user registers (and the pc) into p->ctx, restores the kernel frame and
 * tail-calls trap_classify(t, xcause), which fills *t and returns to
 * arch_run's caller.  All caller-saved registers are clobbered, as for any
 * call.
 *
 * xscratch is the only state that tells the two trap sources apart: it holds
 * &p->ctx while a process runs and 0 while the kernel runs.  A trap with
 * xscratch == 0 is a fault inside the kernel; it is reported from a private
 * stack by trap_kernel_fault(), since the kernel's own sp may be the cause.
 *
 * gp and tp are not restored for the kernel: the linker script defines no
 * __global_pointer$ (so nothing is gp-relative) and asserts the kernel has
 * no thread-local data.  The frame layouts come from trap.h.
 */
#include "platform/arch/riscv/trap.h"

/* Store / load register xN in slot N of the context pointed to by base. */
#define SAVE(n, base) REG_S x##n, CTX_OFF(n)(base)
#define LOAD(n, base) REG_L x##n, CTX_OFF(n)(base)

	.section .text.trap, "ax", @progbits

	.globl arch_run
	.type arch_run, @function
arch_run:
	addi	sp, sp, -KF_SIZE
	REG_S	ra, KF_RA(sp)
	REG_S	s0, KF_S(0)(sp)
	REG_S	s1, KF_S(1)(sp)
	REG_S	s2, KF_S(2)(sp)
	REG_S	s3, KF_S(3)(sp)
	REG_S	s4, KF_S(4)(sp)
	REG_S	s5, KF_S(5)(sp)
	REG_S	s6, KF_S(6)(sp)
	REG_S	s7, KF_S(7)(sp)
	REG_S	s8, KF_S(8)(sp)
	REG_S	s9, KF_S(9)(sp)
	REG_S	s10, KF_S(10)(sp)
	REG_S	s11, KF_S(11)(sp)
	REG_S	a1, KF_TRAP(sp)
	REG_S	sp, trap_kernel_sp, t0

	/* p->ctx is at offset 0 of struct proc (asserted in trap.c) */
	csrw	CSR_XSCRATCH, a0
	REG_L	t0, CTX_OFF(0)(a0)
	csrw	CSR_XEPC, t0
	/*
	 * Previous privilege := U, every time: xret must never carry a
	 * process into M/S-mode, whatever the status held before.
	 */
	li	t0, XSTATUS_XPP
	csrc	CSR_XSTATUS, t0

	LOAD(1, a0)
	LOAD(2, a0)
	LOAD(3, a0)
	LOAD(4, a0)
	LOAD(5, a0)
	LOAD(6, a0)
	LOAD(7, a0)
	LOAD(8, a0)
	LOAD(9, a0)
	LOAD(11, a0)
	LOAD(12, a0)
	LOAD(13, a0)
	LOAD(14, a0)
	LOAD(15, a0)
	LOAD(16, a0)
	LOAD(17, a0)
	LOAD(18, a0)
	LOAD(19, a0)
	LOAD(20, a0)
	LOAD(21, a0)
	LOAD(22, a0)
	LOAD(23, a0)
	LOAD(24, a0)
	LOAD(25, a0)
	LOAD(26, a0)
	LOAD(27, a0)
	LOAD(28, a0)
	LOAD(29, a0)
	LOAD(30, a0)
	LOAD(31, a0)
	LOAD(10, a0)
	XRET
	.size arch_run, . - arch_run

	/* xtvec direct mode needs a 4-byte aligned base */
	.balign 4
	.globl trap_vector
	.type trap_vector, @function
trap_vector:
	/* swap: sp = &p->ctx (0 if the kernel trapped), xscratch = user sp */
	csrrw	sp, CSR_XSCRATCH, sp
	beqz	sp, kernel_trap
	SAVE(1, sp)
	SAVE(3, sp)
	SAVE(4, sp)
	SAVE(5, sp)
	SAVE(6, sp)
	SAVE(7, sp)
	SAVE(8, sp)
	SAVE(9, sp)
	SAVE(10, sp)
	SAVE(11, sp)
	SAVE(12, sp)
	SAVE(13, sp)
	SAVE(14, sp)
	SAVE(15, sp)
	SAVE(16, sp)
	SAVE(17, sp)
	SAVE(18, sp)
	SAVE(19, sp)
	SAVE(20, sp)
	SAVE(21, sp)
	SAVE(22, sp)
	SAVE(23, sp)
	SAVE(24, sp)
	SAVE(25, sp)
	SAVE(26, sp)
	SAVE(27, sp)
	SAVE(28, sp)
	SAVE(29, sp)
	SAVE(30, sp)
	SAVE(31, sp)
	csrr	t0, CSR_XSCRATCH
	REG_S	t0, CTX_OFF(2)(sp)
	csrr	t0, CSR_XEPC
	REG_S	t0, CTX_OFF(0)(sp)
	csrw	CSR_XSCRATCH, zero	/* back in the kernel */

	REG_L	sp, trap_kernel_sp
	csrr	a1, CSR_XCAUSE
	REG_L	a0, KF_TRAP(sp)
	REG_L	ra, KF_RA(sp)
	REG_L	s0, KF_S(0)(sp)
	REG_L	s1, KF_S(1)(sp)
	REG_L	s2, KF_S(2)(sp)
	REG_L	s3, KF_S(3)(sp)
	REG_L	s4, KF_S(4)(sp)
	REG_L	s5, KF_S(5)(sp)
	REG_L	s6, KF_S(6)(sp)
	REG_L	s7, KF_S(7)(sp)
	REG_L	s8, KF_S(8)(sp)
	REG_L	s9, KF_S(9)(sp)
	REG_L	s10, KF_S(10)(sp)
	REG_L	s11, KF_S(11)(sp)
	addi	sp, sp, KF_SIZE
	tail	trap_classify

kernel_trap:
	/* sp = 0, xscratch = the kernel's sp at the trap; xscratch stays 0 */
	csrrw	a1, CSR_XSCRATCH, zero
	mv	a0, ra
	la	sp, trap_panic_stack + TRAP_PANIC_STACK
	call	trap_kernel_fault
	.size trap_vector, . - trap_vector

	.section .bss.trap, "aw", @nobits
	.balign 16
trap_panic_stack:
	.space TRAP_PANIC_STACK
	.balign REGBYTES
	.globl trap_kernel_sp
trap_kernel_sp:
	.space REGBYTES
