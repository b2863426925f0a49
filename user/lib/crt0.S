/* SPDX-License-Identifier: MIT */
/*
 * void _start(uintptr_t app_start, uintptr_t mem_start, size_t mem_len,
 *             uintptr_t app_break)                        -- never returns
 *
 * Process entry (doc/abi.md §3.2).  In: a0..a3 as above, sp = mem_start, which
 * is NOT accessible yet (the break starts at mem_start on RISC-V), every
 * other register 0.  So: touch no RAM until the first brk has succeeded.
 *
 *   1. check we run where we were linked (apps are not position
 *      independent); if not, report alert 2 on the low-level debug driver
 *      and exit-terminate(CRT0_EXIT_MISPLACED)
 *   2. memop brk to _app_break_init (end of .bss); on failure
 *      exit-terminate(CRT0_EXIT_NO_BRK)
 *   3. sp = _stack_top; memop 10 / 11 hints (stack top, heap start)
 *   4. crt0_main(a0..a3): copies .data, zeroes .bss, calls main, exits
 *
 * s0..s3 carry the boot registers across the ecalls: the kernel preserves
 * every register a return variant does not name (doc/abi.md §2.3).  Written
 * with la/li/mv only, so the same code serves rv32 and rv64.  gp is never set:
 * apps link with --no-relax and make no gp-relative accesses.
 */
#include "user/lib/crt0.h"

#define SYS_COMMAND 2
#define SYS_MEMOP 5
#define SYS_EXIT 6
#define MEMOP_BRK 0
#define MEMOP_STACK_TOP 10
#define MEMOP_HEAP_START 11
#define LLDEBUG_DRIVER 8
#define LLDEBUG_ALERT 1
#define SYS_SUCCESS 128

	.section .text.crt0, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	mv	s0, a0
	mv	s1, a1
	mv	s2, a2
	mv	s3, a3

	la	t0, _flash_origin
	bne	s0, t0, misplaced
	la	t0, _ram_origin
	bne	s1, t0, misplaced

	li	a0, MEMOP_BRK
	la	a1, _app_break_init
	li	a4, SYS_MEMOP
	ecall
	li	t0, SYS_SUCCESS
	li	s4, CRT0_EXIT_NO_BRK
	bne	a0, t0, die

	la	sp, _stack_top
	li	a0, MEMOP_STACK_TOP
	mv	a1, sp
	li	a4, SYS_MEMOP
	ecall
	li	a0, MEMOP_HEAP_START
	la	a1, _app_break_init
	li	a4, SYS_MEMOP
	ecall

	mv	a0, s0
	mv	a1, s1
	mv	a2, s2
	mv	a3, s3
	call	crt0_main
	/* crt0_main never returns */

misplaced:
	li	a0, LLDEBUG_DRIVER
	li	a1, LLDEBUG_ALERT
	li	a2, CRT0_ALERT_MISPLACED
	li	a3, 0
	li	a4, SYS_COMMAND
	ecall
	li	s4, CRT0_EXIT_MISPLACED
die:
	li	a0, 0		/* exit-terminate */
	mv	a1, s4
	li	a4, SYS_EXIT
	ecall
	j	die
	.size	_start, . - _start
