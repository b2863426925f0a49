// SPDX-License-Identifier: MIT
/*
 * Boot in C: from entry.S's first stack to kernel_main().
 *
 * Prepares the C environment (.data copied when it is loaded elsewhere,
 * .bss zeroed), puts the hart into the state the rest of the kernel assumes
 * (interrupts masked globally; in M-mode every PMP entry off, in S-mode
 * the kernel's page tables built with paging still off and SUM clear, so
 * U-mode can touch nothing until mpu_load(); of the counters U-mode may
 * read only time, see trap.h "Hart state") and hands over to the board
 * and then the
 * portable kernel.  It must not touch .bss before zeroing it, and must not
 * print before board_init() (short of a panic).
 */
#include <stdint.h>
#include <string.h>

#include "kernel/board.h"
#include "platform/arch/riscv/csr.h"
#if KERNEL_MODE_M
#include "platform/arch/riscv/pmp_hw.h"
#elif defined(RISCV_MMU_SV39)
#include "platform/arch/riscv/sv39_hw.h"
#endif

/* Provided by linker/common.ld. */
extern char _data_start[], _data_end[], _data_lma[];
extern char _bss_start[], _bss_end[];

__attribute__((noreturn)) void arch_start(void);

/*
 * The counters U-mode may read (trap.h, "Hart state"): time alone, which
 * tells a process nothing about another; cycle and instret would time
 * other processes' work, and every hpmcounter stays hidden.
 */
#define USER_COUNTERS COUNTEREN_TM

#if KERNEL_MODE_M
#define MISA_S (1ul << ('S' - 'A'))

static void machine_setup(void)
{
	pmp_hw_init();

	/*
	 * With S-mode present the U-mode check also consults scounteren
	 * (privileged spec, "Counter-Enable Registers"); without it
	 * scounteren does not exist.
	 */
	csr_write(mcounteren, USER_COUNTERS);
	if (csr_read(misa) & MISA_S)
		csr_write(scounteren, USER_COUNTERS);
}
#else
static void supervisor_setup(void)
{
	/*
	 * The firmware decides mcounteren (OpenSBI lets S-mode pass every
	 * counter on); scounteren is the kernel's.  The kernel touches
	 * process memory only with SUM set (mpu_user_access_begin);
	 * sv39_hw_init() clears it and leaves paging off until the first
	 * process runs.
	 */
	csr_write(scounteren, USER_COUNTERS);
#if defined(RISCV_MMU_SV39)
	sv39_hw_init();
#endif
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
#else
	supervisor_setup();
#endif
	board_init();
	kernel_main();
}
