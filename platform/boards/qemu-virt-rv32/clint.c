// SPDX-License-Identifier: MIT
/* CLINT mtimecmp for hart 0; see clint.h. */
#include "platform/boards/qemu-virt-rv32/clint.h"

#include "platform/arch/riscv/mmio.h"

/* clang-format off */
#define CLINT_MTIMECMP0 0x4000u /* hart 0 compare, 64-bit */
/* clang-format on */

void clint_set_mtimecmp(const struct clint *c, uint64_t v)
{
	uintptr_t cmp = c->base + CLINT_MTIMECMP0;

	/*
	 * Written in halves; park the high half at its maximum first so that
	 * no intermediate value (new low, old high) can lie in the past.
	 */
	mmio_write32(cmp + 4, 0xffffffffu);
	mmio_write32(cmp, (uint32_t)v);
	mmio_write32(cmp + 4, (uint32_t)(v >> 32));
}
