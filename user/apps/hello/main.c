// SPDX-License-Identifier: MIT
/*
 * hello: the smallest useful app.  Prints one line through the console
 * driver and exits 0, which lets the kernel power off once every other
 * process is done too.
 */
#include "user/lib/tern.h"

int main(void)
{
	tern_puts("Hello from Tern");
	return 0;
}
