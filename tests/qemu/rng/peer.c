// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios rng_fast and rng_slow (rng.toml), the peer: draws while the main process does (the
 * driver serves requests in turn), then leaves with a request in flight;
 * the main process checks the device still serves after that.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define RNG 0x40001u

static uint8_t buf[48];

int main(void)
{
	struct sys_return c, r;
	bool ok = true;

	sys_subscribe(RNG, 0, NULL, NULL);
	sys_allow_rw(RNG, 0, buf, sizeof(buf));
	for (unsigned i = 0; i < 4; i++) {
		c = sys_command(RNG, 1, sizeof(buf), 0);
		r = sys_yield_wait_for(RNG, 0);
		ok &= c.variant == SYS_SUCCESS && r.v[1] == sizeof(buf);
	}
	ktest_check(ok, "4 draws of 48 bytes beside the main process");
	c = sys_command(RNG, 1, sizeof(buf), 0);
	ktest_check(c.variant == SYS_SUCCESS, "a last request, left in flight");
	tern_puts("rng_peer: leaving mid-request");
	return ktest_done("rng_peer");
}
