// SPDX-License-Identifier: MIT
/*
 * Unit tests for the split virtqueue (platform/devices/virtq.c).  The test
 * plays the device on the shared rings: it takes chains from the available
 * ring and puts elements on the used ring, including ones no honest device
 * would (unknown heads, heads returned twice, lengths beyond the buffer,
 * a used index far ahead).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/devices/virtq.h"

static struct virtq q;
static uint16_t dev_avail; /* the device's position in the available ring */
static uint8_t buf[VIRTQ_SIZE][32];

static int setup(void **st)
{
	(void)st;
	virtq_init(&q);
	dev_avail = 0;
	return 0;
}

/* The device takes the next available chain; returns its head. */
static uint16_t device_take(void)
{
	assert_int_not_equal(q.avail.idx, dev_avail);
	return q.avail.ring[dev_avail++ % VIRTQ_SIZE];
}

/* The device puts (id, len) on the used ring. */
static void device_use(uint32_t id, uint32_t len)
{
	q.used.ring[q.used.idx % VIRTQ_SIZE] =
		(struct virtq_used_elem){ id, len };
	q.used.idx++;
}

static uint16_t add_one(unsigned i, bool writes)
{
	struct virtq_seg s = { buf[i], sizeof(buf[i]), writes };
	uint16_t h = 0xffff;

	assert_int_equal(virtq_add(&q, &s, 1, &h), KERR_OK);
	return h;
}

static void add_publishes_a_descriptor_and_the_ring_entry(void **st)
{
	uint16_t h, d;

	(void)st;
	h = add_one(0, true);
	assert_int_equal(q.avail.idx, 1);
	d = device_take();
	assert_int_equal(d, h);
	assert_int_equal(q.desc[d].addr, (uint64_t)(uintptr_t)buf[0]);
	assert_int_equal(q.desc[d].len, sizeof(buf[0]));
	assert_int_equal(q.desc[d].flags, VIRTQ_DESC_F_WRITE);
	assert_int_equal(virtq_free_count(&q), VIRTQ_SIZE - 1);
}

static void chains_link_their_descriptors(void **st)
{
	struct virtq_seg s[3] = { { buf[0], 8, false },
				  { buf[1], 16, true },
				  { buf[2], 4, true } };
	uint16_t h, i, got;
	uint32_t len;

	(void)st;
	assert_int_equal(virtq_add(&q, s, 3, &h), KERR_OK);
	i = h;
	assert_int_equal(q.desc[i].flags, VIRTQ_DESC_F_NEXT);
	i = q.desc[i].next;
	assert_int_equal(q.desc[i].flags,
			 VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	i = q.desc[i].next;
	assert_int_equal(q.desc[i].flags, VIRTQ_DESC_F_WRITE);
	assert_int_equal(q.desc[i].len, 4);
	/* the device may write 20 bytes of the chain, never more */
	device_use(device_take(), 1000);
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_OK);
	assert_int_equal(got, h);
	assert_int_equal(len, 20);
	assert_int_equal(virtq_free_count(&q), VIRTQ_SIZE);
}

static void add_refuses_empty_oversized_and_unfitting_chains(void **st)
{
	struct virtq_seg s[VIRTQ_SIZE + 1];
	uint16_t h;

	(void)st;
	memset(s, 0, sizeof(s));
	assert_int_equal(virtq_add(&q, s, 0, &h), KERR_INVAL);
	assert_int_equal(virtq_add(&q, s, VIRTQ_SIZE + 1, &h), KERR_INVAL);
	for (unsigned i = 0; i < VIRTQ_SIZE; i++)
		add_one(i, true);
	assert_int_equal(virtq_add(&q, s, 1, &h), KERR_BUSY);
	assert_int_equal(q.avail.idx, VIRTQ_SIZE);
}

static void pop_is_busy_until_the_device_answers(void **st)
{
	uint16_t h;
	uint32_t len;

	(void)st;
	assert_int_equal(virtq_pop(&q, &h, &len), KERR_BUSY);
	add_one(0, true);
	assert_int_equal(virtq_pop(&q, &h, &len), KERR_BUSY);
}

static void reported_length_is_cut_to_the_buffer(void **st)
{
	static const uint32_t lens[] = { 0, 1, 32, 33, 4096, UINT32_MAX };
	uint16_t h, got;
	uint32_t len;

	(void)st;
	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		h = add_one(0, true);
		device_use(device_take(), lens[i]);
		assert_int_equal(virtq_pop(&q, &got, &len), KERR_OK);
		assert_int_equal(got, h);
		assert_int_equal(len, lens[i] < 32 ? lens[i] : 32);
	}
}

static void read_only_buffers_let_the_device_write_nothing(void **st)
{
	uint16_t got;
	uint32_t len;

	(void)st;
	add_one(0, false);
	device_use(device_take(), 32);
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_OK);
	assert_int_equal(len, 0);
}

static void unknown_or_repeated_heads_are_dropped(void **st)
{
	uint16_t h, got = 0xffff;
	uint32_t len = 0xdead;

	(void)st;
	h = add_one(0, true);
	add_one(1, true);
	(void)device_take();
	(void)device_take();
	device_use(VIRTQ_SIZE, 8);  /* out of range */
	device_use(UINT32_MAX, 8);  /* far out of range */
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_FAIL);
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_FAIL);
	assert_int_equal(got, 0xffff);
	assert_int_equal(len, 0xdead);
	device_use(h, 8);
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_OK);
	assert_int_equal(got, h);
	device_use(h, 8); /* the same head again: no longer in flight */
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_FAIL);
	/* a free descriptor that was never a head */
	device_use((uint32_t)((h + 2) % VIRTQ_SIZE), 8);
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_FAIL);
	assert_int_equal(virtq_free_count(&q), VIRTQ_SIZE - 1);
}

static void used_index_far_ahead_is_not_believed(void **st)
{
	uint16_t got;
	uint32_t len;

	(void)st;
	add_one(0, true);
	(void)device_take();
	q.used.idx = 1000;
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_FAIL);
	assert_int_equal(virtq_pop(&q, &got, &len), KERR_BUSY);
}

static void descriptors_are_reused_after_pop(void **st)
{
	uint16_t got;
	uint32_t len;

	(void)st;
	/* many rounds through a full queue: indices wrap, nothing leaks */
	for (unsigned round = 0; round < 70000; round += VIRTQ_SIZE) {
		uint16_t heads[VIRTQ_SIZE];

		for (unsigned i = 0; i < VIRTQ_SIZE; i++)
			heads[i] = add_one(i, true);
		for (unsigned i = 0; i < VIRTQ_SIZE; i++)
			device_use(device_take(), i);
		for (unsigned i = 0; i < VIRTQ_SIZE; i++) {
			assert_int_equal(virtq_pop(&q, &got, &len), KERR_OK);
			assert_int_equal(got, heads[i]);
			assert_int_equal(len, i);
		}
		assert_int_equal(virtq_free_count(&q), VIRTQ_SIZE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(add_publishes_a_descriptor_and_the_ring_entry),
		T(chains_link_their_descriptors),
		T(add_refuses_empty_oversized_and_unfitting_chains),
		T(pop_is_busy_until_the_device_answers),
		T(reported_length_is_cut_to_the_buffer),
		T(read_only_buffers_let_the_device_write_nothing),
		T(unknown_or_repeated_heads_are_dropped),
		T(used_index_far_ahead_is_not_believed),
		T(descriptors_are_reused_after_pop),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
