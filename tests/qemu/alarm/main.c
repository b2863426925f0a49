// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "alarm": the alarm driver, number 0x0, from userspace
 * (doc/abi.md §10.2).
 *
 * The first process checks every command's value: frequency (and that the
 * counter really advances at that rate, measured against the instruction
 * count, which -icount shift=0 makes 1 ns per instruction), now, stop with
 * nothing armed (ALREADY), arm relative and at a reference (the returned
 * expiry, wrapping), the upcall's (now, reference + dt, 0) exactly, once,
 * never early, re-arming replacing, expired and dt = 0 alarms firing at
 * once.
 *
 * Then it and the second process (alarm/peer.c) arm alarms for shared
 * absolute deadlines (ticks since boot, DEADLINE_* below) and print a line
 * when theirs fires: alarm.toml checks the lines come in
 * deadline order.  Round 1: this process arms the later deadline first,
 * the peer the earlier one afterwards (the driver must move its timer
 * earlier).  Round 2: the earlier one first, the later one afterwards (the
 * driver must not move it later).
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"
#include "tests/qemu/alarm/rounds.h"

#define V(r) ((unsigned long)(r).variant)
#define X(v) ((unsigned long)(v))

static volatile unsigned calls;
static uint32_t got[3];
static void *got_ud;
static int ud;

static void fired(uint32_t now, uint32_t expiry, uint32_t z, void *u)
{
	got[0] = now;
	got[1] = expiry;
	got[2] = z;
	got_ud = u;
	calls++;
}

static struct sys_return cmd(uint32_t c, uintptr_t a, uintptr_t b)
{
	return sys_command(ALARM_DRIVER, c, a, b);
}

static bool fail(struct sys_return r, uint32_t err)
{
	return r.variant == SYS_FAILURE && r.v[0] == err;
}

/* Spin (no yield) until the counter is at least `ticks` past `from`. */
static void spin_until_past(uint32_t from, uint32_t ticks)
{
	while (alarm_now() - from < ticks)
		;
}

/* Run queued upcalls without blocking; how many ran. */
static unsigned drain(void)
{
	unsigned n = 0;
	uint8_t flag;

	for (;;) {
		flag = 0;
		sys_yield_no_wait(&flag);
		if (!flag)
			return n;
		n++;
	}
}

/* Yield-Wait until one upcall ran `fired`, at most 100 yields. */
static bool wait_fired(void)
{
	unsigned start = calls;

	for (int i = 0; i < 100 && calls == start; i++)
		sys_yield_wait();
	return calls == start + 1;
}

static void test_values(void)
{
	struct sys_return r;
	uint32_t hz, t0, t1;

	r = cmd(ALARM_CMD_EXISTS, 0, 0);
	ktest_check(r.variant == SYS_SUCCESS, "command 0: Success (%lu)", V(r));
	r = cmd(ALARM_CMD_FREQUENCY, 0, 0);
	hz = (uint32_t)r.v[0];
	ktest_check(r.variant == SYS_SUCCESS_U32 && hz >= 1000,
		    "command 1: Success with u32, frequency %lu Hz >= 1 kHz",
		    X(hz));
	ktest_check(hz == EXPECTED_HZ,
		    "frequency is the board's timer rate, unscaled (mtime is "
		    "64 bits wide) (%lu)", X(hz));
	r = cmd(ALARM_CMD_NOW, 0, 0);
	t0 = (uint32_t)r.v[0];
	t1 = alarm_now();
	ktest_check(r.variant == SYS_SUCCESS_U32 && t1 - t0 < hz / 100,
		    "command 2: Success with u32, advancing (%lu, %lu)", X(t0),
		    X(t1));

	/*
	 * 2,000,000 loop iterations of 2 instructions: 4 ms of virtual time
	 * at one instruction per ns, 4 ms worth of ticks at the reported
	 * frequency (kernel entries on the way add a little).
	 */
	{
		uint32_t n = 2000000, a, b, expect = hz / 250;

		a = alarm_now();
		__asm__ __volatile__("1: addi %0, %0, -1\n\tbnez %0, 1b"
				     : "+r"(n));
		b = alarm_now();
		ktest_check(b - a >= expect - expect / 10 &&
				    b - a <= expect + expect / 5,
			    "counter runs at the reported rate: %lu ticks "
			    "for 4 ms (expect %lu)", X(b - a), X(expect));
	}

	r = cmd(4, 0, 0);
	ktest_check(fail(r, SYS_ENOSUPPORT), "command 4: NOSUPPORT (%lu)",
		    V(r));
	r = cmd(7, 0, 0);
	ktest_check(fail(r, SYS_ENOSUPPORT), "command 7: NOSUPPORT (%lu)",
		    V(r));
	r = cmd(ALARM_CMD_STOP, 0, 0);
	ktest_check(fail(r, SYS_EALREADY),
		    "command 3 with nothing armed: ALREADY (%lu, %lu)", V(r),
		    X(r.v[0]));
}

