// SPDX-License-Identifier: MIT
/*
 * QEMU scenario gpio (gpio.toml): the GPIO driver, number 0x4, on the HiFive1's
 * FE310 GPIO block as QEMU's sifive_e models it (a pin whose input and
 * output are both on reads back the level it drives, and its edges raise
 * its interrupt: a loopback without wires).
 *
 * Checks: command 0 and the count; INVAL for the UART and LED pins and
 * pins out of range; output set / clear / toggle read back; pull-up and
 * no pull read 1 and 0, pull-down NOSUPPORT (the FE310 has none); a
 * rising-edge interrupt upcalls (pin, 1, 0) when the pin is set, none on
 * the falling edge, and either-edge mode upcalls both; ownership against
 * the peer (peer.c): BUSY while the peer lives, the pin free and reset
 * once it has exited.
 */
#include "user/lib/alarm.h"
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define GPIO 0x4u
#define OUT 0u	  /* loopback pin: output and input */
#define IRQ 1u	  /* loopback pin with an interrupt */
#define PULL 23u  /* input only */
#define MINE 3u	  /* taken at once; the peer must get BUSY */
#define PEERS 2u  /* the peer's */

static struct sys_return cmd(uint32_t c, uintptr_t pin, uintptr_t mode)
{
	return sys_command(GPIO, c, pin, mode);
}

static bool ok(struct sys_return r)
{
	return r.variant == SYS_SUCCESS;
}

static bool is_u32(struct sys_return r, uint32_t v)
{
	return r.variant == SYS_SUCCESS_U32 && r.v[0] == v;
}

static bool is_err(struct sys_return r, uint32_t e)
{
	return r.variant == SYS_FAILURE && r.v[0] == e;
}

static bool inval_all(uintptr_t pin)
{
	bool all = true;

	for (uint32_t c = 1; c <= 9; c++)
		all &= is_err(cmd(c, pin, 0), SYS_EINVAL);
	return all;
}

/* The next GPIO upcall is (pin, level, 0). */
static bool edge(uint32_t pin, uint32_t level)
{
	struct sys_return r = sys_yield_wait_for(GPIO, 0);

	return r.v[0] == pin && r.v[1] == level && r.v[2] == 0;
}

int main(void)
{
	static const uintptr_t bad[] = { 16, 17, 19, 21, 22, 6, 24, 31, 32,
					 UINTPTR_MAX };
	bool all = true;
	uint8_t ran = 1;

	ktest_check(ok(cmd(1, MINE, 0)), "pin %u taken first", MINE);
	ktest_check(ok(cmd(0, 0, 0)), "command 0: Success");
	ktest_check(is_u32(cmd(10, 0, 0), 24), "command 10: 24 pins");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		all &= inval_all(bad[i]);
	ktest_check(all, "UART 16/17, LEDs 19/21/22, 6, 24, 31, 32, ~0: "
			 "INVAL for commands 1-9");
	ktest_check(is_err(cmd(11, OUT, 0), SYS_ENOSUPPORT),
		    "command 11: NOSUPPORT");

	ktest_check(ok(cmd(1, OUT, 0)) && ok(cmd(5, OUT, 0)),
		    "pin %u: output and input", OUT);
	ktest_check(ok(cmd(2, OUT, 0)) && is_u32(cmd(6, OUT, 0), 1),
		    "set: reads 1");
	ktest_check(ok(cmd(3, OUT, 0)) && is_u32(cmd(6, OUT, 0), 0),
		    "clear: reads 0");
	ktest_check(ok(cmd(4, OUT, 0)) && is_u32(cmd(6, OUT, 0), 1),
		    "toggle: reads 1");
	ktest_check(ok(cmd(9, OUT, 0)), "command 9: pin off");

	ktest_check(ok(cmd(5, PULL, 1)) && is_u32(cmd(6, PULL, 0), 1),
		    "pin %u, pull-up: reads 1", PULL);
	ktest_check(ok(cmd(5, PULL, 0)) && is_u32(cmd(6, PULL, 0), 0),
		    "no pull: reads 0");
	ktest_check(is_err(cmd(5, PULL, 2), SYS_ENOSUPPORT) &&
			    is_err(cmd(5, PULL, 3), SYS_ENOSUPPORT),
		    "pull-down and mode 3: NOSUPPORT");
	ktest_check(is_err(cmd(7, PULL, 3), SYS_ENOSUPPORT),
		    "interrupt mode 3: NOSUPPORT");

	sys_subscribe(GPIO, 0, NULL, NULL);
	ktest_check(ok(cmd(1, IRQ, 0)) && ok(cmd(3, IRQ, 0)) &&
			    ok(cmd(7, IRQ, 1)),
		    "pin %u: output low, rising-edge interrupt", IRQ);
	ktest_check(ok(cmd(2, IRQ, 0)) && edge(IRQ, 1),
		    "set: upcall (%u, 1, 0)", IRQ);
	cmd(3, IRQ, 0); /* falling: no upcall in rising mode */
	sys_yield_no_wait(&ran);
	ktest_check(ran == 0, "clear: no upcall in rising mode");
	ktest_check(ok(cmd(7, IRQ, 0)) && ok(cmd(4, IRQ, 0)) &&
			    edge(IRQ, 1) && ok(cmd(4, IRQ, 0)) && edge(IRQ, 0),
		    "either edge: toggle twice, upcalls (%u, 1) and (%u, 0)",
		    IRQ, IRQ);
	ktest_check(ok(cmd(8, IRQ, 0)) && ok(cmd(4, IRQ, 0)),
		    "command 8: interrupts off");
	sys_yield_no_wait(&ran);
	ktest_check(ran == 0, "no upcall after command 8");

	alarm_delay_ms(20);
	ktest_check(is_err(cmd(1, PEERS, 0), SYS_EBUSY),
		    "pin %u while the peer owns it: BUSY", PEERS);
	alarm_delay_ms(200); /* the peer exits meanwhile */
	ktest_check(ok(cmd(5, PEERS, 0)) && is_u32(cmd(6, PEERS, 0), 0),
		    "pin %u after the peer exited: ours, its output reset "
		    "(reads 0)",
		    PEERS);
	return ktest_done("gpio");
}
