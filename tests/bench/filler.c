// SPDX-License-Identifier: MIT
/*
 * A process that only takes up a slot, to show that costs do not grow with
 * the number of processes: it allows EXTRA_ALLOWS buffers and then blocks
 * in Yield-Wait for ever (nothing ever sends it an upcall).
 */
#include "tests/bench/bench.h"

int main(void)
{
	bench_allow_many(0, EXTRA_ALLOWS);
	for (;;)
		sys_yield_wait();
}
