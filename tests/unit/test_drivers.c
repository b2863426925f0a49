// SPDX-License-Identifier: MIT
/*
 * Unit tests for the timer multiplexer (kernel/timer.c) and the portable
 * drivers (drivers/): alarm 0x0, console 0x1, LED 0x2, low-level debug 0x8
 * (spec §9), run against the real grant, upcall and process-buffer code and
 * the host board's fake UART, timer and LEDs.
 *
 * Driver commands are called through the driver structs, as the syscall
 * layer would; allows and subscribes go through the real syscall-side
 * functions.  Upcalls are read back from the process's task queue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/alarm.h"
#include "drivers/console.h"
#include "drivers/led.h"
#include "drivers/lldebug.h"
#include "kernel/allow/allow.h"
#include "kernel/board.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/timer.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"

#define BRK 2048u	      /* bytes of process RAM made accessible */
#define UPCALL_FN 0x4000u     /* a non-null upcall function address */
#define UPCALL_UD 0x77u	      /* its userdata */
#define ALL_KINDS ((1u << TASK_UPCALL) | (1u << TASK_NULL) | (1u << TASK_ENTRY))

/* ---- fixtures ---- */

static int setup(void **st)
{
	(void)st;
	fakes_reset();
	timer_reset();
	console_reset();
	return 0;
}

/* Process i, entry call consumed, BRK bytes of RAM accessible. */
static struct proc *mkproc(unsigned i)
{
	struct proc *p = fakes_proc(i, 0);
	struct task t;

	assert_true(upcall_pop(p, &t));
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	return p;
}

static uint8_t *ram(const struct proc *p, size_t off)
{
	return (uint8_t *)(p->mem_start + off);
}

static void subscribe(struct proc *p, const struct driver *d, uint32_t sub)
{
	uintptr_t of, ou;

	assert_int_equal(grant_subscribe(p, d, sub, UPCALL_FN, UPCALL_UD, &of,
					 &ou),
			 KERR_OK);
}

static void allow_text(struct proc *p, size_t off, size_t len)
{
	struct pbuf old;

	assert_int_equal(allow_ro(p, CONSOLE_DRIVER_NUM, 1,
				  p->mem_start + off, len, &old),
			 KERR_OK);
}

static void allow_rx(struct proc *p, size_t off, size_t len)
{
	struct pbuf old;

	assert_int_equal(allow_rw(p, CONSOLE_DRIVER_NUM, 1,
				  p->mem_start + off, len, &old),
			 KERR_OK);
}

/* A command straight to the driver, its result as a struct sysret. */
static struct sysret cmd(const struct driver *d, struct proc *p, uint32_t c,
			 uintptr_t a, uintptr_t b)
{
	uintptr_t more[2] = { 0, 0 };
	cmdret_t r = d->command(p, c, a, b, more);

	return (struct sysret){ cmdret_variant(r),
				{ cmdret_value(r), more[0], more[1] } };
}

static void assert_success(struct sysret r)
{
	assert_int_equal(r.variant, SYS_SUCCESS);
}

static void assert_u32(struct sysret r, uint32_t v)
{
	assert_int_equal(r.variant, SYS_SUCCESS_U32);
	assert_int_equal(r.v[0], v);
}

static void assert_failure(struct sysret r, enum kerr e)
{
	assert_int_equal(r.variant, SYS_FAILURE);
	assert_int_equal(r.v[0], e);
}

/* Take the oldest queued upcall of (drv, sub) and check its arguments. */
static void assert_upcall(struct proc *p, uint32_t drv, uint32_t sub,
			  uint32_t a0, uint32_t a1, uint32_t a2)
{
	struct task t;

	assert_true(upcall_take(p, drv, sub, &t));
	assert_int_equal(t.kind, TASK_UPCALL);
	assert_int_equal(t.fn, UPCALL_FN);
	assert_int_equal(t.userdata, UPCALL_UD);
	assert_int_equal(t.arg[0], a0);
	assert_int_equal(t.arg[1], a1);
	assert_int_equal(t.arg[2], a2);
}

