/* SPDX-License-Identifier: MIT */
/*
 * SiFive UART (FE310-G002 manual, chapter "Universal Asynchronous
 * Receiver/Transmitter"): 8-entry transmit and receive FIFOs, 8N1 with one
 * or two stop bits, a baud divisor from the bus clock, and two interrupt
 * sources (transmit and receive watermarks).
 *
 * Polled transmit and receive, and control of the two watermark
 * interrupts.  The pins must already be handed to the UART (gpio_iof0()).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct uart_sifive {
	uintptr_t base;
};

/*
 * 8N1 at baud from a bus clock of f_in Hz, transmitter and receiver on,
 * interrupts off.  The transmit watermark interrupt is pending while the
 * transmit FIFO is empty, the receive one while a byte is waiting.
 */
void uart_sifive_init(const struct uart_sifive *u, uint32_t f_in,
		      uint32_t baud);

/* True (and the byte queued) when the transmit FIFO had room. */
bool uart_sifive_try_tx(const struct uart_sifive *u, uint8_t c);

/* True and *c when a received byte was waiting. */
bool uart_sifive_try_rx(const struct uart_sifive *u, uint8_t *c);

/*
 * Wait until the transmit FIFO is empty (the last byte may still be in the
 * shift register).  Requires the init's transmit watermark of 1.
 */
void uart_sifive_drain(const struct uart_sifive *u);

/* Enable (true) or disable the transmit and receive watermark interrupts. */
void uart_sifive_irq_enable(const struct uart_sifive *u, bool tx, bool rx);
