// SPDX-License-Identifier: MIT
/*
 * Hostile system calls, many of them: a deterministic fuzzer run as part of
 * the unit suite.  Two processes issue 200,000 system calls with register
 * values drawn from the interesting places of the address space (their own
 * layout edges, the other process's memory, kernel data, the grant region,
 * MMIO, wrapping values) and from random bits.  After every call:
 *   - every process invariant holds (proc_check, KASSERTs under HOST_TEST),
 *   - nothing outside the caller's own RAM block changed: the other process's
 *     RAM, both processes' flash images and a kernel canary are byte-for-byte
 *     what they were,
 *   - only the registers the ABI lets the kernel write changed,
 *   - memory is zero until the process writes it (tests/unit/zero_shadow.h):
 *     before each call the caller writes a secret over all it can reach,
 *     and after it, and after every restart, what either process gained
 *     reach to (a grown break, a new incarnation) and the whole block of
 *     one that died read as zero.
 * A faulted or terminated process is restarted so the run keeps going.
 * Under ASan/UBSan (`./tern test` runs both) any wild access fails the run.
 *
 * The calls go through syscall_entry(), as the trap path makes them: this
 * file is built twice, unit-fuzz with the fast path and unit-fuzz-nofast
 * without.  A second test replays the calls through the reference path
 * alone and compares the two runs call by call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/console.h"
#include "kernel/hw.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "tests/unit/fakes.h"
#include "tests/unit/state_hash.h"
#include "tests/unit/zero_shadow.h"

#define CALLS 200000u

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint8_t kernel_canary[256];
static uint8_t flash_copy[2][FAKE_FLASH_SIZE];
static uint8_t ram_copy[FAKE_RAM_SIZE];
static struct zs zs[2];

/* The zero-until-written rule for both processes (see zero_shadow.h). */
static void zero_check(struct proc *const p[2], unsigned n)
{
	for (unsigned i = 0; i < 2; i++) {
		uintptr_t bad = zs_check(&zs[i], p[i]);

		if (bad != 0)
			fail_msg("call %u: process %u byte %#lx (offset %#lx) "
				 "is %#x, never written in this incarnation",
				 n, i, (unsigned long)bad,
				 (unsigned long)(bad - p[i]->mem_start),
				 *(const uint8_t *)bad);
	}
}

/* A register value a hostile process might pass. */
static uintptr_t hostile(const struct proc *self, const struct proc *other)
{
	uintptr_t pick[] = {
		0,
		1,
		4,
		UINTPTR_MAX,
		UINTPTR_MAX - 3,
		(uintptr_t)INT32_MAX,
		(uintptr_t)INT32_MIN,
		self->mem_start,
		self->mem_start - 1,
		self->mem_start + (next() & 0x7fc),
		self->app_break,
		self->app_break - 1,
		self->app_break - 4,
		self->kernel_break,
		self->kernel_break - 1,
		self->mem_end,
		self->mem_end - 1,
		self->flash_start,
		self->app_flash,
		self->app_flash + 0x10,
		self->flash_end - 4,
		other->mem_start,
		other->app_break - 1,
		other->app_flash,
		(uintptr_t)kernel_canary,
		0x10000000,	/* MMIO on the boards */
		0x80000000,	/* kernel on the boards */
		(uintptr_t)next(),
		(uintptr_t)(next() & 0xff),
		(uintptr_t)(next() & 0xfff),
	};

	return pick[next() % (sizeof(pick) / sizeof(pick[0]))];
}

static uint32_t driver_number(void)
{
	static const uint32_t nums[] = { FAKE_DRV_A, FAKE_DRV_A, FAKE_DRV_B,
					 FAKE_DRV_NOGRANT, FAKE_DRV_USR,
					 FAKE_DRV_BIG, FAKE_DRV_NONE,
					 0x0, 0x1, 0x8 };

	return nums[next() % (sizeof(nums) / sizeof(nums[0]))];
}

static void snapshot(const struct proc *other)
{
	memcpy(flash_copy[0], fake_flash[0], FAKE_FLASH_SIZE);
	memcpy(flash_copy[1], fake_flash[1], FAKE_FLASH_SIZE);
	memcpy(ram_copy, (const void *)other->mem_start, FAKE_RAM_SIZE);
}

/*
 * The state of both processes after one call, as the differential check
 * compares it: the outcome (a fast-path switch counted as what it stands
 * for, the caller blocked and the run loop's choice made), which process
 * runs next, and each process's state, registers, memory (up to its
 * kernel break) and queued tasks.  The tasks are compared field by field:
 * the queue holds struct copies whose padding is whatever the stack held.
 */