static void assert_no_upcall(struct proc *p, uint32_t drv, uint32_t sub)
{
	struct task t;

	assert_false(upcall_take(p, drv, sub, &t));
}

/* ==== timer multiplexer ==== */

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

/* ==== alarm ==== */

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

/* ==== console: write ==== */

static void fill_text(struct proc *p, size_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		ram(p, off)[i] = (uint8_t)('a' + i % 26);
}

static void assert_uart_text(size_t from, const struct proc *p, size_t off,
			     size_t len)
{
	assert_true(host_uart.tx_len >= from + len);
	assert_memory_equal(host_uart.tx + from, ram(p, off), len);
}

static void console_write_sends_exactly_the_bytes_and_reports_n(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	memcpy(ram(p, 100), "Hello, Tern!\n", 13);
	allow_text(p, 100, 13);
	assert_success(cmd(&console_driver, p, 1, 13, 0));
	console_service();
	assert_int_equal(host_uart.tx_len, 13);
	assert_memory_equal(host_uart.tx, "Hello, Tern!\n", 13);
	/* exactly (bytes_written, 0, 0): no status word (spec §10 #2) */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 13, 0, 0);
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 1);
}

static void console_write_sends_min_of_count_and_buffer(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 40);
	assert_success(cmd(&console_driver, p, 1, 5, 0));
	assert_int_equal(host_uart.tx_len, 5);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 5, 0, 0);

	assert_success(cmd(&console_driver, p, 1, 1000, 0));
	assert_int_equal(host_uart.tx_len, 45);
	assert_uart_text(5, p, 0, 40);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 40, 0, 0);
}

static void console_long_write_waits_for_the_uart_interrupt(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 200);
	allow_text(p, 0, 200);
	host_uart.tx_room = 50;
	assert_success(cmd(&console_driver, p, 1, 200, 0));
	assert_int_equal(host_uart.tx_len, 50);
	assert_true(host_uart.tx_irq);
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 1);

	host_uart.tx_room = 100;
	console_uart_event();
	assert_int_equal(host_uart.tx_len, 150);
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 1);

	host_uart.tx_room = HOST_UART_UNLIMITED;
	board_irq_service(); /* the host board routes UART interrupts here */
	assert_int_equal(host_uart.tx_len, 200);
	assert_uart_text(0, p, 0, 200);
	assert_false(host_uart.tx_irq);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 200, 0, 0);
}

static void console_shrunk_buffer_ends_the_write_early(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 100);
	host_uart.tx_room = 40; /* one chunk and a bit */
	assert_success(cmd(&console_driver, p, 1, 100, 0));
	assert_int_equal(host_uart.tx_len, 40);

	/* the process shrinks the buffer to 70 bytes mid-write */
	allow_text(p, 0, 70);
	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_service();
	assert_int_equal(host_uart.tx_len, 70);
	assert_uart_text(0, p, 0, 70);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 70, 0, 0);
}

static void console_buffer_shrunk_below_what_was_sent_reports_sent(void **st)
{
	struct proc *p;
	struct pbuf old;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 100);
	host_uart.tx_room = 40;
	assert_success(cmd(&console_driver, p, 1, 100, 0));
	/* two chunks are out of the process (40 sent, 24 in the kernel) when
	 * the process unallows the buffer */
	assert_int_equal(allow_ro(p, CONSOLE_DRIVER_NUM, 1, 0, 0, &old),
			 KERR_OK);
	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_service();
	assert_int_equal(host_uart.tx_len, 2 * CONSOLE_TX_CHUNK);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 2 * CONSOLE_TX_CHUNK, 0, 0);
}

