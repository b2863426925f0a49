// SPDX-License-Identifier: MIT
/*
 * Tern userspace: low-level debug helpers (see user/lib/lldebug.h).
 */
#include "user/lib/lldebug.h"
#include "user/lib/sys.h"

void lldebug_alert(uint32_t code)
{
	sys_command(LLDEBUG_DRIVER, LLDEBUG_CMD_ALERT, code, 0);
}

void lldebug_print(uint32_t a)
{
	sys_command(LLDEBUG_DRIVER, LLDEBUG_CMD_PRINT1, a, 0);
}

void lldebug_print2(uint32_t a, uint32_t b)
{
	sys_command(LLDEBUG_DRIVER, LLDEBUG_CMD_PRINT2, a, b);
}
