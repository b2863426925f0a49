/* SPDX-License-Identifier: MIT */
/*
 * Clock set-up of the FE310-G002 on the HiFive1 Rev B: the PRCI (manual
 * chapter "Power, Reset, Clock, Interrupt"), the QSPI0 flash clock that
 * must stay within the flash's limit at the new core clock, and the source
 * of the always-on domain's 32.768 kHz clock (mtime).
 *
 * Called once, first thing in board_init(), while executing from flash.
 */
#pragma once

#include <stdbool.h>

/*
 * The core (and peripheral bus) clock prci_init() sets up: the board's
 * 16 MHz crystal (HFXOSC) through the PLL, R = 2, F = 64, Q = 2.  The UART
 * divisor is computed from it.
 */
#define PRCI_HFXOSC_HZ 16000000u
#define PRCI_CORE_HZ 256000000u

/* The always-on domain's low-frequency clock, which drives mtime. */
#define PRCI_LFCLK_HZ 32768u

/*
 * Switch the core to PRCI_CORE_HZ from whatever the bootloader left (the
 * internal oscillator, the crystal, or the PLL), and make the always-on
 * domain count the external 32.768 kHz oscillator.  Waits for the crystal
 * and for PLL lock; returns with the internal oscillator off.
 */
void prci_init(void);

/*
 * Fall back to the internal, untrimmed LFROSC (about 32 kHz) for lfclk,
 * should the external oscillator not run: turn LFROSC on (a boot loader
 * may have turned it off), wait until it is ready and select it.  False
 * when the aon_lfclksel pin forces the external clock, which software
 * cannot override.
 */
bool prci_lfclk_internal(void);
