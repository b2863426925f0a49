// SPDX-License-Identifier: MIT
/*
 * QEMU scenario fuzz_target, first process: an on-target fuzzer.  It
 * issues CALLS hostile system calls (every class, arguments drawn from
 * addresses on every side of every line: its own buffers, flash, break
 * and grant region, the bystander's RAM and flash, the kernel, devices,
 * 0, all ones, random words) from a xorshift generator seeded with SEED,
 * which it prints first: the same seed replays the same calls.
 *
 * After every call it checks what it can see: the guard bytes around its
 * scratch buffer (the only own memory the kernel may be told to write), a
 * valid return variant, and that every allow or brk naming memory that is
 * not its own was refused.  The kernel must never panic (tests/qemu/run)
 * and the bystander (bystander.c) must never notice.
 *
 * What it leaves out, because it would end or block itself, not test the
 * kernel: exit-terminate and exit-restart (an invalid exit kind is sent
 * instead), Yield-Wait and Yield-WaitFor (no upcall may come: Yield-NoWait
 * instead), brk or sbrk below its heap (its own data), system-call classes
 * above 7 (a fault by definition), and driver commands that print
 * (console write, LED changes, low-level debug), whose output would drown
 * the console.
 */
#include <string.h>

#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#ifndef SEED
#define SEED 0x7e51f00du
#endif
#ifndef CALLS
#define CALLS 100000u
#endif

#define GUARD 0xa5
#define SCRATCH 256

/* scratch: what RW allows and Yield-NoWait flags may name */
static struct {
	uint8_t before[32];
	uint8_t buf[SCRATCH];
	uint8_t after[32];
} area;

static uint64_t state = SEED;

