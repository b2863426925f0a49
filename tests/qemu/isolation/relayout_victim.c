// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "relayout", first process (see relayout.toml): grow the
 * break over the next protection unit, keep a word of it hot, ask for the
 * break to be moved back (ktest command 5) and block; the changer has the
 * kernel move it meanwhile.  The touch after the wake-up must fault.
 */
#include "user/lib/tern.h"

#define KTEST_DRIVER 0x90057u
#define KTEST_ASK_BRK 5u

static volatile uint32_t sink;

int main(void)
{
	uintptr_t old = (uintptr_t)sys_sbrk(0);
	uintptr_t a = (old + GRANULE - 1) & ~(uintptr_t)(GRANULE - 1);
	volatile uint32_t *w = (volatile uint32_t *)a;

	if (sys_brk((void *)(a + GRANULE)) != SYS_OK) {
		tern_printf("KTEST FAIL relayout: no room to grow\n");
		return 1;
	}
	for (unsigned i = 0; i < 1000; i++) {
		*w = i;
		sink = *w;
	}
	if (!sys_ok(sys_command(KTEST_DRIVER, KTEST_ASK_BRK, old, 0))) {
		tern_printf("KTEST FAIL relayout: ktest command 5\n");
		return 1;
	}
	tern_printf("victim: touched %lx, break moved back\n",
		    (unsigned long)a);
	/* blocked here: the changer runs and moves the break */
	alarm_delay_ms(20);
	sink = *w;
	tern_printf("victim: read above its break, did not fault\n");
	return 1;
}
