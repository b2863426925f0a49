// SPDX-License-Identifier: MIT
/* Helpers every bench app shares; see bench.h. */
#include "tests/bench/bench.h"

static uint8_t bufs[BENCH_RW_SLOTS][16];

void bench_allow_many(unsigned first, unsigned nbufs)
{
	for (unsigned i = first; i < first + nbufs && i < BENCH_RW_SLOTS; i++) {
		struct sys_return r = sys_allow_rw(BENCH_DRIVER_NUM, i,
						   bufs[i], sizeof(bufs[i]));

		if (!sys_ok(r))
			tern_printf("BENCH-ERROR allow slot %u: %" PRIu32 "\n",
				    i, sys_err(r));
	}
}

void bench_report(const char *key, uint32_t value)
{
	tern_printf("BENCH %s %" PRIu32 "\n", key, value);
}
