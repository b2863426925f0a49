// SPDX-License-Identifier: MIT
/*
 * Virtio MMIO transport, version 2 registers; see virtio_mmio.h.  The
 * device reads and writes kernel memory (the virtqueues, the buffers), so
 * every access takes the fenced accessors of mmio.h: a notify must not
 * pass the descriptor stores before it, nor a buffer load the interrupt
 * status read that announced it.
 */
#include "platform/devices/virtio_mmio.h"

#include "platform/arch/riscv/mmio.h"

/* clang-format off: section 4.2.2, "MMIO Device Register Layout" */
#define REG_MAGIC           0x000u
#define REG_VERSION         0x004u
#define REG_DEVICE_ID       0x008u /* 0: slot without a device */
#define REG_DEV_FEATURES    0x010u
#define REG_DEV_FEAT_SEL    0x014u
#define REG_DRV_FEATURES    0x020u
#define REG_DRV_FEAT_SEL    0x024u
#define REG_QUEUE_SEL       0x030u
#define REG_QUEUE_NUM_MAX   0x034u
#define REG_QUEUE_NUM       0x038u
#define REG_QUEUE_READY     0x044u
#define REG_QUEUE_NOTIFY    0x050u
#define REG_IRQ_STATUS      0x060u
#define REG_IRQ_ACK         0x064u
#define REG_STATUS          0x070u
#define REG_QUEUE_DESC_LO   0x080u
#define REG_QUEUE_DESC_HI   0x084u
#define REG_QUEUE_AVAIL_LO  0x090u /* "QueueDriver" */
#define REG_QUEUE_AVAIL_HI  0x094u
#define REG_QUEUE_USED_LO   0x0a0u /* "QueueDevice" */
#define REG_QUEUE_USED_HI   0x0a4u

/* section 2.1, "Device Status Field" */
#define ST_ACKNOWLEDGE      1u
#define ST_DRIVER           2u
#define ST_DRIVER_OK        4u
#define ST_FEATURES_OK      8u
#define ST_FAILED           128u
/* clang-format on */

static uint32_t rd(const struct virtio_mmio *d, uintptr_t reg)
{
	return mmio_read32(d->base + reg);
}

static void wr(const struct virtio_mmio *d, uintptr_t reg, uint32_t v)
{
	mmio_write32(d->base + reg, v);
}

enum kerr virtio_mmio_find(uintptr_t base, uintptr_t stride, unsigned nslots,
			   uint32_t device_id, unsigned *slot)
{
	enum kerr rc = KERR_NODEVICE;

	for (unsigned i = 0; i < nslots; i++) {
		struct virtio_mmio d = { base + i * stride };

		if (rd(&d, REG_MAGIC) != VIRTIO_MMIO_MAGIC ||
		    rd(&d, REG_DEVICE_ID) != device_id)
			continue;
		*slot = i;
		if (rd(&d, REG_VERSION) == 2)
			return KERR_OK;
		rc = KERR_NOSUPPORT; /* legacy: go on looking for a modern one */
	}
	return rc;
}

enum kerr virtio_mmio_negotiate(const struct virtio_mmio *d, uint64_t want,
				uint64_t *got)
{
	uint64_t offer;

	/* section 3.1.1: reset, then announce ourselves step by step */
	wr(d, REG_STATUS, 0);
	wr(d, REG_STATUS, ST_ACKNOWLEDGE);
	wr(d, REG_STATUS, ST_ACKNOWLEDGE | ST_DRIVER);
	wr(d, REG_DEV_FEAT_SEL, 1);
	offer = (uint64_t)rd(d, REG_DEV_FEATURES) << 32;
	wr(d, REG_DEV_FEAT_SEL, 0);
	offer |= rd(d, REG_DEV_FEATURES);
	want |= (uint64_t)1 << VIRTIO_F_VERSION_1;
	if (!(offer & ((uint64_t)1 << VIRTIO_F_VERSION_1))) {
		virtio_mmio_fail(d);
		return KERR_NOSUPPORT;
	}
	want &= offer;
	wr(d, REG_DRV_FEAT_SEL, 1);
	wr(d, REG_DRV_FEATURES, (uint32_t)(want >> 32));
	wr(d, REG_DRV_FEAT_SEL, 0);
	wr(d, REG_DRV_FEATURES, (uint32_t)want);
	wr(d, REG_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);
	/* the device clears FEATURES_OK if it cannot work with the set */
	if (!(rd(d, REG_STATUS) & ST_FEATURES_OK)) {
		virtio_mmio_fail(d);
		return KERR_NOSUPPORT;
	}
	*got = want;
	return KERR_OK;
}

enum kerr virtio_mmio_queue(const struct virtio_mmio *d, unsigned qi,
			    struct virtq *q)
{
	uint64_t desc = (uintptr_t)q->desc, avail = (uintptr_t)&q->avail;
	uint64_t used = (uintptr_t)&q->used;

	wr(d, REG_QUEUE_SEL, qi);
	if (rd(d, REG_QUEUE_READY) != 0 ||
	    rd(d, REG_QUEUE_NUM_MAX) < VIRTQ_SIZE)
		return KERR_NOSUPPORT;
	wr(d, REG_QUEUE_NUM, VIRTQ_SIZE);
	wr(d, REG_QUEUE_DESC_LO, (uint32_t)desc);
	wr(d, REG_QUEUE_DESC_HI, (uint32_t)(desc >> 32));
	wr(d, REG_QUEUE_AVAIL_LO, (uint32_t)avail);
	wr(d, REG_QUEUE_AVAIL_HI, (uint32_t)(avail >> 32));
	wr(d, REG_QUEUE_USED_LO, (uint32_t)used);
	wr(d, REG_QUEUE_USED_HI, (uint32_t)(used >> 32));
	wr(d, REG_QUEUE_READY, 1);
	return KERR_OK;
}

void virtio_mmio_ready(const struct virtio_mmio *d)
{
	wr(d, REG_STATUS, rd(d, REG_STATUS) | ST_DRIVER_OK);
}

void virtio_mmio_fail(const struct virtio_mmio *d)
{
	wr(d, REG_STATUS, rd(d, REG_STATUS) | ST_FAILED);
}

void virtio_mmio_notify(const struct virtio_mmio *d, unsigned qi)
{
	wr(d, REG_QUEUE_NOTIFY, qi);
}

uint32_t virtio_mmio_irq_ack(const struct virtio_mmio *d)
{
	uint32_t st = rd(d, REG_IRQ_STATUS);

	if (st != 0)
		wr(d, REG_IRQ_ACK, st);
	return st;
}
