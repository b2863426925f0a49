/* SPDX-License-Identifier: MIT */
/*
 * A hostile boot loader, for the kernel-test kernel only (tests/qemu/
 * meson.build links it there and nowhere else).
 *
 *   void hostile_boot(void);   at the image base, where the board jumps:
 *                              linker/common.ld's boot-prologue slot
 *                              (.text.boot_prologue) puts it before _start
 *
 * It leaves the hart as badly as a boot loader could before the kernel's
 * first instruction: FP and vector on, MPRV, SUM and MXR set, previous
 * privilege not U, xPIE set, TW clear, every counter and cache-block
 * operation open to U-mode; then jumps to _start.  Scenario
 * tests/qemu/hart/hart_boot.toml checks that the kernel undid each.
 * It keeps a0 (the hart id in S-mode) and a1, and clobbers t0, t1 and
 * xtvec (the kernel sets its own).
 */
#include "platform/arch/riscv/csr.h"

/* FS = Initial (bit 13) and VS = Initial (bit 9): read-only 0 if absent */
#define DIRTY_FS_VS ((1ul << 13) | (1ul << 9))
#if KERNEL_MODE_M
#define DIRTY_STATUS                                                         \
	(DIRTY_FS_VS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR |            \
	 MSTATUS_MPP | MSTATUS_MPIE)
#else
#define DIRTY_STATUS                                                         \
	(DIRTY_FS_VS | SSTATUS_SUM | SSTATUS_MXR | SSTATUS_SPP | SSTATUS_SPIE)
#endif

/*
 * Write val to csr if the hart has it: a CSR it lacks raises an illegal-
 * instruction trap, which xtvec sends to the next instruction.
 */
.macro try_write csr, val
	la	t0, 77f
	csrw	CSR_XTVEC, t0
	csrw	\csr, \val
	.balign 4
77:
.endm

	/* gp is the boot loader's here: no gp-relative relaxation */
	.option norelax
	.section .text.boot_prologue, "ax", @progbits
	.globl hostile_boot
	.type hostile_boot, @function
hostile_boot:
	li	t0, DIRTY_STATUS
	csrs	CSR_XSTATUS, t0
	li	t1, -1
#if KERNEL_MODE_M
	li	t0, MSTATUS_TW
	csrc	mstatus, t0
	csrw	mcounteren, t1
#endif
	try_write scounteren, t1
	try_write CSR_XENVCFG, t1
	j	_start		/* right after this, in the same .text */
	.size hostile_boot, . - hostile_boot
