// SPDX-License-Identifier: MIT
/* Scheduler: round-robin order, wake-up through queued tasks, idleness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/hw.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"

static struct proc *p[3];

static int setup(void **state)
{
	(void)state;
	fakes_reset();
	sched_init();
	for (unsigned i = 0; i < 3; i++) {
		p[i] = fakes_proc(i, 8192);
		sched_notify(p[i]);
	}
	return 0;
}

static void new_processes_start_through_their_entry_call(void **s)
{
	(void)s;
	for (unsigned i = 0; i < 3; i++) {
		struct proc *q = sched_next();

		assert_ptr_equal(q, p[i]);
		assert_int_equal(q->state, PROC_RUNNABLE);
		assert_int_equal(q->ctx.x[CTX_PC], q->entry);
	}
}

static void runnable_processes_take_turns(void **s)
{
	(void)s;
	for (unsigned round = 0; round < 3; round++)
		for (unsigned i = 0; i < 3; i++)
			assert_ptr_equal(sched_next(), p[i]);
}

/* every slot, the last included, is found from its bit (bit_proc()) */
static void every_slot_takes_its_turn(void **s)
{
	struct proc *all[PROC_MAX];

	(void)s;
	fakes_reset();
	sched_init();
	for (unsigned i = 0; i < PROC_MAX; i++) {
		all[i] = fakes_proc(i, 8192);
		sched_notify(all[i]);
	}
	for (unsigned round = 0; round < 2; round++)
		for (unsigned i = 0; i < PROC_MAX; i++)
			assert_ptr_equal(sched_next(), all[i]);
}

static void blocked_process_is_skipped_until_an_upcall_arrives(void **s)
{
	struct task t = { TASK_UPCALL, 0x1000, 0, 0, 0, { 1, 2, 3 } };

	(void)s;
	for (unsigned i = 0; i < 3; i++)
		(void)sched_next();
	p[1]->state = PROC_YIELDED;
	assert_ptr_equal(sched_next(), p[0]);
	assert_ptr_equal(sched_next(), p[2]);
	assert_ptr_equal(sched_next(), p[0]);
	t.fn = p[1]->app_flash;
	assert_int_equal(upcall_push(p[1], &t), KERR_OK); /* notifies */
	assert_ptr_equal(sched_next(), p[1]);
	assert_int_equal(p[1]->state, PROC_RUNNABLE);
	assert_int_equal(p[1]->ctx.x[CTX_PC], p[1]->app_flash);
}

static void nothing_runnable_gives_null(void **s)
{
	(void)s;
	for (unsigned i = 0; i < 3; i++) {
		(void)sched_next();
		p[i]->state = PROC_YIELDED;
	}
	assert_null(sched_next());
	assert_true(sched_any_alive());
}

static void dead_processes_are_never_chosen(void **s)
{
	(void)s;
	for (unsigned i = 0; i < 3; i++)
		(void)sched_next();
	proc_terminate(p[0], 0);
	proc_mark_faulted(p[2]);
	for (unsigned i = 0; i < 4; i++)
		assert_ptr_equal(sched_next(), p[1]);
	proc_terminate(p[1], 0);
	assert_null(sched_next());
	assert_false(sched_any_alive());
}

static void restarted_process_runs_again_from_its_entry(void **s)
{
	(void)s;
	for (unsigned i = 0; i < 3; i++)
		(void)sched_next();
	p[0]->state = PROC_YIELDED;
	p[2]->state = PROC_YIELDED;
	proc_terminate(p[1], 0);
	assert_int_equal(proc_restart(p[1]), KERR_OK);
	sched_notify(p[1]);
	assert_ptr_equal(sched_next(), p[1]);
	assert_int_equal(p[1]->ctx.x[CTX_PC], p[1]->entry);
}

/* Start all three, then block every one in Yield-Wait with nothing queued. */
static void all_started_and_blocked(void)
{
	for (unsigned i = 0; i < 3; i++) {
		(void)sched_next();
		p[i]->state = PROC_YIELDED;
	}
}

/*
 * A blocked yield's task resumes the process as it is queued
 * (sched_notify()): Yield-Wait starts the call, Yield-WaitFor returns the
 * values; a task it does not wait for leaves it blocked.
 */
