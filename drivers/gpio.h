/* SPDX-License-Identifier: MIT */
/*
 * GPIO driver, number 0x4: the board's free pins, with Tock's command
 * numbers (capsules/core/src/gpio.rs; libtock-c's
 * libtock/peripherals/gpio.h).
 *
 * A pin is named by its number on the chip (the HiFive1: FE310 GPIO n),
 * and only the pins in gpio_board.pins are a process's to use: the others
 * (console UART, LEDs, pins not bonded out) answer INVAL, as does any
 * number of 32 or more, compared on the full register.
 *
 * Ownership: the first process that uses a pin (any of commands 1-9) owns
 * it until it disables it (command 9) or its incarnation ends (exit,
 * fault, restart); meanwhile the pin is BUSY for every other process.
 * Either way the pin is turned off then (input, output, pull and
 * interrupts off): a dead owner's output stops driving at once, and a new
 * owner finds nothing of a previous owner's set-up.
 *
 * Grant: 1 upcall slot, no allows, no record (the driver keeps a table
 * of the pins each incarnation holds).
 * Commands (a2 = pin, a3 = mode):
 *   0   Success.
 *   1   make the pin an output (its input, if on, stays on: it then reads
 *       back the level it drives).
 *   2, 3, 4   drive it high, low, toggle.
 *   5   make it an input with mode 0 no pull, 1 pull-up, 2 pull-down;
 *       NOSUPPORT for other modes and for a pull the board lacks.
 *   6   read: Success with u32 0 or 1.
 *   7   interrupt on mode 0 either edge, 1 rising, 2 falling (NOSUPPORT
 *       otherwise); turns the input on.  Each edge queues upcall 0 with
 *       (pin, level, 0) to the owner.
 *   8   interrupts off, and the pin to its low-power state (as Tock).
 *   9   pin off (low power) and no longer owned.
 *   10  Success with u32 = highest usable pin + 1.
 *   Errors of 1-9: INVAL pin not usable; BUSY owned by another process.
 *   Other commands: NOSUPPORT.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/driver.h"

#define GPIO_DRIVER_NUM 0x4u

extern const struct driver gpio_driver;

/* Input pull (command 5's mode) and interrupt edges (command 7's mode). */
enum gpio_pull { GPIO_PULL_NONE = 0, GPIO_PULL_UP = 1, GPIO_PULL_DOWN = 2 };
enum gpio_edge {
	GPIO_EDGE_EITHER = 0,
	GPIO_EDGE_RISING = 1,
	GPIO_EDGE_FALLING = 2,
};

/*
 * A pin raised its interrupt: acknowledge it at the pin (GPIO_ACK) and
 * tell its owner.  Called by the board's interrupt service.
 */
void gpio_pin_event(unsigned pin);

/* ---- provided by the board (HiFive1: platform/boards/hifive1) ---- */

struct gpio_board {
	uint32_t pins;	/* bit n: pin n is a process's to use */
	uint8_t pulls;	/* bit m: enum gpio_pull m is supported */
};

extern const struct gpio_board gpio_board;

/* board_gpio_op()'s own commands */
#define GPIO_OFF 0u  /* input, output, pull and interrupts off */
#define GPIO_ACK 15u /* the pin's interrupt served: drop its edges seen */

/*
 * On pin (in gpio_board.pins), do what command cmd (1-9, GPIO_OFF or
 * GPIO_ACK) asks, with mode as checked by the driver (a pull in gpio_board.pulls
 * for 5, an enum gpio_edge for 7; meaningless otherwise): 8 and 9 are
 * GPIO_OFF, 7 turns the input on, drops edges seen before and enables the
 * pin's interrupt.  Returns the pin's input level (for 6; anything
 * otherwise).  One entry point instead of one per action: flash is scarce
 * on the HiFive1.
 */
bool board_gpio_op(unsigned pin, uint32_t cmd, unsigned mode);
