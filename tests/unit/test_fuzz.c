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
 *   - only the registers the ABI lets the kernel write changed.
 * A faulted or terminated process is restarted so the run keeps going.
 * Under ASan/UBSan (`./tern test` runs both) any wild access fails the run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/console.h"
#include "kernel/hw.h"
#include "kernel/proc/proc.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "tests/unit/fakes.h"

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
	static const uint32_t nums[] = { FAKE_DRV_A, FAKE_DRV_B,
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

static void hostile_syscalls_never_break_isolation_or_invariants(void **s)
{
	struct proc *p[2];

	(void)s;
	fakes_reset();
	timer_reset();
	console_reset();
	memset(kernel_canary, 0x5c, sizeof(kernel_canary));
	for (unsigned i = 0; i < 2; i++) {
		memset(fake_flash[i], (int)(0x30 + i), FAKE_FLASH_SIZE);
		p[i] = fakes_proc(i, 0);
		assert_true(syscall_resume(p[i]));
	}

	for (unsigned n = 0; n < CALLS; n++) {
		unsigned who = (unsigned)(next() & 1);
		struct proc *self = p[who], *other = p[!who];
		struct arch_trap t = { ARCH_TRAP_SYSCALL, 8, 0, NULL };
		uintptr_t before[32];
		uint64_t gen = self->gen;

		if (!proc_alive(self) || self->state != PROC_RUNNABLE) {
			if (self->state == PROC_YIELDED ||
			    self->state == PROC_YIELDED_FOR ||
			    self->state == PROC_UNSTARTED) {
				if (syscall_resume(self))
					continue;
			}
			proc_terminate(self, 0);
			assert_int_equal(proc_restart(self), KERR_OK);
			assert_true(syscall_resume(self));
		}
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

		syscall_handle(self, &t);

		proc_check(self);
		proc_check(other);
		assert_memory_equal(fake_flash[0], flash_copy[0],
				    FAKE_FLASH_SIZE);
		assert_memory_equal(fake_flash[1], flash_copy[1],
				    FAKE_FLASH_SIZE);
		assert_memory_equal((const void *)other->mem_start, ram_copy,
				    FAKE_RAM_SIZE);
		for (unsigned i = 0; i < sizeof(kernel_canary); i++)
			assert_int_equal(kernel_canary[i], 0x5c);
		/*
		 * A call that returned normally (same incarnation, still
		 * running, no upcall started) changed at most a0..a3 and pc.
		 */
		if (self->gen == gen && self->state == PROC_RUNNABLE &&
		    self->ctx.x[CTX_PC] == before[CTX_PC] + 4)
			for (unsigned i = 1; i < 32; i++)
				if (i < CTX_A0 || i > CTX_A3)
					assert_int_equal(self->ctx.x[i],
							 before[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			hostile_syscalls_never_break_isolation_or_invariants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
