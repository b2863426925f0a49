// SPDX-License-Identifier: MIT
/*
 * Tern userspace: alarm driver helpers (see user/lib/alarm.h).
 */
#include "user/lib/alarm.h"

static uint32_t u32_or_zero(struct sys_return r)
{
	return r.variant == SYS_SUCCESS_U32 ? (uint32_t)r.v[0] : 0;
}

uint32_t alarm_frequency(void)
{
	return u32_or_zero(
		sys_command(ALARM_DRIVER, ALARM_CMD_FREQUENCY, 0, 0));
}

uint32_t alarm_now(void)
{
	return u32_or_zero(sys_command(ALARM_DRIVER, ALARM_CMD_NOW, 0, 0));
}

uint32_t alarm_ms_to_ticks(uint32_t ms)
{
	uint64_t t = ((uint64_t)alarm_frequency() * ms + 999) / 1000;

	return t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

static int arm(uint32_t cmd, uint32_t a, uint32_t b, sys_upcall_fn cb,
	       void *ud)
{
	struct sys_return r;

	r = sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, cb, ud);
	if (!sys_ok(r))
		return -(int)sys_err(r);
	r = sys_command(ALARM_DRIVER, cmd, a, b);
	return sys_ok(r) ? 0 : -(int)sys_err(r);
}

int alarm_arm_relative(uint32_t dt, sys_upcall_fn cb, void *ud)
{
	return arm(ALARM_CMD_ARM_RELATIVE, dt, 0, cb, ud);
}

int alarm_arm_at(uint32_t reference, uint32_t dt, sys_upcall_fn cb, void *ud)
{
	return arm(ALARM_CMD_ARM_AT, reference, dt, cb, ud);
}

int alarm_stop(void)
{
	struct sys_return r = sys_command(ALARM_DRIVER, ALARM_CMD_STOP, 0, 0);

	return sys_ok(r) ? 0 : -(int)sys_err(r);
}

static void delay_done(uint32_t now, uint32_t expiry, uint32_t unused,
		       void *ud)
{
	(void)now;
	(void)expiry;
	(void)unused;
	*(volatile int *)ud = 1;
}

int alarm_delay_ms(uint32_t ms)
{
	volatile int fired = 0;
	int rc = alarm_arm_relative(alarm_ms_to_ticks(ms), delay_done,
				    (void *)&fired);

	if (rc != 0)
		return rc;
	while (!fired)
		sys_yield_wait();
	return 0;
}
