// SPDX-License-Identifier: MIT
/*
 * counter: the second printing app of the multi-process demo.  Prints a
 * running count every 700 ms (a period that drifts against timer's 1 s, so
 * the two processes' lines interleave differently over time).
 */
#include "user/lib/tern.h"

#define PERIOD_MS 700

int main(void)
{
	for (unsigned n = 1;; n++) {
		tern_printf("counter: %u\n", n);
		alarm_delay_ms(PERIOD_MS);
	}
}
