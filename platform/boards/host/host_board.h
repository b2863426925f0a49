/* SPDX-License-Identifier: MIT */
/*
 * The host board: what unit tests use in place of hardware.
 *
 * Process memory is ordinary host memory (tests hand proc_create() the
 * addresses of static arrays).  The protection backend records what it was
 * asked to program instead of programming it, and its limits can be changed
 * so that tests can play a PMP board (granule 4) or a page-table board
 * (granule 4096), or refuse a layout outright.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/hw.h"

struct host_mpu {
	size_t granule;		/* what mpu_granule() answers (default 4) */
	bool refuse;		/* mpu_fits() says no to everything */
	unsigned loads;		/* mpu_load() calls */
	const struct proc *loaded; /* last process loaded */
	struct mpu_region regions[8]; /* copy of its records at that time */
	unsigned user_access_depth; /* inside mpu_user_access_begin/end */
	unsigned user_access_count; /* begin calls */
};

extern struct host_mpu host_mpu;

/* Back to defaults (granule 4, nothing loaded). */
void host_board_reset(void);

/* Text the kernel printed since the last reset (kputs/kprintf). */
const char *host_console_text(void);
