// SPDX-License-Identifier: MIT
/*
 * QEMU scenario gpio (gpio.toml), the peer: takes pin 2 and drives it high, finds
 * pin 3 (the main process's) BUSY, and exits still owning pin 2, which
 * the main process must then get, reset.
 */
#include "user/lib/alarm.h"
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define GPIO 0x4u

int main(void)
{
	ktest_check(sys_command(GPIO, 1, 2, 0).variant == SYS_SUCCESS &&
			    sys_command(GPIO, 2, 2, 0).variant == SYS_SUCCESS,
		    "pin 2 taken and driven high");
	alarm_delay_ms(50);
	ktest_check(sys_command(GPIO, 1, 3, 0).variant == SYS_FAILURE &&
			    sys_command(GPIO, 1, 3, 0).v[0] == SYS_EBUSY,
		    "pin 3 (the main process's): BUSY");
	return ktest_done("gpio_peer");
}
