// SPDX-License-Identifier: MIT
/* 16550 UART, polled, with interrupt enables; see uart16550.h. */
#include "platform/devices/uart16550.h"

#include "platform/arch/riscv/mmio.h"

/* clang-format off */
#define UART_RBR 0 /* read: receive buffer */
#define UART_THR 0 /* write: transmit holding register */
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* write: FIFO control */
#define UART_LCR 3 /* line control */
#define UART_LSR 5 /* line status */

#define IER_ERBFI (1u << 0) /* receive data available */
#define IER_ETBEI (1u << 1) /* transmit holding register empty */
#define FCR_ENABLE (1u << 0)
#define FCR_CLEAR_RX (1u << 1)
#define FCR_CLEAR_TX (1u << 2)
#define LCR_8N1 0x03
#define LSR_DR (1u << 0)   /* a received byte is waiting */
#define LSR_THRE (1u << 5) /* transmit holding register empty */
/* clang-format on */

static uint8_t rd(const struct uart16550 *u, unsigned reg)
{
	return mmio_read8(u->base + reg);
}

static void wr(const struct uart16550 *u, unsigned reg, uint8_t v)
{
	mmio_write8(u->base + reg, v);
}

void uart16550_init(const struct uart16550 *u)
{
	wr(u, UART_IER, 0);
	wr(u, UART_LCR, LCR_8N1);
	wr(u, UART_FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
}

bool uart16550_try_tx(const struct uart16550 *u, uint8_t c)
{
	if (!(rd(u, UART_LSR) & LSR_THRE))
		return false;
	wr(u, UART_THR, c);
	return true;
}

bool uart16550_try_rx(const struct uart16550 *u, uint8_t *c)
{
	if (!(rd(u, UART_LSR) & LSR_DR))
		return false;
	*c = rd(u, UART_RBR);
	return true;
}

void uart16550_irq_enable(const struct uart16550 *u, bool tx, bool rx)
{
	wr(u, UART_IER, (uint8_t)((tx ? IER_ETBEI : 0) | (rx ? IER_ERBFI : 0)));
}
