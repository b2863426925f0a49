/* SPDX-License-Identifier: MIT */
/*
 * A 16550-compatible UART with byte-wide registers (QEMU's virt "ns16550a").
 *
 * Polled transmit and receive, and control of its two interrupt sources
 * (receive data available, transmit holding register empty).  Line settings
 * are left at what the emulator provides apart from 8N1 and FIFOs on; QEMU
 * ignores the divisor, so none is programmed.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct uart16550 {
	uintptr_t base;
};

/* 8N1, FIFOs on and cleared, both interrupts off. */
void uart16550_init(const struct uart16550 *u);

/* True (and the byte sent) when the transmit holding register was empty. */
bool uart16550_try_tx(const struct uart16550 *u, uint8_t c);

/* True and *c when a received byte was waiting. */
bool uart16550_try_rx(const struct uart16550 *u, uint8_t *c);

/* Enable (true) or disable the transmit-empty and receive interrupts. */
void uart16550_irq_enable(const struct uart16550 *u, bool tx, bool rx);
