// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios "tbf_<damage>": one app of an image whose middle object
 * (slot B) tests/qemu/tbfcorrupt.py has damaged (doc/abi.md §9.5).
 * Each app says "<APP_NAME>: running"; tbf.toml checks which
 * ran and what the kernel's loader said about the damaged object.  The app
 * built with -DVERDICT="<scenario>" (the last one expected to run) waits
 * for the others to have started, then prints the verdict.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

int main(void)
{
	tern_printf("%s: running\n", APP_NAME);
#ifdef VERDICT
	ktest_check(alarm_delay_ms(10) == 0, "%s: the others had 10 ms",
		    APP_NAME);
	return ktest_done(VERDICT);
#else
	return 0;
#endif
}
