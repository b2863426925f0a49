// SPDX-License-Identifier: MIT
/*
 * The part of the qemu-virt boards' descriptors that does not depend on
 * the hart's width or the kernel's mode (virt.h): interrupt routes and
 * the entropy device.
 */
#include "drivers/console.h"
#include "drivers/rng.h"
#include "platform/arch/riscv/board_riscv.h"
#include "platform/boards/qemu-virt-common/virt.h"
#include "platform/devices/virtio_rng.h"

const struct riscv_irq_route virt_irq_routes[VIRT_IRQ_ROUTES] = {
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

/* The entropy device, if QEMU has one (-device virtio-rng-device). */
void riscv_board_devices_init(void)
{
	(void)virtio_rng_init(VIRT_VIRTIO_BASE, VIRT_VIRTIO_STRIDE,
			      VIRT_VIRTIO_SLOTS);
}
