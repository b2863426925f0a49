// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "restart": exit-restart gives a fresh process (doc/abi.md §4.8,
 * §6.7, §8.4).
 *
 * Every incarnation checks that it starts clean: break back at crt0's
 * value, memory regained by brk zeroed (the previous incarnation filled it
 * with 0xa5), .data re-initialised, and every grant slot forgotten (first
 * subscribe and first allow return (0, 0) although the previous
 * incarnation left them set).  It then announces itself on the low-level
 * debug driver, whose "App 0x<id>" must change each time, and restarts
 * with code 7 until 100 ms have passed (time is the only thing that
 * survives a restart).  The last incarnation prints the verdict.  An
 * incarnation takes 10-15 ms of QEMU's virtual time (its console lines at
 * the UART's pace; more when the host is busy, as QEMU's idle time follows
 * the host clock), so 100 ms leaves room for the two announcements the
 * scenario needs.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define HEAP 256
#define UNTIL_MS 100
#define MARK 0x7e57

static uint32_t data_word = 0x600dda7a;
static uint8_t allowed[8];
static int ud;

static void noop(uint32_t a, uint32_t b, uint32_t c, void *u)
{
	(void)a, (void)b, (void)c, (void)u;
}

int main(void)
{
	struct sys_return sub, alw;
	uint8_t *heap;
	bool zero = true, last;
	uintptr_t brk0 = (uintptr_t)sys_sbrk(0);

	sub = sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, noop, &ud);
	alw = sys_allow_rw(CONSOLE_DRIVER, 0, allowed, sizeof(allowed));
	heap = sys_sbrk(HEAP);
	for (int i = 0; heap && i < HEAP; i++)
		zero = zero && heap[i] == 0;
	last = alarm_now() >= alarm_ms_to_ticks(UNTIL_MS);

	ktest_check(brk0 == (uintptr_t)_app_break_init,
		    "break starts at crt0's value");
	ktest_check(tern_boot.app_break == tern_boot.mem_start,
		    "kernel passed break = mem_start");
	ktest_check(data_word == 0x600dda7a, ".data re-initialised");
	ktest_check(heap != NULL && zero, "memory regained by sbrk is zero");
	ktest_check(sub.variant == SYS_SUBSCRIBE_SUCCESS && sub.v[0] == 0 &&
			    sub.v[1] == 0,
		    "first subscribe returns (0, 0)");
	ktest_check(alw.variant == SYS_ALLOW_SUCCESS && alw.v[0] == 0 &&
			    alw.v[1] == 0,
		    "first allow returns (0, 0)");
	if (ktest_failures() != 0 || last)
		return ktest_done("restart");

	/* leave traces the next incarnation must not see */
	data_word = 0;
	for (int i = 0; i < HEAP; i++)
		heap[i] = 0xa5;
	lldebug_print(MARK);
	alarm_delay_ms(10);
	sys_exit_restart(7);
}
