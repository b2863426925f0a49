// SPDX-License-Identifier: MIT
/*
 * The timer multiplexer; see timer.h.
 *
 * Clients sit on an unordered singly linked list: there are few of them
 * (one per timer-using driver), so a linear scan for the earliest deadline
 * is cheaper than keeping order.  Expired clients move to a second list,
 * `firing`, sorted by deadline, before any fire() hook runs; that way a hook
 * arming or cancelling other clients never disturbs the walk, and a client
 * cancelled by an earlier hook in the same round does not fire.
 *
 * Cost notes (the scheduler calls in here on every switch and every pass
 * of its loop):
 *   - the compare is written only when its value changes (armed_at);
 *   - timer_slice_arm() never moves the compare later: when it already
 *     fires at or before the new earliest deadline it is left alone, and
 *     the early interrupt finds nothing due and reprograms.  A switch then
 *     costs no device write, at the price of at most one early interrupt
 *     per slice length;
 *   - a switch made without the run loop (timer_slice_renew()) reads no
 *     clock: it marks the live slice for renewal, and the new process's
 *     slice begins when the old one would have ended;
 *   - timer_service() returns at once while the compare has not fired
 *     (it never fires later than the earliest deadline);
 *   - the slice length in ticks is computed once per length, not per arm
 *     (it needs a 64-bit division).
 */
#include "kernel/timer.h"

#include <stddef.h>

#include "kernel/board.h"
#include "kernel/div64.h"
#include "kernel/kassert.h"

#define FAR_FUTURE UINT64_MAX

static struct timer_client *clients; /* armed */
static struct timer_client *firing;  /* expired, fire() not called yet */
static bool in_service;		     /* inside timer_service() */

static bool slice_armed;
/* timer.h: read and set by timer_slice_renew(), inline */
uint32_t timer_slice_live;
bool timer_slice_renew_due;
static uint64_t slice_deadline;

static uint64_t next_due = FAR_FUTURE;	   /* earliest pending deadline */
static uint64_t armed_at = FAR_FUTURE;	   /* what the compare holds */
static uint64_t clients_due = FAR_FUTURE; /* earliest client deadline */

/* Remove c from *head; false if it was not there. */
static bool unlink_client(struct timer_client **head, struct timer_client *c)
{
	for (struct timer_client **pp = head; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			c->next = NULL;
			return true;
		}
	}
	return false;
}

/*
 * The earliest pending deadline of the live slice and the clients.  Also
 * notes the clients' earliest, which only changes where this is called
 * next (arm, cancel, service), for timer_slice_arm().
 */
static uint64_t earliest_deadline(void)
{
	uint64_t earliest = FAR_FUTURE;

	for (struct timer_client *c = clients; c; c = c->next)
		if (c->deadline < earliest)
			earliest = c->deadline;
	clients_due = earliest;
	if (timer_slice_live && slice_deadline < earliest)
		earliest = slice_deadline;
	return earliest;
}

static void compare_set(uint64_t deadline)
{
	if (deadline != armed_at) {
		board_timer_arm(deadline);
		armed_at = deadline;
	}
}

/* Program the compare to the earliest pending deadline. */
static void reprogram(void)
{
	next_due = earliest_deadline();
	compare_set(next_due);
}

uint64_t timer_us_to_ticks(uint32_t us)
{
	/* both factors are below 2^32, so the product cannot overflow */
	uint64_t t = div64_u32((uint64_t)us * board_timer_freq() + 999999u,
			       1000000u, NULL);

	return t ? t : 1;
}

/* The slice length in ticks, converted once per length (a division). */
static uint32_t slice_us;
static uint64_t slice_ticks;

static __attribute__((noinline)) void slice_length_set(uint32_t us)
{
	slice_ticks = timer_us_to_ticks(us);
	slice_us = us;
}

void timer_slice_arm(uint32_t us)
{
	if (us != slice_us || slice_ticks == 0)
		slice_length_set(us);
	slice_deadline = board_timer_now() + slice_ticks;
	timer_slice_renew_due = false;
	slice_armed = true;
	timer_slice_live = us != 0 ? us : UINT32_MAX; /* never 0 while live */
	if (in_service)
		return; /* timer_service() reprograms when it is done */
	next_due = slice_deadline < clients_due ? slice_deadline : clients_due;
	/* an early compare stays: see the cost notes at the top */
	if (armed_at > next_due)
		compare_set(next_due);
}

