// SPDX-License-Identifier: MIT
/*
 * SiFive GPIO (the FE310's): software outputs and IOF0 hand-over; see
 * gpio_sifive.h.  No DMA: the registers take the fence-free accessors
 * (mmio.h).
 */
#include "platform/devices/gpio_sifive.h"

#include "platform/arch/riscv/mmio.h"

/* clang-format off */
#define GPIO_INPUT_EN  0x04u /* input buffer enable */
#define GPIO_OUTPUT_EN 0x08u /* output driver enable */
#define GPIO_PORT      0x0cu /* output_val: level driven when not IOF */
#define GPIO_IOF_EN    0x38u /* 1: pin driven by a hardware function */
#define GPIO_IOF_SEL   0x3cu /* 0: IOF0, 1: IOF1 */
#define GPIO_OUT_XOR   0x40u /* output inversion */
/* clang-format on */

/* Read-modify-write: only this hart touches the block, never an IRQ. */
static void update(const struct gpio_sifive *g, unsigned reg,
		   uint32_t mask, bool set)
{
	uint32_t v = mmio_read32_relaxed(g->base + reg);

	mmio_write32_relaxed(g->base + reg, set ? v | mask : v & ~mask);
}

void gpio_sifive_output_init(const struct gpio_sifive *g, uint32_t mask,
			     bool high)
{
	update(g, GPIO_OUT_XOR, mask, false);
	update(g, GPIO_PORT, mask, high);
	update(g, GPIO_IOF_EN, mask, false);
	update(g, GPIO_INPUT_EN, mask, false);
	update(g, GPIO_OUTPUT_EN, mask, true);
}

void gpio_sifive_write(const struct gpio_sifive *g, uint32_t mask,
		       bool high)
{
	update(g, GPIO_PORT, mask, high);
}

bool gpio_sifive_driven_high(const struct gpio_sifive *g, uint32_t mask)
{
	return (mmio_read32_relaxed(g->base + GPIO_PORT) & mask) != 0;
}

void gpio_sifive_iof0(const struct gpio_sifive *g, uint32_t mask)
{
	/* select first, so the pins never see IOF1 */
	update(g, GPIO_IOF_SEL, mask, false);
	update(g, GPIO_IOF_EN, mask, true);
}
