// SPDX-License-Identifier: MIT
/*
 * Boot in C: from entry.S's first stack to kernel_main().
 *
 * Prepares the C environment (.data copied when it is loaded elsewhere,
 * .bss zeroed), puts the hart into the state the rest of the kernel assumes
 * (interrupts masked globally, every PMP entry off so U-mode can touch
 * nothing until mpu_load(), U-mode allowed to read instret for benchmarks)
 * and hands over to the board and then the portable kernel.  It must not
 * touch .bss before zeroing it, and must not print before board_init().
 */
#include <stdint.h>
#include <string.h>

#include "kernel/board.h"
#include "platform/arch/riscv/csr.h"
#if KERNEL_MODE_M
#include "platform/arch/riscv/pmp_hw.h"
#endif

/* Provided by linker/common.ld. */
extern char _data_start[], _data_end[], _data_lma[];
extern char _bss_start[], _bss_end[];

__attribute__((noreturn)) void arch_start(void);

#if KERNEL_MODE_M
#define MISA_S (1ul << ('S' - 'A'))

static void machine_setup(void)
{
	pmp_hw_init();

	/*
	 * Let U-mode read instret (rdinstret) for the instruction-count
	 * benchmarks; cycle and time stay hidden.  With S-mode present the
	 * U-mode check also consults scounteren (privileged spec, "Counter-
	 * Enable Registers"); without it scounteren does not exist.
	 */
	csr_write(mcounteren, COUNTEREN_IR);
	if (csr_read(misa) & MISA_S)
		csr_write(scounteren, COUNTEREN_IR);
}
#endif

void arch_start(void)
{
	if ((uintptr_t)_data_lma != (uintptr_t)_data_start)
		memcpy(_data_start, _data_lma,
		       (size_t)(_data_end - _data_start));
	memset(_bss_start, 0, (size_t)(_bss_end - _bss_start));

	csr_clear(CSR_XSTATUS, XSTATUS_XIE);
#if KERNEL_MODE_M
	machine_setup();
#endif
	board_init();
	kernel_main();
}
