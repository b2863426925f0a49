// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios "isolation_hot_ram" / "isolation_hot_exec", first process:
 * it keeps one page of its own RAM (the first, HOT_RAM = its mem_start) and
 * one of its flash (where its code runs) hot in QEMU's TLB right up to the
 * moment the kernel switches to the crosser, which then touches the same
 * address and must fault (doc/abi.md H5; QEMU 7.2 caches a PMP
 * decision for a whole page when one PMP region covers it, and drops it
 * only when pmpcfg is written).
 *
 * It is built with an 8 KiB stack so that its RAM region covers that page
 * entirely, which is what lets QEMU cache it (a region smaller than the
 * page is checked on every access and could not show the problem).
 *
 * Timetable (ticks since boot): both processes sleep until HOT_AT; this
 * process's alarm is due 5 ticks before the crosser's, so it runs first,
 * touches the page for ~8 us (the crosser's alarm fires meanwhile), prints
 * "prints 0xa1" through low-level debug, touches the page once more and
 * blocks in Yield-Wait: the kernel's next move is to switch to the crosser,
 * whose first action is the crossing.  isolation_hot.toml checks that
 * the crosser's fault report follows that line directly.  The verdict
 * comes after the crosser has been stopped.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"
#include "tests/qemu/isolation/hot.h"

static volatile uint32_t sink;
static volatile unsigned fired_count;

static void fired(uint32_t a, uint32_t b, uint32_t c, void *ud)
{
	(void)a, (void)b, (void)c, (void)ud;
	fired_count++;
}

static void sleep_until(uint32_t t)
{
	unsigned start = fired_count;
	uint32_t now = alarm_now();

	sys_command(ALARM_DRIVER, ALARM_CMD_ARM_AT, now, t - now);
	while (fired_count == start)
		sys_yield_wait();
}

#define CANARY 0xca7ca7ca

/*
 * Read and write the hot word in a loop: its page stays in the TLB with
 * read and write permission, and so does this code's page.
 */
static void __attribute__((noinline)) touch(unsigned n)
{
	volatile uint32_t *hot = (volatile uint32_t *)(uintptr_t)_ram_origin;

	while (n--) {
		sink = *hot;
		*hot = CANARY;
	}
}

int main(void)
{
	uint32_t now;

	sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, fired, NULL);
	sleep_until(HOT_AT);
	/* arm the wake-up for the verdict first: no syscall after the touch */
	now = alarm_now();
	sys_command(ALARM_DRIVER, ALARM_CMD_ARM_AT, now, HOT_VERDICT_AT - now);
	touch(2000);
	lldebug_print(0xa1);
	touch(1);
	sys_yield_wait(); /* switch: the crosser runs next */
	while (fired_count < 2)
		sys_yield_wait();
	ktest_check(*(volatile uint32_t *)(uintptr_t)_ram_origin == CANARY,
		    "the hot word still holds the canary");
	return ktest_done(SCENARIO);
}
