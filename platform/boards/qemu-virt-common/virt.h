// SPDX-License-Identifier: MIT
/*
 * What QEMU's "virt" machine has at the same place whatever the hart's
 * width: the devices both qemu-virt boards use, and the interrupt routes
 * they share (virt.c).  Each board's own board.c adds what differs: the
 * PLIC context of the kernel's mode, the timer and power-off (direct in
 * M-mode, through the SBI in S-mode).
 */
#ifndef PLATFORM_BOARDS_QEMU_VIRT_COMMON_VIRT_H
#define PLATFORM_BOARDS_QEMU_VIRT_COMMON_VIRT_H

#include "platform/arch/riscv/board_riscv.h"

/* clang-format off */
#define VIRT_PLIC_BASE     0x0c000000u
#define VIRT_PLIC_SIZE     0x00400000u /* sources, enables, contexts 0, 1 */
#define VIRT_UART0_BASE    0x10000000u
#define VIRT_UART0_SIZE    0x00001000u
#define VIRT_VIRTIO_BASE   0x10001000u /* virtio-mmio transport slots */
#define VIRT_VIRTIO_STRIDE 0x1000u
#define VIRT_VIRTIO_SLOTS  8u
#define VIRT_TIMER_HZ      10000000u   /* timebase-frequency */
/* clang-format on */

/* UART0 to the console, virtio-mmio slot n (source 1 + n) to the RNG. */
#define VIRT_IRQ_ROUTES 9 /* a constant: it sizes a field of riscv_board */
extern const struct riscv_irq_route virt_irq_routes[VIRT_IRQ_ROUTES];

#endif
