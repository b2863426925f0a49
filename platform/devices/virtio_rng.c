// SPDX-License-Identifier: MIT
/* Virtio entropy device under drivers/rng.c; see virtio_rng.h. */
#include "platform/devices/virtio_rng.h"

#include "drivers/rng.h"
#include "kernel/kprintf.h"
#include "platform/devices/virtio_mmio.h"
#include "platform/devices/virtq.h"

#define REQUESTQ 0u /* the device's only queue */

static struct virtio_mmio dev;
static struct virtq queue;
static unsigned dev_slot;

static enum kerr fill(uint8_t *buf, size_t len)
{
	struct virtq_seg seg = { buf, (uint32_t)len, true };
	uint16_t head;
	enum kerr rc = virtq_add(&queue, &seg, 1, &head);

	if (rc == KERR_OK)
		virtio_mmio_notify(&dev, REQUESTQ);
	return rc;
}

static void irq(unsigned line)
{
	uint16_t head;
	uint32_t len;
	enum kerr rc;

	if (line != dev_slot)
		return; /* another slot's (no device there raises any) */
	(void)virtio_mmio_irq_ack(&dev);
	/* one fill in flight at most; a bogus element is dropped and skipped */
	while ((rc = virtq_pop(&queue, &head, &len)) != KERR_BUSY)
		if (rc == KERR_OK)
			rng_source_done(len);
}

static const struct rng_source source = { fill, irq };

bool virtio_rng_init(uintptr_t base, uintptr_t stride, unsigned nslots)
{
	unsigned *slot = &dev_slot;
	uint64_t got;
	enum kerr rc;

	rc = virtio_mmio_find(base, stride, nslots, VIRTIO_ID_ENTROPY, slot);
	if (rc == KERR_NODEVICE) {
		kprintf("[rng] no virtio entropy device: RNG answers "
			"NODEVICE\n");
		return false;
	}
	if (rc != KERR_OK) {
		kprintf("[rng] virtio slot %u is legacy (version 1), not "
			"supported: run QEMU with -global "
			"virtio-mmio.force-legacy=false\n",
			*slot);
		return false;
	}
	dev.base = base + *slot * stride;
	virtq_init(&queue);
	rc = virtio_mmio_negotiate(&dev, 0, &got);
	if (rc == KERR_OK)
		rc = virtio_mmio_queue(&dev, REQUESTQ, &queue);
	if (rc != KERR_OK) {
		virtio_mmio_fail(&dev);
		kprintf("[rng] virtio slot %u: set-up refused\n", *slot);
		return false;
	}
	virtio_mmio_ready(&dev);
	rng_attach(&source);
	kprintf("[rng] virtio entropy device in slot %u\n", *slot);
	return true;
}
