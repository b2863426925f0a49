// SPDX-License-Identifier: MIT
/*
 * SiFive HiFive1 Rev B (FE310-G002), kernel in M-mode after SiFive's boot
 * loader, which jumps to 0x20010000 in the SPI flash.
 *
 * The board's descriptors (platform/arch/riscv/board_riscv.h; memory map
 * from linker/hifive1.ld, device addresses and pins from the FE310-G002
 * manual and the board schematic) and the code that is its own: the clock
 * set-up (prci.c), the timer probe and the kernel stack report.  The
 * services of kernel/board.h come from platform/arch/riscv/board_riscv.c,
 * the SiFive UART and GPIO drivers from platform/devices/.
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
 *   GPIO    for processes (driver 0x4, meson option gpio): the header's
 *           pins that are neither the UART nor the LED, GPIO 0-5, 9-13,
 *           18, 20, 23 (the FE310's package bonds out no GPIO 6-8, 14,
 *           15, 24-31; its QSPI flash pins are not GPIO pins); pull-ups
 *           but no pull-downs; pin n interrupts as PLIC source 8 + n,
 *           enabled when first asked for
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
 * riscv_board_timer_hz()).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/console.h"
#include "drivers/gpio.h"
#include "kernel/board.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "platform/arch/riscv/board_riscv.h"
#include "platform/arch/riscv/csr.h"
#include "platform/boards/hifive1/prci.h"

/* clang-format off */
#define PIN_UART0_RX     16u        /* IOF0 */
#define PIN_UART0_TX     17u        /* IOF0 */
#define PIN_LED_RED      22u
#define PIN_LED_GREEN    19u
#define PIN_LED_BLUE     21u
/* the header's other pins: GPIO 0-5, 9-13, 18, 20, 23 */
#define PINS_FOR_APPS    0x00943e3fu
#define GPIO_IRQ0        8u         /* PLIC source of GPIO 0 */
#if !defined(TERN_GPIO)
#define TERN_GPIO        0          /* meson option gpio */
#endif

#define STACK_PAINT      0x5ca1ab1eu
#define MODEL_MTIME_HZ   10000000u  /* QEMU 7.2's sifive_e (timer probe) */
/* clang-format on */

/* Provided by linker/hifive1.ld. */
extern char _kstack_bottom[], _kstack_top[];

/* LED index -> GPIO pin (Tock's hifive1 order: red, green, blue). */
static const uint8_t led_pins[] = { PIN_LED_RED, PIN_LED_GREEN, PIN_LED_BLUE };

const struct gpio_board gpio_board = {
	.pins = PINS_FOR_APPS,
	.pulls = 1u << GPIO_PULL_NONE | 1u << GPIO_PULL_UP,
};

static const struct riscv_irq_route irq_routes[] = {
	{ .src = 3, .drv = &console_driver }, /* UART0 */
};

const struct riscv_board riscv_board = {
	.uart = {
		.kind = RISCV_UART_SIFIVE,
		.dev.sifive = { 0x10013000u },
		.baud = 115200u,
		.clock_hz = PRCI_CORE_HZ,
	},
	.plic = { 0x0c000000u, 0 }, /* hart 0, M-mode */
	.plic_sources = 52,	    /* sources 1..52 */
	.timer = {
		.kind = RISCV_TIMER_CLINT,
		.time_csr = false, /* the E31 core traps on rdtime */
		.clint = { 0x02000000u },
		.hz = PRCI_LFCLK_HZ, /* unless the probe finds otherwise */
	},
	.gpio = { 0x10012000u },
	.gpio_iof0 = (1u << PIN_UART0_RX) | (1u << PIN_UART0_TX),
#if TERN_GPIO
	.gpio_irq = { GPIO_IRQ0, &gpio_driver },
#endif
	.leds = {
		.kind = RISCV_LED_GPIO_LOW,
		.count = sizeof(led_pins),
		.pins = led_pins,
	},
	.power = {
		.kind = RISCV_POWER_SEMIHOST,
		.status_led = true,
		.ok_led = 1,   /* green */
		.fail_led = 0, /* red */
	},
	.irq_routes = irq_routes,
	.irq_route_count = sizeof(irq_routes) / sizeof(irq_routes[0]),
};

/*
 * Fill the unused part of the kernel stack with a pattern, so that
 * riscv_board_last_words() can say how deep it ever got (the stack is sized from that
 * report; see linker/hifive1.ld).
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

void riscv_board_early_init(void)
{
	stack_paint();
	prci_init();
}

/* mtime ticks in 2^20 core cycles (4 ms at 256 MHz: 134 on the silicon) */
static uint32_t mtime_ticks_per_mcycles(void)
{
	uint64_t t0 = clint_read_mtime(&riscv_board.timer.clint);
	unsigned long c0 = csr_read(mcycle);

	while (csr_read(mcycle) - c0 < (1ul << 20))
		;
	return (uint32_t)(clint_read_mtime(&riscv_board.timer.clint) - t0);
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
uint32_t riscv_board_timer_hz(void)
{
	uint32_t n = mtime_ticks_per_mcycles();
	uint32_t hz;

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
		hz = n * 244u;
		kprintf("[hifive1] LFALTCLK idle: LFROSC, %u Hz\n",
			(unsigned)hz);
		return hz;
	}
	if (n > 1000) {
		kprintf("[hifive1] mtime runs at 10 MHz: QEMU 7.2's model\n");
		return MODEL_MTIME_HZ;
	}
	return PRCI_LFCLK_HZ;
}

static size_t stack_used(void)
{
	const uint32_t *w = (const uint32_t *)(void *)_kstack_bottom;

	while ((uintptr_t)w < (uintptr_t)_kstack_top && *w == STACK_PAINT)
		w++;
	return (size_t)((uintptr_t)_kstack_top - (uintptr_t)w);
}

/*
 * There is no power switch: say so on the console, with the deepest the
 * kernel stack got; board_poweroff() then shows the status on the LED
 * (green 0, red other), hands it to a debug host if one listens (QEMU
 * semihosting), and otherwise halts the hart.
 */
void riscv_board_last_words(int code)
{
	kprintf("[hifive1] halt, status %d; kernel stack used %u of "
		"%u bytes\n",
		code, (unsigned)stack_used(),
		(unsigned)(_kstack_top - _kstack_bottom));
}
