// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "lldebug": the low-level debug driver, number 0x8
 * (doc/abi.md §10.4).  Each command's output line is matched exactly by
 * lldebug.toml: "LowLevelDebug: App 0x<id> alert code 0x<c>",
 * "... prints 0x<n>", "... prints 0x<n1> 0x<n2>", lowercase hex, the same
 * id on every line of one process and a different one for the second
 * process (-DSECOND), which prints once and exits.  Other commands give
 * NOSUPPORT and print nothing.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define V(r) ((unsigned long)(r).variant)

static struct sys_return cmd(uint32_t c, uintptr_t a, uintptr_t b)
{
	return sys_command(LLDEBUG_DRIVER, c, a, b);
}

int main(void)
{
#ifdef SECOND
	alarm_delay_ms(10); /* after the first process's lines */
	cmd(LLDEBUG_CMD_PRINT1, 0x5ec0d, 0);
	return 0;
#else
	struct sys_return r[7];
	static const unsigned num[5] = { 0, 1, 2, 2, 3 };

	r[0] = cmd(LLDEBUG_CMD_EXISTS, 0, 0);
	r[1] = cmd(LLDEBUG_CMD_ALERT, LLDEBUG_ALERT_WRONG_LOCATION, 0);
	r[2] = cmd(LLDEBUG_CMD_PRINT1, 0xABCDEF01u, 0);
	r[3] = cmd(LLDEBUG_CMD_PRINT1, 0, 0);
	r[4] = cmd(LLDEBUG_CMD_PRINT2, 0x12, 0xffffffffu);
	r[5] = cmd(4, 1, 2);
	r[6] = cmd(0xffffffffu, 1, 2);

	for (unsigned i = 0; i < 5; i++)
		ktest_check(r[i].variant == SYS_SUCCESS,
			    "command %u: Success (%lu)", num[i], V(r[i]));
	ktest_check(r[5].variant == SYS_FAILURE &&
			    r[5].v[0] == SYS_ENOSUPPORT,
		    "command 4: NOSUPPORT");
	ktest_check(r[6].variant == SYS_FAILURE &&
			    r[6].v[0] == SYS_ENOSUPPORT,
		    "command 0xffffffff: NOSUPPORT");
	alarm_delay_ms(20); /* let the second process print */
	return ktest_done("lldebug");
#endif
}
