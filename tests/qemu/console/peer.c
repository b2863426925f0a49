// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "console", second process: a second reader.  It waits
 * until the first process's 8-byte read is active, asks for a read of its
 * own and must get BUSY (one reader system-wide); its line is the prompt
 * tests/qemu/run waits for before typing the first process's input, so
 * the input cannot arrive before this check.  Verdict: "console_peer".
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

static char buf[8];

int main(void)
{
	struct sys_return r;

	alarm_delay_ms(20); /* the first process starts its read at once */
	sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, buf, sizeof(buf));
	r = sys_command(CONSOLE_DRIVER, CONSOLE_CMD_READ, sizeof(buf), 0);
	ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_EBUSY,
		    "console_peer: a second reader gets BUSY (%lu, %lu)",
		    (unsigned long)r.variant, (unsigned long)r.v[0]);
	tern_puts("console_peer: second reader refused; type hello123");
	return ktest_done("console_peer");
}
