// SPDX-License-Identifier: MIT
/*
 * Unit tests for the alarm driver 0x0 (drivers/alarm.c): tick and
 * frequency scaling, every command, upcalls with exact values, several
 * processes, restarts, and sharing the compare with the time slice; run
 * against the host board's fake timer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/alarm.h"
#include "kernel/board.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/timer.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes_drivers.h"

static void alarm_left_justifies_ticks_and_frequency(void **st)
{
	static const struct {
		unsigned width;
		uint32_t freq, user_freq;
		uint64_t hw;
		uint32_t user;
	} cases[] = {
		/* QEMU virt: 64-bit mtime at 10 MHz, truncated, unscaled */
		{ 64, 10000000u, 10000000u, 0x123456789ull, 0x23456789u },
		/* HiFive1: 64-bit mtime at 32768 Hz, truncated, unscaled */
		{ 64, 32768u, 32768u, 0xABCD00000001ull, 0x00000001u },
		/* a 32-bit counter is already left-justified */
		{ 32, 32768u, 32768u, 0xFFFFFFFFull, 0xFFFFFFFFu },
		/* a 24-bit 32768 Hz RTC: shift by 8, frequency x256 */
		{ 24, 32768u, 8388608u, 0xFFFFFFull, 0xFFFFFF00u },
		/* a 16-bit counter at 10 MHz: shift by 16 */
		{ 16, 10000000u, 10000000u << 16, 0x1234ull, 0x12340000u },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(alarm_ticks_to_user(cases[i].hw,
						     cases[i].width),
				 cases[i].user);
		assert_int_equal(alarm_freq_to_user(cases[i].freq,
						    cases[i].width),
				 cases[i].user_freq);
	}
}

static void alarm_converts_user_ticks_to_hardware_rounding_up(void **st)
{
	static const struct {
		unsigned width;
		uint32_t user;
		uint64_t hw;
	} cases[] = {
		{ 64, 0, 0 },	 { 64, 1, 1 },	   { 64, 0xFFFFFFFFu, 0xFFFFFFFFu },
		{ 24, 1, 1 },	 { 24, 256, 1 },   { 24, 257, 2 },
		{ 24, 0, 0 },	 { 24, 0xFFFFFFFFu, 0x1000000u },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(alarm_user_to_hw(cases[i].user, cases[i].width),
				 cases[i].hw);
}

static void alarm_reports_frequency_and_now_as_on_the_board(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	host_timer.freq = 32768;
	host_timer.now = 0x500000123ull;
	assert_u32(cmd(&alarm_driver, p, 1, 0, 0), 32768);
	assert_u32(cmd(&alarm_driver, p, 2, 0, 0), 0x00000123u);
	host_timer.freq = 10000000;
	assert_u32(cmd(&alarm_driver, p, 1, 0, 0), 10000000);
	/* neither needs the grant */
	assert_false(grant_allocated(p, &alarm_driver));
	assert_success(cmd(&alarm_driver, p, 0, 0, 0));
	assert_true(grant_allocated(p, &alarm_driver));
}

static void alarm_command_5_arms_relative_to_now_and_returns_expiry(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	host_timer.now = 0x200001000ull; /* user now = 0x1000 */
	assert_u32(cmd(&alarm_driver, p, 5, 0x500, 0), 0x1500);
	assert_true(grant_allocated(p, &alarm_driver));
	assert_int_equal(host_timer.armed, 0x200001500ull);
}

static void alarm_command_6_returns_reference_plus_dt_wrapping(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	host_timer.now = 0xFFFFFF00u;
	assert_u32(cmd(&alarm_driver, p, 6, 0xFFFFFF00u, 0x200), 0x100);
	/* the deadline is 0x200 ticks on, across the 32-bit wrap */
	assert_int_equal(host_timer.armed, 0x100000100ull);
	subscribe(p, &alarm_driver, 0);
	host_timer.now = 0x100000100ull;
	timer_service();
	assert_upcall(p, ALARM_DRIVER_NUM, 0, 0x100, 0x100, 0);
}

static void alarm_upcall_carries_now_and_exactly_reference_plus_dt(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &alarm_driver, 0);
	host_timer.now = 1200;
	assert_u32(cmd(&alarm_driver, p, 6, 1000, 500), 1500);
	/* served late: now is past the deadline, the second value is not */
	host_timer.now = 1650;
	timer_service();
	assert_upcall(p, ALARM_DRIVER_NUM, 0, 1650, 1500, 0);
	/* fired alarms are disarmed */
	assert_failure(cmd(&alarm_driver, p, 3, 0, 0), KERR_ALREADY);
	assert_int_equal(host_timer.armed, UINT64_MAX);
}

