// SPDX-License-Identifier: MIT
/*
 * QEMU "virt" (rv64), kernel in S-mode under OpenSBI (-bios fw_dynamic):
 * the board's descriptors (platform/arch/riscv/board_riscv.h).
 *
 * Memory map from linker/qemu-virt-rv64.ld, device addresses from QEMU's
 * virt machine.  Devices: a 16550 UART (polled output; its interrupt
 * reaches hart 0's S-mode context, PLIC context 1, as source 10) and LEDs
 * that exist only as console messages.  The firmware provides the rest
 * through SBI: the timer (the time CSR counts at 10 MHz; the compare is
 * set with the TIME extension) and power-off (SRST).  The devices the
 * kernel maps for itself are listed in sv39_board_mmio, the drivers the
 * board offers to processes in meson.build.
 */
#include <stdint.h>

#include "drivers/console.h"
#include "drivers/rng.h"
#include "kernel/board.h"
#include "kernel/hw.h"
#include "platform/arch/riscv/board_riscv.h"
#include "platform/devices/virtio_rng.h"
#include "platform/arch/riscv/sv39_hw.h"

/* clang-format off */
#define VIRT_PLIC_BASE  0x0c000000u
#define VIRT_PLIC_SIZE  0x00400000u /* sources, enables, contexts 0 and 1 */
#define VIRT_UART0_BASE 0x10000000u
#define VIRT_UART0_SIZE 0x00001000u
#define VIRT_VIRTIO_BASE   0x10001000u /* virtio-mmio transport slots */
#define VIRT_VIRTIO_STRIDE 0x1000u
#define VIRT_VIRTIO_SLOTS  8u
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
	.uart = { .kind = RISCV_UART_16550,
		  .dev.ns16550 = { VIRT_UART0_BASE } },
	.plic = { VIRT_PLIC_BASE, 1 }, /* hart 0, S-mode */
	.timer = {
		.kind = RISCV_TIMER_SBI,
		.time_csr = true, /* OpenSBI sets mcounteren.TM */
		.hz = 10000000u,
	},
	.leds = { .kind = RISCV_LED_CONSOLE, .count = 3 },
	.power = { .kind = RISCV_POWER_SBI },
	.irq_routes = irq_routes,
	.irq_route_count = sizeof(irq_routes) / sizeof(irq_routes[0]),
};

/* What the kernel maps for itself besides its image (sv39_hw.h). */
const struct mpu_region sv39_board_mmio[] = {
	{ VIRT_PLIC_BASE, VIRT_PLIC_SIZE, MPU_R | MPU_W },
	{ VIRT_UART0_BASE, VIRT_UART0_SIZE, MPU_R | MPU_W },
	{ VIRT_VIRTIO_BASE, VIRT_VIRTIO_SLOTS * VIRT_VIRTIO_STRIDE,
	  MPU_R | MPU_W },
};
const unsigned sv39_board_mmio_count =
	sizeof(sv39_board_mmio) / sizeof(sv39_board_mmio[0]);

/* The entropy device, if QEMU has one (-device virtio-rng-device). */
void riscv_board_devices_init(void)
{
	(void)virtio_rng_init(VIRT_VIRTIO_BASE, VIRT_VIRTIO_STRIDE,
			      VIRT_VIRTIO_SLOTS);
}
