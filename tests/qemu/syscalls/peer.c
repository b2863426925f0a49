// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "syscalls", second process: it only has to exist, so that
 * the RAM block the main test tries to allow belongs to someone else.  It
 * says hello and exits, leaving the kernel to power off after the test.
 */
#include "user/lib/tern.h"

int main(void)
{
	tern_puts("peer: up");
	return 0;
}