static void alarm_never_fires_early(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &alarm_driver, 0);
	host_timer.now = 100;
	assert_u32(cmd(&alarm_driver, p, 5, 50, 0), 150);
	/* a spurious wake-up just before the deadline delivers nothing */
	host_timer.now = 149;
	timer_service();
	assert_no_upcall(p, ALARM_DRIVER_NUM, 0);
	assert_int_equal(host_timer.armed, 150);
	host_timer.now = 150;
	timer_service();
	assert_upcall(p, ALARM_DRIVER_NUM, 0, 150, 150, 0);
}

static void alarm_already_expired_fires_on_the_next_timer_service(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &alarm_driver, 0);
	host_timer.now = 5000;
	/* window [4000, 4100) is already behind now */
	assert_u32(cmd(&alarm_driver, p, 6, 4000, 100), 4100);
	/* not delivered from inside the command ... */
	assert_no_upcall(p, ALARM_DRIVER_NUM, 0);
	/* ... but the compare is set so the interrupt comes at once */
	assert_true(host_timer.armed <= 5000);
	timer_service();
	assert_upcall(p, ALARM_DRIVER_NUM, 0, 5000, 4100, 0);
}

static void alarm_with_zero_dt_is_expired_at_once(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &alarm_driver, 0);
	host_timer.now = 77;
	assert_u32(cmd(&alarm_driver, p, 5, 0, 0), 77);
	timer_service();
	assert_upcall(p, ALARM_DRIVER_NUM, 0, 77, 77, 0);
}

static void alarm_stop_answers_already_when_none_is_armed(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &alarm_driver, 0);
	/* no grant yet, then a grant but no alarm */
	assert_failure(cmd(&alarm_driver, p, 3, 0, 0), KERR_ALREADY);
	assert_success(cmd(&alarm_driver, p, 0, 0, 0));
	assert_failure(cmd(&alarm_driver, p, 3, 0, 0), KERR_ALREADY);

	host_timer.now = 10;
	assert_u32(cmd(&alarm_driver, p, 5, 100, 0), 110);
	assert_success(cmd(&alarm_driver, p, 3, 0, 0));
	assert_failure(cmd(&alarm_driver, p, 3, 0, 0), KERR_ALREADY);
	host_timer.now = 500;
	timer_service();
	assert_no_upcall(p, ALARM_DRIVER_NUM, 0);
}

static void alarm_rearm_replaces_the_pending_alarm(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &alarm_driver, 0);
	host_timer.now = 0;
	assert_u32(cmd(&alarm_driver, p, 6, 0, 100), 100);
	assert_u32(cmd(&alarm_driver, p, 6, 0, 300), 300);
	host_timer.now = 150; /* wake-up for the superseded alarm: nothing */
	timer_service();
	assert_no_upcall(p, ALARM_DRIVER_NUM, 0);
	assert_int_equal(host_timer.armed, 300);
	host_timer.now = 300;
	timer_service();
	assert_upcall(p, ALARM_DRIVER_NUM, 0, 300, 300, 0);
	assert_no_upcall(p, ALARM_DRIVER_NUM, 0);
}

static void alarm_two_processes_fire_in_deadline_order(void **st)
{
	struct proc *a, *b;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	subscribe(a, &alarm_driver, 0);
	subscribe(b, &alarm_driver, 0);
	host_timer.now = 0;
	assert_u32(cmd(&alarm_driver, a, 5, 200, 0), 200);
	assert_u32(cmd(&alarm_driver, b, 5, 100, 0), 100);
	assert_int_equal(host_timer.armed, 100);

	host_timer.now = 100;
	timer_service();
	assert_no_upcall(a, ALARM_DRIVER_NUM, 0);
	assert_upcall(b, ALARM_DRIVER_NUM, 0, 100, 100, 0);
	assert_int_equal(host_timer.armed, 200);

	host_timer.now = 200;
	timer_service();
	assert_upcall(a, ALARM_DRIVER_NUM, 0, 200, 200, 0);
	assert_no_upcall(b, ALARM_DRIVER_NUM, 0);
	assert_int_equal(host_timer.armed, UINT64_MAX);
}

