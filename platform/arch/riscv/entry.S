/* SPDX-License-Identifier: MIT */
/*
 * Reset entry: the first instructions the kernel runs.
 *
 *   void _start(void);   entered at the image base with any register state
 *                        except a0 = hart id in S-mode (OpenSBI's contract)
 *
 * It trusts nothing the boot loader left behind (trap.h, "Hart state"):
 * before its first load or store it writes the whole of xstatus (MPRV
 * with MPP = U would otherwise turn every kernel access into a U-mode one)
 * and zeroes xenvcfg where the hart has one.  (The kernel-test kernel
 * runs a hostile boot loader's prologue first, from linker/common.ld's
 * boot-prologue slot, that dirties all of that.)
 *
 * Hart 0 installs the trap vector (so that even a fault in early C code is
 * reported), marks "kernel running" (xscratch = 0), masks interrupts, takes
 * the boot stack from the linker script (and, where the kernel has one, its
 * gp: see trap.S) and continues in C (arch_start()
 * in start.c, which never returns).  Any other hart parks in wfi for good.
 */
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/trap.h"

/*
 * Write val to csr if the hart has it: a CSR it lacks raises an illegal-
 * instruction trap, which xtvec sends to the next instruction.  Clobbers
 * t0 and xtvec (and, when it traps, xepc, xcause, xtval and xstatus'
 * trap fields, which the caller then writes).
 */
.macro csr_try_write csr, val
	la	t0, 77f
	csrw	CSR_XTVEC, t0
	csrw	\csr, \val
	.balign 4
77:
.endm

	.section .text.entry, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
#if RISCV_KERNEL_GP
	/* the kernel's gp first: the linker may make what follows use it */
	load_kernel_gp
#endif
	/*
	 * xenvcfg := 0 where the hart has it (privileged spec 1.12: U-mode
	 * cache-block operations off; menvcfgh holds nothing U-mode reaches).
	 * Before xstatus, which a trap changes.
	 */
	csr_try_write CSR_XENVCFG, zero
	/* all of xstatus, before the first load or store (trap.h) */
	li	t0, XSTATUS_BOOT
	csrw	CSR_XSTATUS, t0
#if KERNEL_MODE_M
	csrr	a0, mhartid
#endif
	bnez	a0, park
	csrw	CSR_XIE, zero
	csrw	CSR_XSCRATCH, zero
	la	t0, trap_vector
	csrw	CSR_XTVEC, t0
	la	sp, _kstack_top
	tail	arch_start
park:
	wfi
	j	park
	.size _start, . - _start
