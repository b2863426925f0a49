// SPDX-License-Identifier: MIT
/*
 * Alarm driver (doc/abi.md §10.2); see alarm.h.
 *
 * Each process's alarm lives in its grant record.  Besides what userspace
 * gave (reference, dt) the record keeps the absolute hardware deadline,
 * computed once when the alarm is armed: comparing 64-bit hardware ticks
 * never suffers from the 32-bit user counter wrapping, and computing it at
 * arm time is where the never-early rounding happens.
 *
 * One timer client serves every process.  It is armed at the earliest
 * deadline it knows of; a later re-arm or stop by a process may leave it
 * early, which only costs a wake-up that finds nothing due.  When it fires it
 * walks the process table, collects the due alarms, delivers them in
 * deadline order, and re-arms for the earliest one left.  A process that
 * restarted has a fresh (unallocated or zeroed) grant, so an alarm of its
 * previous incarnation can never reach it.
 */
#include "drivers/alarm.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/board.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/timer.h"

/* Width of board_timer_now(): mtime is 64 bits on every supported board. */
#define HW_BITS 64u

struct alarm_rec {
	uint32_t reference, dt; /* as userspace gave them (user ticks) */
	uint64_t deadline;	/* hardware ticks at which it expires */
	bool armed;
};

static void alarm_fire(struct timer_client *c);

static struct timer_client client = { .fire = alarm_fire };

uint32_t alarm_ticks_to_user(uint64_t hw_ticks, unsigned width)
{
	if (width >= 32)
		return (uint32_t)hw_ticks;
	return (uint32_t)(hw_ticks << (32 - width));
}

uint32_t alarm_freq_to_user(uint32_t hw_freq, unsigned width)
{
	if (width >= 32)
		return hw_freq;
	return hw_freq << (32 - width);
}

uint64_t alarm_user_to_hw(uint32_t user_ticks, unsigned width)
{
	unsigned shift = width >= 32 ? 0 : 32 - width;

	/*
	 * One hardware tick is 2^shift user ticks.  Rounding up means the
	 * user-visible counter has reached the target when the hardware one
	 * reaches the deadline: never early, at most one tick late.
	 */
	return ((uint64_t)user_ticks + ((1ull << shift) - 1)) >> shift;
}

/*
 * Hardware deadline of the alarm (reference, dt) seen at hardware time now:
 * now itself when the user counter is already outside
 * [reference, reference + dt), else now plus what is left, rounded up.
 */
static uint64_t deadline_of(uint64_t now, uint32_t reference, uint32_t dt)
{
	uint32_t since = alarm_ticks_to_user(now, HW_BITS) - reference;

	if (since >= dt)
		return now;
	return now + alarm_user_to_hw(dt - since, HW_BITS);
}

typedef enum kerr grant_fn(struct grant *g, void *ctx);

/*
 * grant_enter() on this driver's grant, for a process id or for p: one call
 * sequence instead of one per use (doc/design.md#footprint).
 */
static __attribute__((noinline)) enum kerr enter(const struct proc_id *id,
						 grant_fn *fn, void *ctx)
{
	return grant_enter_id(id, &alarm_driver, fn, ctx);
}

static __attribute__((noinline)) enum kerr enter_own(struct proc *p,
						     grant_fn *fn, void *ctx)
{
	return grant_enter_own(p, &alarm_driver, fn, ctx);
}

/* Keep the shared client at or before deadline. */
static void client_want(uint64_t deadline)
{
	if (!client.armed || deadline < client.deadline)
		timer_client_arm(&client, deadline);
}

/* ---- commands ---- */

struct arm_ctx {
	uint32_t reference, dt;
	uint64_t deadline; /* out */
};

static enum kerr arm_in_grant(struct grant *g, void *v)
{
	struct arm_ctx *a = v;
	struct alarm_rec *r = grant_data(g);

	a->deadline = deadline_of(board_timer_now(), a->reference, a->dt);
	r->reference = a->reference;
	r->dt = a->dt;
	r->deadline = a->deadline;
	r->armed = true;
	return KERR_OK;
}

