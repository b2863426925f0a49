// SPDX-License-Identifier: MIT
/*
 * SiFive UART, polled, with watermark interrupts; see uart_sifive.h.  The
 * UART does no DMA: its registers take the fence-free accessors (mmio.h).
 */
#include "platform/devices/uart_sifive.h"

#include "platform/arch/riscv/mmio.h"

/* clang-format off */
#define UART_TXDATA 0x00u /* write: enqueue; read: bit 31 = FIFO full */
#define UART_RXDATA 0x04u /* read: dequeue; bit 31 = FIFO was empty */
#define UART_TXCTRL 0x08u
#define UART_RXCTRL 0x0cu
#define UART_IE     0x10u
#define UART_IP     0x14u /* pending watermarks, bits as in UART_IE */
#define UART_DIV    0x18u /* baud = f_in / (div + 1) */

#define TXDATA_FULL  (1u << 31)
#define RXDATA_EMPTY (1u << 31)
#define TXCTRL_TXEN  (1u << 0)
#define RXCTRL_RXEN  (1u << 0)
#define CTRL_CNT(n)  ((uint32_t)(n) << 16) /* watermark level, 3 bits */
#define IE_TXWM      (1u << 0) /* pending while tx FIFO count < txcnt */
#define IE_RXWM      (1u << 1) /* pending while rx FIFO count > rxcnt */
/* clang-format on */

void uart_sifive_init(const struct uart_sifive *u, uint32_t f_in,
		      uint32_t baud)
{
	/* nearest divisor: 256 MHz / 115200 = 2222.2, div 2221, +0.01 % */
	uint32_t div = (f_in + baud / 2) / baud - 1;

	mmio_write32_relaxed(u->base + UART_IE, 0);
	mmio_write32_relaxed(u->base + UART_DIV, div);
	/* one stop bit (nstop = 0); interrupt when the FIFO has drained */
	mmio_write32_relaxed(u->base + UART_TXCTRL, TXCTRL_TXEN | CTRL_CNT(1));
	/* interrupt as soon as one byte is waiting */
	mmio_write32_relaxed(u->base + UART_RXCTRL, RXCTRL_RXEN | CTRL_CNT(0));
}

bool uart_sifive_try_tx(const struct uart_sifive *u, uint8_t c)
{
	/*
	 * Only this hart writes txdata and it does not interleave, so the
	 * FIFO cannot fill between the test and the write; a write to a
	 * full FIFO would be dropped silently (manual: "writes to data are
	 * ignored").
	 */
	if (mmio_read32_relaxed(u->base + UART_TXDATA) & TXDATA_FULL)
		return false;
	mmio_write32_relaxed(u->base + UART_TXDATA, c);
	return true;
}

bool uart_sifive_try_rx(const struct uart_sifive *u, uint8_t *c)
{
	uint32_t v = mmio_read32_relaxed(u->base + UART_RXDATA);

	if (v & RXDATA_EMPTY)
		return false;
	*c = (uint8_t)v;
	return true;
}

void uart_sifive_drain(const struct uart_sifive *u)
{
	/* txcnt 1: the watermark is pending while the FIFO holds no byte */
	while (!(mmio_read32_relaxed(u->base + UART_IP) & IE_TXWM))
		;
}

void uart_sifive_irq_enable(const struct uart_sifive *u, bool tx, bool rx)
{
	uint32_t ie = (tx ? IE_TXWM : 0) | (rx ? IE_RXWM : 0);

	mmio_write32_relaxed(u->base + UART_IE, ie);
}