static void console_write_reissued_mid_write_starts_over(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 100);
	host_uart.tx_room = 40;
	assert_success(cmd(&console_driver, p, 1, 100, 0));
	/* 64 bytes left the process; now it asks for a 10-byte write */
	assert_success(cmd(&console_driver, p, 1, 10, 0));
	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_service();
	assert_int_equal(host_uart.tx_len, 2 * CONSOLE_TX_CHUNK + 10);
	assert_uart_text(0, p, 0, 2 * CONSOLE_TX_CHUNK);
	assert_uart_text(2 * CONSOLE_TX_CHUNK, p, 0, 10);
	/* one write-done, counting the new write only */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 10, 0, 0);
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 1);
}

static void console_write_with_nothing_allowed_reports_zero(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	assert_success(cmd(&console_driver, p, 1, 10, 0));
	assert_int_equal(host_uart.tx_len, 0);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 0, 0, 0);
}

static void console_write_of_a_restarted_writer_ends_silently(void **st)
{
	struct proc *p;
	struct task t;
	unsigned accesses;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 100);
	host_uart.tx_room = 10;
	assert_success(cmd(&console_driver, p, 1, 100, 0));
	assert_int_equal(host_uart.tx_len, 10);

	assert_int_equal(proc_restart(p), KERR_OK);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	subscribe(p, &console_driver, 1);
	allow_text(p, 0, 100);

	accesses = host_mpu.user_access_count;
	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_service();
	/* only the chunk already in the kernel went out */
	assert_int_equal(host_uart.tx_len, CONSOLE_TX_CHUNK);
	assert_int_equal(host_mpu.user_access_count, accesses);
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);

	/* and the console is free for the new incarnation */
	memcpy(ram(p, 0), "ok", 2);
	assert_success(cmd(&console_driver, p, 1, 2, 0));
	assert_int_equal(host_uart.tx_len, CONSOLE_TX_CHUNK + 2);
	assert_memory_equal(host_uart.tx + CONSOLE_TX_CHUNK, "ok", 2);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 2, 0, 0);
}

static void console_writes_of_three_processes_are_served_in_order(void **st)
{
	struct proc *a, *b, *c;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	c = mkproc(2);
	subscribe(a, &console_driver, 1);
	subscribe(b, &console_driver, 1);
	subscribe(c, &console_driver, 1);
	memset(ram(a, 0), 'A', 50);
	memset(ram(b, 0), 'B', 30);
	memset(ram(c, 0), 'C', 10);
	allow_text(a, 0, 50);
	allow_text(b, 0, 30);
	allow_text(c, 0, 10);

	host_uart.tx_room = 0; /* UART busy: everybody waits */
	assert_success(cmd(&console_driver, c, 1, 10, 0));
	assert_success(cmd(&console_driver, b, 1, 30, 0));
	assert_success(cmd(&console_driver, a, 1, 50, 0));
	/* asking again while waiting keeps b's place in the line */
	assert_success(cmd(&console_driver, b, 1, 30, 0));
	assert_int_equal(host_uart.tx_len, 0);

	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_uart_event();
	assert_int_equal(host_uart.tx_len, 90);
	/* in the order asked, whatever the slot order, never interleaved */
	for (size_t i = 0; i < 90; i++)
		assert_int_equal(host_uart.tx[i],
				 i < 10 ? 'C' : i < 40 ? 'B' : 'A');
	assert_upcall(c, CONSOLE_DRIVER_NUM, 1, 10, 0, 0);
	assert_upcall(b, CONSOLE_DRIVER_NUM, 1, 30, 0, 0);
	assert_upcall(a, CONSOLE_DRIVER_NUM, 1, 50, 0, 0);
}

static void console_write_without_subscribe_leaves_a_null_record(void **st)
{
	struct proc *p;
	struct task t;

	(void)st;
	p = mkproc(0);
	memcpy(ram(p, 0), "xyz", 3);
	allow_text(p, 0, 3);
	assert_success(cmd(&console_driver, p, 1, 3, 0));
	/* what Yield-WaitFor(1, 1) of libtock-c's printf path consumes */
	assert_true(upcall_take(p, CONSOLE_DRIVER_NUM, 1, &t));
	assert_int_equal(t.kind, TASK_NULL);
	assert_int_equal(t.arg[0], 3);
}

