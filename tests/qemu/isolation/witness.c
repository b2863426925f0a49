// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios "isolation_<line>", second process: the neighbour whose
 * RAM and flash the crosser aims at.  It waits until the crosser has used
 * up its restarts, checks its own memory is intact and prints the verdict
 * (-DSCENARIO="isolation_<line>").
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

static volatile uint32_t canary = 0xca7ca7ca;

int main(void)
{
	ktest_check(alarm_delay_ms(100) == 0, "waited for the crosser");
	ktest_check(canary == 0xca7ca7ca, "own RAM intact");
	return ktest_done(SCENARIO);
}
