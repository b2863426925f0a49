// SPDX-License-Identifier: MIT
/*
 * Fuzz target "syscalls": a byte stream decoded into system calls from two
 * to four processes, interleaved with upcall deliveries, timer ticks,
 * restarts and faults, on the host board with the unit tests' fake
 * drivers.
 *
 * A call enters the kernel the way the trap path does: syscall_fast() with
 * a0-a4 and the pc already past the ecall; when it declines
 * (ARCH_TRAP_SYSCALL, pc back on the ecall), syscall_handle(), as the run
 * loop does (kernel/main.c).  Register values come from the places a
 * hostile process would aim at (its own layout edges, the break exactly,
 * the other processes' memory, kernel data, wrapping values) or are raw.
 * After every call:
 *   - proc_check() holds for every process (and KASSERTs abort);
 *   - both flash images and a kernel canary are unchanged;
 *   - every other process's memory below its kernel break is unchanged,
 *     and its whole RAM block too unless the call switched to it (a
 *     switch may start its upcall, which pops its queue);
 *   - a call that returned to the same incarnation at the next
 *     instruction changed none of its registers but a0-a3;
 *   - a process the fast path switched to is runnable;
 *   - the fast path declines exactly the invalid classes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/console.h"
#include "kernel/hw.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "platform/boards/host/host_board.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/fakes.h"

#define MAX_OPS 512
#define NPROC_MAX (PROC_MAX < 4 ? PROC_MAX : 4)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t kernel_canary[256], canary_copy[256];
static uint8_t flash_copy[NPROC_MAX][FAKE_FLASH_SIZE];
static uint8_t ram_copy[NPROC_MAX][FAKE_RAM_SIZE];
static struct proc *procs[NPROC_MAX];
static unsigned nproc;

/* A register value: one of the interesting places, or raw bits. */
static uintptr_t hostile(struct fuzz_in *in, const struct proc *self,
			 const struct proc *other)
{
	uint8_t k = fuzz_u8(in);
	const uintptr_t pick[] = {
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
		other->kernel_break,
		other->app_flash,
		(uintptr_t)kernel_canary,
		0x10000000, /* MMIO on the boards */
		0x80000000, /* kernel on the boards */
		self->mem_start + 64 * (uintptr_t)(k >> 5),
		self->app_break + 4096,
	};

	if (k >= 0xf0)
		return (uintptr_t)fuzz_bytes(in, 8);
	if (k >= 0xe0)
		return (uintptr_t)fuzz_bytes(in, 2);
	return pick[k % (sizeof(pick) / sizeof(pick[0]))];
}

static uint32_t driver_number(struct fuzz_in *in)
{
	static const uint32_t nums[] = { FAKE_DRV_A, FAKE_DRV_B,
					 FAKE_DRV_NOGRANT, FAKE_DRV_USR,
					 FAKE_DRV_BIG, FAKE_DRV_NONE,
					 0x0, 0x1, 0x8 };

	return nums[fuzz_u8(in) % (sizeof(nums) / sizeof(nums[0]))];
}

static void snapshot(void)
{
	for (unsigned i = 0; i < nproc; i++) {
		memcpy(flash_copy[i], fake_flash[i], FAKE_FLASH_SIZE);
		memcpy(ram_copy[i], fake_ram[i], FAKE_RAM_SIZE);
	}
}

/* Make p able to take a call: resume it, or restart it when it cannot. */
static bool make_runnable(struct proc *p)
{
	if (p->state == PROC_RUNNABLE)
		return true;
	if (p->state == PROC_UNSTARTED || p->state == PROC_YIELDED ||
	    p->state == PROC_YIELDED_FOR)
		return syscall_resume(p);
	if (proc_alive(p))
		return false;
	proc_terminate(p, 0);
	if (proc_restart(p) != KERR_OK)
		return false; /* generations used up: retired */
	return syscall_resume(p);
}

/* A driver's upcall: what grant_enter() runs for deliver(). */
static enum kerr push_upcall(struct grant *g, void *ctx)
{
	const uint32_t *sub = ctx;

	return grant_upcall(g, *sub, 0x11, 0x22, 0x33);
}

static void deliver(struct fuzz_in *in, struct proc *p)
{
	uint8_t k = fuzz_u8(in);
	uint32_t sub = k & 3;
	const struct driver *d = k & 4 ? &fake_drv_b : &fake_drv_a;

	(void)grant_enter(proc_id(p), d, push_upcall, &sub);
	sched_notify(p);
}

