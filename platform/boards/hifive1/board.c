// SPDX-License-Identifier: MIT
/*
 * SiFive HiFive1 Rev B (FE310-G002), kernel in M-mode after SiFive's boot
 * loader, which jumps to 0x20010000 in the SPI flash.
 *
 * The board's facts (memory map from linker/hifive1.ld, device addresses
 * and pins from the FE310-G002 manual and the board schematic), its device
 * set-up and the board services of kernel/board.h.  What is not specific to
 * the FE310 comes from the architecture layer (CLINT, PLIC, PMP, traps).
 *
 *   clock   16 MHz crystal through the PLL to 256 MHz (prci.c)
 *   console UART0 on GPIO 16 (RX) / 17 (TX) through IOF0, 115200 8N1; its
 *           interrupt is PLIC source 3, context 0 (hart 0, M-mode)
 *   timer   the CLINT's mtime, 32.768 kHz from the always-on domain's
 *           external oscillator (LFALTCLK); the E31 core has no time CSR,
 *           so mtime is read over MMIO
 *   LEDs    the RGB LED: 0 red GPIO 22, 1 green GPIO 19, 2 blue GPIO 21,
 *           each lit when its pin is driven low (the LED's anodes are
 *           tied to 3.3 V through resistors; the pins sink the current)
 *   power   there is no power switch: board_poweroff() says so on the
 *           console, shows the status on the LED (green 0, red other),
 *           hands the status to a debug host if one listens (QEMU
 *           semihosting), and otherwise halts the hart
 *
 * QEMU 7.2's sifive_e,revb=true differs from the silicon where the code
 * cannot notice: its PRCI reports ready and locked at once, its QSPI0 and
 * AON are unimplemented (writes ignored), its UART sends a byte the moment
 * it is written, and it has 16 PMP entries, of which the kernel uses the
 * silicon's 8.  The code follows the silicon.  One difference is noticed,
 * because it would break every timeout: its mtime counts at 10 MHz (see
 * timer_probe()).
 */
#include <stdbool.h>
#include <stddef.h>
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
#include "platform/arch/riscv/plic.h"
#include "platform/boards/hifive1/gpio.h"
#include "platform/boards/hifive1/prci.h"
#include "platform/boards/hifive1/uart_sifive.h"

/* clang-format off */
#define FE310_CLINT_BASE 0x02000000u
#define FE310_PLIC_BASE  0x0c000000u
#define FE310_GPIO_BASE  0x10012000u
#define FE310_UART0_BASE 0x10013000u
#define FE310_UART0_IRQ  3u         /* PLIC source */
#define FE310_PLIC_SOURCES 52u      /* sources 1..52 */

#define PIN_UART0_RX     16u        /* IOF0 */
#define PIN_UART0_TX     17u        /* IOF0 */
#define PIN_LED_RED      22u
#define PIN_LED_GREEN    19u
#define PIN_LED_BLUE     21u

#define CONSOLE_BAUD     115200u
#define STACK_PAINT      0x5ca1ab1eu
#define MODEL_MTIME_HZ   10000000u  /* QEMU 7.2's sifive_e (see timer_probe) */
/* clang-format on */

/* Provided by linker/hifive1.ld. */
extern char _app_flash_start[], _app_flash_end[];
extern char _app_ram_start[], _app_ram_end[];
extern char _kstack_bottom[], _kstack_top[];

/* semihost.S */
void semihost_exit(int code);

