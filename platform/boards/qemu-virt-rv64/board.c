// SPDX-License-Identifier: MIT
/*
 * QEMU "virt" (rv64), kernel in S-mode under OpenSBI (-bios fw_dynamic):
 * the board's descriptors (platform/arch/riscv/board_riscv.h).
 *
 * Memory map from linker/qemu-virt-rv64.ld; the devices shared with the
 * rv32 board are in platform/boards/qemu-virt-common/.  Here: the UART's
 * interrupt reaches hart 0's S-mode context (PLIC context 1), the LEDs
 * exist only as console messages, and the firmware provides the rest
 * through SBI: the timer (the time CSR counts at 10 MHz; the compare is set
 * with the TIME extension) and power-off (SRST).  The devices the kernel
 * maps for itself are listed in sv39_board_mmio, the drivers the board
 * offers to processes in meson.build.
 */
#include <stdint.h>

#include "kernel/hw.h"
#include "platform/arch/riscv/board_riscv.h"
#include "platform/arch/riscv/sv39_hw.h"
#include "platform/boards/qemu-virt-common/virt.h"

const struct riscv_board riscv_board = {
	.uart = { .kind = RISCV_UART_16550,
		  .dev.ns16550 = { VIRT_UART0_BASE } },
	.plic = { VIRT_PLIC_BASE, 1 }, /* hart 0, S-mode */
	.timer = {
		.kind = RISCV_TIMER_SBI,
		.time_csr = true, /* OpenSBI sets mcounteren.TM */
		.hz = VIRT_TIMER_HZ,
	},
	.leds = { .kind = RISCV_LED_CONSOLE, .count = 3 },
	.power = { .kind = RISCV_POWER_SBI },
	.irq_routes = virt_irq_routes,
	.irq_route_count = VIRT_IRQ_ROUTES,
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
