// SPDX-License-Identifier: MIT
/*
 * The switch partner of `./tern bench` (slot PARTNER_SLOT).  It waits in
 * Yield-WaitFor on the bench driver's upcall, reads instret the moment the
 * yield returns and hands the reading to the measuring app in an upcall
 * value; main.c subtracts the instret it read just before its own yield.
 * The kernel work in between is one yield-switch: block the yielder, pick
 * the partner, resume it, load its PMP, return to U-mode.
 */
#include "tests/bench/bench.h"

int main(void)
{
	bench_allow_many(0, EXTRA_ALLOWS);
	for (;;) {
		uint32_t v, t1 = bench_yield_wait_for_stamp(BENCH_DRIVER_NUM,
							    0, &v);

		bench_cmd(BENCH_NOTIFY, MAIN_SLOT, t1);
	}
}
