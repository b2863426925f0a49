// SPDX-License-Identifier: MIT
/*
 * The switch partner of `./tern bench` (slot PARTNER_SLOT).  It waits in
 * Yield-WaitFor on the bench driver's upcall, reads instret the moment the
 * yield returns and hands the reading to the measuring app in an upcall
 * value; main.c subtracts the instret it read just before its own yield.
 * The kernel work in between is one yield-switch: block the yielder, pick
 * the partner, resume it, load its PMP, return to U-mode.
 *
 * Told BENCH_IPC_MODE, it becomes the IPC service of the round-trip row:
 * it waits in Yield-WaitFor on the IPC driver's upcall for its own index
 * (no function subscribed: the notification comes back as the values)
 * and answers each with notify client.
 */
#include "tests/bench/bench.h"

int main(void)
{
	bench_allow_many(0, EXTRA_ALLOWS);
	for (;;) {
		uint32_t v, t1 = bench_yield_wait_for_stamp(BENCH_DRIVER_NUM,
							    0, &v);

		if (v == BENCH_IPC_MODE)
			break;
		bench_cmd(BENCH_NOTIFY, MAIN_SLOT, t1);
	}
	bench_cmd(BENCH_NOTIFY, MAIN_SLOT, 0);
	for (;;) {
		struct sys_return r = sys_yield_wait_for(BENCH_IPC_DRV,
							 PARTNER_SLOT);

		sys_command(BENCH_IPC_DRV, 3, r.v[0], 0);
	}
}
