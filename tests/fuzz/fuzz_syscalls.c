// SPDX-License-Identifier: MIT
/*
 * Fuzz target "syscalls": a byte stream decoded into system calls from two
 * to four processes, interleaved with upcall deliveries, timer ticks,
 * restarts and faults, on the host board with the unit tests' fake
 * drivers.
 *
 * A call enters the kernel the way the trap path does: syscall_entry()
 * (the fast path first: built with CONFIG_FASTPATH=1) with a0-a4 and the
 * pc already past the ecall; then the run loop's part (kernel/main.c): an
 * invalid call faults the caller, a caller that cannot go on lets the
 * scheduler pick.  Register values come from the places a
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
 *   - exactly the invalid classes come back SYSCALL_INVALID;
 *   - memory is zero until the process writes it (tests/unit/zero_shadow.h):
 *     the caller writes a secret over all it can reach before each call,
 *     and so does a process before it is restarted from outside; after
 *     every call and every step, what any process gained reach to (a grown
 *     break, a new incarnation) and the whole block of one that died read
 *     as zero;
 *   - differential: the whole input is run a second time from the same
 *     start through the reference path alone (syscall_handle()), and
 *     after every call both runs must agree on the outcome (a switch
 *     counting as the block it stands for), the process that runs next,
 *     every process's state, generation, layout and registers, and a hash
 *     of every process's memory below its kernel break and of its queued
 *     tasks (compared field by field: a queued struct's padding is
 *     whatever the stack held).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/console.h"
#include "kernel/fastpath.h"
#include "kernel/fault.h"
#include "kernel/hw.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "platform/boards/host/host_board.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/fakes.h"

/*
 * The hash runs over up to 64 KiB after every call: it is left out of the
 * sanitizers' and the coverage instrumentation (it reads nothing but
 * process memory the checks below already cover).
 */
#define NOINSTR __attribute__((no_sanitize("address", "undefined", "coverage")))
#define STATE_HASH_ATTR NOINSTR
#include "tests/unit/state_hash.h"
#include "tests/unit/zero_shadow.h"

#define MAX_OPS 512
#define NPROC_MAX (PROC_MAX < 4 ? PROC_MAX : 4)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t kernel_canary[256], canary_copy[256];
static uint8_t flash_copy[NPROC_MAX][FAKE_FLASH_SIZE];
static uint8_t ram_copy[NPROC_MAX][FAKE_RAM_SIZE];
static struct proc *procs[NPROC_MAX];
static unsigned nproc;
static struct zs zsh[NPROC_MAX];

/* The zero-until-written rule for every process (see zero_shadow.h). */
static void zero_check(void)
{
	for (unsigned i = 0; i < nproc; i++)
		FUZZ_CHECK(zs_check(&zsh[i], procs[i]) == 0);
}

/* What the differential check compares after each call (see the top). */
struct step {
	uint8_t next;
	int8_t runner; /* slot of the process that runs next; -1: none */
	uint8_t state[NPROC_MAX];
	uint64_t gen[NPROC_MAX];
	uintptr_t app_break[NPROC_MAX], allow_hwm[NPROC_MAX];
	uintptr_t kernel_break[NPROC_MAX];
	uintptr_t ctx[NPROC_MAX][32];
	uint64_t ram;
};
static struct step steps[MAX_OPS];
static unsigned nsteps;
static bool reference; /* this run: syscall_handle() alone */

static NOINSTR uint64_t mem_hash(uint64_t h, const struct proc *p)
{
	const struct upcall_queue *q = p->queue;

	const uint64_t *w = (const uint64_t *)p->mem_start;
	size_t n = (p->kernel_break - p->mem_start) / 8, i = 0;
	uint64_t l[4] = { 1, 2, 3, 4 };

	/* four independent lanes: a long dependency chain is slow */
	for (; i + 4 <= n; i += 4)
		for (unsigned k = 0; k < 4; k++)
			l[k] = (l[k] ^ w[i + k]) * 0xff51afd7ed558ccdull;
	for (; i < n; i++)
		l[0] = (l[0] ^ w[i]) * 0xc4ceb9fe1a85ec53ull;
	for (unsigned k = 0; k < 4; k++)
		h = state_mix(h, l[k]);
	return state_hash_queue(h, q);
}

