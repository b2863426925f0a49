// SPDX-License-Identifier: MIT
/*
 * blink: toggles LED 0 every 500 ms, forever.  Exits 1 if the board has no
 * LED, so a board without one still reaches power-off.
 */
#include "user/lib/tern.h"

#define PERIOD_MS 500

int main(void)
{
	int n = led_count();

	if (n <= 0) {
		tern_printf("blink: no LED (%d)\n", n);
		return 1;
	}
	for (;;) {
		led_toggle(0);
		alarm_delay_ms(PERIOD_MS);
	}
}
