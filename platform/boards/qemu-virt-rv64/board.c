// SPDX-License-Identifier: MIT
/*
 * QEMU "virt" (rv64), kernel in S-mode under OpenSBI (-bios fw_dynamic).
 *
 * The board's facts (memory map from linker/qemu-virt-rv64.ld, device
 * addresses from QEMU's virt machine), its device set-up and the board
 * services of kernel/board.h.  Devices: a 16550 UART (polled output; its
 * interrupt reaches hart 0's S-mode context, PLIC context 1, as source 10)
 * and LEDs that exist only as console messages.  The firmware provides the
 * rest through SBI: the timer (the time CSR counts at 10 MHz; the compare
 * is set with the TIME extension) and power-off (SRST).  The devices the
 * kernel maps for itself are listed in sv39_board_mmio, the drivers the
 * board offers to processes in driver_table.
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
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/plic.h"
#include "platform/arch/riscv/sbi.h"
#include "platform/arch/riscv/sv39_hw.h"
#include "platform/devices/uart16550.h"

/* clang-format off */
#define VIRT_PLIC_BASE  0x0c000000u
#define VIRT_PLIC_SIZE  0x00400000u /* sources, enables, contexts 0 and 1 */
#define VIRT_PLIC_SCTX  1u          /* hart 0, S-mode */
#define VIRT_UART0_BASE 0x10000000u
#define VIRT_UART0_SIZE 0x00001000u
#define VIRT_UART0_IRQ  10u         /* PLIC source */
#define VIRT_TIMER_HZ   10000000u   /* QEMU virt timebase-frequency */
#define VIRT_LEDS       3u
/* clang-format on */

/* Provided by linker/qemu-virt-rv64.ld. */
extern char _app_flash_start[], _app_flash_end[];
extern char _app_ram_start[], _app_ram_end[];

const struct board board = {
	.name = "qemu-virt-rv64",
	.app_flash_start = (uintptr_t)_app_flash_start,
	.app_flash_end = (uintptr_t)_app_flash_end,
	.app_ram_start = (uintptr_t)_app_ram_start,
	.app_ram_end = (uintptr_t)_app_ram_end,
};

/* Position = grant index (kernel/driver.h). */
const struct driver *const driver_table[] = {
	&alarm_driver,	 /* 0x0 */
	&console_driver, /* 0x1 */
	&led_driver,	 /* 0x2 */
	&lldebug_driver, /* 0x8 */
#if defined(TERN_BENCH)
	&bench_driver, /* 0x900BE: the bench kernel only (tests/bench) */
#endif
#if defined(TERN_KTEST)
	&ktest_driver, /* 0x90057: the kernel-test kernel only (tests/qemu) */
#endif
};
const unsigned driver_count = sizeof(driver_table) / sizeof(driver_table[0]);

/* What the kernel maps for itself besides its image (sv39_hw.h). */
const struct mpu_region sv39_board_mmio[] = {
	{ VIRT_PLIC_BASE, VIRT_PLIC_SIZE, MPU_R | MPU_W },
	{ VIRT_UART0_BASE, VIRT_UART0_SIZE, MPU_R | MPU_W },
};
const unsigned sv39_board_mmio_count =
	sizeof(sv39_board_mmio) / sizeof(sv39_board_mmio[0]);

static const struct uart16550 uart0 = { VIRT_UART0_BASE };
static const struct plic plic = { VIRT_PLIC_BASE, VIRT_PLIC_SCTX };

static bool leds[VIRT_LEDS];

void board_init(void)
{
	uart16550_init(&uart0);
	sbi_init();
	plic_set_threshold(&plic, 0);
	plic_enable(&plic, VIRT_UART0_IRQ, 1);
	board_timer_arm(UINT64_MAX);
	/*
	 * External interrupts are always enabled in sie; the timer only while
	 * armed.  sstatus.SIE stays 0: in the kernel they are seen by wfi and
	 * polling, in U-mode they trap (interrupts for a more privileged mode
	 * are always globally enabled there).
	 */
	csr_set(sie, SIE_SEIE);
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
	/* S-mode may read time: OpenSBI sets mcounteren.TM */
	return csr_read_time64();
}

uint32_t board_timer_freq(void)
{
	return VIRT_TIMER_HZ;
}

void board_timer_arm(uint64_t deadline)
{
	/*
	 * Moving the compare also clears a pending supervisor timer
	 * interrupt (SBI spec, TIME extension), which trap.c has masked in
	 * the meantime.  Without a working timer the kernel cannot keep
	 * processes from running forever: a refusal is fatal.
	 */
	long err = sbi_set_timer(deadline);

	if (err != SBI_SUCCESS)
		kpanic("sbi: set_timer failed: %s (%ld)", sbi_strerror(err), err);
	if (deadline == UINT64_MAX)
		csr_clear(sie, SIE_STIE); /* "never": nothing to wait for */
	else
		csr_set(sie, SIE_STIE);
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

	/* sip.SEIP mirrors the PLIC's S-mode output: skip the claim if clear */
	if (!(csr_read(sip) & MIP_SEIP))
		return;
	while ((src = plic_claim(&plic)) != 0) {
		if (src == VIRT_UART0_IRQ)
			console_uart_event();
		plic_complete(&plic, src);
	}
}

void board_poweroff(int code)
{
	/*
	 * OpenSBI 1.1 makes QEMU exit with status 0 whatever the reason, so
	 * the code reaches only the console (and the firmware's reason).
	 */
	long err;

	if (code != 0)
		kprintf("[kernel] power off with code %d\n", code);
	err = sbi_shutdown(code);
	kprintf("[sbi] shutdown refused: %s (%ld); halting\n",
		sbi_strerror(err), err);
	for (;;)
		__asm__ __volatile__("wfi");
}
