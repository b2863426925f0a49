// SPDX-License-Identifier: MIT
/*
 * QEMU scenario zero_mem: memory is zero until the process writes it
 * (kernel/proc/proc.h).  Three incarnations of this app, told apart by
 * LEDs 0 and 1 (board state, which survives a restart; process memory
 * does not):
 *
 *   0  fresh from boot;  ends with exit-restart
 *   1  after that;       ends with a store fault (the restart policy
 *                        brings it back)
 *   2  after the fault;  prints the verdict
 *
 * Each incarnation reads every byte it can reach that it has not written
 * itself, and each must be zero: the unused stack, the rest of the break's
 * protection unit (-DGRANULE: 4 bytes with PMP, a 4 KiB page with Sv39),
 * and, grown with sbrk step by step up to the grant region, every byte
 * each step makes reachable; then brk shrink-then-grow must give back
 * zeroes.  Before it ends it writes a secret over everything it reached,
 * so a byte the next incarnation finds non-zero is the old one's data.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#ifndef GRANULE
#error "build with -DGRANULE=<the board's protection granule>"
#endif

#define SECRET 0x5e
#define STACK_MARGIN 256 /* below sp: what this incarnation never uses */
#define STEP 97		 /* sbrk step: not a divisor of any granule */

/* An address no process may store to (the kernel's null page). */
static volatile uintptr_t nowhere = 4;

static uintptr_t align_up(uintptr_t a)
{
	return (a + GRANULE - 1) & ~(uintptr_t)(GRANULE - 1);
}

/* End of what the RAM record reaches: the break, rounded to the granule. */
static uintptr_t reach(void)
{
	return align_up((uintptr_t)sys_sbrk(0));
}

static bool all_zero(uintptr_t a, uintptr_t b, const char *what)
{
	for (uintptr_t p = a; p < b; p++)
		if (*(const volatile uint8_t *)p != 0)
			return ktest_check(false, "%s: byte %lx is %02x", what,
					   (unsigned long)p,
					   *(const volatile uint8_t *)p);
	return true;
}

static unsigned incarnation(void)
{
	return (led_read(0) == 1) + (led_read(1) == 1);
}

int main(void)
{
	unsigned n = incarnation();
	volatile uint8_t here = 0;
	uintptr_t low = tern_boot.mem_start;
	uintptr_t sp_low = (uintptr_t)&here - STACK_MARGIN;
	uintptr_t b, top, steps = 0;
	bool zero;

	/* before anything that could take the stack below sp_low */
	ktest_check(all_zero(low, sp_low, "unused stack"),
		    "incarnation %u: unused stack all zero", n);
	tern_printf("zero_mem: incarnation %u, RAM %lx, break %lx\n", n,
		    (unsigned long)low, (unsigned long)sys_sbrk(0));
	zero = all_zero((uintptr_t)sys_sbrk(0), reach(),
			"rest of the break's unit");

	/* grow step by step: each step's new bytes must be zero */
	for (;;) {
		uintptr_t was = reach();

		if (sys_sbrk(STEP) == NULL)
			break;
		steps++;
		zero &= all_zero(was, reach(), "grown by sbrk");
		if (!zero)
			break;
	}
	top = reach();
	ktest_check(zero, "incarnation %u: %lu bytes reachable, %lu sbrk steps,"
		    " all zero", n, (unsigned long)(top - low),
		    (unsigned long)steps);

	/*
	 * Dirty all from two units and a bit below the break to the end of
	 * its unit, shrink there, grow back: what comes back must be zero,
	 * the rest of the break's unit included.
	 */
	b = (uintptr_t)sys_sbrk(0);
	if (ktest_check(b - 2 * GRANULE - 5 > (uintptr_t)_bss_end,
			"room to shrink")) {
		uintptr_t lo = b - 2 * GRANULE - 5;

		for (uintptr_t p = lo; p < reach(); p++)
			*(volatile uint8_t *)p = SECRET;
		ktest_check(sys_brk((void *)lo) == SYS_OK, "brk shrinks");
		ktest_check(sys_brk((void *)b) == SYS_OK, "brk grows back");
		ktest_check(all_zero(lo, reach(), "shrink then grow"),
			    "incarnation %u: shrink then grow gives zeroes",
			    n);
	}

	/* the secret over everything reached, for the next incarnation */
	for (uintptr_t p = low; p < sp_low; p++)
		*(volatile uint8_t *)p = SECRET;
	for (uintptr_t p = (uintptr_t)_bss_end; p < top; p++)
		*(volatile uint8_t *)p = SECRET;

	if (n == 0) {
		led_on(0);
		sys_exit_restart(0);
	} else if (n == 1) {
		led_on(1);
		tern_printf("zero_mem: faulting on purpose\n");
		*(volatile uint32_t *)nowhere = 0;
	}
	led_off(0);
	led_off(1);
	return ktest_done("zero_mem");
}