static void record(struct step *st, enum syscall_next next,
		   const struct proc *runner)
{
	memset(st, 0, sizeof(*st));
	st->next = (uint8_t)(next == SYSCALL_SWITCH ? SYSCALL_BLOCKED : next);
	st->runner = runner ? (int8_t)runner->slot : -1;
	for (unsigned i = 0; i < nproc; i++) {
		const struct proc *p = procs[i];

		st->state[i] = p->state;
		st->gen[i] = p->gen;
		st->app_break[i] = p->app_break;
		st->allow_hwm[i] = p->allow_hwm;
		st->kernel_break[i] = p->kernel_break;
		memcpy(st->ctx[i], p->ctx.x, sizeof(st->ctx[i]));
		st->ram = mem_hash(st->ram, p);
	}
}

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
	struct arch_trap t = { ARCH_TRAP_SYSCALL_INVALID, 8, 0, self };
	struct syscall_outcome o;
	enum syscall_next next;
	struct proc *runner;
	uintptr_t before[32], a[5], ecall;
	uint64_t gen;
	uint8_t c;

	if (!make_runnable(self))
		return;
	zero_check(); /* make_runnable() may have restarted it */
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
	/*
	 * Before the calls that can end the incarnation or move the break
	 * (memop, exit, an invalid class), the process writes its secret
	 * over all it reaches: every call would halve the rate.
	 */
	if (a[4] == 5 || a[4] == 6 || (a[4] & 0xff) >= 8)
		zs_fill(self, op);
	ecall = self->app_flash + 0x40;
	self->ctx.x[CTX_PC] = ecall + 4; /* the trap entry is past it */
	memcpy(before, self->ctx.x, sizeof(before));

	o = reference ? syscall_handle(self)
		      : syscall_entry(a[0], a[1], a[2], a[3], a[4], self);
	next = syscall_out_next(o);
	runner = syscall_out_proc(o);
	/* exactly the invalid classes (the low 8 bits of a4) */
	FUZZ_CHECK((next == SYSCALL_INVALID) == ((a[4] & 0xff) >= 8));
	if (next == SYSCALL_INVALID) {
		/* nothing changed, the pc is back on the ecall */
		FUZZ_CHECK(self->ctx.x[CTX_PC] == ecall);
		FUZZ_CHECK(self->state == PROC_RUNNABLE);
	}
	if (next == SYSCALL_SWITCH) {
		FUZZ_CHECK(!reference);
		FUZZ_CHECK(runner != self && runner != NULL);
		FUZZ_CHECK(runner->state == PROC_RUNNABLE);
	}
	if (next == SYSCALL_RETURN)
		FUZZ_CHECK(self->state == PROC_RUNNABLE &&
			   self->ctx.x[CTX_PC] == ecall + 4);

	for (unsigned i = 0; i < PROC_MAX; i++)
		proc_check(&proc_table[i]);
	zero_check();
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
		if (next != SYSCALL_SWITCH || runner != q)
			FUZZ_CHECK(memcmp(fake_ram[i], ram_copy[i],
					  FAKE_RAM_SIZE) == 0);
	}
	if (self->gen == gen && self->state == PROC_RUNNABLE &&
	    self->ctx.x[CTX_PC] == ecall + 4) {
		FUZZ_CHECK(next == SYSCALL_RETURN);
		for (unsigned i = 1; i < 32; i++)
			if (i < CTX_A0 || i > CTX_A3)
				FUZZ_CHECK(self->ctx.x[i] == before[i]);
	}

	/* the run loop, for what the trap path leaves to it */
	if (next == SYSCALL_INVALID)
		fault_process(self, &t, "invalid system call class");
	if (next == SYSCALL_BLOCKED || next == SYSCALL_INVALID) {
		console_service();
		runner = sched_next();
	}
	if (!reference) {
		record(&steps[nsteps++], next, runner);
	} else {
		struct step now;

		record(&now, next, runner);
		FUZZ_CHECK(memcmp(&now, &steps[nsteps++], sizeof(now)) == 0);
	}
}

/* One run of the whole input, through the entry or the reference path. */
static void run(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	fakes_reset();
	sched_init();
	timer_reset();
	console_reset();
	memset(kernel_canary, 0x5c, sizeof(kernel_canary));
	memset(canary_copy, 0x5c, sizeof(canary_copy));
	nsteps = 0;
	nproc = 2 + fuzz_u8(&in) % (NPROC_MAX - 1);
	for (unsigned i = 0; i < nproc; i++) {
		memset(fake_flash[i], (int)(0x30 + i), FAKE_FLASH_SIZE);
		procs[i] = fakes_proc(i, 0);
		zs_init(&zsh[i], procs[i]);
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
			zs_fill(p, op); /* its secret, to outlive it if it can */
			if (op & 0x40)
				proc_mark_faulted(p);
			proc_terminate(p, 0);
			zero_check();
			if (proc_restart(p) == KERR_OK)
				sched_notify(p);
			break;
		default:
			one_call(&in, who, op);
			break;
		}
		for (unsigned i = 0; i < PROC_MAX; i++)
			proc_check(&proc_table[i]);
		zero_check();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned calls;

	reference = false;
	run(data, size);
	calls = nsteps;
	reference = true;
	run(data, size);
	FUZZ_CHECK(nsteps == calls);
	return 0;
}