static void test_arm_and_fire(void)
{
	uint32_t ms = alarm_ms_to_ticks(1), before, after, ref, exp;
	struct sys_return r;

	ktest_check(sys_ok(sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, fired,
					 &ud)),
		    "subscribe 0");

	/* relative: expiry = now + dt with now read inside the call */
	before = alarm_now();
	r = cmd(ALARM_CMD_ARM_RELATIVE, 2 * ms, 0);
	after = alarm_now();
	exp = (uint32_t)r.v[0];
	ktest_check(r.variant == SYS_SUCCESS_U32 &&
			    exp - 2 * ms - before <= after - before,
		    "command 5: Success with u32 = now + dt (%lu in %lu..%lu)",
		    X(exp - 2 * ms), X(before), X(after));
	r = cmd(ALARM_CMD_STOP, 0, 0);
	ktest_check(r.variant == SYS_SUCCESS, "stop of an armed alarm: Success");
	r = cmd(ALARM_CMD_STOP, 0, 0);
	ktest_check(fail(r, SYS_EALREADY), "second stop: ALREADY");
	spin_until_past(before, 4 * ms);
	ktest_check(drain() == 0 && calls == 0,
		    "a stopped alarm never fires (%u upcalls)", calls);

	/* at a reference: expiry exactly reference + dt, upcall exact */
	ref = alarm_now();
	r = cmd(ALARM_CMD_ARM_AT, ref, 3 * ms);
	ktest_check(r.variant == SYS_SUCCESS_U32 && r.v[0] == ref + 3 * ms,
		    "command 6: Success with u32 = reference + dt (0x%lx)",
		    X(r.v[0]));
	ktest_check(wait_fired(), "the alarm fires (%u upcalls)", calls);
	ktest_check(got[1] == ref + 3 * ms && got[2] == 0,
		    "upcall (now, reference + dt, 0): (0x%lx, 0x%lx, %lu)",
		    X(got[0]), X(got[1]), X(got[2]));
	ktest_check((int32_t)(got[0] - got[1]) >= 0 &&
			    got[0] - got[1] < ms,
		    "upcall's now not before the expiry, less than 1 ms after "
		    "(%ld ticks)", (long)(int32_t)(got[0] - got[1]));
	ktest_check(got_ud == &ud, "userdata comes back");
	spin_until_past(ref, 5 * ms);
	ktest_check(drain() == 0, "it fires once");
	ktest_check(fail(cmd(ALARM_CMD_STOP, 0, 0), SYS_EALREADY),
		    "a fired alarm is disarmed: stop -> ALREADY");

	/* re-arming replaces the pending alarm */
	ref = alarm_now();
	cmd(ALARM_CMD_ARM_AT, ref, 4 * ms);
	r = cmd(ALARM_CMD_ARM_AT, ref, 1 * ms);
	ktest_check(wait_fired() && got[1] == ref + 1 * ms,
		    "re-arming replaces: fires at the new expiry (0x%lx)",
		    X(got[1]));
	spin_until_past(ref, 6 * ms);
	ktest_check(drain() == 0, "and the replaced one never fires");

	/* an alarm armed already expired fires at once */
	ref = alarm_now() - 1000;
	r = cmd(ALARM_CMD_ARM_AT, ref, 10);
	ktest_check(r.variant == SYS_SUCCESS_U32 && r.v[0] == ref + 10,
		    "expired alarm: expiry reference + dt");
	before = alarm_now();
	ktest_check(wait_fired() && got[1] == ref + 10 &&
			    alarm_now() - before < ms,
		    "expired alarm fires at once with (now, 0x%lx, 0)",
		    X(got[1]));

	/* dt = 0 is expired on arrival */
	ref = alarm_now();
	r = cmd(ALARM_CMD_ARM_AT, ref, 0);
	ktest_check(wait_fired() && r.v[0] == ref && got[1] == ref,
		    "dt = 0 fires at once with expiry = reference");

	/* reference + dt wraps past 2^32 (and is long past) */
	r = cmd(ALARM_CMD_ARM_AT, 0xffffff00u, 0x200);
	ktest_check(r.variant == SYS_SUCCESS_U32 && r.v[0] == 0x100,
		    "expiry wraps: 0xffffff00 + 0x200 = 0x%lx", X(r.v[0]));
	ktest_check(wait_fired() && got[1] == 0x100,
		    "wrapped expiry delivered verbatim (0x%lx)", X(got[1]));
}

/* Arm for the absolute tick `deadline` and wait for it; print the line. */
static void round_trip(unsigned round, uint32_t deadline)
{
	uint32_t now = alarm_now();
	struct sys_return r;

	ktest_check(deadline - now < 0x80000000u && deadline - now > 0,
		    "round %u armed %lu ticks ahead", round,
		    X(deadline - now));
	r = cmd(ALARM_CMD_ARM_AT, now, deadline - now);
	ktest_check(r.v[0] == deadline, "round %u expiry 0x%lx", round,
		    X(r.v[0]));
	ktest_check(wait_fired() && got[1] == deadline &&
			    (int32_t)(got[0] - deadline) >= 0,
		    "round %u upcall (0x%lx, 0x%lx, 0)", round, X(got[0]),
		    X(got[1]));
	tern_printf("alarm round %u: A fired\n", round);
}

int main(void)
{
	test_values();
	test_arm_and_fire();
	/* the peer arms round 1 at PEER_ARM_1, after this one */
	ktest_check(alarm_now() < ROUND1_ARM_BY,
		    "checks done before round 1 (%lu)", X(alarm_now()));
	round_trip(1, DEADLINE_1_LATE);
	/* and round 2 at PEER_ARM_2, after this one again */
	round_trip(2, DEADLINE_2_EARLY);
	return ktest_done("alarm");
}
