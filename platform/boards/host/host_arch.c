// SPDX-License-Identifier: MIT
/*
 * Host stand-ins for the architecture layer pieces that portable kernel code
 * names outside the run loop (fault reports).  arch_run() has no host
 * version: unit tests call syscall_handle() and friends directly.
 */
#include "kernel/board.h"
#include "kernel/hw.h"

const char *arch_fault_detail(uintptr_t cause, uintptr_t tval)
{
	(void)cause;
	(void)tval;
	return NULL;
}

/* The host board has no app flash of its own: tests call loader_load(). */
const struct board board = {
	.name = "host",
};
