/* SPDX-License-Identifier: MIT */
/*
 * Leave through a debug host, if there is one.
 *
 *   void semihost_exit(int code);
 *
 * In: a0 = exit status.  Makes the RISC-V semihosting call SYS_EXIT_EXTENDED
 * (a0 = 0x20, a1 = &{ ADP_Stopped_ApplicationExit, code }), which QEMU run
 * with -semihosting-config enable=on ends with status `code`, and which a
 * debugger with semihosting enabled (OpenOCD: arm semihosting enable)
 * reports.  Returns only when nobody serviced the call: clobbers t0, t1
 * and the caller-saved registers, as any call.
 *
 * The call is the sequence "slli x0, x0, 0x1f; ebreak; srai x0, x0, 7",
 * uncompressed and within one page (RISC-V semihosting spec): the link
 * checks the page (linker/hifive1.ld, semihost_call), which costs no
 * padding where a 16-byte alignment would cost up to 14 bytes.  Without a
 * debug host the ebreak is an ordinary breakpoint exception, which would
 * reach the kernel's trap vector as a fault inside the kernel; so for the
 * duration of the call xtvec points at skip_ebreak, which steps over it.
 * Interrupts are masked (mstatus.MIE = 0): nothing else can trap there.
 */
#include "platform/arch/riscv/csr.h"

#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

	.section .text.semihost, "ax", @progbits
	.balign 4
skip_ebreak:
	csrr	t0, mepc
	addi	t0, t0, 4	/* the ebreak is 4 bytes: norvc below */
	csrw	mepc, t0
	mret

	.globl semihost_exit
	.type semihost_exit, @function
semihost_exit:
	addi	sp, sp, -16
	li	t0, ADP_STOPPED_APPLICATION_EXIT
	sw	t0, 0(sp)
	sw	a0, 4(sp)
	li	a0, SYS_EXIT_EXTENDED
	mv	a1, sp
	la	t0, skip_ebreak
	csrrw	t1, mtvec, t0
	.option push
	.option norvc
	.globl semihost_call	/* its page: see above */
semihost_call:
	slli	zero, zero, 0x1f
	ebreak
	srai	zero, zero, 7
	.option pop
	csrw	mtvec, t1
	addi	sp, sp, 16
	ret
	.size semihost_exit, . - semihost_exit
