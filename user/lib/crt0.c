// SPDX-License-Identifier: MIT
/*
 * Tern userspace start-up, C half: runs on the app's own stack once
 * crt0.S has moved the break past .bss.  Sets up .data and .bss, records
 * the boot registers, calls main and exits with its return value.  Nothing
 * here may run before the copy and the clear, so no constructors exist.
 */
#include <string.h>

#include "user/lib/crt0.h"
#include "user/lib/sys.h"

struct tern_boot tern_boot;

void crt0_main(uintptr_t app_start, uintptr_t mem_start, size_t mem_len,
	       uintptr_t app_break)
{
	/* .data runs from RAM but is loaded in flash (user/app.ld) */
	memcpy(_data_start, _data_load, (size_t)(_data_end - _data_start));
	/* the kernel zeroes what brk grants (doc/abi.md §8.6); clearing anyway
	 * keeps .bss right whatever the kernel does on a restart */
	memset(_bss_start, 0, (size_t)(_bss_end - _bss_start));

	tern_boot.app_start = app_start;
	tern_boot.mem_start = mem_start;
	tern_boot.mem_len = mem_len;
	tern_boot.app_break = app_break;

	sys_exit_terminate((uint32_t)main());
}
