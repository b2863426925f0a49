// SPDX-License-Identifier: MIT
/*
 * QEMU "virt" (rv32), kernel in M-mode without firmware (-bios none): the
 * board's descriptors (platform/arch/riscv/board_riscv.h).
 *
 * Memory map from linker/qemu-virt-rv32.ld, device addresses from QEMU's
 * virt machine.  Devices: a 16550 UART (polled output; its interrupt
 * reaches hart 0's M-mode context through the PLIC as source 10), the
 * CLINT timer (10 MHz; read through the time CSR), the SiFive test device
 * (power off with an exit status) and LEDs that exist only as console
 * messages.  The drivers the board offers to processes are listed in
 * meson.build.
 */
#include <stdint.h>

#include "drivers/console.h"
#include "drivers/rng.h"
#include "kernel/board.h"
#include "platform/arch/riscv/board_riscv.h"
#include "platform/devices/virtio_rng.h"

/* clang-format off */
#define VIRT_VIRTIO_BASE   0x10001000u /* virtio-mmio transport slots */
#define VIRT_VIRTIO_STRIDE 0x1000u
#define VIRT_VIRTIO_SLOTS  8u
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

static const struct riscv_irq_route irq_routes[] = {
	{ .src = 10, .drv = &console_driver }, /* UART0 */
	/* virtio-mmio slot n: source 1 + n; the RNG serves its device's */
	{ .src = 1, .line = 0, .drv = &rng_driver },
	{ .src = 2, .line = 1, .drv = &rng_driver },
	{ .src = 3, .line = 2, .drv = &rng_driver },
	{ .src = 4, .line = 3, .drv = &rng_driver },
	{ .src = 5, .line = 4, .drv = &rng_driver },
	{ .src = 6, .line = 5, .drv = &rng_driver },
	{ .src = 7, .line = 6, .drv = &rng_driver },
	{ .src = 8, .line = 7, .drv = &rng_driver },
};

const struct riscv_board riscv_board = {
	.uart = { .kind = RISCV_UART_16550, .dev.ns16550 = { 0x10000000u } },
	.plic = { 0x0c000000u, 0 }, /* hart 0, M-mode */
	.timer = {
		.kind = RISCV_TIMER_CLINT,
		.time_csr = true, /* QEMU's harts implement it */
		.clint = { 0x02000000u },
		.hz = 10000000u, /* QEMU virt timebase-frequency */
	},
	.leds = { .kind = RISCV_LED_CONSOLE, .count = 3 },
	.power = { .kind = RISCV_POWER_TEST_DEV, .test_dev = 0x00100000u },
	.irq_routes = irq_routes,
	.irq_route_count = sizeof(irq_routes) / sizeof(irq_routes[0]),
};

/* The entropy device, if QEMU has one (-device virtio-rng-device). */
void riscv_board_devices_init(void)
{
	(void)virtio_rng_init(VIRT_VIRTIO_BASE, VIRT_VIRTIO_STRIDE,
			      VIRT_VIRTIO_SLOTS);
}
