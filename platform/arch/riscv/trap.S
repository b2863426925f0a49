/* SPDX-License-Identifier: MIT */
/*
 * The switch between the kernel and a process, and the trap vector.
 *
 *   void arch_run(struct proc *p, struct arch_trap *t);     (kernel/hw.h)
 *   struct syscall_outcome syscall_entry(a0, a1, a2, a3, a4, struct proc *p);
 *                                                       (kernel/fastpath.h)
 *
 * Register contract of arch_run.  In: a0 = p, a1 = t, ra/sp/s0-s11 the
 * kernel's.  It saves ra, s0-s11, t and p in a struct trap_kframe on the
 * kernel stack, records sp in trap_kernel_sp, loads p's protection
 * (mpu_load(p)), points xscratch at p->ctx, loads all 31 user registers
 * from p->ctx with the pc into xepc and leaves to U-mode with xret.  It
 * "returns" when p traps and cannot go on: all caller-saved registers
 * are clobbered, as for any call.
 *
 * Contract with syscall_entry() (kernel/hw.h says what each outcome
 * means).  In: the caller's a0-a4 in a0-a4, p in a5, p->ctx holding what C
 * may clobber (ra, t0-t6, a0-a7, and sp and the pc, the pc already past
 * the ecall, in xepc too), sp below the kframe.  Out: a0 = enum
 * syscall_next (one register wide), a1 = the process it names.
 *
 * The trap vector has three exits.
 *
 *   Fast (SYSCALL_RETURN, SYSCALL_UPCALL): the registers C may clobber
 *   are loaded back from a1->ctx (the call may have written a0-a3, or
 *   started an upcall: ra, a0-a3), the pc too for SYSCALL_UPCALL, and
 *   xret.  s0-s11 still hold the user's values because syscall_entry()
 *   preserves them like any C function, and tp because the kernel never
 *   writes it (gp too, unless the kernel has its own: then gp is saved
 *   and loaded back with the rest, see below).  xPP still says U: the
 *   trap set it and nothing on this path writes xstatus.  No PMP write,
 *   no kframe restore, no run loop.
 *
 *   Switch (SYSCALL_SWITCH): gp, tp and s0-s11 of the caller (the
 *   kframe's proc) join the rest in its ctx, which is then complete, the
 *   kframe's proc becomes a1, mpu_load(a1) loads its protection, and all
 *   31 registers and the pc are loaded from a1->ctx before xret, as
 *   arch_run() does.  The kframe stays where
 *   it is: arch_run() returns, when it does, for whichever process
 *   trapped last (struct arch_trap.proc).
 *
 *   Slow (every other trap, and SYSCALL_BLOCKED, SYSCALL_INVALID): gp, tp
 *   and s0-s11 join the rest in p->ctx, so the run loop and the fault
 *   reports see every register; the kernel's frame is restored and
 *   trap_classify(t, xcause, next, p) fills *t and returns to arch_run's
 *   caller (next: the outcome, for an ecall; a2 is left alone on every
 *   other path, and ignored).  If the call restarted p, the stale s0-s11
 *   stored now are wiped when the new incarnation's entry call starts.
 *
 * xscratch is the only state that tells the two trap sources apart: it holds
 * &p->ctx while a process runs and 0 while the kernel runs (syscall_entry()
 * included).  A trap with xscratch == 0 is a fault inside the kernel; it is
 * reported from a private stack by trap_kernel_fault(), since the kernel's
 * own sp may be the cause.
 *
 * tp is not restored for the kernel: the linker script asserts the kernel
 * has no thread-local data.  gp is, only where the cross file says
 * kernel_gp = true (RISCV_KERNEL_GP): there every trap from U-mode saves
 * the user's gp at once and loads the kernel's, __global_pointer$, which
 * linker/common.ld then defines, so that the linker turns each access to a
 * kernel variable within 2 KiB of it into one gp-relative instruction
 * instead of two (all of the HiFive1's 4 KiB of kernel RAM is within
 * reach: 352 bytes less code there, for a save, a load and a restore of
 * gp per system call).  Elsewhere the kernel never writes gp and nothing is
 * gp-relative.  The frame layouts come from trap.h.
 */
#include "platform/arch/riscv/trap.h"

#ifndef SCHED_SWITCH_LINE
#error "SCHED_SWITCH_LINE: kernel/meson.build passes it with kernel_c_args"
#endif

/*
 * TRAP_BASE: the register the trap entry swaps with xscratch and saves
 * the others through.  a5 where the cross file says trap_base_a5 = true
 * (RISCV_TRAP_BASE_A5): it is where syscall_entry() takes p, so no move
 * is needed, one instruction less per trap; but only x8-x15 have
 * compressed stores through it, 28 bytes more code than through sp, whose
 * c.swsp takes any register (the HiFive1 keeps sp for its flash).
 * TB_N is its number, TB_OTHER the number of the other of the two (saved
 * with the rest).
 */