static void alarm_due_for_one_process_is_not_early_for_another(void **st)
{
	struct proc *a, *b;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	subscribe(a, &alarm_driver, 0);
	subscribe(b, &alarm_driver, 0);
	host_timer.now = 0;
	assert_u32(cmd(&alarm_driver, a, 5, 100, 0), 100);
	assert_u32(cmd(&alarm_driver, b, 5, 101, 0), 101);
	host_timer.now = 100;
	timer_service();
	assert_upcall(a, ALARM_DRIVER_NUM, 0, 100, 100, 0);
	/* one tick short of its deadline: must wait */
	assert_no_upcall(b, ALARM_DRIVER_NUM, 0);
	assert_int_equal(host_timer.armed, 101);
	host_timer.now = 101;
	timer_service();
	assert_upcall(b, ALARM_DRIVER_NUM, 0, 101, 101, 0);
}

static void alarm_of_a_restarted_process_does_not_reach_the_new_one(void **st)
{
	struct proc *p;
	struct task t;

	(void)st;
	p = mkproc(0);
	subscribe(p, &alarm_driver, 0);
	host_timer.now = 0;
	assert_u32(cmd(&alarm_driver, p, 5, 100, 0), 100);

	assert_int_equal(proc_restart(p), KERR_OK);
	assert_true(upcall_pop(p, &t)); /* the new entry call */
	/* the new incarnation uses the alarm too, but arms nothing */
	subscribe(p, &alarm_driver, 0);
	assert_success(cmd(&alarm_driver, p, 0, 0, 0));

	host_timer.now = 1000;
	timer_service();
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);
	assert_int_equal(host_timer.armed, UINT64_MAX);
}

/*
 * Command arguments arrive at full register width: on the 64-bit host (as
 * on qemu-virt-rv64) ticks above 2^32 - 1 are INVAL, never their
 * truncated alias (1 << 32 is not 0).
 */
static void alarm_refuses_ticks_wider_than_32_bits(void **st)
{
	const uintptr_t wide = (uintptr_t)UINT32_MAX + 1;
	struct proc *p;

	(void)st;
	p = mkproc(0);
	assert_success(cmd(&alarm_driver, p, 0, 0, 0));
	assert_failure(cmd(&alarm_driver, p, 5, wide | 10, 0), KERR_INVAL);
	assert_failure(cmd(&alarm_driver, p, 6, wide, 10), KERR_INVAL);
	assert_failure(cmd(&alarm_driver, p, 6, 0, wide | 10), KERR_INVAL);
	assert_int_equal(cmd(&alarm_driver, p, 5, 10, 0).variant,
			 SYS_SUCCESS_U32);
}

static void alarm_unknown_commands_are_not_supported(void **st)
{
	static const uint32_t bad[] = { 4, 7, 100, UINT32_MAX };
	struct proc *p;

	(void)st;
	p = mkproc(0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failure(cmd(&alarm_driver, p, bad[i], 1, 1),
			       KERR_NOSUPPORT);
}

static void alarm_and_slice_share_the_compare(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &alarm_driver, 0);
	host_timer.now = 0;
	timer_slice_arm(10); /* 100 ticks */
	assert_u32(cmd(&alarm_driver, p, 5, 50, 0), 50);
	assert_int_equal(host_timer.armed, 50);
	host_timer.now = 50;
	timer_service();
	assert_upcall(p, ALARM_DRIVER_NUM, 0, 50, 50, 0);
	assert_false(timer_slice_expired());
	assert_int_equal(host_timer.armed, 100);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(alarm_left_justifies_ticks_and_frequency),
		T(alarm_converts_user_ticks_to_hardware_rounding_up),
		T(alarm_reports_frequency_and_now_as_on_the_board),
		T(alarm_command_5_arms_relative_to_now_and_returns_expiry),
		T(alarm_command_6_returns_reference_plus_dt_wrapping),
		T(alarm_upcall_carries_now_and_exactly_reference_plus_dt),
		T(alarm_never_fires_early),
		T(alarm_already_expired_fires_on_the_next_timer_service),
		T(alarm_with_zero_dt_is_expired_at_once),
		T(alarm_stop_answers_already_when_none_is_armed),
		T(alarm_rearm_replaces_the_pending_alarm),
		T(alarm_two_processes_fire_in_deadline_order),
		T(alarm_due_for_one_process_is_not_early_for_another),
		T(alarm_of_a_restarted_process_does_not_reach_the_new_one),
		T(alarm_refuses_ticks_wider_than_32_bits),
		T(alarm_unknown_commands_are_not_supported),
		T(alarm_and_slice_share_the_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
