// SPDX-License-Identifier: MIT
/*
 * Unit tests for kernel/proc/upcall.c: the per-process task queue (spec
 * doc/abi.md §4.1).  FIFO order across the ring's wrap, the full-queue drop
 * counter, liveness, and the order-keeping removals (take, cancel) that
 * Yield-WaitFor and re-subscribe rely on.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "tests/unit/fakes.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ALL_KINDS ((1u << TASK_UPCALL) | (1u << TASK_NULL) | (1u << TASK_ENTRY))

static struct task mk(uint8_t kind, uint32_t drv, uint32_t sub, uint32_t tag)
{
	struct task t = {
		.kind = kind, .drv = drv, .sub = sub,
		.fn = kind == TASK_UPCALL ? 0x100 + tag : 0,
		.userdata = tag, .arg = { tag, tag + 1, tag + 2 },
	};
	return t;
}

/* A fresh process whose entry call has been consumed: an empty queue. */
static struct proc *empty_proc(void)
{
	struct task t;
	struct proc *p;

	fakes_reset();
	p = fakes_proc(0, 0);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.kind, TASK_ENTRY);
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);
	return p;
}

static void push(struct proc *p, struct task t)
{
	assert_int_equal(upcall_push(p, &t), KERR_OK);
}

/* Pop everything and check the userdata tags, in order. */
static void expect_tags(struct proc *p, const uint32_t *tags, size_t n)
{
	struct task t;

	for (size_t i = 0; i < n; i++) {
		assert_true(upcall_pop(p, &t));
		assert_int_equal(t.userdata, tags[i]);
	}
	assert_false(upcall_pop(p, &t));
}

static void pop_returns_tasks_in_push_order_across_the_ring_wrap(void **st)
{
	struct proc *p = empty_proc();
	struct task t;
	uint32_t next_in = 0, next_out = 0;

	(void)st;
	/* keep 5 queued while 40 pass through: head wraps several times */
	for (int round = 0; round < 40; round++) {
		while (upcall_count(p, ALL_KINDS) < 5)
			push(p, mk(TASK_UPCALL, 1, 0, next_in++));
		assert_true(upcall_pop(p, &t));
		assert_int_equal(t.userdata, next_out);
		assert_int_equal(t.arg[2], next_out + 2);
		assert_int_equal(t.fn, 0x100 + next_out);
		next_out++;
	}
	assert_int_equal(p->queue->dropped, 0);
}

static void pop_on_an_empty_queue_returns_false_and_writes_nothing(void **st)
{
	struct proc *p = empty_proc();
	struct task t = mk(TASK_NULL, 7, 7, 77);

	(void)st;
	assert_false(upcall_pop(p, &t));
	assert_int_equal(t.userdata, 77);
	assert_int_equal(t.drv, 7);
}

static void a_full_queue_drops_the_newcomer_and_counts_it(void **st)
{
	struct proc *p = empty_proc();
	struct task extra = mk(TASK_UPCALL, 1, 0, 999);
	uint32_t tags[UPCALL_QUEUE_LEN];

	(void)st;
	for (uint32_t i = 0; i < UPCALL_QUEUE_LEN; i++) {
		push(p, mk(TASK_UPCALL, 1, 0, i));
		tags[i] = i;
	}
	assert_int_equal(upcall_push(p, &extra), KERR_NOMEM);
	assert_int_equal(upcall_push(p, &extra), KERR_NOMEM);
	assert_int_equal(p->queue->dropped, 2);
	assert_int_equal(upcall_count(p, ALL_KINDS), UPCALL_QUEUE_LEN);
	/* the nine that were queued are intact and in order */
	expect_tags(p, tags, UPCALL_QUEUE_LEN);
	/* room again */
	assert_int_equal(upcall_push(p, &extra), KERR_OK);
	assert_int_equal(p->queue->dropped, 2);
}

static void push_succeeds_exactly_for_alive_states(void **st)
{
	static const struct {
		uint8_t state;
		enum kerr want;
	} cases[] = {
		{ PROC_UNSTARTED, KERR_OK },
		{ PROC_RUNNABLE, KERR_OK },
		{ PROC_YIELDED, KERR_OK },
		{ PROC_YIELDED_FOR, KERR_OK },
		{ PROC_STOPPED, KERR_OK },
		{ PROC_FAULTED, KERR_INACTIVE },
		{ PROC_TERMINATED, KERR_INACTIVE },
	};
	struct task t = mk(TASK_UPCALL, 1, 0, 1);

	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct proc *p = empty_proc();
		bool taken = cases[i].state == PROC_YIELDED;

		/* Yield-WaitFor(0, 0): the task (1, 0) is not awaited */
		p->ctx.x[CTX_A1] = 0;
		p->ctx.x[CTX_A2] = 0;
		p->state = cases[i].state;
		assert_int_equal(upcall_push(p, &t), cases[i].want);
		/*
		 * queued, except that a process blocked in Yield-Wait takes it
		 * at once (sched_notify()): its upcall starts
		 */
		assert_int_equal(upcall_count(p, ALL_KINDS),
				 cases[i].want == KERR_OK && !taken ? 1 : 0);
		if (taken)
			assert_int_equal(p->state, PROC_RUNNABLE);
		/* a refused push to a dead process is not a "drop" */
		assert_int_equal(p->queue->dropped, 0);
	}
}