struct step {
	uint8_t next;
	int8_t runner; /* slot of the process that runs next; -1: none */
	uint8_t state[2];
	uint64_t gen[2];
	uintptr_t app_break[2], allow_hwm[2], kernel_break[2];
	uintptr_t ctx[2][32];
	uint64_t ram;
};


/* A 64-bit hash of p's memory and its queued tasks. */
static uint64_t mem_hash(uint64_t h, const struct proc *p)
{
	const struct upcall_queue *q = p->queue;

	for (uintptr_t a = p->mem_start; a + 8 <= p->kernel_break; a += 8)
		h = state_mix(h, *(const uint64_t *)a);
	return state_hash_queue(h, q);
}

static void record(struct step *st, struct syscall_outcome o,
		   struct proc *runner, struct proc *const p[2])
{
	enum syscall_next next = syscall_out_next(o);

	memset(st, 0, sizeof(*st));
	st->next = (uint8_t)(next == SYSCALL_SWITCH ? SYSCALL_BLOCKED : next);
	st->runner = runner ? (int8_t)runner->slot : -1;
	for (unsigned i = 0; i < 2; i++) {
		st->state[i] = p[i]->state;
		st->gen[i] = p[i]->gen;
		st->app_break[i] = p[i]->app_break;
		st->allow_hwm[i] = p[i]->allow_hwm;
		st->kernel_break[i] = p[i]->kernel_break;
		memcpy(st->ctx[i], p[i]->ctx.x, sizeof(st->ctx[i]));
	}
	st->ram = mem_hash(mem_hash(0, p[0]), p[1]);
}

/* The first part of a and b that differs, or NULL. */
static const char *step_diff(const struct step *a, const struct step *b)
{
	if (a->next != b->next)
		return "the outcome";
	if (a->runner != b->runner)
		return "the process to run next";
	if (memcmp(a->state, b->state, sizeof(a->state)) != 0 ||
	    memcmp(a->gen, b->gen, sizeof(a->gen)) != 0)
		return "a process state or generation";
	if (memcmp(a->app_break, b->app_break, sizeof(a->app_break)) != 0 ||
	    memcmp(a->allow_hwm, b->allow_hwm, sizeof(a->allow_hwm)) != 0 ||
	    memcmp(a->kernel_break, b->kernel_break,
		   sizeof(a->kernel_break)) != 0)
		return "a process layout";
	if (memcmp(a->ctx, b->ctx, sizeof(a->ctx)) != 0)
		return "the registers";
	if (a->ram != b->ram)
		return "the RAM";
	return NULL;
}

/*
 * Start p with a heap, so that buffers in its RAM can be valid and the
 * allows the fast path takes are among the calls.
 */
static void start(struct proc *p)
{
	assert_int_equal(proc_brk(p, p->mem_start + 2048), KERR_OK);
	assert_true(syscall_resume(p));
}

/*
 * calls hostile system calls from a fresh kernel, through syscall_entry()
 * (the trap path's entry) or, with reference, syscall_handle() alone;
 * after each, the run loop's part (an invalid call faults the caller, a
 * caller that cannot go on lets the scheduler choose) and the isolation
 * checks.  steps: NULL, or one struct step per call to fill (check false)
 * or to compare with (check true).
 */
