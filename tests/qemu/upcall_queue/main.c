// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "upcall_queue": a driver schedules more upcalls than the
 * process's task queue holds (doc/abi.md §4.1).
 *
 * The defined behaviour: the queue holds 9 tasks, first in first out; a
 * task scheduled into a full queue is dropped (the kernel counts it), the
 * driver carries on as if it had been delivered, and the process is
 * neither faulted nor blocked.  Only Yield consumes tasks.
 *
 * The real alarm driver produces the flood, no test-only driver: the
 * process arms an alarm that is already expired (dt = 0), spins until the
 * timer interrupt has fired it (stop then answers ALREADY, so it did), and
 * arms the next, never yielding, so every upcall stays queued.  Each
 * upcall carries its own expiry, so the order of the survivors shows which
 * were dropped.
 *
 * While the queue is full nothing may be printed: printing waits for the
 * console's write-done upcall, which a full queue would drop, and
 * Yield-WaitFor would then wait forever.  Results are kept and printed
 * after draining.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define QUEUE_LEN 9
#define FLOOD 12

static volatile unsigned calls;
static uint32_t seen[FLOOD + 1];

static void fired(uint32_t now, uint32_t expiry, uint32_t z, void *ud)
{
	(void)now, (void)z, (void)ud;
	if (calls < FLOOD + 1)
		seen[calls] = expiry;
	calls++;
}

/*
 * Make the alarm fire n times without yielding; exp[k] = the k-th expiry.
 * True if every alarm had fired before the next was armed.
 */
static bool flood(unsigned n, uint32_t *exp)
{
	bool all_fired = true;

	for (unsigned k = 0; k < n; k++) {
		uint32_t ref = alarm_now();
		struct sys_return r;

		r = sys_command(ALARM_DRIVER, ALARM_CMD_ARM_AT, ref, 0);
		exp[k] = (uint32_t)r.v[0];
		while (alarm_now() - ref < 50) /* 5 us: the interrupt is due */
			;
		r = sys_command(ALARM_DRIVER, ALARM_CMD_STOP, 0, 0);
		all_fired &= r.variant == SYS_FAILURE && r.v[0] == SYS_EALREADY;
	}
	return all_fired;
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

static bool same(const uint32_t *a, const uint32_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static unsigned wcalls;

static void write_done(uint32_t a, uint32_t b, uint32_t c, void *ud)
{
	(void)a, (void)b, (void)c, (void)ud;
	wcalls++;
}

int main(void)
{
	static const char text[] = "upcall_queue: written while full\n";
	uint32_t exp[FLOOD + 1], got[QUEUE_LEN + 1];
	struct sys_return w;
	bool fired_all, fired_all2, fired_all3, kept_order, nulls_invisible;
	unsigned ran, ran2, wc;
	uint8_t flag;

	sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, fired, NULL);
	sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_WRITE, write_done, NULL);
	tern_puts("upcall_queue: flooding");

	/* 1. twelve upcalls into a queue of nine */
	calls = 0;
	fired_all = flood(FLOOD, exp);
	ran = drain();
	kept_order = same(seen, exp, QUEUE_LEN);

	/* 2. a console write while the queue is full: sent, upcall lost */
	calls = 0;
	fired_all2 = flood(QUEUE_LEN, exp);
	sys_allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_RO_WRITE, text,
		     sizeof(text) - 1);
	w = sys_command(CONSOLE_DRIVER, CONSOLE_CMD_WRITE, sizeof(text) - 1,
			0);
	ran2 = drain();
	wc = wcalls;

	/* 3. return-value records (Null Upcall) fill the queue just the same */
	sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, NULL, NULL);
	fired_all3 = flood(FLOOD, exp);
	flag = 0xaa;
	sys_yield_no_wait(&flag);
	nulls_invisible = flag == 0;
	for (unsigned i = 0; i < QUEUE_LEN; i++)
		got[i] = (uint32_t)sys_yield_wait_for(ALARM_DRIVER,
						      ALARM_SUB_FIRED).v[1];
	/* one more: the queue is empty now, so this one's own value comes */
	flood(1, &exp[FLOOD]);
	got[QUEUE_LEN] =
		(uint32_t)sys_yield_wait_for(ALARM_DRIVER, ALARM_SUB_FIRED).v[1];

	ktest_check(fired_all && fired_all2 && fired_all3,
		    "every alarm fired before the next was armed");
	ktest_check(ran == QUEUE_LEN,
		    "%u upcalls scheduled, %u ran: the queue holds %u", FLOOD,
		    ran, QUEUE_LEN);
	ktest_check(kept_order, "the oldest %u ran, in order; the newest %u "
				"were dropped", QUEUE_LEN, FLOOD - QUEUE_LEN);
	ktest_check(w.variant == SYS_SUCCESS,
		    "console write into a full queue: Success (driver not "
		    "blocked)");
	ktest_check(ran2 == QUEUE_LEN && wc == 0,
		    "its write-done was dropped: %u alarm upcalls ran, %u "
		    "write-done", ran2, wc);
	ktest_check(nulls_invisible,
		    "queued return-value records: Yield-NoWait sets 0, runs "
		    "nothing");
	ktest_check(same(got, exp, QUEUE_LEN),
		    "Yield-WaitFor takes the %u kept records in order",
		    QUEUE_LEN);
	ktest_check(got[QUEUE_LEN] == exp[FLOOD],
		    "then the queue is empty: a new record comes next");
	ktest_check(alarm_delay_ms(1) == 0, "the process carries on normally");
	return ktest_done("upcall_queue");
}
