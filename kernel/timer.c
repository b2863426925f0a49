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
 */
#include "kernel/timer.h"

#include <stddef.h>

#include "kernel/board.h"
#include "kernel/kassert.h"

#define FAR_FUTURE UINT64_MAX

static struct timer_client *clients; /* armed */
static struct timer_client *firing;  /* expired, fire() not called yet */
static bool in_service;		     /* inside timer_service() */

static bool slice_armed;
static bool slice_seen_expired; /* timer_service() saw the deadline pass */
static uint64_t slice_deadline;

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

/* Program the compare to the earliest pending deadline. */
static void reprogram(void)
{
	uint64_t earliest = FAR_FUTURE;

	if (slice_armed && !slice_seen_expired)
		earliest = slice_deadline;
	for (struct timer_client *c = clients; c; c = c->next)
		if (c->deadline < earliest)
			earliest = c->deadline;
	board_timer_arm(earliest);
}

uint64_t timer_now(void)
{
	return board_timer_now();
}

uint64_t timer_us_to_ticks(uint32_t us)
{
	/* both factors are below 2^32, so the product cannot overflow */
	uint64_t t = ((uint64_t)us * board_timer_freq() + 999999u) / 1000000u;

	return t ? t : 1;
}

void timer_slice_arm(uint32_t us)
{
	slice_deadline = board_timer_now() + timer_us_to_ticks(us);
	slice_armed = true;
	slice_seen_expired = false;
	if (!in_service)
		reprogram();
}

void timer_slice_cancel(void)
{
	slice_armed = false;
	slice_seen_expired = false;
	if (!in_service)
		reprogram();
}

bool timer_slice_expired(void)
{
	return slice_armed &&
	       (slice_seen_expired || board_timer_now() >= slice_deadline);
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
	if (slice_armed && now >= slice_deadline)
		slice_seen_expired = true;

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
	reprogram();
}

bool timer_any_armed(void)
{
	return clients != NULL || (slice_armed && !slice_seen_expired);
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
	slice_seen_expired = false;
	slice_deadline = 0;
	board_timer_arm(FAR_FUTURE);
}