/* ==== console: read ==== */

static void console_read_copies_received_bytes_and_reports_n(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 500, 10);
	memset(ram(p, 500), 0, 10);
	assert_success(cmd(&console_driver, p, 2, 5, 0));
	assert_true(host_uart.rx_irq);
	host_uart_inject("abc", 3);
	console_uart_event();
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 2);
	host_uart_inject("defgh", 5);
	console_uart_event();
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, 0, 5, 0);
	assert_memory_equal(ram(p, 500), "abcde\0\0\0\0\0", 10);
	assert_false(host_uart.rx_irq);
	/* bytes beyond the read stay in the UART for the next one */
	assert_int_equal(host_uart.rx_len - host_uart.rx_head, 3);
}

static void console_read_takes_bytes_already_waiting(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 4);
	host_uart_inject("wxyz", 4);
	assert_success(cmd(&console_driver, p, 2, 100, 0)); /* min(100, 4) */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, 0, 4, 0);
	assert_memory_equal(ram(p, 0), "wxyz", 4);
}

static void console_second_reader_gets_busy(void **st)
{
	struct proc *a, *b;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	allow_rx(a, 0, 8);
	allow_rx(b, 0, 8);
	assert_success(cmd(&console_driver, a, 2, 8, 0));
	assert_failure(cmd(&console_driver, b, 2, 8, 0), KERR_BUSY);
	assert_failure(cmd(&console_driver, a, 2, 8, 0), KERR_BUSY);
}

static void console_read_longer_than_the_kernel_buffer_is_inval(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 200);
	assert_failure(cmd(&console_driver, p, 2, CONSOLE_RX_MAX + 1, 0),
		       KERR_INVAL);
	/* the refused read left the console free; exactly 64 is fine */
	assert_success(cmd(&console_driver, p, 2, CONSOLE_RX_MAX, 0));
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 2);
}

static void console_abort_completes_with_what_was_received(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 16);
	memset(ram(p, 0), '.', 16);
	assert_success(cmd(&console_driver, p, 2, 16, 0));
	host_uart_inject("hi", 2);
	assert_success(cmd(&console_driver, p, 3, 0, 0));
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, KERR_CANCEL, 2, 0);
	assert_memory_equal(ram(p, 0), "hi..", 4);
	/* nothing left to abort: still Success, no second upcall */
	assert_success(cmd(&console_driver, p, 3, 0, 0));
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 2);
	assert_false(host_uart.rx_irq);
}

static void console_read_into_a_shrunk_buffer_reports_size(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 8);
	memset(ram(p, 0), '.', 8);
	assert_success(cmd(&console_driver, p, 2, 4, 0));
	allow_rx(p, 0, 2); /* shrunk while the read is active */
	host_uart_inject("1234", 4);
	console_service();
	/* what fits is copied and counted; SIZE says bytes were dropped */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, KERR_SIZE, 2, 0);
	assert_memory_equal(ram(p, 0), "12..", 4);
}

static void console_read_into_an_unallowed_buffer_reports_size_0(void **st)
{
	struct proc *p;
	struct pbuf old;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 8);
	assert_success(cmd(&console_driver, p, 2, 4, 0));
	assert_int_equal(allow_rw(p, CONSOLE_DRIVER_NUM, 1, 0, 0, &old),
			 KERR_OK);
	host_uart_inject("1234", 4);
	console_service();
	/* an unallowed slot is an empty buffer of a live process, as in Tock */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, KERR_SIZE, 0, 0);
}

