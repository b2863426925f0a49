// SPDX-License-Identifier: MIT
/*
 * QEMU "virt" (rv32), kernel in M-mode without firmware (-bios none).
 *
 * The board's facts (memory map from linker/qemu-virt-rv32.ld, device
 * addresses from QEMU's virt machine), its device set-up and the board
 * services of kernel/board.h.  Devices: a 16550 UART (polled output; its
 * interrupt reaches hart 0's M-mode context through the PLIC as source 10),
 * the CLINT timer (10 MHz; read through the time CSR), the SiFive test device (power off with an exit
 * status) and LEDs that exist only as console messages.  The drivers the
 * board offers to processes are listed in driver_table.
 */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/alarm.h"
#if defined(TERN_BENCH)
#include "drivers/bench.h"
#endif
#include "drivers/console.h"
#include "drivers/led.h"
#include "drivers/lldebug.h"
#if defined(TERN_KTEST)
#include "drivers/ktest.h"
#endif
#include "kernel/board.h"
#include "kernel/driver.h"
#include "kernel/kprintf.h"
#include "platform/arch/riscv/clint.h"
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/mmio.h"
#include "platform/arch/riscv/plic.h"
#include "platform/devices/uart16550.h"

/* clang-format off */
#define VIRT_TEST_BASE  0x00100000u /* SiFive test device (power off) */
#define VIRT_CLINT_BASE 0x02000000u
#define VIRT_PLIC_BASE  0x0c000000u
#define VIRT_UART0_BASE 0x10000000u
#define VIRT_UART0_IRQ  10u         /* PLIC source */
#define VIRT_TIMER_HZ   10000000u   /* QEMU virt timebase-frequency */
#define VIRT_LEDS       3u

#define TEST_PASS 0x5555u           /* exit status 0 */
#define TEST_FAIL 0x3333u           /* exit status in bits 31:16 */
/* clang-format on */

/* Provided by linker/qemu-virt-rv32.ld. */
extern char _app_flash_start[], _app_flash_end[];
extern char _app_ram_start[], _app_ram_end[];

const struct board board = {
	.name = "qemu-virt-rv32",
	.app_flash_start = (uintptr_t)_app_flash_start,
	.app_flash_end = (uintptr_t)_app_flash_end,
	.app_ram_start = (uintptr_t)_app_ram_start,
	.app_ram_end = (uintptr_t)_app_ram_end,
};

/* Position = grant index (kernel/driver.h). */
const struct driver *const driver_table[] = {
#if defined(TERN_BENCH)
	/* the bench kernel only (tests/bench); first, so found first */
	&bench_driver, /* 0x900BE */
#endif
	&alarm_driver,	 /* 0x0 */
	&console_driver, /* 0x1 */
	&led_driver,	 /* 0x2 */
	&lldebug_driver, /* 0x8 */
#if defined(TERN_KTEST)
	&ktest_driver, /* 0x90057: the kernel-test kernel only (tests/qemu) */
#endif
};
const unsigned driver_count = sizeof(driver_table) / sizeof(driver_table[0]);

static const struct uart16550 uart0 = { VIRT_UART0_BASE };
static const struct plic plic = { VIRT_PLIC_BASE, 0 }; /* hart 0, M-mode */
static const struct clint clint = { VIRT_CLINT_BASE };

static bool leds[VIRT_LEDS];

void board_init(void)
{
	uart16550_init(&uart0);
	plic_set_threshold(&plic, 0);
	plic_enable(&plic, VIRT_UART0_IRQ, 1);
	clint_set_mtimecmp(&clint, UINT64_MAX);
	/*
	 * External interrupts are always enabled in mie; the timer only while
	 * armed.  mstatus.MIE stays 0: in the kernel they are seen by wfi and
	 * polling, in U-mode they trap (higher-privilege interrupts are always
	 * globally enabled there).
	 */
	csr_set(mie, MIE_MEIE);
}

/* ---- console UART ---- */

void board_console_putc(char c)
{
	if (c == '\n')
		while (!uart16550_try_tx(&uart0, '\r'))
			;
	while (!uart16550_try_tx(&uart0, (uint8_t)c))
		;
}

bool board_uart_try_tx(uint8_t c)
{
	return uart16550_try_tx(&uart0, c);
}

bool board_uart_try_rx(uint8_t *c)
{
	return uart16550_try_rx(&uart0, c);
}

void board_uart_irq_enable(bool tx, bool rx)
{
	uart16550_irq_enable(&uart0, tx, rx);
}

/* ---- timer ---- */

uint64_t board_timer_now(void)
{
	/*
	 * QEMU's harts implement the time CSR (reading the CLINT's mtime), so
	 * this is a CSR read instead of an MMIO access: the kernel asks for
	 * the time on every syscall.
	 */
	return csr_read_time64();
}

uint32_t board_timer_freq(void)
{
	return VIRT_TIMER_HZ;
}

void board_timer_arm(uint64_t deadline)
{
	clint_set_mtimecmp(&clint, deadline);
	if (deadline == UINT64_MAX)
		csr_clear(mie, MIE_MTIE); /* "never": nothing to wait for */
	else
		csr_set(mie, MIE_MTIE);
}

/* ---- LEDs: simulated on the console ---- */

unsigned board_led_count(void)
{
	return VIRT_LEDS;
}

void board_led_set(unsigned i, bool on)
{
	if (i >= VIRT_LEDS)
		return;
	leds[i] = on;
	kprintf("[led] %u %s\n", i, on ? "on" : "off");
}

bool board_led_get(unsigned i)
{
	return i < VIRT_LEDS && leds[i];
}

/* ---- interrupts and power ---- */

void board_irq_service(void)
{
	unsigned src;

	/* mip.MEIP mirrors the PLIC's output: skip the claim when clear */
	if (!(csr_read(mip) & MIP_MEIP))
		return;
	while ((src = plic_claim(&plic)) != 0) {
		if (src == VIRT_UART0_IRQ)
			console_uart_event();
		plic_complete(&plic, src);
	}
}

void board_poweroff(int code)
{
	uint32_t v = code == 0 ? TEST_PASS
			       : ((uint32_t)code << 16) | TEST_FAIL;

	mmio_write32(VIRT_TEST_BASE, v);
	for (;;) /* the write never completes */
		__asm__ __volatile__("wfi");
}
