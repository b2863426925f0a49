/* SPDX-License-Identifier: MIT */
/*
 * A RISC-V board as data: the descriptor each board folder fills in, from
 * which board_riscv.c implements kernel/board.h once for every board.
 *
 * A board folder (platform/boards/<board>/) holds:
 *   board.c      the descriptors: `board` (kernel/board.h: name, memory
 *                map) and `riscv_board` below (devices, interrupt routes,
 *                LEDs, power), plus only the code that is really the
 *                board's own, at the fixed points below (the FE310's
 *                clock set-up and timer probe)
 *   meson.build  its sources and its drivers, by name (board_drivers)
 *   cross.ini    compiler, QEMU command line, budgets, hart facts
 * and linker/<board>.ld its memory map.
 *
 * Adding to a board is data:
 *   - a device: its kind and address in a field here (a new kind of
 *     device: its device driver under platform/devices/, built for every
 *     board by platform/devices/meson.build, a kind in an enum, a case in
 *     board_riscv.c); a portable driver reaches it through a service of
 *     kernel/board.h that board_riscv.c implements from the field, as the
 *     console driver reaches the UART;
 *   - a driver for processes: its name in board_drivers (meson.build); the
 *     build generates driver_table from that list (platform/meson.build);
 *   - an interrupt: a route { PLIC source, driver, line } in irq_routes;
 *     board_init() enables the source, board_irq_service() calls the
 *     driver's irq hook with the line.
 *
 * The descriptor is const; with link-time optimisation (the HiFive1) every
 * test of a kind below folds to the board's one case and the code of the
 * other kinds goes.  Without it (the QEMU boards) the tests are loads at
 * run time, and every device driver is linked in.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/driver.h"
#include "platform/arch/riscv/clint.h"
#include "platform/arch/riscv/plic.h"
#include "platform/devices/gpio_sifive.h"
#include "platform/devices/uart16550.h"
#include "platform/devices/uart_sifive.h"

/* The console UART's device. */
enum riscv_uart_kind {
	RISCV_UART_16550, /* platform/devices/uart16550.h */
	RISCV_UART_SIFIVE, /* platform/devices/uart_sifive.h */
};

/*
 * Who keeps the timer compare.  Only an S-mode kernel has firmware below
 * it (and only its build has sbi.c: cross file property sbi).
 */
enum riscv_timer_kind {
	RISCV_TIMER_CLINT, /* M-mode: the CLINT's mtimecmp */
	RISCV_TIMER_SBI,   /* S-mode: the firmware, SBI TIME extension */
};

/* How the LEDs show. */
enum riscv_led_kind {
	RISCV_LED_CONSOLE,  /* no LEDs: "[led] i on|off" on the console */
	RISCV_LED_GPIO_LOW, /* SiFive GPIO pins, lit when driven low */
};

/* How the machine is turned off. */
enum riscv_power_kind {
	RISCV_POWER_TEST_DEV, /* SiFive test device (QEMU virt): exit status */
	RISCV_POWER_SBI,      /* the firmware's SRST extension (S-mode) */
	RISCV_POWER_SEMIHOST, /* a debug host's semihosting exit, else halt */
};

/* An interrupt source and the driver that serves it. */
struct riscv_irq_route {
	uint16_t src;		  /* PLIC source */
	uint16_t line;		  /* handed to the driver's irq hook */
	const struct driver *drv; /* its irq hook is called */
};

#define RISCV_LEDS_MAX 8u

struct riscv_board {
	struct {
		enum riscv_uart_kind kind;
		union {
			struct uart16550 ns16550;
			struct uart_sifive sifive;
		} dev;
		uint32_t baud, clock_hz; /* SiFive: divisor from these */
	} uart; /* the console */

	/* hart 0's context of the kernel's mode; sources: how many to
	 * disable at boot (a reset state that may leave some enabled), or 0 */
	struct plic plic;
	uint16_t plic_sources;

	struct {
		enum riscv_timer_kind kind;
		bool time_csr;	    /* read the time CSR, not mtime over MMIO */
		struct clint clint; /* CLINT timer: its registers */
		uint32_t hz; /* counter rate (riscv_board_timer_hz() may measure) */
	} timer;

	struct gpio_sifive gpio; /* base 0: none */
	/*
	 * The GPIO driver's pins (drivers/gpio.h, gpio_board): pin n
	 * interrupts as PLIC source src0 + n, enabled when the driver first
	 * asks for the pin's interrupt, and goes to drv's irq hook with line
	 * n.  drv NULL: no GPIO driver.
	 */
	struct {
		uint16_t src0;
		const struct driver *drv;
	} gpio_irq;
	uint32_t gpio_iof0;	 /* pins handed to IOF0 at boot (the UART) */

	struct {
		enum riscv_led_kind kind;
		uint8_t count; /* at most RISCV_LEDS_MAX */
		/* GPIO pin of each (its own array: only it stays in memory
		 * once the rest of the descriptor has folded away) */
		const uint8_t *pins;
	} leds;

	struct {
		enum riscv_power_kind kind;
		uintptr_t test_dev; /* RISCV_POWER_TEST_DEV: its address */
		bool status_led;    /* show the status: LED ok_led or fail_led */
		uint8_t ok_led, fail_led;
	} power;

	const struct riscv_irq_route *irq_routes;
	uint8_t irq_route_count;
};

extern const struct riscv_board riscv_board;

/*
 * The board's own code, at fixed points of board_riscv.c.  Each has a weak
 * default there (nothing to do; the descriptor's rate); a board that needs
 * one defines it in its board.c, which replaces the default (and, with
 * link-time optimisation, is inlined at its one call).
 */

/* First thing in board_init(), before any device: clocks. */
void riscv_board_early_init(void);

/*
 * After the console and the interrupt controller are set up: devices the
 * board finds at boot (the QEMU boards' virtio slots, virtio_rng.h).  A
 * function, not descriptor data: the probe's code must go from a board
 * without such devices, and link-time optimisation does not fold a
 * descriptor field that would guard it.
 */
void riscv_board_devices_init(void);

/* The counter's rate, asked once the devices are set up (a probe). */
uint32_t riscv_board_timer_hz(void);

/* At power-off, before the status LED and the UART drain: a last report. */
void riscv_board_last_words(int code);

/* semihost.S: end through a debug host if one listens, else return. */
void semihost_exit(int code);