#if RISCV_TRAP_BASE_A5
#define TB a5
#define TB_N 15
#define TB_OTHER 2
#else
#define TB sp
#define TB_N 2
#define TB_OTHER 15
#endif

/* Store / load register xN in slot N of the context pointed to by base. */
#define SAVE(n, base) SAVE_(n, base) /* n may be a macro: expand it first */
#define SAVE_(n, base) REG_S x##n, CTX_OFF(n)(base)
#define LOAD(n, base) REG_L x##n, CTX_OFF(n)(base)

#if RISCV_KERNEL_GP
/* tells linker/common.ld that the kernel may be gp-relative */
	.globl trap_reloads_gp
	.equ trap_reloads_gp, 1
#endif



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
	REG_S	a0, KF_PROC(sp)
	REG_S	sp, trap_kernel_sp, t0
#if !KERNEL_MODE_M
	/* what every exit writes to xstatus (user_status_set, trap.h) */
	li	t0, XSTATUS_BOOT
	REG_S	t0, KF_XSTATUS(sp)
#endif

	/*
	 * p's protection, then the switch exit's code does the rest (one
	 * copy: footprint), user_status_set included: previous privilege
	 * := U, every time, so that xret never carries a process into
	 * M/S-mode, whatever the status held before.
	 */
	call	mpu_load		/* a0 = p */
	REG_L	a1, KF_PROC(sp)
	j	run_a1
	.size arch_run, . - arch_run

	/* xtvec direct mode needs a 4-byte aligned base */
	.balign 4
	.globl trap_vector
	.type trap_vector, @function
trap_vector:
	/*
	 * swap: TB = &p->ctx (0 if the kernel trapped), xscratch = the
	 * user's TB, TB being a5 or sp (see TRAP_BASE above).
	 */
	csrrw	TB, CSR_XSCRATCH, TB
	beqz	TB, kernel_trap
	/* what C may clobber: ra, t0-t2, a0-a7, t3-t6; and sp or a5 */
	SAVE(1, TB)
	SAVE(TB_OTHER, TB)
	SAVE(5, TB)
	SAVE(6, TB)
	SAVE(7, TB)
	SAVE(10, TB)
	SAVE(11, TB)
	SAVE(12, TB)
	SAVE(13, TB)
	SAVE(14, TB)
	SAVE(16, TB)
	SAVE(17, TB)
	SAVE(28, TB)
	SAVE(29, TB)
	SAVE(30, TB)
	SAVE(31, TB)
#if RISCV_KERNEL_GP
	SAVE(3, TB)
	load_kernel_gp
#endif
	/* the user's TB; xscratch = 0: back in the kernel */
	csrrw	t0, CSR_XSCRATCH, zero
	REG_S	t0, CTX_OFF(TB_N)(TB)
	csrr	t0, CSR_XEPC
	csrr	t1, CSR_XCAUSE
	li	t2, CAUSE_USER_ECALL
#if !RISCV_TRAP_BASE_A5
	mv	a5, sp			/* p: ctx is at offset 0 */
#endif
	REG_L	sp, trap_kernel_sp	/* the kframe */
	bne	t1, t2, trap_other

	/*
	 * An ecall: it has no compressed form, the pc goes on by 4 (spec
	 * 1.1).  xepc gets it too, so that a call that leaves the pc alone
	 * returns without reloading it (nothing on the way writes xepc).
	 */
	addi	t0, t0, 4
	REG_S	t0, CTX_OFF(0)(a5)
	csrw	CSR_XEPC, t0
	call	syscall_entry		/* a0-a4: the caller's; a5: p */
	bnez	a0, syscall_not_return

	/* fast exit: a1 goes on; s0-s11 and tp were never touched */
fast_exit:
	user_status_set t0
	csrw	CSR_XSCRATCH, a1
	LOAD(1, a1)
#if RISCV_KERNEL_GP
	LOAD(3, a1)
#endif
	LOAD(5, a1)
	LOAD(6, a1)
	LOAD(7, a1)
	LOAD(10, a1)
	LOAD(12, a1)
	LOAD(13, a1)
	LOAD(14, a1)
	LOAD(15, a1)
	LOAD(16, a1)
	LOAD(17, a1)
	LOAD(28, a1)
	LOAD(29, a1)
	LOAD(30, a1)
	LOAD(31, a1)
	LOAD(2, a1)
	LOAD(11, a1)
	XRET

syscall_not_return:
	li	t1, TRAP_SYSCALL_SWITCH
	beq	a0, t1, switch
	bgtu	a0, t1, syscall_slow
	/* SYSCALL_UPCALL: a1 (the caller) goes on from a new pc */
	REG_L	t1, CTX_OFF(0)(a1)
	csrw	CSR_XEPC, t1
	j	fast_exit

