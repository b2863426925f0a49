/* SPDX-License-Identifier: MIT */
/*
 * The virtio MMIO transport (Virtual I/O Device (VIRTIO) Version 1.1,
 * section 4.2), modern interface (register layout version 2) only.
 *
 * What a device driver (virtio_rng.c, later network or block) needs:
 * find its device among the transport slots of a board, reset it,
 * negotiate features (VIRTIO_F_VERSION_1 is always required), hand it its
 * virtqueues, notify it, and acknowledge its interrupt.  A device that
 * answers with the legacy layout (version 1) is reported and left alone:
 * QEMU 7.2 presents version 1 unless started with
 * `-global virtio-mmio.force-legacy=false`, which ./tern does.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/kerr.h"
#include "platform/devices/virtq.h"

/* clang-format off */
#define VIRTIO_MMIO_MAGIC    0x74726976u /* "virt", little-endian */
#define VIRTIO_ID_ENTROPY    4u          /* section 5.4 */
#define VIRTIO_F_VERSION_1   32u         /* feature bit: modern device */
/* clang-format on */

struct virtio_mmio {
	uintptr_t base;
};

/*
 * Look at slots base + i * stride, i < nslots, for a device with id
 * device_id.  KERR_OK and *slot: found, with the version 2 layout.
 * KERR_NOSUPPORT: found, but only with the legacy layout (*slot names it).
 * KERR_NODEVICE: none.  Reads registers only.
 */
enum kerr virtio_mmio_find(uintptr_t base, uintptr_t stride, unsigned nslots,
			   uint32_t device_id, unsigned *slot)
	__attribute__((warn_unused_result));

/*
 * Reset the device and negotiate: ACKNOWLEDGE, DRIVER, then the features
 * of want that the device offers, plus VIRTIO_F_VERSION_1, and
 * FEATURES_OK.  KERR_NOSUPPORT: the device lacks VERSION_1 or refused the
 * set (status FAILED is then written).  *got: the features agreed.
 */
enum kerr virtio_mmio_negotiate(const struct virtio_mmio *d, uint64_t want,
				uint64_t *got)
	__attribute__((warn_unused_result));

/*
 * Give queue qi the virtqueue q (initialised with virtq_init()) and mark it
 * ready.  KERR_NOSUPPORT: the device has no such queue, fewer than
 * VIRTQ_SIZE entries, or the queue is in use already.
 */
enum kerr virtio_mmio_queue(const struct virtio_mmio *d, unsigned qi,
			    struct virtq *q) __attribute__((warn_unused_result));

/* Status DRIVER_OK: the device may now use its queues. */
void virtio_mmio_ready(const struct virtio_mmio *d);

/* Status FAILED: give the device up (after a failed set-up). */
void virtio_mmio_fail(const struct virtio_mmio *d);

/* Tell the device queue qi has new available buffers. */
void virtio_mmio_notify(const struct virtio_mmio *d, unsigned qi);

/*
 * Acknowledge the device's interrupt: read InterruptStatus, write it back
 * to InterruptACK, and return it (bit 0: used buffer, bit 1: config).
 */
uint32_t virtio_mmio_irq_ack(const struct virtio_mmio *d);
