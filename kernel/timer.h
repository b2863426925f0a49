/* SPDX-License-Identifier: MIT */
/*
 * The timer multiplexer: one hardware compare shared by the scheduler's
 * timeslice and any number of kernel clients (the alarm driver, ...).
 *
 * The board has one free-running counter and one compare
 * (board_timer_arm()).  This module keeps the set of wanted deadlines and
 * always programs the compare to the earliest of them, or to UINT64_MAX
 * ("far future") when nothing is wanted.  Deadlines are absolute, in
 * board_timer_freq() ticks of board_timer_now().
 *
 * A client is a caller-owned struct timer_client.  Arming puts it on the
 * module's list; when its deadline has passed, timer_service() takes it off
 * the list (armed becomes false) and then calls its fire() hook.  Clients
 * fire from timer_service() only, never from inside timer_client_arm(): a
 * client armed at a deadline that has already passed makes the compare fire
 * at once and runs on the next timer_service() (no recursion, no early
 * call).  fire() may arm or cancel any client, itself included; a client
 * re-armed from its own fire() at a past deadline waits for the next
 * timer_service() too, so a call always terminates.
 *
 * The slice is separate and simpler: it is never "fired", it only expires.
 * Once timer_service() has seen it expire it stops holding the compare (so
 * an expired slice cannot keep the interrupt pending while the hart idles)
 * and timer_slice_expired() keeps answering true until the slice is armed
 * again or cancelled.
 *
 * Everything runs in the kernel with interrupts masked; nothing here is
 * re-entrant and nothing needs to be.  The zero-initialised state is valid
 * (no slice, no clients), so no init call is needed at boot.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct timer_client {
	uint64_t deadline; /* absolute ticks; owned by this module once armed */
	bool armed;	   /* on the list; read-only for the owner */
	/* called from timer_service() once deadline has passed; never NULL */
	void (*fire)(struct timer_client *c);
	struct timer_client *next; /* list link, this module only */
};

/* Ticks in us microseconds, rounded up, at least 1. */
uint64_t timer_us_to_ticks(uint32_t us);

/*
 * Start a timeslice of us microseconds from now (replacing any earlier
 * slice) and reprogram the compare.
 */
void timer_slice_arm(uint32_t us);

/*
 * The slice's length in microseconds while it is live (armed and not yet
 * seen by timer_service() to expire), else 0: one load tells a switch
 * whether it can simply renew it.  timer_slice_renew_due: at the
 * deadline, begin a new slice instead.  timer.c's, but for
 * timer_slice_renew(), inline in the switch (yield-switch 3 instructions
 * fewer).
 */
extern uint32_t timer_slice_live;
extern bool timer_slice_renew_due;

/*
 * Another process runs from now, switched to without the run loop
 * (sched_switch()): like timer_slice_arm(us), but without reading the
 * clock when a slice of us microseconds is live, which a switch from a
 * running process always finds.  The live slice is marked for renewal:
 * when its deadline passes, a new slice of the same length begins then
 * instead of the old one expiring.  So the new process runs at least one
 * slice length, at most two, before it can be preempted, and the compare
 * is not touched now.
 */
static inline void timer_slice_renew(uint32_t us)
{
	/*
	 * a live slice of this length: its compare is already set (spelt
	 * out, not through timer_slice_renew_live(): with the HiFive1's
	 * -Os, GCC then lays out the renewal as the fall-through, one
	 * jump less per switch)
	 */
	if (timer_slice_live == us && us != 0) {
		timer_slice_renew_due = true;
		return;
	}
	timer_slice_arm(us);
}

/*
 * timer_slice_renew(us) when a slice of us microseconds is live (its
 * compare is already set); false, nothing done, when none is, and
 * timer_slice_arm(us) is the caller's to call: a caller that calls
 * nothing else then needs no frame (the scheduler's switch).
 */
static inline bool timer_slice_renew_live(uint32_t us)
{
	if (timer_slice_live == us && us != 0) {
		timer_slice_renew_due = true;
		return true;
	}
	return false;
}

/*
 * True when a slice is armed and its deadline has passed, and no renewal
 * was due (one that was is taken here: the new slice begins now).
 */
bool timer_slice_expired(void);

/*
 * Arm c to fire once the counter reaches deadline (absolute ticks).  An
 * armed c is moved to the new deadline; c->fire must be set.  Reprograms
 * the compare.  Requires: c stays valid while armed.
 */
void timer_client_arm(struct timer_client *c, uint64_t deadline);

/*
 * Called by the kernel after a timer interrupt or a wake-up (calling it
 * more often is harmless): notes an expired slice, fires every client whose
 * deadline has passed (earliest first), then programs the compare to the
 * earliest pending deadline of the unexpired slice and the armed clients,
 * or to UINT64_MAX when there is none.
 */
void timer_service(void);

#if defined(HOST_TEST)
/*
 * Tests only: the kernel never cancels a slice or a client (the alarm
 * driver's one client, left early, only wakes to find nothing due), and
 * its zero-initialised state is valid at boot.
 */

/* Forget the slice and reprogram the compare. */
void timer_slice_cancel(void);

/* Disarm c (no-op if it is not armed) and reprogram the compare. */
void timer_client_cancel(struct timer_client *c);

/*
 * Is any deadline still pending (an armed client, or a slice that has not
 * been seen to expire)?
 */
bool timer_any_armed(void);

/*
 * Disarm every client and the slice, and program the compare to UINT64_MAX
 * (between test cases).
 */
void timer_reset(void);
#endif
