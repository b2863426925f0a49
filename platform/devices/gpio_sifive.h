/* SPDX-License-Identifier: MIT */
/*
 * The FE310's GPIO block (FE310-G002 manual, chapter "General Purpose
 * Input/Output Controller"): 32 pins, each either a software-driven pin or
 * handed to one of two hardware I/O functions (IOF0 / IOF1).
 *
 * Pins are named by masks (bit n = GPIO n) so one call configures several.
 * Here: pins as software outputs (the RGB LED), pins handed to IOF0
 * (UART0), and single registers by name for the GPIO driver's pins
 * (board.c: inputs, pull-ups, edge interrupts; each pin n interrupts as
 * PLIC source 8 + n).
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

/*
 * Do on pin what board_gpio_op() (drivers/gpio.h) asks: cmd 1-9 with
 * mode, GPIO_OFF or GPIO_ACK; the pin's input level after it.  The pin is
 * a software pin (not IOF), which the board's list of pins guarantees.
 */
bool gpio_sifive_pin(const struct gpio_sifive *g, unsigned pin, uint32_t cmd,
		     unsigned mode);
