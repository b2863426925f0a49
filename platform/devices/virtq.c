// SPDX-License-Identifier: MIT
/*
 * Split virtqueue, driver side; see virtq.h.
 *
 * The fields the device reads or writes are accessed through volatile
 * pointers, and a full fence orders them against each other where the
 * spec asks (section 2.6.13: descriptors before the available index;
 * 2.6.14: the used index before the used elements).  On RISC-V the fence
 * is "fence rw,rw"; the transport's notify write adds the "fence w,o"
 * that puts these stores before the device hears of them.
 */
#include "platform/devices/virtq.h"

#include <string.h>

static void barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void virtq_init(struct virtq *q)
{
	memset(q, 0, sizeof(*q));
	for (unsigned i = 0; i < VIRTQ_SIZE; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	q->free_head = 0;
	q->num_free = VIRTQ_SIZE;
}

unsigned virtq_free_count(const struct virtq *q)
{
	return q->num_free;
}

enum kerr virtq_add(struct virtq *q, const struct virtq_seg *seg, unsigned n,
		    uint16_t *head)
{
	volatile struct virtq_desc *d = q->desc;
	uint16_t h = q->free_head, i = h;
	uint32_t wlen = 0;

	if (n == 0 || n > VIRTQ_SIZE)
		return KERR_INVAL;
	if (n > q->num_free)
		return KERR_BUSY;
	/* commit: n free descriptors are on the list */
	for (unsigned k = 0; k < n; k++) {
		d[i].addr = (uint64_t)(uintptr_t)seg[k].addr;
		d[i].len = seg[k].len;
		d[i].flags = (uint16_t)((seg[k].device_writes
						 ? VIRTQ_DESC_F_WRITE
						 : 0) |
					(k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		if (seg[k].device_writes)
			wlen += seg[k].len;
		i = d[i].next;
	}
	q->free_head = i;
	q->num_free = (uint16_t)(q->num_free - n);
	q->wlen[h] = wlen;
	q->chain[h] = (uint8_t)n;
	q->avail.ring[q->avail_idx % VIRTQ_SIZE] = h;
	barrier(); /* the chain and its ring entry before the index */
	q->avail_idx++;
	*(volatile uint16_t *)&q->avail.idx = q->avail_idx;
	barrier();
	*head = h;
	return KERR_OK;
}

/* Put chain h back on the free list. */
static void chain_free(struct virtq *q, uint16_t h)
{
	unsigned n = q->chain[h];
	uint16_t i = h;

	/* follow our own count, not flags the device could have changed */
	for (unsigned k = 1; k < n; k++)
		i = q->desc[i].next % VIRTQ_SIZE;
	q->desc[i].next = q->free_head;
	q->free_head = h;
	q->num_free = (uint16_t)(q->num_free + n);
	q->chain[h] = 0;
}

enum kerr virtq_pop(struct virtq *q, uint16_t *head, uint32_t *len)
{
	uint16_t used_idx = *(volatile uint16_t *)&q->used.idx;
	uint16_t ahead = (uint16_t)(used_idx - q->last_used);
	volatile struct virtq_used_elem *e;
	uint32_t id, n;

	if (ahead == 0)
		return KERR_BUSY;
	if (ahead > VIRTQ_SIZE - q->num_free) {
		/* more elements than chains in flight: none can be believed */
		q->last_used = used_idx;
		return KERR_FAIL;
	}
	barrier(); /* the index before the element it covers */
	e = &q->used.ring[q->last_used % VIRTQ_SIZE];
	id = e->id;
	n = e->len;
	q->last_used++;
	if (id >= VIRTQ_SIZE || q->chain[id] == 0)
		return KERR_FAIL;
	*head = (uint16_t)id;
	*len = n < q->wlen[id] ? n : q->wlen[id];
	chain_free(q, (uint16_t)id);
	return KERR_OK;
}