/* xorshift64: the whole run follows from SEED */
static uint64_t rnd(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static unsigned upcalls;

static void upcall(uint32_t a, uint32_t b, uint32_t c, void *ud)
{
	(void)a;
	(void)b;
	(void)c;
	(void)ud;
	upcalls++;
}

static uintptr_t heap_base; /* what brk may not go below */

/* An address from every side of every line. */
static uintptr_t addr(void)
{
	uintptr_t brk = (uintptr_t)sys_sbrk(0);
	uintptr_t r = (uintptr_t)rnd();

	switch (rnd() % 16) {
	case 0:
		return 0;
	case 1:
		return ~(uintptr_t)0 - (r % 16);
	case 2:
		return (uintptr_t)area.buf + r % SCRATCH;
	case 3:
		return (uintptr_t)_flash_origin + r % 64;
	case 4:
		return tern_boot.mem_start + r % 64;
	case 5:
		return brk - 8 + r % 16;
	case 6:
		return sys_memop(MEMOP_GRANT_START, 0).v[0] - 4 + r % 64;
	case 7:
		return tern_boot.mem_start + tern_boot.mem_len - r % 64;
	case 8:
		return PEER_RAM + r % 256;
	case 9:
		return PEER_FLASH + r % 256;
	case 10:
		return KERNEL_RAM + r % 4096;
	case 11:
		return 0x10000000u + r % 64; /* a UART on every board */
	case 12:
		return (uintptr_t)_flash_end - r % 64;
	default:
		return r;
	}
}

static uintptr_t len(void)
{
	uintptr_t r = (uintptr_t)rnd();

	switch (rnd() % 8) {
	case 0:
		return 0;
	case 1:
		return 1 + r % 8;
	case 2:
		return r % SCRATCH;
	case 3:
		return ~(uintptr_t)0 - r % 16;
	case 4:
		return (uintptr_t)1 << (r % (8 * sizeof(uintptr_t)));
	case 5:
		return PEER_RAM - tern_boot.mem_start + r % 64;
	default:
		return r % 4096;
	}
}

/* [a, a + n) inside [lo, hi), overflow-safe */
static bool inside(uintptr_t a, uintptr_t n, uintptr_t lo, uintptr_t hi)
{
	return a >= lo && a <= hi && n <= hi - a;
}

/* Own memory the kernel may be told to write: the scratch buffer only. */
static bool writable_ok(uintptr_t a, uintptr_t n)
{
	if (inside(a, n, (uintptr_t)area.buf, (uintptr_t)area.buf + SCRATCH))
		return true;
	/* other own RAM: the fuzzer's own state; never hand it out */
	return !(a + n > tern_boot.mem_start &&
		 a < tern_boot.mem_start + tern_boot.mem_len);
}

static uintptr_t flash_lo, flash_hi; /* its TBF, as memop 4 and 5 say */

/* End of its RAM record: the break rounded up to the granule. */
static uintptr_t ram_end(void)
{
	uintptr_t b = (uintptr_t)sys_sbrk(0);

	return (b + GRANULE - 1) & ~(uintptr_t)(GRANULE - 1);
}

static const uint32_t drivers[] = { 0, 1, 2, 8, 0x90057, 0x900be };

/* Commands that print (see the top of the file). */
static bool prints(uint32_t drv, uint32_t cmd)
{
	return (drv == 1 && cmd == 1) || (drv == 2 && cmd >= 1 && cmd <= 3) ||
	       (drv == 8 && cmd >= 1 && cmd <= 3);
}

static bool variant_ok(uint32_t v)
{
	return v <= 5 || (v >= 128 && v <= 137);
}

int main(void)
{
	unsigned bad = 0, refused = 0, failures = 0;
	uint32_t calls = 0;

	heap_base = (uintptr_t)sys_sbrk(0);
	flash_lo = sys_memop(MEMOP_FLASH_START, 0).v[0];
	flash_hi = sys_memop(MEMOP_FLASH_END, 0).v[0];
	memset(area.before, GUARD, sizeof(area.before));
	memset(area.after, GUARD, sizeof(area.after));
	tern_printf("fuzz: seed 0x%llx, %u calls\n", (unsigned long long)SEED,
		    (unsigned)CALLS);

	while (calls < CALLS) {
		uintptr_t a0 = (uintptr_t)rnd(), a1 = addr(), a2 = len(),
			  a3 = (uintptr_t)rnd();
		uint32_t cls = (uint32_t)(rnd() % 8), drv;
		bool must_fail = false;
		struct sys_return r;

		drv = rnd() % 4 ? drivers[rnd() % 6] : (uint32_t)rnd();
		switch (cls) {
		case SYS_YIELD:
			a0 = SYS_YIELD_NO_WAIT;
			if (!writable_ok(a1, 1))
				a1 = (uintptr_t)area.buf + a2 % SCRATCH;
			break;
		case SYS_SUBSCRIBE:
			a0 = drv;
			a1 %= 4;
			/*
			 * The alarm, which the fuzzing arms, always gets a
			 * function: with none its expiries stay queued as
			 * Yield-WaitFor records, which only that yield
			 * takes, and fill the queue (see the end of main).
			 */
			a2 = drv == 0 || rnd() % 2 ? (uintptr_t)upcall : 0;
			break;
		case SYS_COMMAND:
			a0 = drv;
			a1 %= 8;
			if (prints(drv, (uint32_t)a1))
				continue;
			a2 = addr();
			a3 = len();
			break;
		case SYS_ALLOW_RW:
		case SYS_ALLOW_USERSPACE:
		case SYS_ALLOW_RO:
			a0 = drv;
			a1 %= 4;
			a2 = addr();
			a3 = len();
			if (cls != SYS_ALLOW_RO && !writable_ok(a2, a3))
				a2 = (uintptr_t)area.buf;
			/*
			 * Nothing outside its own RAM record (the break
			 * rounded to the granule) and, read-only, its TBF is
			 * its own.
			 */
			must_fail = a3 != 0 &&
				    !inside(a2, a3, tern_boot.mem_start,
					    ram_end()) &&
				    (cls != SYS_ALLOW_RO ||
				     !inside(a2, a3, flash_lo, flash_hi));
			break;
		case SYS_MEMOP:
			a0 %= 12;
			if (a0 == MEMOP_BRK) {
				a1 = addr();
				if (a1 < heap_base &&
				    a1 >= tern_boot.mem_start)
					a1 = heap_base + a1 % 64;
				must_fail = a1 < tern_boot.mem_start ||
					    a1 >= tern_boot.mem_start +
							  tern_boot.mem_len;
			} else if (a0 == MEMOP_SBRK) {
				intptr_t inc = (intptr_t)(rnd() % 512) - 256;
				uintptr_t b = (uintptr_t)sys_sbrk(0);

				if (b + (uintptr_t)inc < heap_base)
					inc = 0;
				a1 = (uintptr_t)inc;
			}
			break;
		case SYS_EXIT:
			a0 = 2 + a0 % 1000; /* no such exit kind */
			break;
		}
		r = sys_raw(cls, a0, a1, a2, a3);
		calls++;
		if (!variant_ok(r.variant) && cls != SYS_YIELD) {
			if (!bad++)
				ktest_check(false, "call %u (class %u): "
					    "variant %u", (unsigned)calls,
					    (unsigned)cls,
					    (unsigned)r.variant);
		}
		if (must_fail) {
			refused++;
			if (sys_ok(r) && !bad++)
				ktest_check(false, "call %u (class %u, %lx+%lx)"
					    " not refused", (unsigned)calls,
					    (unsigned)cls, (unsigned long)a2,
					    (unsigned long)a3);
		}
		if (!sys_ok(r))
			failures++;
		for (unsigned i = 0; i < sizeof(area.before); i++)
			if ((area.before[i] != GUARD ||
			     area.after[i] != GUARD) && !bad++)
				ktest_check(false, "call %u: guard byte %u "
					    "changed", (unsigned)calls, i);
		if (bad)
			break;
	}
	/*
	 * Give back what was allowed, so nothing points at scratch, stop
	 * the alarm and run what it queued: a full upcall queue would have
	 * no room for the console's write-done upcall, which the prints
	 * below wait for (a full queue drops an upcall; that costs this
	 * process only).
	 */
	alarm_stop();
	sys_command(1, 3, 0, 0); /* abort a console read left in flight */
	for (unsigned d = 0; d < 6; d++)
		for (unsigned n = 0; n < 4; n++) {
			sys_allow_rw(drivers[d], n, NULL, 0);
			sys_allow_userspace(drivers[d], n, NULL, 0);
		}
	for (unsigned i = 0; i < 64; i++) {
		uint8_t ran = 0;

		sys_yield_no_wait(&ran);
		if (!ran)
			break;
	}
	tern_printf("fuzz: %u hostile calls, %u failed, %u had to be "
		    "refused, %u upcalls\n", (unsigned)calls, failures,
		    refused, upcalls);
	led_on(2); /* tells the bystander: done */
	ktest_check(bad == 0 && calls == CALLS,
		    "%u calls, every answer valid, every foreign allow and brk "
		    "refused", (unsigned)calls);
	return ktest_done("fuzz_target");
}
