// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "preempt", second process: three 1 ms alarms while the
 * spinner spins.  It prints the verdict; preempt.toml requires it
 * to appear between "spinner: start" and "spinner: done".
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define ALARMS 3

int main(void)
{
	uint32_t t0 = alarm_now();
	int rc = 0;

	for (int i = 0; i < ALARMS && rc == 0; i++)
		rc = alarm_delay_ms(1);
	ktest_check(rc == 0, "%d alarms of 1 ms while the spinner spins (%d)",
		    ALARMS, rc);
	tern_printf("witness: took %" PRIu32 " ticks at %" PRIu32 " Hz\n",
		    alarm_now() - t0, alarm_frequency());
	return ktest_done("preempt");
}