static cmdret_t arm(struct proc *p, uint32_t reference, uint32_t dt)
{
	struct arm_ctx a = { .reference = reference, .dt = dt };
	enum kerr rc = enter_own(p, arm_in_grant, &a);

	if (rc != KERR_OK)
		return cmdret_err(rc);
	client_want(a.deadline);
	return cmdret_u32(reference + dt);
}

static enum kerr stop_in_grant(struct grant *g, void *v)
{
	struct alarm_rec *r = grant_data(g);

	(void)v;
	if (!r->armed)
		return KERR_ALREADY;
	r->armed = false;
	return KERR_OK;
}

static cmdret_t alarm_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			      uintptr_t arg1, uintptr_t *more)
{
	(void)more;
	switch (cmd) {
	case 0:
		return cmdret_status(grant_alloc(p, &alarm_driver));
	case 1:
		return cmdret_u32(
			alarm_freq_to_user(board_timer_freq(), HW_BITS));
	case 2:
		return cmdret_u32(
			alarm_ticks_to_user(board_timer_now(), HW_BITS));
	case 3:
		/* without a grant there is no alarm to stop */
		if (!grant_allocated(p, &alarm_driver))
			return cmdret_err(KERR_ALREADY);
		return cmdret_status(enter_own(p, stop_in_grant, NULL));
	case 5: /* ticks are 32-bit: a wider value is INVAL (driver.h) */
		if (!driver_arg_u32(arg0))
			return cmdret_err(KERR_INVAL);
		return arm(p, alarm_ticks_to_user(board_timer_now(), HW_BITS),
			   (uint32_t)arg0);
	case 6:
		if (!driver_arg_u32(arg0) || !driver_arg_u32(arg1))
			return cmdret_err(KERR_INVAL);
		return arm(p, (uint32_t)arg0, (uint32_t)arg1);
	default: /* 4 (old absolute set) was removed in 2.0 */
		return cmdret_err(KERR_NOSUPPORT);
	}
}

/* ---- expiry ---- */

struct due {
	struct proc_id id;
	uint64_t deadline;
};

struct scan_ctx {
	uint64_t now;
	uint64_t next; /* earliest deadline still in the future */
	struct due due[PROC_MAX];
	unsigned ndue;
};

static enum kerr scan_in_grant(struct grant *g, void *v)
{
	struct scan_ctx *s = v;
	const struct alarm_rec *r = grant_data(g);
	unsigned i;

	if (!r->armed)
		return KERR_OK;
	if (r->deadline > s->now) {
		if (r->deadline < s->next)
			s->next = r->deadline;
		return KERR_OK;
	}
	/* insertion keeps due[] sorted by deadline, slot order on ties */
	for (i = s->ndue; i > 0 && s->due[i - 1].deadline > r->deadline; i--)
		s->due[i] = s->due[i - 1];
	s->due[i].id = proc_id(grant_proc(g));
	s->due[i].deadline = r->deadline;
	s->ndue++;
	return KERR_OK;
}

static enum kerr deliver_in_grant(struct grant *g, void *v)
{
	const struct scan_ctx *s = v;
	struct alarm_rec *r = grant_data(g);

	if (!r->armed || r->deadline > s->now)
		return KERR_OK;
	r->armed = false;
	/* a full upcall queue drops the upcall; the alarm is spent anyway */
	(void)grant_upcall(g, 0, alarm_ticks_to_user(s->now, HW_BITS),
			   r->reference + r->dt, 0);
	return KERR_OK;
}

static void alarm_fire(struct timer_client *c)
{
	struct scan_ctx s = { .now = board_timer_now(), .next = UINT64_MAX };

	(void)c;
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct proc *p = &proc_table[i];

		if (!proc_alive(p) || !grant_allocated(p, &alarm_driver))
			continue;
		(void)enter_own(p, scan_in_grant, &s);
	}
	for (unsigned i = 0; i < s.ndue; i++)
		(void)enter(&s.due[i].id, deliver_in_grant, &s);
	if (s.next != UINT64_MAX)
		client_want(s.next);
}

const struct driver alarm_driver = {
	.num = ALARM_DRIVER_NUM,
	.has_grant = true,
	.upcalls = 1,
	.ro_allows = 0,
	.rw_allows = 0,
	.data_size = sizeof(struct alarm_rec),
	.command = alarm_command,
};
