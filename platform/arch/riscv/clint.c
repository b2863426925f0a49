// SPDX-License-Identifier: MIT
/*
 * CLINT mtime and hart 0's mtimecmp; see clint.h.  The CLINT does no DMA:
 * its registers take the fence-free accessors (mmio.h).
 */
#include "platform/arch/riscv/clint.h"

#include "platform/arch/riscv/mmio.h"

/* clang-format off */
#define CLINT_MTIMECMP0 0x4000u /* hart 0 compare, 64-bit */
#define CLINT_MTIME     0xbff8u /* free-running counter, 64-bit */
/* clang-format on */

void clint_set_mtimecmp(const struct clint *c, uint64_t v)
{
	uintptr_t cmp = c->base + CLINT_MTIMECMP0;

	/*
	 * Written in halves; park the high half at its maximum first so that
	 * no intermediate value (new low, old high) can lie in the past.
	 */
	mmio_write32_relaxed(cmp + 4, 0xffffffffu);
	mmio_write32_relaxed(cmp, (uint32_t)v);
	mmio_write32_relaxed(cmp + 4, (uint32_t)(v >> 32));
}

uint64_t clint_read_mtime(const struct clint *c)
{
	uintptr_t t = c->base + CLINT_MTIME;
	uint32_t hi, lo;

	/* the low half may carry into the high half between the reads */
	do {
		hi = mmio_read32_relaxed(t + 4);
		lo = mmio_read32_relaxed(t);
	} while (mmio_read32_relaxed(t + 4) != hi);
	return ((uint64_t)hi << 32) | lo;
}