static void take_removes_the_first_match_keeping_the_order(
	void **st)
{
	struct proc *p = empty_proc();
	struct task t;
	static const uint32_t rest[] = { 2, 3, 5, 6 };

	(void)st;
	/* start mid-ring so the removal crosses the wrap */
	for (int i = 0; i < 6; i++) {
		push(p, mk(TASK_UPCALL, 9, 9, 100));
		assert_true(upcall_pop(p, &t));
	}
	push(p, mk(TASK_UPCALL, 1, 0, 2));
	push(p, mk(TASK_UPCALL, 1, 1, 3));
	push(p, mk(TASK_NULL, 4, 0, 4)); /* a return-value record matches */
	push(p, mk(TASK_UPCALL, 2, 0, 5));
	push(p, mk(TASK_UPCALL, 4, 0, 6));

	assert_true(upcall_take(p, 4, 0, &t));
	assert_int_equal(t.kind, TASK_NULL);
	assert_int_equal(t.userdata, 4);
	assert_int_equal(t.arg[0], 4);
	expect_tags(p, rest, ARRAY_LEN(rest));
}

static void take_without_a_match_returns_false_and_changes_nothing(void **st)
{
	struct proc *p = empty_proc();
	struct task t = mk(TASK_NULL, 7, 7, 77);
	static const uint32_t all[] = { 1, 2 };

	(void)st;
	push(p, mk(TASK_UPCALL, 1, 0, 1));
	push(p, mk(TASK_UPCALL, 0, 1, 2));
	assert_false(upcall_take(p, 1, 1, &t));
	assert_false(upcall_take(p, 0, 0, &t));
	assert_int_equal(t.userdata, 77);
	expect_tags(p, all, ARRAY_LEN(all));
}

static void take_never_hands_out_the_entry_call_as_driver_0_sub_0(void **st)
{
	struct task t;
	struct proc *p;

	(void)st;
	fakes_reset();
	p = fakes_proc(0, 0);
	assert_int_equal(upcall_count(p, 1u << TASK_ENTRY), 1);
	assert_false(upcall_take(p, 0, 0, &t));
	push(p, mk(TASK_UPCALL, 0, 0, 5));
	assert_true(upcall_take(p, 0, 0, &t));
	assert_int_equal(t.userdata, 5);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.kind, TASK_ENTRY);
}

static void cancel_removes_only_function_calls_of_that_pair(void **st)
{
	struct proc *p = empty_proc();
	static const uint32_t rest[] = { 2, 3, 5, 6 };

	(void)st;
	push(p, mk(TASK_UPCALL, 1, 0, 1));
	push(p, mk(TASK_NULL, 1, 0, 2));   /* record: stays */
	push(p, mk(TASK_UPCALL, 1, 1, 3)); /* other sub: stays */
	push(p, mk(TASK_UPCALL, 1, 0, 4));
	push(p, mk(TASK_UPCALL, 2, 0, 5)); /* other driver: stays */
	push(p, mk(TASK_NULL, 1, 0, 6));
	push(p, mk(TASK_UPCALL, 1, 0, 7));

	upcall_cancel(p, 1, 0);
	assert_int_equal(upcall_count(p, 1u << TASK_NULL), 2);
	expect_tags(p, rest, ARRAY_LEN(rest));
}

static void count_filters_by_kind_mask(void **st)
{
	struct proc *p;

	(void)st;
	fakes_reset();
	p = fakes_proc(0, 0);
	push(p, mk(TASK_UPCALL, 1, 0, 1));
	push(p, mk(TASK_NULL, 1, 0, 2));
	push(p, mk(TASK_NULL, 1, 0, 3));
	assert_int_equal(upcall_count(p, 1u << TASK_UPCALL), 1);
	assert_int_equal(upcall_count(p, 1u << TASK_NULL), 2);
	assert_int_equal(upcall_count(p, 1u << TASK_ENTRY), 1);
	assert_int_equal(upcall_count(p, ALL_KINDS), 4);
	assert_int_equal(upcall_count(p, 0), 0);
}

static void clear_empties_the_queue_and_the_drop_counter(void **st)
{
	struct proc *p = empty_proc();
	struct task t = mk(TASK_UPCALL, 1, 0, 1);

	(void)st;
	for (int i = 0; i < UPCALL_QUEUE_LEN + 3; i++)
		(void)upcall_push(p, &t);
	assert_int_equal(p->queue->dropped, 3);
	upcall_clear(p);
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);
	assert_int_equal(p->queue->dropped, 0);
	assert_false(upcall_pop(p, &t));
	/* and it is usable again from a clean state */
	push(p, mk(TASK_UPCALL, 3, 0, 42));
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.userdata, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			pop_returns_tasks_in_push_order_across_the_ring_wrap),
		cmocka_unit_test(
			pop_on_an_empty_queue_returns_false_and_writes_nothing),
		cmocka_unit_test(a_full_queue_drops_the_newcomer_and_counts_it),
		cmocka_unit_test(push_succeeds_exactly_for_alive_states),
		cmocka_unit_test(
			take_removes_the_first_match_keeping_the_order),
		cmocka_unit_test(
			take_without_a_match_returns_false_and_changes_nothing),
		cmocka_unit_test(
			take_never_hands_out_the_entry_call_as_driver_0_sub_0),
		cmocka_unit_test(
			cancel_removes_only_function_calls_of_that_pair),
		cmocka_unit_test(count_filters_by_kind_mask),
		cmocka_unit_test(clear_empties_the_queue_and_the_drop_counter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
