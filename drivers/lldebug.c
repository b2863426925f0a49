// SPDX-License-Identifier: MIT
/* Low-level debug driver (doc/abi.md §10.4); see lldebug.h. */
#include "drivers/lldebug.h"

#include <stdint.h>

#include "kernel/kprintf.h"
#include "kernel/proc/proc.h"

static cmdret_t lldebug_command(struct proc *p, uint32_t cmd,
				uintptr_t arg0, uintptr_t arg1, uintptr_t *more)
{
	/*
	 * "App" is Tock's kernel-wide identifier (doc/abi.md §8.1, §10.4),
	 * which tells processes apart; the slot generation would not (every
	 * slot's first process has generation 1).  Casts: uint32_t is unsigned
	 * long on rv32, and %x wants unsigned.
	 */
	unsigned id = (unsigned)p->app_id;
	unsigned a = (unsigned)(uint32_t)arg0;
	unsigned b = (unsigned)(uint32_t)arg1;

	(void)more;
	if (cmd == 0)
		return cmdret_ok();
	if (cmd > 3)
		return cmdret_err(KERR_NOSUPPORT);
	/* printed as 32-bit words: a wider value is INVAL (driver.h) */
	if (!driver_arg_u32(arg0) || !driver_arg_u32(arg1))
		return cmdret_err(KERR_INVAL);
	/* one line per command, its words shared (doc/design.md#footprint) */
	kprintf("LowLevelDebug: App 0x%x %s 0x%x", id,
		cmd == 1 ? "alert code" : "prints", a);
	if (cmd == 3)
		kprintf(" 0x%x", b);
	kputs("\n");
	return cmdret_ok();
}

const struct driver lldebug_driver = {
	.num = LLDEBUG_DRIVER_NUM,
	.has_grant = true,
	.upcalls = 0,
	.ro_allows = 0,
	.rw_allows = 0,
	.data_size = 0,
	.command = lldebug_command,
};
