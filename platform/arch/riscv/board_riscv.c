// SPDX-License-Identifier: MIT
/*
 * kernel/board.h for every RISC-V board, from the board's descriptor
 * riscv_board (board_riscv.h): the console UART, the timer, the LEDs,
 * interrupt routing and power-off.  What differs between boards is a kind
 * in the descriptor and a case here; the S-mode timer (SBI) is the second
 * case of board_timer_arm(), not a second board.
 *
 * Interrupts: the board's routed sources are enabled in hart 0's PLIC
 * context of the kernel's mode at boot; external interrupts stay enabled
 * in xie, the timer's only while armed.  xstatus.xIE stays 0: in the kernel
 * they are seen by wfi and polling, in U-mode they trap (interrupts for a
 * more privileged mode are always globally enabled there).
 */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/gpio.h"
#include "kernel/board.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "platform/arch/riscv/board_riscv.h"
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/mmio.h"
#include "platform/arch/riscv/sbi.h"
#include "tern_config.h"

#define B riscv_board

/*
 * Firmware to call: S-mode kernels only, whose build has sbi.c.  A
 * constant, so that an M-mode kernel does not even reference it.
 */
#if KERNEL_MODE_S
#define HAVE_SBI true
#else
#define HAVE_SBI false
#endif

/* clang-format off */
#define TEST_PASS 0x5555u /* SiFive test device: exit status 0 */
#define TEST_FAIL 0x3333u /* exit status in bits 31:16 */
#define TEST_RESET 0x7777u /* QEMU resets the whole machine */
/* clang-format on */

/* Where apps live: the board's linker script (linker/<board>.ld) says. */
extern char _app_flash_start[], _app_flash_end[];
extern char _app_ram_start[], _app_ram_end[];

const struct board board = {
	.name = TERN_BOARD_NAME,
	.app_flash_start = (uintptr_t)_app_flash_start,
	.app_flash_end = (uintptr_t)_app_flash_end,
	.app_ram_start = (uintptr_t)_app_ram_start,
	.app_ram_end = (uintptr_t)_app_ram_end,
};

/* The counter's rate (riscv_board_timer_hz()). */
static uint32_t timer_hz;

/* The defaults of the board's own code (board_riscv.h). */
__attribute__((weak)) void riscv_board_early_init(void)
{
}

__attribute__((weak)) void riscv_board_devices_init(void)
{
}

__attribute__((weak)) uint32_t riscv_board_timer_hz(void)
{
	return B.timer.hz;
}

__attribute__((weak)) void riscv_board_last_words(int code)
{
	(void)code;
}

/* Console-simulated LEDs (RISCV_LED_CONSOLE). */
static bool led_on[RISCV_LEDS_MAX];

static void led_gpio_all_off(void)
{
	uint32_t mask = 0;

	for (unsigned i = 0; i < B.leds.count; i++)
		mask |= 1u << B.leds.pins[i];
	gpio_sifive_output_init(&B.gpio, mask, true);
}

void board_init(void)
{
	riscv_board_early_init();
	if (HAVE_SBI && B.timer.kind == RISCV_TIMER_SBI)
		sbi_init();
	if (B.leds.kind == RISCV_LED_GPIO_LOW)
		led_gpio_all_off(); /* before the drivers turn on */
	if (B.gpio_iof0)
		gpio_sifive_iof0(&B.gpio, B.gpio_iof0);
	if (B.uart.kind == RISCV_UART_SIFIVE)
		uart_sifive_init(&B.uart.dev.sifive, B.uart.clock_hz,
				 B.uart.baud);
	else
		uart16550_init(&B.uart.dev.ns16550);

	if (B.plic_sources)
		plic_reset(&B.plic, B.plic_sources);
	plic_set_threshold(&B.plic, 0);
	for (unsigned i = 0; i < B.irq_route_count; i++)
		plic_enable(&B.plic, B.irq_routes[i].src, 1);
	riscv_board_devices_init();

	board_timer_arm(UINT64_MAX);
	timer_hz = riscv_board_timer_hz();
	csr_set(CSR_XIE, XIE_XEIE);
}

/* ---- console UART ---- */

bool board_uart_try_tx(uint8_t c)
{
	if (B.uart.kind == RISCV_UART_SIFIVE)
		return uart_sifive_try_tx(&B.uart.dev.sifive, c);
	return uart16550_try_tx(&B.uart.dev.ns16550, c);
}

bool board_uart_try_rx(uint8_t *c)
{
	if (B.uart.kind == RISCV_UART_SIFIVE)
		return uart_sifive_try_rx(&B.uart.dev.sifive, c);
	return uart16550_try_rx(&B.uart.dev.ns16550, c);
}

void board_uart_irq_enable(bool tx, bool rx)
{
	if (B.uart.kind == RISCV_UART_SIFIVE)
		uart_sifive_irq_enable(&B.uart.dev.sifive, tx, rx);
	else
		uart16550_irq_enable(&B.uart.dev.ns16550, tx, rx);
}

void board_console_putc(char c)
{
	if (c == '\n')
		while (!board_uart_try_tx('\r'))
			;
	while (!board_uart_try_tx((uint8_t)c))
		;
}

/* ---- timer ---- */

uint64_t board_timer_now(void)
{
	/*
	 * Where the hart implements the time CSR (QEMU's; S-mode may read it
	 * once the firmware sets mcounteren.TM), a CSR read instead of an
	 * MMIO access: the kernel asks for the time on every syscall.
	 */
	if (B.timer.time_csr)
		return csr_read_time64();
	return clint_read_mtime(&B.timer.clint);
}

