// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios "isolation_hot_ram" / "isolation_hot_exec", second
 * process: right after the kernel switches to it from the toucher (see
 * hot_toucher.c), it writes to the toucher's hot RAM word (HOT="ram",
 * -DPEER_RAM) or jumps to the toucher's _start, on the page whose code the
 * toucher has just run (HOT="exec", -DPEER_FLASH).  Either must fault; the
 * restart policy brings it back a few times and each incarnation tries
 * again (by then without the toucher's help) until it is stopped.
 */
#include <string.h>

#include "user/lib/tern.h"
#include "tests/qemu/isolation/hot.h"

static volatile unsigned fired_count;

static void fired(uint32_t a, uint32_t b, uint32_t c, void *ud)
{
	(void)a, (void)b, (void)c, (void)ud;
	fired_count++;
}

int main(void)
{
	bool exec = !strcmp(HOT, "exec");
	uintptr_t target = exec ? (uintptr_t)PEER_FLASH : (uintptr_t)PEER_RAM;
	uint32_t now, dt;

	tern_printf("crosser: crossing hot_%s at %lx\n", HOT,
		    (unsigned long)target);
	sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, fired, NULL);
	/* a restarted incarnation is late: dt 0 fires at once */
	now = alarm_now();
	dt = HOT_AT + HOT_CROSSER_DELAY - now;
	sys_command(ALARM_DRIVER, ALARM_CMD_ARM_AT, now,
		    (int32_t)dt > 0 ? dt : 0);
	while (fired_count == 0)
		sys_yield_wait();
	/* the first thing after the switch */
	if (exec)
		((void (*)(void))target)();
	else
		*(volatile uint32_t *)target = 0x0bad0bad;
	tern_printf("KTEST FAIL isolation_hot_%s: hot_%s did not fault\n", HOT,
		    HOT);
	return 1;
}