static void console_read_of_a_dead_reader_frees_the_console(void **st)
{
	struct proc *a, *b;
	struct task t;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	allow_rx(a, 0, 8);
	assert_success(cmd(&console_driver, a, 2, 8, 0));
	assert_int_equal(proc_restart(a), KERR_OK);
	assert_true(upcall_pop(a, &t));

	subscribe(b, &console_driver, 2);
	allow_rx(b, 0, 8);
	assert_success(cmd(&console_driver, b, 2, 2, 0));
	host_uart_inject("ok", 2);
	console_service();
	assert_upcall(b, CONSOLE_DRIVER_NUM, 2, 0, 2, 0);
	assert_int_equal(upcall_count(a, ALL_KINDS), 0);
}

static void console_command_0_allocates_and_others_are_not_supported(
	void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	assert_false(grant_allocated(p, &console_driver));
	assert_success(cmd(&console_driver, p, 0, 0, 0));
	assert_true(grant_allocated(p, &console_driver));
	assert_failure(cmd(&console_driver, p, 4, 0, 0), KERR_NOSUPPORT);
	assert_failure(cmd(&console_driver, p, 0xFFFF, 0, 0), KERR_NOSUPPORT);
	assert_int_equal(console_driver.upcalls, 3);
	assert_int_equal(console_driver.ro_allows, 2);
	assert_int_equal(console_driver.rw_allows, 2);
}

/* ==== LED ==== */

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

/* ==== low-level debug ==== */

static void lldebug_prints_the_exact_lines(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	/* the id is app_id, whatever the generation */
	proc_test_set_gen(p, 0x10000002Aull);
	p->app_id = 0x2b;
	assert_success(cmd(&lldebug_driver, p, 0, 0, 0));
	assert_string_equal(host_console_text(), "");
	assert_success(cmd(&lldebug_driver, p, 1, 0x1, 0));
	assert_success(cmd(&lldebug_driver, p, 2, 0xDEADBEEF, 0));
	assert_success(cmd(&lldebug_driver, p, 3, 0, 0xABCDEF));
	assert_string_equal(host_console_text(),
			    "LowLevelDebug: App 0x2b alert code 0x1\n"
			    "LowLevelDebug: App 0x2b prints 0xdeadbeef\n"
			    "LowLevelDebug: App 0x2b prints 0x0 0xabcdef\n");
}

static void lldebug_tells_processes_and_incarnations_apart(void **st)
{
	struct proc *a, *b;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	/* both are their slot's first generation, yet print different ids */
	assert_int_equal(a->gen, b->gen);
	assert_success(cmd(&lldebug_driver, a, 2, 1, 0));
	assert_success(cmd(&lldebug_driver, b, 2, 2, 0));
	assert_int_equal(proc_restart(a), KERR_OK);
	assert_success(cmd(&lldebug_driver, a, 2, 3, 0));
	assert_string_equal(host_console_text(),
			    "LowLevelDebug: App 0x0 prints 0x1\n"
			    "LowLevelDebug: App 0x1 prints 0x2\n"
			    "LowLevelDebug: App 0x2 prints 0x3\n");
}

static void lldebug_unknown_commands_are_not_supported(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	assert_failure(cmd(&lldebug_driver, p, 4, 1, 2), KERR_NOSUPPORT);
	assert_failure(cmd(&lldebug_driver, p, 0x100, 1, 2), KERR_NOSUPPORT);
	assert_string_equal(host_console_text(), "");
	assert_true(lldebug_driver.has_grant);
	assert_int_equal(lldebug_driver.upcalls + lldebug_driver.ro_allows +
				 lldebug_driver.rw_allows,
			 0);
}

static void drivers_have_their_abi_numbers(void **st)
{
	(void)st;
	assert_int_equal(alarm_driver.num, 0x0);
	assert_int_equal(console_driver.num, 0x1);
	assert_int_equal(led_driver.num, 0x2);
	assert_int_equal(lldebug_driver.num, 0x8);
	assert_int_equal(alarm_driver.upcalls, 1);
	assert_int_equal(alarm_driver.ro_allows + alarm_driver.rw_allows, 0);
	assert_ptr_equal(driver_find(ALARM_DRIVER_NUM), &alarm_driver);
	assert_ptr_equal(driver_find(CONSOLE_DRIVER_NUM), &console_driver);
	assert_ptr_equal(driver_find(LLDEBUG_DRIVER_NUM), &lldebug_driver);
}

