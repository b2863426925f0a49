// SPDX-License-Identifier: MIT
/*
 * kpanic() for RISC-V targets: print the report, then power the board off
 * with a nonzero status (QEMU exits, which fails the test that caused it).
 *
 * A panic raised while reporting a panic (a fault inside kprintf, say) skips
 * the report and powers off at once, so a broken console cannot loop.
 */
#include <stdarg.h>
#include <stdbool.h>

#include "kernel/board.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "platform/arch/riscv/csr.h"

void kpanic(const char *fmt, ...)
{
	static bool panicking;
	va_list ap;

	csr_clear(CSR_XSTATUS, XSTATUS_XIE);
	if (panicking)
		board_poweroff(2);
	panicking = true;

	kputs("\nkpanic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kputs("\n");
	board_poweroff(1);
}
