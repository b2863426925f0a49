/* SPDX-License-Identifier: MIT */
/*
 * Reset entry: the first instructions the kernel runs.
 *
 *   void _start(void);   entered at the image base with any register state
 *                        except a0 = hart id in S-mode (OpenSBI's contract)
 *
 * Hart 0 installs the trap vector (so that even a fault in early C code is
 * reported), marks "kernel running" (xscratch = 0), masks interrupts, takes
 * the boot stack from the linker script (and, where the kernel has one, its
 * gp: see trap.S) and continues in C (arch_start()
 * in start.c, which never returns).  Any other hart parks in wfi for good.
 */
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/trap.h"

	.section .text.entry, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
#if KERNEL_MODE_M
	csrr	a0, mhartid
#endif
	bnez	a0, park
#if RISCV_KERNEL_GP
	/* the kernel's gp first: the linker may make what follows use it */
	load_kernel_gp
#endif
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
