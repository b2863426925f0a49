// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios "kernel_stray_<target>": the kernel itself touches process
 * memory outside a process-buffer enter, and must be caught.
 *
 * Runs on the kernel-test kernel (tests/qemu/ktest/ktest.c) of page-table
 * boards.
 * First the proper path: the kernel reads a word of this process through a
 * read-only process buffer (command 2) and must see its value.  Then the
 * bug: the kernel reads a word directly (command 1), either this process's
 * own (-DTARGET_OWN: a user page, which the kernel may touch only with
 * sstatus.SUM set) or the neighbour's in slot B (-DPEER_RAM: not mapped at
 * all while this process's tables are loaded).  The kernel must take a page
 * fault and panic with a report naming the address; tests/qemu/run is
 * told to expect that panic.  If the read returns, the line after it says
 * so and the scenario fails.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define KTEST_DRIVER 0x90057u

static volatile uint32_t word = 0x5afe5afeu;

int main(void)
{
	struct sys_return r;
	uintptr_t target;

	r = sys_command(KTEST_DRIVER, 2, (uintptr_t)&word, 0);
	ktest_check(r.variant == SYS_SUCCESS_U32 && r.v[0] == 0x5afe5afeu,
		    "kernel reads 0x%lx through a process buffer (0x%lx)",
		    (unsigned long)(uintptr_t)&word, (unsigned long)r.v[0]);
#if defined(TARGET_OWN)
	target = (uintptr_t)&word;
#else
	/*
	 * Until the neighbour has run, its whole RAM block is kernel-owned
	 * (break at its start); once its crt0 has moved the break, the start
	 * of the block is its stack, user memory of another process.
	 */
	ktest_check(alarm_delay_ms(20) == 0, "let the neighbour start");
	target = PEER_RAM;
#endif
	tern_printf("kernel_stray: stray read of %lx\n", (unsigned long)target);
	r = sys_command(KTEST_DRIVER, 1, target, 0);
	ktest_check(false, "kernel read 0x%lx unchecked and got 0x%lx",
		    (unsigned long)target, (unsigned long)r.v[0]);
	return ktest_done("kernel_stray");
}
