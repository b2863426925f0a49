// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "pconsole", app "ticker": the process the person drives
 * through the process console (see pconsole.toml).  It says when an
 * incarnation begins, then prints a numbered tick every 20 ms forever;
 * only the console's terminate ends it.
 */
#include "user/lib/alarm.h"
#include "user/lib/tern.h"

int main(void)
{
	tern_printf("ticker: up\n");
	for (unsigned n = 0;; n++) {
		tern_printf("ticker: tick %u\n", n);
		alarm_delay_ms(20);
	}
}
