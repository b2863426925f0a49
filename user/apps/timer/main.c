// SPDX-License-Identifier: MIT
/*
 * timer: prints the tick counter once a second, forever.
 *
 * Each alarm is armed relative to the previous expiry (command 6), not to
 * "now", so the period does not drift by the time spent printing.
 */
#include "user/lib/tern.h"

static void fired(uint32_t now, uint32_t expiry, uint32_t unused, void *ud)
{
	(void)now;
	(void)expiry;
	(void)unused;
	*(volatile int *)ud = 1;
}

int main(void)
{
	uint32_t hz = alarm_frequency(), period = alarm_ms_to_ticks(1000);
	uint32_t ref = alarm_now();
	volatile int done;

	if (hz == 0) {
		tern_puts("timer: no alarm driver");
		return 1;
	}
	tern_printf("timer: %" PRIu32 " Hz\n", hz);
	for (unsigned sec = 1;; sec++) {
		int rc;

		done = 0;
		rc = alarm_arm_at(ref, period, fired, (void *)&done);
		if (rc != 0) {
			tern_printf("timer: arm failed (%d)\n", rc);
			return 1;
		}
		while (!done)
			sys_yield_wait();
		ref += period;
		tern_printf("timer: %u s, ticks %" PRIu32 "\n", sec,
			    alarm_now());
	}
}