static void one_call(struct fuzz_in *in, unsigned who, uint8_t op)
{
	struct proc *self = procs[who];
	struct proc *other = procs[(who + 1 + (op >> 6)) % nproc];
	struct arch_trap t = { ARCH_TRAP_SYSCALL, 8, 0, self };
	uintptr_t before[32], a[5], r, ecall;
	uint64_t gen;
	uint8_t c;

	if (!make_runnable(self))
		return;
	gen = self->gen;
	snapshot();
	for (unsigned i = 1; i < 32; i++)
		self->ctx.x[i] = (uintptr_t)0x5eed0000u + i * 0x101u + op;
	c = fuzz_u8(in);
	a[4] = c < 0xf8 ? c % 8 : (uintptr_t)fuzz_bytes(in, 8);
	if ((op & 0x38) == 0x38)
		a[4] = 5; /* memop: brk and sbrk get more turns */
	a[0] = fuzz_u8(in) & 1 ? driver_number(in) : hostile(in, self, other);
	if (a[4] == 5 && (op & 0x38) == 0x38)
		a[0] = op & 1;
	a[1] = fuzz_u8(in) & 1 ? fuzz_u8(in) % 4 : hostile(in, self, other);
	a[2] = hostile(in, self, other);
	a[3] = fuzz_u8(in) & 1 ? fuzz_u8(in) % 64 : hostile(in, self, other);
	for (unsigned i = 0; i < 5; i++)
		self->ctx.x[CTX_A0 + i] = a[i];
	ecall = self->app_flash + 0x40;
	self->ctx.x[CTX_PC] = ecall + 4; /* the trap entry is past it */
	memcpy(before, self->ctx.x, sizeof(before));

	r = syscall_fast(a[0], a[1], a[2], a[3], a[4], self);
	/* it declines exactly the invalid classes (the low 8 bits of a4) */
	FUZZ_CHECK((r == ARCH_TRAP_SYSCALL) == ((a[4] & 0xff) >= 8));
	if (r == ARCH_TRAP_SYSCALL) {
		/* declined: nothing changed, the pc is back on the ecall */
		FUZZ_CHECK(self->ctx.x[CTX_PC] == ecall);
		FUZZ_CHECK(self->state == PROC_RUNNABLE);
		syscall_handle(self, &t);
	} else if (r != 0 && r != ARCH_TRAP_SYSCALL_DONE) {
		const struct proc *q = (const struct proc *)r;

		FUZZ_CHECK(q >= &proc_table[0] && q < &proc_table[PROC_MAX]);
		FUZZ_CHECK(q->state == PROC_RUNNABLE);
	}

	for (unsigned i = 0; i < PROC_MAX; i++)
		proc_check(&proc_table[i]);
	FUZZ_CHECK(memcmp(kernel_canary, canary_copy,
			  sizeof(kernel_canary)) == 0);
	for (unsigned i = 0; i < nproc; i++) {
		const struct proc *q = procs[i];
		size_t below = q->kernel_break - q->mem_start;

		FUZZ_CHECK(memcmp(fake_flash[i], flash_copy[i],
				  FAKE_FLASH_SIZE) == 0);
		if (i == who)
			continue;
		FUZZ_CHECK(below <= FAKE_RAM_SIZE);
		FUZZ_CHECK(memcmp(fake_ram[i], ram_copy[i], below) == 0);
		if (r != (uintptr_t)q)
			FUZZ_CHECK(memcmp(fake_ram[i], ram_copy[i],
					  FAKE_RAM_SIZE) == 0);
	}
	if (self->gen == gen && self->state == PROC_RUNNABLE &&
	    self->ctx.x[CTX_PC] == ecall + 4)
		for (unsigned i = 1; i < 32; i++)
			if (i < CTX_A0 || i > CTX_A3)
				FUZZ_CHECK(self->ctx.x[i] == before[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	fakes_reset();
	sched_init();
	timer_reset();
	console_reset();
	memset(kernel_canary, 0x5c, sizeof(kernel_canary));
	memset(canary_copy, 0x5c, sizeof(canary_copy));
	nproc = 2 + fuzz_u8(&in) % (NPROC_MAX - 1);
	for (unsigned i = 0; i < nproc; i++) {
		memset(fake_flash[i], (int)(0x30 + i), FAKE_FLASH_SIZE);
		procs[i] = fakes_proc(i, 0);
		sched_notify(procs[i]);
	}

	for (unsigned n = 0; n < MAX_OPS && in.n > 0; n++) {
		uint8_t op = fuzz_u8(&in);
		unsigned who = (op >> 3) % nproc;
		struct proc *p = procs[who];

		switch (op & 7) {
		case 5: /* a driver queues an upcall */
			deliver(&in, p);
			break;
		case 6: /* time passes: alarms may fire */
			host_timer.now += fuzz_bytes(&in, 3);
			timer_service();
			break;
		case 7: /* restart (fault or exit) from outside the call */
			if (op & 0x40)
				proc_mark_faulted(p);
			proc_terminate(p, 0);
			if (proc_restart(p) == KERR_OK)
				sched_notify(p);
			break;
		default:
			one_call(&in, who, op);
			break;
		}
		for (unsigned i = 0; i < PROC_MAX; i++)
			proc_check(&proc_table[i]);
	}
	return 0;
}