/*
 * The lookup cache (kernel/driver.c) answers what a scan of driver_table
 * answers, whatever the order of lookups: the fakes share entries with
 * the real drivers (0x1000 and alarm's 0x0 map to entry 0, 0x1001 and the
 * console's 0x1 to entry 1, 0x2 and 0x1002 to entry 2).  It starts as at
 * boot, zeroed and then driver_slots_init(): entries 1.. hold number 0
 * (alarm's), which must not match there, nor entry 0's 1 (the console's).
 */
static const struct driver *scan(uint32_t num, unsigned *idx)
{
	for (unsigned i = 0; i < driver_count; i++) {
		if (driver_table[i]->num == num) {
			*idx = i;
			return driver_table[i];
		}
	}
	return NULL;
}

static void driver_lookup_agrees_with_a_table_scan(void **st)
{
	static const uint32_t nums[] = {
		0x0, 0x1000, 0x0, 0x1000, 0x1001, 0x1, 0x1, 0x1001, 0x2, 0x1002,
		0x2, 0x8, 0x9, 0x18, 0x10, 0x11, 0x3, 0x4, 0x5, 0x6, 0x7, 0xa,
		0xb, 0xc, 0xd, 0xe, 0xf, 0xdead, 0xffffffffu, 0x1000, 0x0,
	};

	(void)st;
	memset(driver_slots, 0, sizeof(driver_slots));
	driver_slots_init();
	for (unsigned round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
			const struct driver_slot *s = driver_lookup(nums[i]);
			unsigned idx = 0;
			const struct driver *d = scan(nums[i], &idx);

			assert_ptr_equal(driver_find(nums[i]), d);
			if (d == NULL) {
				assert_null(s);
				continue;
			}
			s = driver_lookup(nums[i]);
			assert_non_null(s);
			assert_ptr_equal(s->d, d);
			assert_int_equal(s->num, nums[i]);
			assert_int_equal(s->idx, idx);
			assert_ptr_equal(s->command, d->command);
		}
	}
	/* every driver's grant index, the shadowed LED's included */
	for (unsigned i = 0; i < driver_count; i++)
		assert_int_equal(driver_index(driver_table[i]), i);
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
		T(alarm_unknown_commands_are_not_supported),
		T(alarm_and_slice_share_the_compare),
		T(console_write_sends_exactly_the_bytes_and_reports_n),
		T(console_write_sends_min_of_count_and_buffer),
		T(console_long_write_waits_for_the_uart_interrupt),
		T(console_shrunk_buffer_ends_the_write_early),
		T(console_buffer_shrunk_below_what_was_sent_reports_sent),
		T(console_write_reissued_mid_write_starts_over),
		T(console_write_with_nothing_allowed_reports_zero),
		T(console_write_of_a_restarted_writer_ends_silently),
		T(console_writes_of_three_processes_are_served_in_order),
		T(console_write_without_subscribe_leaves_a_null_record),
		T(console_read_copies_received_bytes_and_reports_n),
		T(console_read_takes_bytes_already_waiting),
		T(console_second_reader_gets_busy),
		T(console_read_longer_than_the_kernel_buffer_is_inval),
		T(console_abort_completes_with_what_was_received),
		T(console_read_into_a_shrunk_buffer_reports_size),
		T(console_read_into_an_unallowed_buffer_reports_size_0),
		T(console_read_of_a_dead_reader_frees_the_console),
		T(console_command_0_allocates_and_others_are_not_supported),
		T(led_commands_follow_the_spec_table),
		T(led_count_follows_the_board),
		T(lldebug_prints_the_exact_lines),
		T(lldebug_tells_processes_and_incarnations_apart),
		T(lldebug_unknown_commands_are_not_supported),
		T(drivers_have_their_abi_numbers),
		T(driver_lookup_agrees_with_a_table_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
