// SPDX-License-Identifier: MIT
/*
 * LED driver (doc/abi.md §10.3); see led.h.  Stateless: the board holds
 * the LEDs.
 */
#include "drivers/led.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/board.h"

static cmdret_t led_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			    uintptr_t arg1, uintptr_t *more)
{
	unsigned count = board_led_count();
	unsigned i;

	(void)p;
	(void)arg1;
	(void)more;
	if (cmd == 0)
		return cmdret_u32(count);
	if (cmd > 4)
		return cmdret_err(KERR_NOSUPPORT);
	/* compare the full register: a huge index must not truncate to 0 */
	if (arg0 >= count)
		return cmdret_err(KERR_INVAL);
	i = (unsigned)arg0;
	switch (cmd) {
	case 1:
		board_led_set(i, true);
		break;
	case 2:
		board_led_set(i, false);
		break;
	case 3:
		board_led_set(i, !board_led_get(i));
		break;
	default: /* 4 */
		return cmdret_u32(board_led_get(i) ? 1 : 0);
	}
	return cmdret_ok();
}

const struct driver led_driver = {
	.num = LED_DRIVER_NUM,
	.has_grant = false,
	.command = led_command,
};
