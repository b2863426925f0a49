/* SPDX-License-Identifier: MIT */
/*
 * A split virtqueue (Virtual I/O Device (VIRTIO) Version 1.1, section 2.6),
 * driver side, independent of the transport: the descriptor table and the
 * two rings in kernel memory, a free list of descriptors, and the check of
 * what the device hands back.
 *
 * Pure memory code: no register access (the transport, virtio_mmio.h,
 * tells the device where the queue is and notifies it), so the host unit
 * tests drive it with a fake device.  Addresses given to the device are
 * the kernel's own: every Tern board maps the kernel one to one.
 *
 * The device is not trusted.  A used element naming a descriptor that is
 * not the head of a chain in flight is dropped, and the length it reports
 * is cut to the bytes the chain lets the device write: a buggy or hostile
 * device cannot make a caller copy past a buffer.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kerr.h"

/* Descriptors per queue: a power of two (the spec's rule for split rings). */
#define VIRTQ_SIZE 4u

/* clang-format off */
#define VIRTQ_DESC_F_NEXT  1u /* the chain goes on at desc.next */
#define VIRTQ_DESC_F_WRITE 2u /* the device writes this buffer */
/* clang-format on */

/* Virtio structures are little-endian, as RISC-V is: plain integers. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[VIRTQ_SIZE];
	uint16_t used_event;
};

struct virtq_used_elem {
	uint32_t id;  /* head of the chain */
	uint32_t len; /* bytes the device says it wrote */
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[VIRTQ_SIZE];
	uint16_t avail_event;
};

/*
 * One queue.  desc, avail and used are shared with the device (alignment:
 * section 2.6, "Virtqueue Alignment"); the rest is the driver's own.
 */
struct virtq {
	struct virtq_desc desc[VIRTQ_SIZE] __attribute__((aligned(16)));
	struct virtq_avail avail __attribute__((aligned(2)));
	struct virtq_used used __attribute__((aligned(4)));
	/* driver-only: written by virtq.c alone */
	uint16_t free_head; /* first free descriptor, VIRTQ_SIZE if none */
	uint16_t num_free;
	uint16_t last_used; /* used.idx as far as consumed */
	uint16_t avail_idx; /* our copy of avail.idx */
	uint32_t wlen[VIRTQ_SIZE]; /* per chain head: device-writable bytes */
	uint8_t chain[VIRTQ_SIZE]; /* per chain head: descriptors, 0 = free */
};

/* A buffer to put in a chain: kernel address, length, device-writable. */
struct virtq_seg {
	void *addr;
	uint32_t len;
	bool device_writes;
};

/* Empty the queue: every descriptor free, both rings at index 0. */
void virtq_init(struct virtq *q);

/*
 * Put the n segments as one chain on the available ring; *head names it
 * in virtq_pop().  KERR_INVAL n is 0 or more than VIRTQ_SIZE; KERR_BUSY
 * fewer than n descriptors are free (nothing changes).  The caller then
 * notifies the device through its transport.
 */
enum kerr virtq_add(struct virtq *q, const struct virtq_seg *seg, unsigned n,
		    uint16_t *head) __attribute__((warn_unused_result));

/*
 * Take the next element the device put on the used ring.  KERR_OK: the
 * chain *head is free again, and *len is the length the device reported,
 * cut to the chain's device-writable bytes.  KERR_BUSY: nothing new.
 * KERR_FAIL: the device named a descriptor that is not a chain in flight;
 * the element is consumed and dropped (call again for the next).
 */
enum kerr virtq_pop(struct virtq *q, uint16_t *head, uint32_t *len)
	__attribute__((warn_unused_result));

/* Descriptors free for virtq_add(). */
unsigned virtq_free_count(const struct virtq *q);
