/* SPDX-License-Identifier: MIT */
/*
 * Tern userspace start-up: what crt0 learned at process entry, and the
 * symbols user/app.ld gives it.
 *
 * Included by crt0.S too, so only macros outside the __ASSEMBLER__ block.
 */
#pragma once

/* Completion codes crt0 exits with when an app cannot start. */
#define CRT0_EXIT_MISPLACED 0x7e01 /* loaded away from its link address */
#define CRT0_EXIT_NO_BRK 0x7e02	   /* the kernel refused the first brk */

/* Low-level debug alert code for a misplaced app (doc/abi.md §10.4). */
#define CRT0_ALERT_MISPLACED 0x02

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* The registers the kernel started the process with (doc/abi.md §3.2). */
struct tern_boot {
	uintptr_t app_start; /* a0: first byte after the protected region */
	uintptr_t mem_start; /* a1: lowest address of the RAM block */
	size_t mem_len;	     /* a2: RAM block size, kernel part included */
	uintptr_t app_break; /* a3: the break before crt0's first brk */
};

/* Set by crt0 before main() runs; read-only afterwards. */
extern struct tern_boot tern_boot;

/* Linker-script symbols (user/app.ld); use their addresses only. */
extern char _flash_origin[], _flash_end[];
extern char _ram_origin[], _stack_top[];
extern char _data_load[], _data_start[], _data_end[];
extern char _bss_start[], _bss_end[], _app_break_init[];

/* Called by crt0.S with the boot registers, once the stack is usable. */
__attribute__((noreturn)) void crt0_main(uintptr_t app_start,
					 uintptr_t mem_start, size_t mem_len,
					 uintptr_t app_break);

int main(void);
#endif
