/* SPDX-License-Identifier: MIT */
/*
 * QEMU scenario hart_share: a register file full of one process's values
 * held across preemption, system calls and switches.
 *
 *   void hart_regs_round(uintptr_t seed, uintptr_t spins, uintptr_t *out,
 *                        uintptr_t mode);
 *
 * Sets every register but sp and t6 to seed + <its number> (x1 = seed + 1,
 * gp = seed + 3, ..., t5 = seed + 30), then, with t6 counting:
 *   mode 0  spins: the timer preempts it wherever it is;
 *   mode 1  spins through Yield-NoWait (a0 = a1 = a4 = 0 at each ecall):
 *           the system-call fast path;
 *   mode 2  one Yield-Wait (a0 = 1, a4 = 0): the caller armed an alarm,
 *           whose upcall (a C function) runs inside the yield, so only
 *           s0-s11, gp and tp are the caller's afterwards;
 * and stores x1..x30 into out[1..30] (out[2] and out[31] untouched).
 * Every register the psABI wants preserved is restored before it returns.
 */
#if __riscv_xlen == 32
#define REGBYTES 4
#define SREG sw
#define LREG lw
#else
#define REGBYTES 8
#define SREG sd
#define LREG ld
#endif
#define FRAME (20 * REGBYTES) /* 16-byte aligned on rv32 and rv64 */
#define SLOT(n) ((n) * REGBYTES)

	.section .text.hart_regs_round, "ax", @progbits
	.globl hart_regs_round
	.type hart_regs_round, @function
hart_regs_round:
	addi	sp, sp, -FRAME
	SREG	ra, SLOT(0)(sp)
	SREG	gp, SLOT(1)(sp)
	SREG	tp, SLOT(2)(sp)
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	SREG	s\n, SLOT(3 + \n)(sp)
	.endr
	SREG	a2, SLOT(15)(sp)	/* out */
	mv	t6, a1			/* spins */
	mv	t0, a3			/* mode, until the patterns go in */
	li	t1, 1
	beq	t0, t1, mode1
	li	t1, 2
	beq	t0, t1, mode2

	/* mode 0: spin */
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	addi	x\n, a0, \n
	.endr
	addi	a0, a0, 10
1:	addi	t6, t6, -1
	bnez	t6, 1b
	j	store

mode1:
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	addi	x\n, a0, \n
	.endr
	addi	a0, a0, 10
2:	li	a0, 0
	li	a1, 0
	li	a4, 0
	ecall
	addi	t6, t6, -1
	bnez	t6, 2b
	j	store

mode2:
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	addi	x\n, a0, \n
	.endr
	li	a0, 1
	li	a4, 0
	ecall

store:
	LREG	t6, SLOT(15)(sp)
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	SREG	x\n, SLOT(\n)(t6)
	.endr
	LREG	ra, SLOT(0)(sp)
	LREG	gp, SLOT(1)(sp)
	LREG	tp, SLOT(2)(sp)
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	LREG	s\n, SLOT(3 + \n)(sp)
	.endr
	addi	sp, sp, FRAME
	ret
	.size hart_regs_round, . - hart_regs_round
