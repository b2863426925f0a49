// SPDX-License-Identifier: MIT
/*
 * Unit tests for the timer multiplexer (kernel/timer.c): one hardware
 * compare shared by the time slice and the timer clients (the alarm
 * driver's), run against the host board's fake timer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/board.h"
#include "kernel/timer.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes_drivers.h"

static unsigned fired_order[8], nfired;

static void record_fire(struct timer_client *c);
static struct timer_client tc[3] = {
	{ .fire = record_fire }, { .fire = record_fire }, { .fire = record_fire },
};

static void record_fire(struct timer_client *c)
{
	fired_order[nfired++] = (unsigned)(c - tc);
}

static void timer_reset_record(void)
{
	nfired = 0;
	memset(fired_order, 0xff, sizeof(fired_order));
}

static void mux_arms_the_hardware_at_the_earliest_of_slice_and_clients(
	void **st)
{
	(void)st;
	timer_reset_record();
	host_timer.now = 1000;
	timer_slice_arm(1000); /* 1 ms at 10 MHz = 10000 ticks */
	assert_int_equal(host_timer.armed, 11000);

	timer_client_arm(&tc[0], 6000);
	assert_int_equal(host_timer.armed, 6000);
	timer_client_arm(&tc[1], 20000); /* later than both: no change */
	assert_int_equal(host_timer.armed, 6000);

	timer_client_cancel(&tc[0]);
	assert_false(tc[0].armed);
	assert_int_equal(host_timer.armed, 11000);
	timer_slice_cancel();
	assert_int_equal(host_timer.armed, 20000);
	timer_client_cancel(&tc[1]);
	assert_int_equal(host_timer.armed, UINT64_MAX);
	assert_false(timer_any_armed());
	assert_int_equal(nfired, 0);
}

static void mux_fires_due_clients_in_deadline_order_and_rearms(void **st)
{
	(void)st;
	timer_reset_record();
	timer_client_arm(&tc[0], 300);
	timer_client_arm(&tc[1], 100);
	timer_client_arm(&tc[2], 900);
	host_timer.now = 299; /* tc[0] is due at 300: not yet */
	timer_service();
	assert_int_equal(nfired, 1);
	assert_int_equal(fired_order[0], 1);
	assert_false(tc[1].armed);
	assert_true(tc[0].armed);
	assert_int_equal(host_timer.armed, 300);

	host_timer.now = 1000;
	timer_service();
	assert_int_equal(nfired, 3);
	assert_int_equal(fired_order[1], 0);
	assert_int_equal(fired_order[2], 2);
	assert_int_equal(host_timer.armed, UINT64_MAX);
	assert_false(timer_any_armed());
}

/* tc[0]'s hook cancels tc[1] and re-arms itself in the past. */
static void cancel_other_and_rearm_self(struct timer_client *c)
{
	record_fire(c);
	timer_client_cancel(&tc[1]);
	timer_client_arm(c, 0);
}

static void mux_hooks_may_cancel_others_and_rearm_without_recursion(void **st)
{
	(void)st;
	timer_reset_record();
	tc[0].fire = cancel_other_and_rearm_self;
	timer_client_arm(&tc[0], 10);
	timer_client_arm(&tc[1], 20);
	host_timer.now = 50;
	timer_service();
	tc[0].fire = record_fire;
	/* tc[1] was due too, but cancelled by tc[0] before its turn */
	assert_int_equal(nfired, 1);
	assert_int_equal(fired_order[0], 0);
	assert_false(tc[1].armed);
	/* re-armed in the past: the compare fires at once, next service runs it */
	assert_true(tc[0].armed);
	assert_int_equal(host_timer.armed, 0);
	timer_service();
	assert_int_equal(nfired, 2);
	assert_int_equal(host_timer.armed, UINT64_MAX);
}

/* tc[0]'s hook re-arms it once, at the deadline that has just passed. */
static void rearm_self_at_10(struct timer_client *c)
{
	record_fire(c);
	if (nfired == 1)
		timer_client_arm(c, 10);
}

/*
 * The trap path masks the timer interrupt until the compare is written
 * again, so a service after the compare fired must write it even when the
 * new earliest deadline is the value it already holds.
 */
static void mux_rewrites_a_fired_compare_even_at_the_same_deadline(void **st)
{
	unsigned arms;

	(void)st;
	timer_reset_record();
	tc[0].fire = rearm_self_at_10;
	host_timer.now = 0;
	timer_client_arm(&tc[0], 10);
	assert_int_equal(host_timer.armed, 10);
	host_timer.now = 10;
	arms = host_timer.arms;
	timer_service();
	assert_int_equal(nfired, 1);
	assert_true(tc[0].armed);
	assert_int_equal(host_timer.armed, 10);
	assert_true(host_timer.arms > arms);
	timer_service();
	tc[0].fire = record_fire;
	assert_int_equal(nfired, 2);
	assert_int_equal(host_timer.armed, UINT64_MAX);
}

/*
 * A switch arms a new slice later than the one the compare holds: the
 * compare stays (no device write per switch), fires early, finds nothing
 * due and moves to the real deadline.
 */
