// SPDX-License-Identifier: MIT
/*
 * Tern userspace: LED driver helpers (see user/lib/led.h).
 */
#include "user/lib/led.h"

static int u32_result(struct sys_return r)
{
	if (r.variant == SYS_SUCCESS_U32)
		return (int)r.v[0];
	return sys_ok(r) ? -SYS_EBADRVAL : -(int)sys_err(r);
}

static int plain_result(struct sys_return r)
{
	return sys_ok(r) ? 0 : -(int)sys_err(r);
}

int led_count(void)
{
	return u32_result(sys_command(LED_DRIVER, LED_CMD_COUNT, 0, 0));
}

int led_on(unsigned i)
{
	return plain_result(sys_command(LED_DRIVER, LED_CMD_ON, i, 0));
}

int led_off(unsigned i)
{
	return plain_result(sys_command(LED_DRIVER, LED_CMD_OFF, i, 0));
}

int led_toggle(unsigned i)
{
	return plain_result(sys_command(LED_DRIVER, LED_CMD_TOGGLE, i, 0));
}

int led_read(unsigned i)
{
	return u32_result(sys_command(LED_DRIVER, LED_CMD_READ, i, 0));
}
