// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "led": the LED driver, number 0x2 (doc/abi.md §10.3).
 *
 * The QEMU boards have no LEDs; the board prints "[led] <i> on|off" for
 * every change, so the state changes are visible on the console.  This
 * process first drives every LED through on, off, toggle, toggle and reads
 * it back after each step, printing nothing in between so that the
 * "[led]" lines come as one block (led.toml matches it
 * exactly), then prints its checks: command 0's Success with u32 = count
 * (EXPECTED_LEDS from meson), INVAL for an index at or beyond the count
 * (also a huge one, which must not wrap to a valid index) and no console
 * line for it, NOSUPPORT for other commands, NOMEM for subscribe and allow
 * (a driver without a grant).
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#ifndef EXPECTED_LEDS
#error "build with -DEXPECTED_LEDS=<the board's LED count>"
#endif

#define V(r) ((unsigned long)(r).variant)

static uint8_t buf[4];

static struct sys_return cmd(uint32_t c, uintptr_t i)
{
	return sys_command(LED_DRIVER, c, i, 0);
}

static bool is_u32(struct sys_return r, uint32_t v)
{
	return r.variant == SYS_SUCCESS_U32 && r.v[0] == v;
}

static bool is_err(struct sys_return r, uint32_t e)
{
	return r.variant == SYS_FAILURE && r.v[0] == e;
}

int main(void)
{
	struct sys_return count = cmd(LED_CMD_COUNT, 0);
	bool steps_ok[EXPECTED_LEDS], reads_ok[EXPECTED_LEDS];
	struct sys_return bad[4], r;
	unsigned n = EXPECTED_LEDS;

	tern_puts("led: sequence begins");
	for (unsigned i = 0; i < n; i++) {
		bool s = true, rd = true;

		s &= cmd(LED_CMD_ON, i).variant == SYS_SUCCESS;
		rd &= is_u32(cmd(LED_CMD_READ, i), 1);
		s &= cmd(LED_CMD_OFF, i).variant == SYS_SUCCESS;
		rd &= is_u32(cmd(LED_CMD_READ, i), 0);
		s &= cmd(LED_CMD_TOGGLE, i).variant == SYS_SUCCESS;
		rd &= is_u32(cmd(LED_CMD_READ, i), 1);
		s &= cmd(LED_CMD_TOGGLE, i).variant == SYS_SUCCESS;
		rd &= is_u32(cmd(LED_CMD_READ, i), 0);
		steps_ok[i] = s;
		reads_ok[i] = rd;
	}
	bad[0] = cmd(LED_CMD_ON, n);
	bad[1] = cmd(LED_CMD_OFF, UINTPTR_MAX);
	bad[2] = cmd(LED_CMD_TOGGLE, n);
	bad[3] = cmd(LED_CMD_READ, n);
	tern_puts("led: sequence ends");

	ktest_check(is_u32(count, n),
		    "command 0: Success with u32 = %u LEDs (%lu, %lu)", n,
		    V(count), (unsigned long)count.v[0]);
	for (unsigned i = 0; i < n; i++) {
		ktest_check(steps_ok[i], "LED %u: on, off, toggle x2: Success",
			    i);
		ktest_check(reads_ok[i], "LED %u: command 4 reads 1, 0, 1, 0",
			    i);
	}
	ktest_check(is_err(bad[0], SYS_EINVAL) && is_err(bad[2], SYS_EINVAL),
		    "on / toggle of LED %u (= count): INVAL", n);
	ktest_check(is_err(bad[1], SYS_EINVAL),
		    "off of LED 0x%lx: INVAL, not a wrapped index",
		    (unsigned long)UINTPTR_MAX);
	ktest_check(is_err(bad[3], SYS_EINVAL), "read of LED %u: INVAL", n);
	ktest_check(is_err(cmd(5, 0), SYS_ENOSUPPORT), "command 5: NOSUPPORT");
	r = sys_subscribe(LED_DRIVER, 0, NULL, NULL);
	ktest_check(r.variant == SYS_SUBSCRIBE_FAILURE && r.v[0] == SYS_ENOMEM,
		    "subscribe: NOMEM (no grant) (%lu, %lu)", V(r),
		    (unsigned long)r.v[0]);
	r = sys_allow_rw(LED_DRIVER, 0, buf, sizeof(buf));
	ktest_check(r.variant == SYS_ALLOW_FAILURE && r.v[0] == SYS_ENOMEM,
		    "RW allow: NOMEM");
	r = sys_allow_ro(LED_DRIVER, 0, buf, sizeof(buf));
	ktest_check(r.variant == SYS_ALLOW_FAILURE && r.v[0] == SYS_ENOMEM,
		    "RO allow: NOMEM");
	return ktest_done("led");
}
