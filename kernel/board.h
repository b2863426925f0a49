/* SPDX-License-Identifier: MIT */
/*
 * Board services the portable kernel and drivers use: console UART, timer,
 * LEDs, power.  One implementation serves every RISC-V board,
 * platform/arch/riscv/board_riscv.c, driven by the board's descriptor in
 * platform/boards/<board>/board.c (board_riscv.h says how to add a device,
 * an interrupt route or a driver to a board); the host board in
 * platform/boards/host/ implements them for the unit tests.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Facts about the board, as data (one const instance per board). */
struct board {
	const char *name;
	uintptr_t app_flash_start, app_flash_end; /* where TBFs are looked for */
	uintptr_t app_ram_start, app_ram_end;	  /* pool for process RAM */
};

extern const struct board board;

/* Early set-up (clocks, UART, interrupt controller); called before the kernel. */
void board_init(void);

/* The portable kernel's entry point, called by the platform after board_init(). */
__attribute__((noreturn)) void kernel_main(void);

/* ---- console UART ---- */

/* Kernel messages (boot log, fault reports): blocking write of one byte. */
void board_console_putc(char c);

/* Non-blocking transmit: true if the byte was taken by the UART. */
bool board_uart_try_tx(uint8_t c);

/* Non-blocking receive: true and *c if a byte was waiting. */
bool board_uart_try_rx(uint8_t *c);

/* Enable or disable the UART's transmit-ready / receive interrupts. */
void board_uart_irq_enable(bool tx, bool rx);

/* ---- timer: one free-running counter and one compare ---- */

/* Counter value, in ticks of board_timer_freq() Hz. */
uint64_t board_timer_now(void);
uint32_t board_timer_freq(void);

/* Raise the timer interrupt once now >= deadline (replaces any earlier). */
void board_timer_arm(uint64_t deadline);

/* ---- LEDs ---- */

unsigned board_led_count(void);
void board_led_set(unsigned i, bool on);
bool board_led_get(unsigned i);

/* ---- interrupts and power ---- */

/*
 * Service pending device interrupts (UART via the PLIC, ...): each source
 * goes to the irq hook of the driver the board routes it to.  The kernel
 * calls it after any interrupt trap and after waking from idle; it must be
 * cheap when nothing is pending.
 */
void board_irq_service(void);

/* Turn the machine off (QEMU: exit status code).  Never returns. */
__attribute__((noreturn)) void board_poweroff(int code);

/*
 * Restart the whole machine as at power-on (the process console's `reset`)
 * if the board can; then it never returns.  It returns on a board that
 * cannot (the HiFive1), with interrupts as they were.
 */
void board_reset(void);