uint32_t board_timer_freq(void)
{
	return timer_hz;
}

void board_timer_arm(uint64_t deadline)
{
	if (HAVE_SBI && B.timer.kind == RISCV_TIMER_SBI) {
		/*
		 * Moving the compare also clears a pending supervisor timer
		 * interrupt (SBI spec, TIME extension), which trap.c has
		 * masked in the meantime.  Without a working timer the kernel
		 * cannot keep processes from running forever: a refusal is
		 * fatal.
		 */
		long err = sbi_set_timer(deadline);

		if (err != SBI_SUCCESS)
			kpanic("sbi: set_timer failed: %s (%ld)",
			       sbi_strerror(err), err);
	} else {
		clint_set_mtimecmp(&B.timer.clint, deadline);
	}
	if (deadline == UINT64_MAX)
		csr_clear(CSR_XIE, XIE_XTIE); /* "never": nothing to wait for */
	else
		csr_set(CSR_XIE, XIE_XTIE);
}

/* ---- LEDs ---- */

unsigned board_led_count(void)
{
	return B.leds.count;
}

void board_led_set(unsigned i, bool on)
{
	if (i >= B.leds.count)
		return;
	if (B.leds.kind == RISCV_LED_GPIO_LOW) {
		gpio_sifive_write(&B.gpio, 1u << B.leds.pins[i], !on);
		return;
	}
	led_on[i] = on;
	kprintf("[led] %u %s\n", i, on ? "on" : "off");
}

bool board_led_get(unsigned i)
{
	if (i >= B.leds.count)
		return false;
	if (B.leds.kind == RISCV_LED_GPIO_LOW)
		return !gpio_sifive_driven_high(&B.gpio, 1u << B.leds.pins[i]);
	return led_on[i];
}

/* ---- the GPIO driver's pins (drivers/gpio.h) ---- */

bool board_gpio_op(unsigned pin, uint32_t cmd, unsigned mode)
{
	/* the source stays enabled: the pin's own enables gate it */
	if (cmd == 7)
		plic_enable(&B.plic, B.gpio_irq.src0 + pin, 1);
	return gpio_sifive_pin(&B.gpio, pin, cmd, mode);
}

/* ---- interrupts and power ---- */

void board_irq_service(void)
{
	unsigned src;

	/* xip.xEIP mirrors the PLIC's output: skip the claim when clear */
	if (!(csr_read(CSR_XIP) & XIE_XEIE))
		return;
	while ((src = plic_claim(&B.plic)) != 0) {
		unsigned pin = src - B.gpio_irq.src0;

		if (B.gpio_irq.drv && pin < 32)
			B.gpio_irq.drv->irq(pin);
		for (unsigned i = 0; i < B.irq_route_count; i++) {
			const struct riscv_irq_route *r = &B.irq_routes[i];

			if (r->src == src)
				r->drv->irq(r->line);
		}
		plic_complete(&B.plic, src);
	}
}

static void last_words(int code)
{
	riscv_board_last_words(code);
	if (B.power.status_led) {
		for (unsigned i = 0; i < B.leds.count; i++)
			board_led_set(i, false);
		board_led_set(code == 0 ? B.power.ok_led : B.power.fail_led,
			      true);
	}
	if (B.uart.kind == RISCV_UART_SIFIVE)
		uart_sifive_drain(&B.uart.dev.sifive);
}

void board_poweroff(int code)
{
	static bool down;

	csr_write(CSR_XIE, 0);
	/* once: a panic while reporting must not report again */
	if (!down) {
		down = true;
		last_words(code);
	}
	switch (B.power.kind) {
	case RISCV_POWER_TEST_DEV:
		mmio_write32(B.power.test_dev,
			     code == 0 ? TEST_PASS
				       : ((uint32_t)code << 16) | TEST_FAIL);
		break; /* the write never completes */
	case RISCV_POWER_SBI: {
		/*
		 * OpenSBI 1.1 makes QEMU exit with status 0 whatever the
		 * reason, so the code reaches only the console (and the
		 * firmware's reason).
		 */
		long err;

		if (!HAVE_SBI)
			break;
		if (code != 0)
			kprintf("[kernel] power off with code %d\n", code);
		err = sbi_shutdown(code);
		kprintf("[sbi] shutdown refused: %s (%ld); halting\n",
			sbi_strerror(err), err);
		break;
	}
	case RISCV_POWER_SEMIHOST:
		semihost_exit(code);
		break; /* no debug host: stop here, LED lit */
	}
	for (;;)
		__asm__ __volatile__("wfi");
}

void board_reset(void)
{
	uintptr_t ie = csr_read(CSR_XIE);

	csr_write(CSR_XIE, 0);
	switch (B.power.kind) {
	case RISCV_POWER_TEST_DEV:
		/*
		 * QEMU resets the machine and reloads the kernel and the
		 * apps image (both are ROM blobs to it): a fresh boot.
		 */
		mmio_write32(B.power.test_dev, TEST_RESET);
		for (;;)
			__asm__ __volatile__("wfi");
	case RISCV_POWER_SBI:
		if (HAVE_SBI) {
			long err = sbi_reboot();

			kprintf("[sbi] reboot refused: %s (%ld)\n",
				sbi_strerror(err), err);
		}
		break;
	case RISCV_POWER_SEMIHOST:
		/* the FE310's watchdog could; its 16 KiB flash budget says no */
		break;
	}
	csr_write(CSR_XIE, ie);
}