/*
 * The slice's deadline has passed (now >= slice_deadline): begin the
 * renewed slice if one is due and say so, else say the slice has run out.
 * Out of line: two callers, neither on a system call's path
 * (doc/design.md#footprint).
 */
static __attribute__((noinline)) bool slice_due_renewal(uint64_t now)
{
	if (!timer_slice_renew_due)
		return false;
	timer_slice_renew_due = false;
	slice_deadline = now + slice_ticks;
	return true;
}

bool timer_slice_expired(void)
{
	uint64_t now;

	if (!slice_armed)
		return false;
	if (!timer_slice_live)
		return true; /* seen to expire */
	now = board_timer_now();
	/*
	 * A renewal taken here moves the deadline later; the compare, at or
	 * before the old one, has fired or fires at once, and the next
	 * timer_service() moves it to the new one.
	 */
	return now >= slice_deadline && !slice_due_renewal(now);
}

void timer_client_arm(struct timer_client *c, uint64_t deadline)
{
	KASSERT(c->fire != NULL);
	/* a pending fire of the old deadline is superseded */
	unlink_client(&firing, c);
	if (!c->armed) {
		c->next = clients;
		clients = c;
		c->armed = true;
	}
	c->deadline = deadline;
	if (!in_service)
		reprogram();
}

/* Insert c into `firing`, keeping it sorted by deadline (stable). */
static void firing_insert(struct timer_client *c)
{
	struct timer_client **pp = &firing;

	while (*pp && (*pp)->deadline <= c->deadline)
		pp = &(*pp)->next;
	c->next = *pp;
	*pp = c;
}

void timer_service(void)
{
	uint64_t now = board_timer_now();
	struct timer_client **pp = &clients;

	KASSERT(!in_service);
	/*
	 * The compare never fires later than the earliest deadline
	 * (armed_at <= next_due): if it has not fired yet, nothing is due
	 * and the interrupt is still enabled.
	 */
	KASSERT(armed_at <= next_due);
	if (now < armed_at)
		return;
	if (timer_slice_live && now >= slice_deadline &&
	    !slice_due_renewal(now))
		timer_slice_live = 0; /* seen to expire */

	/* Detach every expired client before running any hook. */
	while (*pp) {
		struct timer_client *c = *pp;

		if (c->deadline <= now) {
			*pp = c->next;
			c->armed = false;
			firing_insert(c);
		} else {
			pp = &c->next;
		}
	}

	in_service = true;
	while (firing) {
		struct timer_client *c = firing;

		firing = c->next;
		c->next = NULL;
		c->fire(c);
	}
	in_service = false;
	/*
	 * The compare has fired (now >= armed_at), and the trap path masks
	 * the timer interrupt until the compare is written again: write it
	 * even when the earliest deadline is the value it already holds (a
	 * client re-armed from its hook at the deadline that just passed).
	 */
	next_due = earliest_deadline();
	board_timer_arm(next_due);
	armed_at = next_due;
}

#if defined(HOST_TEST)
/* Tests only (see timer.h). */

void timer_slice_cancel(void)
{
	slice_armed = false;
	timer_slice_live = 0;
	timer_slice_renew_due = false;
	if (!in_service)
		reprogram();
}

void timer_client_cancel(struct timer_client *c)
{
	unlink_client(&firing, c);
	if (c->armed) {
		unlink_client(&clients, c);
		c->armed = false;
	}
	if (!in_service)
		reprogram();
}

bool timer_any_armed(void)
{
	return clients != NULL || timer_slice_live != 0;
}

void timer_reset(void)
{
	while (clients) {
		struct timer_client *c = clients;

		clients = c->next;
		c->next = NULL;
		c->armed = false;
	}
	firing = NULL;
	in_service = false;
	slice_armed = false;
	timer_slice_live = 0;
	timer_slice_renew_due = false;
	slice_deadline = 0;
	next_due = FAR_FUTURE;
	armed_at = FAR_FUTURE;
	clients_due = FAR_FUTURE;
	board_timer_arm(FAR_FUTURE);
}
#endif