switch:
	/* complete the caller's context (t0), then run a1 */
	REG_L	t0, KF_PROC(sp)
#if !RISCV_KERNEL_GP
	SAVE(3, t0)
#endif
	SAVE(4, t0)
	SAVE(8, t0)
	SAVE(9, t0)
	SAVE(18, t0)
	SAVE(19, t0)
	SAVE(20, t0)
	SAVE(21, t0)
	SAVE(22, t0)
	SAVE(23, t0)
	SAVE(24, t0)
	SAVE(25, t0)
	SAVE(26, t0)
	SAVE(27, t0)
	REG_S	a1, KF_PROC(sp)
	/*
	 * a1's protection, mpu_load(a1) (kernel/hw.h: the trap path loads
	 * it for every process it runs, arch_run()'s and a switch's), here
	 * rather than at the end of the C that chose a1, which would keep
	 * a1 across the call in a frame of its own: the kframe holds it
	 * already.  Where the switch is one function with a frame
	 * (SCHED_SWITCH_LINE 0, kernel/sched.c), the scheduler loads it
	 * there for less.
	 */
#if SCHED_SWITCH_LINE
	mv	a0, a1
	call	mpu_load
	REG_L	a1, KF_PROC(sp)
#endif
	/*
	 * Run the process whose struct proc a1 points at (p->ctx is at its
	 * offset 0, asserted in trap.c): xscratch, the pc into xepc, then
	 * every user register, a1 itself last (it is the base), and xret.
	 * arch_run() ends here too.
	 */
run_a1:
	user_status_set t0
	csrw	CSR_XSCRATCH, a1
	REG_L	t0, CTX_OFF(0)(a1)
	/*
	 * Drop any LR reservation, so that the process about to run cannot
	 * complete an SC on another's LR (unprivileged spec, "Load-Reserved/
	 * Store-Conditional"): an SC ends the reservation whether or not it
	 * succeeds.  It succeeds only if the reservation is on this very pc
	 * slot, which no process can reserve, and then stores the pc the
	 * slot already holds.
	 */
	REG_SC	zero, t0, (a1)
	csrw	CSR_XEPC, t0
	LOAD(1, a1)
	LOAD(2, a1)
	LOAD(3, a1)
	LOAD(4, a1)
	LOAD(5, a1)
	LOAD(6, a1)
	LOAD(7, a1)
	LOAD(8, a1)
	LOAD(9, a1)
	LOAD(10, a1)
	LOAD(12, a1)
	LOAD(13, a1)
	LOAD(14, a1)
	LOAD(15, a1)
	LOAD(16, a1)
	LOAD(17, a1)
	LOAD(18, a1)
	LOAD(19, a1)
	LOAD(20, a1)
	LOAD(21, a1)
	LOAD(22, a1)
	LOAD(23, a1)
	LOAD(24, a1)
	LOAD(25, a1)
	LOAD(26, a1)
	LOAD(27, a1)
	LOAD(28, a1)
	LOAD(29, a1)
	LOAD(30, a1)
	LOAD(31, a1)
	LOAD(11, a1)
	XRET

syscall_slow:
	mv	a2, a0		/* SYSCALL_BLOCKED or SYSCALL_INVALID */
	mv	a0, a1		/* the caller */
	j	trap_slow
trap_other:
	/* not an ecall: the pc stays at the trapping instruction */
	REG_S	t0, CTX_OFF(0)(a5)
	mv	a0, a5
trap_slow:
	/* a0 = &p->ctx, sp = the kframe: complete the context */
#if !RISCV_KERNEL_GP
	SAVE(3, a0)
#endif
	SAVE(4, a0)
	SAVE(8, a0)
	SAVE(9, a0)
	SAVE(18, a0)
	SAVE(19, a0)
	SAVE(20, a0)
	SAVE(21, a0)
	SAVE(22, a0)
	SAVE(23, a0)
	SAVE(24, a0)
	SAVE(25, a0)
	SAVE(26, a0)
	SAVE(27, a0)

	mv	a3, a0			/* p */
	csrr	a1, CSR_XCAUSE		/* a2: see above */
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
	/* TB = 0, xscratch = the kernel's TB at the trap; xscratch stays 0 */
#if RISCV_TRAP_BASE_A5
	csrrw	a5, CSR_XSCRATCH, zero
	mv	a1, sp
#else
	csrrw	a1, CSR_XSCRATCH, zero
#endif
	mv	a0, ra
#if RISCV_KERNEL_GP
	/* in case the trap came between a restore of gp and the xret */
	load_kernel_gp
#endif
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
