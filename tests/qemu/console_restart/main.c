// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "console_restart": a process restarts while the console
 * driver holds its buffers (doc/abi.md §6.7, §6.5, §8.4).
 *
 * First incarnation: sleeps until FIRST_UNTIL (time is the only thing that
 * survives a restart, so it tells the incarnations apart), subscribes to
 * both console upcalls, allows a 2 KiB read-only buffer and starts writing
 * it, allows a read-write buffer (`inbox`) and starts an 8-byte read, then
 * exit-restarts at once, without yielding.
 *
 * Second incarnation (same addresses, fresh memory): fills `inbox` and
 * `outbox` with a canary, asks for the input "old!" to be typed while no
 * read of its own is active (the old read's descriptors are stale now) and
 * idles for a while so it arrives.  Then:
 *   - no upcall of the old incarnation is queued (the old write's
 *     write-done, the old read's read-done);
 *   - the canaries are intact: the old read wrote nothing;
 *   - its own read is accepted (the stale reader does not hold the console
 *     busy) and receives the typed bytes, which no one consumed.
 *
 * QEMU's 16550 never refuses a byte while its output is read (the
 * runner reads it all the time), so the whole 2 KiB go out inside command
 * 1 and only the write-done upcall is still pending at the restart: what
 * this shows for the write is that the old write-done never reaches the
 * new incarnation (console_restart.toml also checks that all 2048 bytes
 * came out before the restart and none after).  A writer restarted with
 * bytes still to send is covered by tests/unit/test_console.c
 * (console_write_of_a_restarted_writer_ends_silently).
 */
#include <string.h>

#include "user/lib/ktest.h"
#include "user/lib/tern.h"

/*
 * Far above any boot time: a loaded host can stretch QEMU's boot to
 * hundreds of milliseconds of its real-time clock, and a first
 * incarnation that wakes past the mark would run as the second.
 */
#define FIRST_UNTIL_MS 3000
#define OUT_LEN 2048
#define CANARY 0x5a

static char outbox[OUT_LEN];
static char inbox[16];
static volatile unsigned upcalls;

static void any_upcall(uint32_t a, uint32_t b, uint32_t c, void *ud)
{
	(void)a, (void)b, (void)c, (void)ud;
	upcalls++;
}

static __attribute__((noreturn)) void first_incarnation(void)
{
	static const char line[] = "console_restart: old write ...........\n";

	alarm_delay_ms(FIRST_UNTIL_MS);
	for (unsigned i = 0; i < OUT_LEN; i++)
		outbox[i] = line[i % (sizeof(line) - 1)];
	sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_WRITE, any_upcall, NULL);
	sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_READ, any_upcall, NULL);
	sys_allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_RO_WRITE, outbox, OUT_LEN);
	sys_command(CONSOLE_DRIVER, CONSOLE_CMD_WRITE, OUT_LEN, 0);
	sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, inbox,
		     sizeof(inbox));
	sys_command(CONSOLE_DRIVER, CONSOLE_CMD_READ, 8, 0);
	sys_exit_restart(5);
}

static bool all(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return false;
	return true;
}

int main(void)
{
	char mine[8] = { 0 };
	uint8_t flag = 0xaa;
	int n;

	if (alarm_now() < alarm_ms_to_ticks(FIRST_UNTIL_MS))
		first_incarnation();

	memset(outbox, CANARY, sizeof(outbox));
	memset(inbox, CANARY, sizeof(inbox));
	sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_WRITE, any_upcall, NULL);
	sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_READ, any_upcall, NULL);
	sys_yield_no_wait(&flag);
	ktest_check(flag == 0 && upcalls == 0,
		    "no upcall of the old incarnation is queued (%u, %u)",
		    flag, upcalls);

	tern_puts("console_restart: new incarnation; type old!");
	alarm_delay_ms(500); /* the kernel idles: real time passes */
	ktest_check(all(inbox, sizeof(inbox), CANARY),
		    "the old read wrote nothing into the new incarnation");
	ktest_check(all(outbox, sizeof(outbox), CANARY),
		    "the write buffer is untouched too");

	n = console_read(mine, 4);
	ktest_check(n == 4 && memcmp(mine, "old!", 4) == 0,
		    "own read accepted, gets the bytes typed meanwhile (%d, "
		    "%.4s)", n, mine);
	ktest_check(all(inbox, sizeof(inbox), CANARY),
		    "and they went to its own buffer only");
	ktest_check(upcalls == 0, "no write-done or read-done of the old "
				  "incarnation ever ran (%u)", upcalls);
	return ktest_done("console_restart");
}
