// SPDX-License-Identifier: MIT
/*
 * QEMU scenario ipc_bystander: a process that has nothing to do with the
 * IPC keeps running while the service faults, its memory intact.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

static volatile uint32_t canary = 0xca7ca7ca;

int main(void)
{
	for (unsigned i = 0; i < 5; i++)
		ktest_check(alarm_delay_ms(40) == 0, "tick %u", i);
	ktest_check(canary == 0xca7ca7ca, "own RAM intact");
	tern_printf("ipc_bystander: still running\n");
	return 0;
}
