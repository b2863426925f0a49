/* SPDX-License-Identifier: MIT */
/*
 * App discovery: walk the board's app flash region, validate every TBF and
 * create a process for each app that passes (doc/abi.md §9.5).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * Load every app between board.app_flash_start and board.app_flash_end into
 * process RAM from board.app_ram_start.  Each object is reported on the
 * console: loaded, or skipped with the reason.  A malformed or hostile
 * object never stops the walk early unless its size cannot be trusted to
 * find the next one.  Returns the number of processes created.
 */
unsigned loader_load_all(void);

/* The same over an explicit flash and RAM window (unit tests). */
unsigned loader_load(uintptr_t flash, uintptr_t flash_end, uintptr_t ram,
		     uintptr_t ram_end);
