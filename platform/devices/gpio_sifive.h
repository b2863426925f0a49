/* SPDX-License-Identifier: MIT */
/*
 * The FE310's GPIO block (FE310-G002 manual, chapter "General Purpose
 * Input/Output Controller"): 32 pins, each either a software-driven pin or
 * handed to one of two hardware I/O functions (IOF0 / IOF1).
 *
 * Pins are named by masks (bit n = GPIO n) so one call configures several.
 * Only what the board uses is here: pins as software outputs (the RGB LED)
 * and pins handed to IOF0 (UART0).  No pin interrupts.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct gpio_sifive {
	uintptr_t base;
};

/*
 * Make the pins of mask software outputs driving level high (true) or low,
 * without a glitch: the level is set before the output driver is enabled.
 */
void gpio_sifive_output_init(const struct gpio_sifive *g, uint32_t mask,
			     bool high);

/* Drive the pins of mask high (true) or low. */
void gpio_sifive_write(const struct gpio_sifive *g, uint32_t mask,
		       bool high);

/* The level the pins of mask are driven to: true if any is driven high. */
bool gpio_sifive_driven_high(const struct gpio_sifive *g, uint32_t mask);

/* Hand the pins of mask to hardware function IOF0 (UART0 on 16/17, ...). */
void gpio_sifive_iof0(const struct gpio_sifive *g, uint32_t mask);
