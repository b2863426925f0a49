// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "relayout", second process (see relayout.toml): every few
 * milliseconds, have the kernel move the victim's break to where the
 * victim asked (ktest command 6), while the victim is blocked; then, once
 * the victim has used up its incarnations, print the verdict.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define KTEST_DRIVER 0x90057u
#define KTEST_MOVE_BRK 6u

int main(void)
{
	unsigned moved = 0;

	for (unsigned i = 0; i < 60; i++) {
		struct sys_return r;

		alarm_delay_ms(5);
		r = sys_command(KTEST_DRIVER, KTEST_MOVE_BRK, VICTIM_SLOT, 0);
		if (sys_ok(r))
			moved++;
		else if (sys_err(r) != 3) /* ALREADY: nothing asked now */
			ktest_check(false, "move the victim's break: error %u",
				    (unsigned)sys_err(r));
	}
	ktest_check(moved >= 1, "moved the victim's break (%u times)", moved);
	return ktest_done(SCENARIO);
}
