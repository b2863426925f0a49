// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "preempt", first process: spins without a single system
 * call for far longer than the other process needs (like libtock-c's
 * tests/whileone, but ending so the kernel can power off).  Only timer
 * preemption lets the witness run meanwhile; the console order proves it.
 * SPINS is about 80 ms under QEMU -icount shift=0; the witness needs about
 * one 10 ms timeslice per alarm.
 */
#include "user/lib/tern.h"

#define SPINS 16000000u

int main(void)
{
	uint32_t t0;

	tern_puts("spinner: start");
	t0 = alarm_now();
	for (volatile uint32_t i = 0; i < SPINS; i++)
		;
	tern_printf("spinner: done after %" PRIu32 " ticks\n",
		    alarm_now() - t0);
	return 0;
}
