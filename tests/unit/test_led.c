// SPDX-License-Identifier: MIT
/*
 * Unit tests for the LED driver 0x2 (drivers/led.c): every command, and a
 * count that follows the board; run against the host board's fake LEDs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/led.h"
#include "kernel/board.h"
#include "kernel/proc/proc.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes_drivers.h"

static void led_commands_follow_the_spec_table(void **st)
{
	static const struct {
		uint32_t cmd;
		uintptr_t idx;
		uint32_t variant, value; /* value: u32 or error */
		bool on[4];		 /* LED states afterwards */
	} steps[] = {
		{ 0, 0, SYS_SUCCESS_U32, 4, { 0, 0, 0, 0 } },
		{ 1, 2, SYS_SUCCESS, 0, { 0, 0, 1, 0 } },
		{ 4, 2, SYS_SUCCESS_U32, 1, { 0, 0, 1, 0 } },
		{ 4, 1, SYS_SUCCESS_U32, 0, { 0, 0, 1, 0 } },
		{ 3, 0, SYS_SUCCESS, 0, { 1, 0, 1, 0 } },
		{ 3, 2, SYS_SUCCESS, 0, { 1, 0, 0, 0 } },
		{ 2, 0, SYS_SUCCESS, 0, { 0, 0, 0, 0 } },
		{ 1, 3, SYS_SUCCESS, 0, { 0, 0, 0, 1 } },
		{ 1, 4, SYS_FAILURE, KERR_INVAL, { 0, 0, 0, 1 } },
		{ 2, 4, SYS_FAILURE, KERR_INVAL, { 0, 0, 0, 1 } },
		{ 3, 99, SYS_FAILURE, KERR_INVAL, { 0, 0, 0, 1 } },
		{ 4, 4, SYS_FAILURE, KERR_INVAL, { 0, 0, 0, 1 } },
		/* 2^32 on the 64-bit host: must not truncate onto LED 0 */
		{ 1, (uintptr_t)UINT32_MAX + 1, SYS_FAILURE, KERR_INVAL,
		  { 0, 0, 0, 1 } },
		{ 5, 0, SYS_FAILURE, KERR_NOSUPPORT, { 0, 0, 0, 1 } },
		{ 1000, 0, SYS_FAILURE, KERR_NOSUPPORT, { 0, 0, 0, 1 } },
	};
	struct proc *p;

	(void)st;
	p = mkproc(0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct sysret r = cmd(&led_driver, p, steps[i].cmd,
				      steps[i].idx, 0);

		assert_int_equal(r.variant, steps[i].variant);
		if (steps[i].variant != SYS_SUCCESS)
			assert_int_equal(r.v[0], steps[i].value);
		for (unsigned l = 0; l < 4; l++)
			assert_int_equal(host_leds.on[l], steps[i].on[l]);
	}
	assert_false(led_driver.has_grant);
}

static void led_count_follows_the_board(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	host_leds.count = 1;
	assert_u32(cmd(&led_driver, p, 0, 0, 0), 1);
	assert_failure(cmd(&led_driver, p, 1, 1, 0), KERR_INVAL);
	host_leds.count = 0;
	assert_u32(cmd(&led_driver, p, 0, 0, 0), 0);
	assert_failure(cmd(&led_driver, p, 3, 0, 0), KERR_INVAL);
	assert_int_equal(host_leds.sets, 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(led_commands_follow_the_spec_table),
		T(led_count_follows_the_board),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
