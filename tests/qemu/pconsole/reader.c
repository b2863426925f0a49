// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "pconsole", app "reader": one console read of 6 bytes
 * that stays active while the person types commands to the process
 * console (see pconsole.toml).  The runner types "hel", switches to the
 * console, runs its commands there, switches back and types "lo\n": the
 * read must get exactly "hello\n", none of the commands.
 */
#include <string.h>

#include "user/lib/console.h"
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#ifndef SCENARIO
#define SCENARIO "pconsole" /* pconsole_reset.toml passes its own name */
#endif

int main(void)
{
	char buf[16];
	int n;

	memset(buf, '#', sizeof(buf));
	tern_printf("reader: type a line\n");
	n = console_read(buf, 6);
	ktest_check(n == 6, "read 6 bytes (%d)", n);
	ktest_check(memcmp(buf, "hello\n##", 8) == 0,
		    "got exactly the bytes for the app: '%.6s'", buf);
	return ktest_done(SCENARIO);
}