static void a_task_resumes_a_blocked_process_as_it_is_queued(void **s)
{
	struct task t = { TASK_UPCALL, 0x1000, 0, 0, 0x55, { 1, 2, 3 } };

	(void)s;
	all_started_and_blocked();
	t.fn = p[0]->app_flash + 8;
	assert_int_equal(upcall_push(p[0], &t), KERR_OK);
	assert_int_equal(p[0]->state, PROC_RUNNABLE);
	assert_int_equal(p[0]->ctx.x[CTX_PC], p[0]->app_flash + 8);
	assert_int_equal(p[0]->ctx.x[CTX_A3], 0x55);
	assert_int_equal(upcall_count(p[0], 1u << TASK_UPCALL), 0);

	p[1]->state = PROC_YIELDED_FOR;
	p[1]->ctx.x[CTX_A1] = 0x1000;
	p[1]->ctx.x[CTX_A2] = 1;
	assert_int_equal(upcall_push(p[1], &t), KERR_OK); /* (0x1000, 0) */
	assert_int_equal(p[1]->state, PROC_YIELDED_FOR);
	t.sub = 1;
	assert_int_equal(upcall_push(p[1], &t), KERR_OK);
	assert_int_equal(p[1]->state, PROC_RUNNABLE);
	assert_int_equal(p[1]->ctx.x[CTX_A0], 1);
	assert_int_equal(p[1]->ctx.x[CTX_A2], 3);
	assert_int_equal(upcall_count(p[1], 1u << TASK_UPCALL), 1);
	/* the scheduler then just picks them, and skips the blocked p[2] */
	assert_ptr_equal(sched_next(), p[0]);
	assert_ptr_equal(sched_next(), p[1]);
	assert_ptr_equal(sched_next(), p[0]);
}

/*
 * sched_switch(): the next runnable process in round-robin order, its
 * timeslice renewed and its protection loaded, by the trap path after the
 * straight line (kernel/hw.h), else here; the caller itself if it was
 * resumed meanwhile; the run loop's turn when nothing can run.
 */
static void a_switch_picks_the_next_process_or_leaves_it_to_the_loop(
	void **s)
{
	struct task t = { TASK_UPCALL, 0x1000, 0, 0, 0, { 1, 2, 3 } };
	struct syscall_outcome o;
	unsigned loads;

	(void)s;
	all_started_and_blocked();
	p[2]->state = PROC_RUNNABLE;
	sched_notify(p[2]);
	loads = host_mpu.loads;
	o = sched_switch(p[1]);
	assert_int_equal(syscall_out_next(o), SYSCALL_SWITCH);
	assert_ptr_equal(syscall_out_proc(o), p[2]);
#if SCHED_SWITCH_LINE
	assert_int_equal(host_mpu.loads, loads); /* the trap path's */
#else
	assert_ptr_equal(host_mpu.loaded, p[2]); /* the scheduler's */
	assert_int_equal(host_mpu.loads, loads + 1);
#endif

	p[2]->state = PROC_YIELDED;
	o = sched_switch(p[2]);
	assert_int_equal(syscall_out_next(o), SYSCALL_BLOCKED);
	assert_ptr_equal(syscall_out_proc(o), p[2]);

	t.fn = p[2]->app_flash;
	assert_int_equal(upcall_push(p[2], &t), KERR_OK);
	loads = host_mpu.loads;
	o = sched_switch(p[2]);
	assert_int_equal(syscall_out_next(o), SYSCALL_UPCALL);
	assert_ptr_equal(syscall_out_proc(o), p[2]);
	assert_int_equal(host_mpu.loads, loads); /* nothing to load */
}

/*
 * sched_switch() to a runnable first candidate (its straight line, with
 * SCHED_SWITCH_LINE) gives it a timeslice: a new one, armed, when none is
 * live, else the live one renewed without touching the compare; the
 * round robin goes on after it either way.
 */
static void a_switch_renews_a_live_slice_or_arms_one(void **s)
{
	struct syscall_outcome o;
	unsigned arms;

	(void)s;
	all_started_and_blocked(); /* p[2] picked last */
	timer_slice_cancel();
	p[0]->state = PROC_RUNNABLE;
	arms = host_timer.arms;
	o = sched_switch(p[2]);
	assert_int_equal(syscall_out_next(o), SYSCALL_SWITCH);
	assert_ptr_equal(syscall_out_proc(o), p[0]);
	assert_int_equal(host_timer.arms, arms + 1); /* none was live */
	assert_false(timer_slice_expired());

	p[0]->state = PROC_YIELDED;
	p[1]->state = PROC_RUNNABLE;
	p[2]->state = PROC_RUNNABLE;
	arms = host_timer.arms;
	o = sched_switch(p[0]);
	assert_int_equal(syscall_out_next(o), SYSCALL_SWITCH);
	assert_ptr_equal(syscall_out_proc(o), p[1]); /* after p[0] */
	assert_int_equal(host_timer.arms, arms); /* renewed */
	assert_false(timer_slice_expired());
	timer_slice_cancel();
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(new_processes_start_through_their_entry_call),
		T(runnable_processes_take_turns),
		cmocka_unit_test(every_slot_takes_its_turn),
		T(blocked_process_is_skipped_until_an_upcall_arrives),
		T(nothing_runnable_gives_null),
		T(dead_processes_are_never_chosen),
		T(restarted_process_runs_again_from_its_entry),
		T(a_task_resumes_a_blocked_process_as_it_is_queued),
		T(a_switch_picks_the_next_process_or_leaves_it_to_the_loop),
		T(a_switch_renews_a_live_slice_or_arms_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
