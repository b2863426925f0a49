// SPDX-License-Identifier: MIT
/*
 * SiFive GPIO (the FE310's): software outputs and IOF0 hand-over; see
 * gpio_sifive.h.  No DMA: the registers take the fence-free accessors
 * (mmio.h).
 */
#include "platform/devices/gpio_sifive.h"

#include "platform/arch/riscv/mmio.h"

/* clang-format off */
#define GPIO_VALUE     0x00u /* input levels (input buffer on) */
#define GPIO_INPUT_EN  0x04u /* input buffer enable */
#define GPIO_OUTPUT_EN 0x08u /* output driver enable */
#define GPIO_PORT      0x0cu /* output_val: level driven when not IOF */
#define GPIO_PUE       0x10u /* internal pull-up enable */
#define GPIO_RISE_IE   0x18u /* interrupt on rising edge */
#define GPIO_RISE_IP   0x1cu /* rising edge seen; write 1 to clear */
#define GPIO_FALL_IE   0x20u
#define GPIO_FALL_IP   0x24u
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

/*
 * gpio_sifive_pin() as register steps: each byte names a register (offset
 * / 4, bits 0-4) and what to do with the pin's bit there (bits 5-6:
 * clear, set, invert, write it alone: the pending registers clear what is
 * written); 0 ends a list.  ops_at[] gives where each command's list
 * starts.
 */
#define STEP(reg, how) ((reg) / 4 | (how) << 5)
#define CLR(reg) STEP(reg, 0)
#define SET(reg) STEP(reg, 1)
#define INV(reg) STEP(reg, 2)
#define PUT(reg) STEP(reg, 3)

static const uint8_t ops[] = {
	/* 0: off (GPIO_OFF, 8, 9) */
	CLR(GPIO_RISE_IE), CLR(GPIO_FALL_IE), CLR(GPIO_OUTPUT_EN),
	CLR(GPIO_INPUT_EN), CLR(GPIO_PUE), CLR(GPIO_OUT_XOR), 0,
	/* 7: 1 output, 9: 2 set, 11: 3 clear, 13: 4 toggle */
	SET(GPIO_OUTPUT_EN), 0, SET(GPIO_PORT), 0, CLR(GPIO_PORT), 0,
	INV(GPIO_PORT), 0,
	/* 15: 5 input, no pull; 18: 5 input, pull-up */
	CLR(GPIO_PUE), SET(GPIO_INPUT_EN), 0,
	SET(GPIO_PUE), SET(GPIO_INPUT_EN), 0,
	/* 21: 7 either edge, 24: rising, 27: falling, after 31 */
	SET(GPIO_RISE_IE), SET(GPIO_FALL_IE), 0,
	SET(GPIO_RISE_IE), CLR(GPIO_FALL_IE), 0,
	CLR(GPIO_RISE_IE), SET(GPIO_FALL_IE), 0,
	/* 30: 6 read; 31: 7's first steps; 32: GPIO_ACK */
	0, SET(GPIO_INPUT_EN), PUT(GPIO_RISE_IP), PUT(GPIO_FALL_IP), 0,
};

/*
 * start of each command's steps: 0-9, then 5's pulls (10, 11), 7's edges
 * (12-14) and GPIO_ACK (15)
 */
static const uint8_t ops_at[] = { 0,  7,  9,  11, 13, 15, 30, 31,
				  0,  0,  15, 18, 21, 24, 27, 32 };

static void steps(const struct gpio_sifive *g, unsigned pin, unsigned at)
{
	for (const uint8_t *s = &ops[at]; *s != 0; s++) {
		uintptr_t reg = g->base + (*s & 31u) * 4;
		unsigned how = *s >> 5;
		uint32_t m = 1u << pin, v = mmio_read32_relaxed(reg);

		mmio_write32_relaxed(reg, how == 0   ? v & ~m
					  : how == 1 ? v | m
					  : how == 2 ? v ^ m
						     : m);
	}
}

bool gpio_sifive_pin(const struct gpio_sifive *g, unsigned pin, uint32_t cmd,
		     unsigned mode)
{
	if (cmd == 5)
		cmd = 10 + mode; /* the pull's list */
	steps(g, pin, ops_at[cmd % sizeof(ops_at)]);
	if (cmd == 7)
		steps(g, pin, ops_at[12 + mode]); /* the edges */
	return mmio_read32_relaxed(g->base + GPIO_VALUE) >> pin & 1;
}
