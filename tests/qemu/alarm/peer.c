// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "alarm", second process: its alarm is independent of the
 * first process's.  Stop before it ever used the driver gives ALREADY;
 * then it sleeps until the shared timetable (rounds.h) says to arm, arms
 * the earlier deadline of round 1 and the later one of round 2, and prints
 * a line when each fires.  Every upcall it gets must carry its own expiry,
 * never the other process's.  Verdict: "KTEST PASS alarm_peer".
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"
#include "tests/qemu/alarm/rounds.h"

#define X(v) ((unsigned long)(v))

static volatile unsigned calls;
static uint32_t got[3];

static void fired(uint32_t now, uint32_t expiry, uint32_t z, void *u)
{
	(void)u;
	got[0] = now;
	got[1] = expiry;
	got[2] = z;
	calls++;
}

/* Arm for absolute tick `deadline`, wait for the one upcall, check it. */
static bool sleep_until(uint32_t deadline)
{
	uint32_t now = alarm_now();
	unsigned start = calls;
	struct sys_return r;

	r = sys_command(ALARM_DRIVER, ALARM_CMD_ARM_AT, now, deadline - now);
	if (r.variant != SYS_SUCCESS_U32 || r.v[0] != deadline)
		return false;
	for (int i = 0; i < 100 && calls == start; i++)
		sys_yield_wait();
	return calls == start + 1 && got[1] == deadline && got[2] == 0 &&
	       (int32_t)(got[0] - deadline) >= 0;
}

int main(void)
{
	struct sys_return r;

	r = sys_command(ALARM_DRIVER, ALARM_CMD_STOP, 0, 0);
	ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_EALREADY,
		    "peer: stop before first use: ALREADY");
	sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, fired, NULL);

	ktest_check(sleep_until(PEER_ARM_1), "peer: woke for round 1 (0x%lx)",
		    X(got[1]));
	ktest_check(sleep_until(DEADLINE_1_EARLY),
		    "peer: round 1 upcall (0x%lx, 0x%lx, 0)", X(got[0]),
		    X(got[1]));
	tern_printf("alarm round 1: B fired\n");
	ktest_check(sleep_until(PEER_ARM_2),
		    "peer: woke for round 2, not by the other's alarm (0x%lx)",
		    X(got[1]));
	ktest_check(sleep_until(DEADLINE_2_LATE),
		    "peer: round 2 upcall (0x%lx, 0x%lx, 0)", X(got[0]),
		    X(got[1]));
	tern_printf("alarm round 2: B fired\n");
	return ktest_done("alarm_peer");
}