static void run(unsigned calls, bool reference, struct step *steps,
		bool check)
{
	struct proc *p[2];

	rng = 0x9E3779B97F4A7C15ull;
	fakes_reset();
	sched_init();
	timer_reset();
	console_reset();
	memset(kernel_canary, 0x5c, sizeof(kernel_canary));
	for (unsigned i = 0; i < 2; i++) {
		memset(fake_flash[i], (int)(0x30 + i), FAKE_FLASH_SIZE);
		p[i] = fakes_proc(i, 0);
		zs_init(&zs[i], p[i]);
		start(p[i]);
	}
	zero_check(p, 0);

	for (unsigned n = 0; n < calls; n++) {
		unsigned who = (unsigned)(next() & 1);
		struct proc *self = p[who], *other = p[!who], *runner;
		struct syscall_outcome o;
		uintptr_t before[32];
		uint64_t gen = self->gen;

		if (!proc_alive(self) || self->state != PROC_RUNNABLE) {
			if (self->state == PROC_YIELDED ||
			    self->state == PROC_YIELDED_FOR ||
			    self->state == PROC_UNSTARTED) {
				if (syscall_resume(self))
					continue;
			}
			/* the process wrote its secret before it died */
			zs_fill(self, (uint8_t)next());
			proc_terminate(self, 0);
			zero_check(p, n);
			assert_int_equal(proc_restart(self), KERR_OK);
			zero_check(p, n);
			start(self);
			zero_check(p, n);
		}
		if (next() % 4 == 0)
			zs_fill(self, (uint8_t)next());
		snapshot(other);
		for (unsigned i = 1; i < 32; i++)
			self->ctx.x[i] = (uintptr_t)next();
		self->ctx.x[CTX_PC] = self->app_flash + 0x40;
		self->ctx.x[CTX_A4] = next() % 10 == 0 ? (uintptr_t)next()
							: next() % 8;
		self->ctx.x[CTX_A0] = next() % 2 ? driver_number()
						 : hostile(self, other);
		self->ctx.x[CTX_A1] = next() % 2 ? next() % 4
						 : hostile(self, other);
		self->ctx.x[CTX_A2] = hostile(self, other);
		self->ctx.x[CTX_A3] = next() % 2 ? (uintptr_t)(next() % 64)
						 : hostile(self, other);
		memcpy(before, self->ctx.x, sizeof(before));

		o = fake_ecall(self, reference);

		proc_check(self);
		proc_check(other);
		zero_check(p, n);
		assert_memory_equal(fake_flash[0], flash_copy[0],
				    FAKE_FLASH_SIZE);
		assert_memory_equal(fake_flash[1], flash_copy[1],
				    FAKE_FLASH_SIZE);
		/*
		 * A switch resumed the next process, which may be the other:
		 * its upcall queue, in its kernel-owned top, may have changed.
		 */
		assert_memory_equal((const void *)other->mem_start, ram_copy,
				    syscall_out_next(o) == SYSCALL_SWITCH
					    ? other->kernel_break -
						      other->mem_start
					    : FAKE_RAM_SIZE);
		for (unsigned i = 0; i < sizeof(kernel_canary); i++)
			assert_int_equal(kernel_canary[i], 0x5c);
		/*
		 * A call that returned normally (same incarnation, still
		 * running, no upcall started) changed at most a0..a3 and pc.
		 */
		if (self->gen == gen && self->state == PROC_RUNNABLE &&
		    self->ctx.x[CTX_PC] == before[CTX_PC] + 4) {
			assert_int_equal(syscall_out_next(o), SYSCALL_RETURN);
			for (unsigned i = 1; i < 32; i++)
				if (i < CTX_A0 || i > CTX_A3)
					assert_int_equal(self->ctx.x[i],
							 before[i]);
		}
		/* the run loop (kernel/main.c), for what the trap path left */
		runner = syscall_out_proc(o);
		if (syscall_out_next(o) == SYSCALL_BLOCKED ||
		    syscall_out_next(o) == SYSCALL_INVALID) {
			console_service();
			runner = sched_next();
		}
		if (steps != NULL) {
			struct step now;

			record(&now, o, runner, p);
			if (!check)
				steps[n] = now;
			else if (step_diff(&now, &steps[n]) != NULL)
				fail_msg("call %u (class %#lx, a0 %#lx): the "
					 "reference path disagrees on %s",
					 n, (unsigned long)before[CTX_A4],
					 (unsigned long)before[CTX_A0],
					 step_diff(&now, &steps[n]));
		}
	}
}

static void hostile_syscalls_never_break_isolation_or_invariants(void **s)
{
	(void)s;
	run(CALLS, false, NULL, false);
}

/*
 * The differential check: the same hostile calls, from the same start,
 * through the trap path's entry (the fast path first, in unit-fuzz) and
 * through the reference path alone must leave the same registers, states
 * and memory after every call.  (In unit-fuzz-nofast both are the
 * reference path: the check then shows the run is deterministic.)
 */
#define DIFF_CALLS 20000u

static void fast_and_reference_paths_agree_after_every_call(void **s)
{
	struct step *steps = calloc(DIFF_CALLS, sizeof(*steps));

	(void)s;
	assert_non_null(steps);
	run(DIFF_CALLS, false, steps, false);
	run(DIFF_CALLS, true, steps, true);
	free(steps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			hostile_syscalls_never_break_isolation_or_invariants),
		cmocka_unit_test(
			fast_and_reference_paths_agree_after_every_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