static void mux_slice_rearm_never_moves_the_compare_later(void **st)
{
	unsigned arms;

	(void)st;
	timer_reset_record();
	host_timer.now = 0;
	timer_slice_arm(10); /* 100 ticks */
	assert_int_equal(host_timer.armed, 100);
	host_timer.now = 50;
	arms = host_timer.arms;
	timer_slice_arm(10); /* a new slice until 150 */
	assert_int_equal(host_timer.arms, arms);
	assert_int_equal(host_timer.armed, 100);
	/* before the compare fires, a service does nothing */
	host_timer.now = 99;
	timer_service();
	assert_int_equal(host_timer.arms, arms);
	/* it fires at 100: nothing due, the compare moves to 150 */
	host_timer.now = 100;
	timer_service();
	assert_false(timer_slice_expired());
	assert_int_equal(host_timer.armed, 150);
	host_timer.now = 150;
	assert_true(timer_slice_expired());
	timer_slice_cancel();
}

/*
 * A switch made from a system call (sched_switch()) renews the live slice
 * without reading the clock or touching the compare: the next process's
 * slice begins where the old one ends, and only then is the compare
 * moved; a process that does not switch again then runs out.
 */
static void mux_renewed_slice_begins_where_the_live_one_ends(void **st)
{
	unsigned arms;

	(void)st;
	host_timer.now = 0;
	timer_slice_arm(10); /* 100 ticks */
	host_timer.now = 40;
	arms = host_timer.arms;
	timer_slice_renew(10);
	assert_int_equal(host_timer.arms, arms);
	assert_int_equal(host_timer.armed, 100);
	assert_false(timer_slice_expired());
	/* the old deadline passes: a new slice, 100 to 200 */
	host_timer.now = 100;
	timer_service();
	assert_false(timer_slice_expired());
	assert_int_equal(host_timer.armed, 200);
	host_timer.now = 199;
	assert_false(timer_slice_expired());
	host_timer.now = 200;
	assert_true(timer_slice_expired());
	timer_service();
	assert_true(timer_slice_expired());
	assert_int_equal(host_timer.armed, UINT64_MAX);
}

/* The run loop may ask before the timer interrupt is serviced. */
static void mux_a_due_renewal_is_taken_when_expiry_is_asked(void **st)
{
	(void)st;
	host_timer.now = 0;
	timer_slice_arm(10);
	timer_slice_renew(10);
	host_timer.now = 130;
	assert_false(timer_slice_expired()); /* renewed: 130 to 230 */
	timer_service();
	assert_int_equal(host_timer.armed, 230);
	host_timer.now = 230;
	assert_true(timer_slice_expired());
	timer_slice_cancel();
}

/* With no live slice (expired, cancelled, other length) it arms one. */
static void mux_renewal_without_a_live_slice_arms_one(void **st)
{
	(void)st;
	host_timer.now = 0;
	timer_slice_arm(10);
	host_timer.now = 100;
	timer_service(); /* seen to expire */
	timer_slice_renew(10);
	assert_false(timer_slice_expired());
	assert_int_equal(host_timer.armed, 200);
	host_timer.now = 150;
	timer_slice_renew(20); /* another length: armed now, 150 + 200 */
	assert_int_equal(host_timer.armed, 200);
	host_timer.now = 349;
	assert_false(timer_slice_expired());
	host_timer.now = 350;
	assert_true(timer_slice_expired());
	timer_slice_cancel();
	timer_slice_renew(10);
	assert_false(timer_slice_expired());
	host_timer.now = 450;
	assert_true(timer_slice_expired());
	timer_slice_cancel();
}

static void mux_expired_slice_stops_holding_the_compare(void **st)
{
	(void)st;
	host_timer.now = 0;
	timer_slice_arm(10); /* 100 ticks */
	assert_true(timer_any_armed());
	assert_false(timer_slice_expired());
	host_timer.now = 100;
	assert_true(timer_slice_expired());
	timer_service();
	assert_true(timer_slice_expired());
	/* an expired slice must not keep the interrupt pending while idle */
	assert_int_equal(host_timer.armed, UINT64_MAX);
	assert_false(timer_any_armed());
	timer_slice_arm(10);
	assert_false(timer_slice_expired());
	assert_int_equal(host_timer.armed, 200);
}

static void mux_converts_microseconds_rounding_up(void **st)
{
	static const struct {
		uint32_t freq, us;
		uint64_t ticks;
	} cases[] = {
		{ 10000000u, 1, 10 },	  { 10000000u, 10000, 100000 },
		{ 32768u, 1, 1 },	  { 32768u, 10000, 328 }, /* 327.68 */
		{ 32768u, 1000000, 32768 }, { 32768u, 0, 1 },
		{ 10000000u, UINT32_MAX, 42949672950ull },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		host_timer.freq = cases[i].freq;
		assert_int_equal(timer_us_to_ticks(cases[i].us), cases[i].ticks);
	}
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(mux_arms_the_hardware_at_the_earliest_of_slice_and_clients),
		T(mux_fires_due_clients_in_deadline_order_and_rearms),
		T(mux_hooks_may_cancel_others_and_rearm_without_recursion),
		T(mux_renewed_slice_begins_where_the_live_one_ends),
		T(mux_a_due_renewal_is_taken_when_expiry_is_asked),
		T(mux_renewal_without_a_live_slice_arms_one),
		T(mux_expired_slice_stops_holding_the_compare),
		T(mux_rewrites_a_fired_compare_even_at_the_same_deadline),
		T(mux_slice_rearm_never_moves_the_compare_later),
		T(mux_converts_microseconds_rounding_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
