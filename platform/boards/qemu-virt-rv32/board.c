// SPDX-License-Identifier: MIT
/*
 * QEMU "virt" (rv32), kernel in M-mode without firmware (-bios none): the
 * board's descriptors (platform/arch/riscv/board_riscv.h).
 *
 * Memory map from linker/qemu-virt-rv32.ld; the devices shared with the
 * rv64 board are in platform/boards/qemu-virt-common/.  Here: the UART's
 * interrupt reaches hart 0's M-mode context (PLIC context 0), the CLINT
 * timer is programmed directly (its count read through the time CSR), the
 * SiFive test device powers off with an exit status, and the LEDs exist
 * only as console messages.  The drivers the board offers to processes are
 * listed in meson.build.
 */
#include <stdint.h>

#include "platform/arch/riscv/board_riscv.h"
#include "platform/boards/qemu-virt-common/virt.h"

const struct riscv_board riscv_board = {
	.uart = { .kind = RISCV_UART_16550,
		  .dev.ns16550 = { VIRT_UART0_BASE } },
	.plic = { VIRT_PLIC_BASE, 0 }, /* hart 0, M-mode */
	.timer = {
		.kind = RISCV_TIMER_CLINT,
		.time_csr = true, /* QEMU's harts implement it */
		.clint = { 0x02000000u },
		.hz = VIRT_TIMER_HZ,
	},
	.leds = { .kind = RISCV_LED_CONSOLE, .count = 3 },
	.power = { .kind = RISCV_POWER_TEST_DEV, .test_dev = 0x00100000u },
	.irq_routes = virt_irq_routes,
	.irq_route_count = VIRT_IRQ_ROUTES,
};