const struct board board = {
	.name = "hifive1",
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

static const struct gpio gpio = { FE310_GPIO_BASE };
static const struct uart_sifive uart0 = { FE310_UART0_BASE };
static const struct plic plic = { FE310_PLIC_BASE, 0 }; /* hart 0, M-mode */
static const struct clint clint = { FE310_CLINT_BASE };

/* LED index -> pin mask (Tock's hifive1 order: red, green, blue). */
static const uint32_t led_pins[] = {
	1u << PIN_LED_RED,
	1u << PIN_LED_GREEN,
	1u << PIN_LED_BLUE,
};
#define LED_COUNT (sizeof(led_pins) / sizeof(led_pins[0]))
#define LED_ALL                                                             \
	((1u << PIN_LED_RED) | (1u << PIN_LED_GREEN) | (1u << PIN_LED_BLUE))

/*
 * Fill the unused part of the kernel stack with a pattern, so that
 * board_poweroff() can report how deep it ever got (the stack is sized
 * from that report; see linker/hifive1.ld).
 */
static void stack_paint(void)
{
	uint32_t *w = (uint32_t *)(void *)_kstack_bottom;
	uintptr_t sp;

	/* everything below sp is free (the psABI has no red zone) */
	__asm__ __volatile__("mv %0, sp" : "=r"(sp));
	while ((uintptr_t)w < sp)
		*w++ = STACK_PAINT;
}

/* mtime's rate, found by timer_probe() */
static uint32_t timer_hz = PRCI_LFCLK_HZ;

/* mtime ticks in 2^20 core cycles (4 ms at 256 MHz: 134 on the silicon) */
static uint32_t mtime_ticks_per_mcycles(void)
{
	uint64_t t0 = clint_read_mtime(&clint);
	unsigned long c0 = csr_read(mcycle);

	while (csr_read(mcycle) - c0 < (1ul << 20))
		;
	return (uint32_t)(clint_read_mtime(&clint) - t0);
}

/*
 * Check that mtime counts, and at which rate.  On the silicon it counts
 * the always-on domain's 32.768 kHz lfclk; should the external oscillator
 * selected by prci_init() not run, fall back to the internal LFROSC.
 * QEMU 7.2's sifive_e model counts at 10 MHz instead (its ACLINT default;
 * QEMU 8.0 moved to 32.768 kHz), which would make every timeout 305 times
 * too short: a rate hundreds of times the silicon's is taken for that
 * model, and said.
 */
static void timer_probe(void)
{
	uint32_t n = mtime_ticks_per_mcycles();

	if (n == 0) {
		/*
		 * LFROSC is untrimmed: take its rate from the measurement,
		 * n ticks in 2^20 / 256 MHz s (about 1 %).
		 */
		_Static_assert(PRCI_CORE_HZ == 256000000u, "244 Hz per tick");
		if (prci_lfclk_internal())
			n = mtime_ticks_per_mcycles();
		if (n == 0)
			kpanic("hifive1: mtime stopped");
		timer_hz = n * 244u;
		kprintf("[hifive1] LFALTCLK idle: LFROSC, %u Hz\n",
			(unsigned)timer_hz);
	} else if (n > 1000) {
		timer_hz = MODEL_MTIME_HZ;
		kprintf("[hifive1] mtime runs at 10 MHz: QEMU 7.2's model\n");
	}
}

static size_t stack_used(void)
{
	const uint32_t *w = (const uint32_t *)(void *)_kstack_bottom;

	while ((uintptr_t)w < (uintptr_t)_kstack_top && *w == STACK_PAINT)
		w++;
	return (size_t)((uintptr_t)_kstack_top - (uintptr_t)w);
}

void board_init(void)
{
	stack_paint();
	prci_init();

	/* LEDs off (pins high) before the drivers turn on */
	gpio_output_init(&gpio, LED_ALL, true);
	gpio_iof0(&gpio, (1u << PIN_UART0_RX) | (1u << PIN_UART0_TX));
	uart_sifive_init(&uart0, PRCI_CORE_HZ, CONSOLE_BAUD);

	plic_reset(&plic, FE310_PLIC_SOURCES);
	plic_set_threshold(&plic, 0);
	plic_enable(&plic, FE310_UART0_IRQ, 1);
	clint_set_mtimecmp(&clint, UINT64_MAX);
	timer_probe();
	/*
	 * External interrupts are always enabled in mie; the timer only while
	 * armed.  mstatus.MIE stays 0: in the kernel they are seen by wfi and
	 * polling, in U-mode they trap.
	 */
	csr_set(mie, MIE_MEIE);
}

/* ---- console UART ---- */

void board_console_putc(char c)
{
	if (c == '\n')
		while (!uart_sifive_try_tx(&uart0, '\r'))
			;
	while (!uart_sifive_try_tx(&uart0, (uint8_t)c))
		;
}

bool board_uart_try_tx(uint8_t c)
{
	return uart_sifive_try_tx(&uart0, c);
}

bool board_uart_try_rx(uint8_t *c)
{
	return uart_sifive_try_rx(&uart0, c);
}

void board_uart_irq_enable(bool tx, bool rx)
{
	uart_sifive_irq_enable(&uart0, tx, rx);
}

/* ---- timer ---- */

uint64_t board_timer_now(void)
{
	return clint_read_mtime(&clint);
}

uint32_t board_timer_freq(void)
{
	return timer_hz;
}

void board_timer_arm(uint64_t deadline)
{
	clint_set_mtimecmp(&clint, deadline);
	if (deadline == UINT64_MAX)
		csr_clear(mie, MIE_MTIE); /* "never": nothing to wait for */
	else
		csr_set(mie, MIE_MTIE);
}

/* ---- the RGB LED: active low ---- */

unsigned board_led_count(void)
{
	return LED_COUNT;
}

void board_led_set(unsigned i, bool on)
{
	if (i < LED_COUNT)
		gpio_write(&gpio, led_pins[i], !on);
}

bool board_led_get(unsigned i)
{
	return i < LED_COUNT && !gpio_driven_high(&gpio, led_pins[i]);
}

/* ---- interrupts and power ---- */

void board_irq_service(void)
{
	unsigned src;

	/* mip.MEIP mirrors the PLIC's output: skip the claim when clear */
	if (!(csr_read(mip) & MIP_MEIP))
		return;
	while ((src = plic_claim(&plic)) != 0) {
		if (src == FE310_UART0_IRQ)
			console_uart_event();
		plic_complete(&plic, src);
	}
}

void board_poweroff(int code)
{
	static bool down;

	csr_write(mie, 0);
	/* once: a panic while reporting must not report again */
	if (!down) {
		down = true;
		kprintf("[hifive1] halt, status %d; kernel stack used %u of "
			"%u bytes\n",
			code, (unsigned)stack_used(),
			(unsigned)(_kstack_top - _kstack_bottom));
		gpio_write(&gpio, LED_ALL, true);
		board_led_set(code == 0 ? 1 : 0, true);
		uart_sifive_drain(&uart0);
	}
	semihost_exit(code);
	for (;;) /* no debug host: stop here, LED lit */
		__asm__ __volatile__("wfi");
}
