// SPDX-License-Identifier: MIT
/*
 * Unit tests for kernel/allow/slice.c: byte access, sub-views, copies,
 * overlap-safe moves and chunked iteration over views (doc/abi.md §6.6).
 * These use views over kernel arrays; process-memory views are exercised
 * through pbuf in test_pbuf.c and test_allow.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/allow/slice.h"
#include "tests/unit/fakes.h"
#include "tests/unit/slice_more.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t buf[32];

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(0x40 + i);
	return 0;
}

static void zero_length_views_have_null_base_whatever_the_address(void **st)
{
	struct pslice s = pslice_from_kernel((void *)0xdeadbeef, 0);
	struct pslice_mut m = pslice_mut_from_kernel((void *)0xdeadbeef, 0);
	uint8_t v = 0x55;

	(void)st;
	assert_null((const void *)s.base);
	assert_int_equal(pslice_len(&s), 0);
	assert_null((void *)m.base);
	assert_int_equal(pslice_mut_len(&m), 0);
	assert_int_equal(pslice_get(&s, 0, &v), KERR_INVAL);
	assert_int_equal(pslice_mut_set(&m, 0, 1), KERR_INVAL);
	assert_int_equal(v, 0x55);
}

static void get_and_set_reach_exactly_the_indexed_byte(void **st)
{
	struct pslice_mut m = pslice_mut_from_kernel(buf, sizeof(buf));
	struct pslice r = pslice_mut_ro(&m);
	uint8_t v;

	(void)st;
	assert_int_equal(pslice_len(&r), sizeof(buf));
	assert_int_equal(pslice_get(&r, 0, &v), KERR_OK);
	assert_int_equal(v, 0x40);
	assert_int_equal(pslice_mut_get(&m, 31, &v), KERR_OK);
	assert_int_equal(v, 0x40 + 31);
	assert_int_equal(pslice_mut_set(&m, 7, 0xEE), KERR_OK);
	assert_int_equal(buf[7], 0xEE);
	assert_int_equal(buf[6], 0x46);
	assert_int_equal(buf[8], 0x48);
	assert_int_equal(pslice_get(&r, 7, &v), KERR_OK);
	assert_int_equal(v, 0xEE);
}

static void get_and_set_refuse_indices_at_or_past_the_end(void **st)
{
	static const size_t bad[] = { 8, 9, 100, SIZE_MAX };
	uint8_t local[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct pslice_mut m = pslice_mut_from_kernel(local, sizeof(local));
	struct pslice r = pslice_mut_ro(&m);

	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		uint8_t v = 0x99;

		assert_int_equal(pslice_get(&r, bad[i], &v), KERR_INVAL);
		assert_int_equal(pslice_mut_get(&m, bad[i], &v), KERR_INVAL);
		assert_int_equal(v, 0x99);
		assert_int_equal(pslice_mut_set(&m, bad[i], 0), KERR_INVAL);
	}
	for (size_t i = 0; i < sizeof(local); i++)
		assert_int_equal(local[i], i + 1);
}

struct sub_case {
	size_t from, to;
	enum kerr rc;
};

static const struct sub_case sub_cases[] = {
	{ 0, 16, KERR_OK },	    /* whole view */
	{ 3, 9, KERR_OK },	    /* interior */
	{ 0, 0, KERR_OK },	    /* empty at the start */
	{ 16, 16, KERR_OK },	    /* empty at the end */
	{ 0, 5, KERR_OK },	    /* "..to" */
	{ 11, 16, KERR_OK },	    /* "from.." */
	{ 9, 3, KERR_INVAL },	    /* from > to */
	{ 0, 17, KERR_INVAL },	    /* to > len */
	{ 17, 17, KERR_INVAL },	    /* both past the end */
	{ 1, SIZE_MAX, KERR_INVAL }, /* would wrap if added to base */
	{ SIZE_MAX, 0, KERR_INVAL },
};

static void sub_views_follow_the_bounds_table(void **st)
{
	struct pslice r = pslice_from_kernel(buf, 16);
	struct pslice_mut m = pslice_mut_from_kernel(buf, 16);

	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(sub_cases); i++) {
		const struct sub_case *c = &sub_cases[i];
		struct pslice o = { (const volatile uint8_t *)1, 77 };
		struct pslice_mut om = { (volatile uint8_t *)1, 77 };

		assert_int_equal(pslice_sub(&r, c->from, c->to, &o), c->rc);
		assert_int_equal(pslice_mut_sub(&m, c->from, c->to, &om),
				 c->rc);
		if (c->rc != KERR_OK) {
			/* nothing written on error */
			assert_int_equal(o.len, 77);
			assert_int_equal(om.len, 77);
			continue;
		}
		assert_int_equal(o.len, c->to - c->from);
		assert_int_equal(om.len, c->to - c->from);
		if (o.len == 0) {
			assert_null((const void *)o.base);
			assert_null((void *)om.base);
		} else {
			assert_ptr_equal((const void *)o.base, &buf[c->from]);
			assert_ptr_equal((void *)om.base, &buf[c->from]);
		}
	}
}

static void writes_through_a_sub_view_land_at_its_offset(void **st)
{
	struct pslice_mut m = pslice_mut_from_kernel(buf, 16), sub;
	uint8_t v;

	(void)st;
	assert_int_equal(pslice_mut_sub(&m, 4, 8, &sub), KERR_OK);
	assert_int_equal(pslice_mut_set(&sub, 0, 0xA0), KERR_OK);
	assert_int_equal(pslice_mut_set(&sub, 3, 0xA3), KERR_OK);
	assert_int_equal(pslice_mut_set(&sub, 4, 0xA4), KERR_INVAL);
	assert_int_equal(buf[4], 0xA0);
	assert_int_equal(buf[7], 0xA3);
	assert_int_equal(buf[8], 0x48); /* past the sub-view: untouched */
	assert_int_equal(pslice_mut_get(&m, 7, &v), KERR_OK);
	assert_int_equal(v, 0xA3);
}

static void copy_out_and_in_move_whole_views(void **st)
{
	struct pslice_mut m = pslice_mut_from_kernel(buf, 8);
	struct pslice r = pslice_mut_ro(&m);
	uint8_t out[8], in[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };

	(void)st;
	assert_int_equal(pslice_copy_out(&r, out, sizeof(out)), KERR_OK);
	assert_memory_equal(out, buf, 8);
	assert_int_equal(pslice_mut_copy_in(&m, in, sizeof(in)), KERR_OK);
	assert_memory_equal(buf, in, 8);
	assert_int_equal(buf[8], 0x48);
	memset(out, 0, sizeof(out));
	assert_int_equal(pslice_mut_copy_out(&m, out, sizeof(out)), KERR_OK);
	assert_memory_equal(out, in, 8);
}

static void mismatched_copies_fail_with_size_and_copy_nothing(void **st)
{
	static const size_t lens[] = { 0, 7, 9, 32 };
	struct pslice_mut m = pslice_mut_from_kernel(buf, 8);
	struct pslice r = pslice_mut_ro(&m);
	uint8_t before[sizeof(buf)];

	(void)st;
	memcpy(before, buf, sizeof(buf));
	for (size_t i = 0; i < ARRAY_LEN(lens); i++) {
		uint8_t k[32];

		memset(k, 0x11, sizeof(k));
		assert_int_equal(pslice_copy_out(&r, k, lens[i]), KERR_SIZE);
		assert_int_equal(pslice_mut_copy_out(&m, k, lens[i]),
				 KERR_SIZE);
		for (size_t j = 0; j < sizeof(k); j++)
			assert_int_equal(k[j], 0x11);
		assert_int_equal(pslice_mut_copy_in(&m, k, lens[i]),
				 KERR_SIZE);
		assert_memory_equal(buf, before, sizeof(buf));
	}
}

/*
 * pslice_move against memmove on a copy of the same bytes, for dst below,
 * above and equal to src, overlapping and disjoint.
 */
struct move_case {
	size_t dst, src, n;
};

static const struct move_case move_cases[] = {
	{ 0, 4, 12 },  /* dst below src, overlapping: must copy upwards */
	{ 4, 0, 12 },  /* dst above src, overlapping: must copy downwards */
	{ 1, 0, 31 },  /* shift everything by one */
	{ 0, 1, 31 },
	{ 5, 5, 10 },  /* same bytes */
	{ 0, 16, 16 }, /* disjoint */
	{ 16, 0, 16 },
	{ 3, 9, 0 },   /* empty */
};

static void move_behaves_like_memmove_for_overlapping_views(void **st)
{
	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(move_cases); i++) {
		const struct move_case *c = &move_cases[i];
		uint8_t expect[sizeof(buf)];
		struct pslice_mut d =
			pslice_mut_from_kernel(buf + c->dst, c->n);
		struct pslice s = pslice_from_kernel(buf + c->src, c->n);

		setup(NULL);
		memcpy(expect, buf, sizeof(buf));
		memmove(expect + c->dst, expect + c->src, c->n);
		assert_int_equal(pslice_move(&d, &s), KERR_OK);
		assert_memory_equal(buf, expect, sizeof(buf));
	}
}

static void move_with_different_lengths_fails_with_size(void **st)
{
	uint8_t before[sizeof(buf)];
	struct pslice_mut d = pslice_mut_from_kernel(buf, 8);
	struct pslice s = pslice_from_kernel(buf + 16, 9);
	struct pslice_mut d2 = pslice_mut_from_kernel(buf, 9);
	struct pslice s2 = pslice_from_kernel(buf + 16, 8);

	(void)st;
	memcpy(before, buf, sizeof(buf));
	assert_int_equal(pslice_move(&d, &s), KERR_SIZE);  /* dst shorter */
	assert_int_equal(pslice_move(&d2, &s2), KERR_SIZE); /* dst longer */
	assert_memory_equal(buf, before, sizeof(buf));
}

/*
 * The word-at-a-time copies (copy in, copy out) against memcpy on a shadow,
 * at every source and destination offset within two words of an aligned
 * arena and every length up to seventeen words past that (two 64-byte
 * rounds of the loop on a 64-bit host): aligned and misaligned middles,
 * ragged heads and tails, lengths below one word.  Bytes around the range
 * are guard bytes: a copy that touches one fails.
 */
#define W sizeof(unsigned long)
#define EDGE_OFFS (2 * W)
#define EDGE_LENS (17 * W + 3)
#define ARENA (EDGE_OFFS + EDGE_LENS + 2 * W)

static _Alignas(16) uint8_t arena_k[ARENA], arena_p[ARENA];

static void fill_arenas(void)
{
	for (size_t i = 0; i < ARENA; i++) {
		arena_k[i] = (uint8_t)(0x80 ^ i);
		arena_p[i] = (uint8_t)(0x11 * i + 3);
	}
}

static void copies_at_every_alignment_and_length_touch_only_the_range(
	void **st)
{
	uint8_t ek[ARENA], ep[ARENA];

	(void)st;
	for (size_t ko = 0; ko < EDGE_OFFS; ko++)
		for (size_t po = 0; po < EDGE_OFFS; po++)
			for (size_t n = 0; n <= EDGE_LENS; n++) {
				struct pslice_mut m = pslice_mut_from_kernel(
					arena_p + po, n);
				struct pslice r = pslice_mut_ro(&m);

				/* in: kernel -> view */
				fill_arenas();
				memcpy(ek, arena_k, ARENA);
				memcpy(ep, arena_p, ARENA);
				memcpy(ep + po, ek + ko, n);
				assert_int_equal(pslice_mut_copy_in(
							 &m, arena_k + ko, n),
						 KERR_OK);
				assert_memory_equal(arena_p, ep, ARENA);
				assert_memory_equal(arena_k, ek, ARENA);

				/* out: view -> kernel, both kinds of view */
				fill_arenas();
				memcpy(ek, arena_k, ARENA);
				memcpy(ep, arena_p, ARENA);
				memcpy(ek + ko, ep + po, n);
				assert_int_equal(pslice_copy_out(
							 &r, arena_k + ko, n),
						 KERR_OK);
				assert_memory_equal(arena_k, ek, ARENA);
				assert_memory_equal(arena_p, ep, ARENA);
				fill_arenas();
				assert_int_equal(pslice_mut_copy_out(
							 &m, arena_k + ko, n),
						 KERR_OK);
				assert_memory_equal(arena_k, ek, ARENA);
			}
}

static void two_overlapping_writable_views_see_each_others_writes(void **st)
{
	/* two overlapping RW allows of one process (doc/abi.md §6.4) */
	struct pslice_mut a = pslice_mut_from_kernel(buf, 12);
	struct pslice_mut b = pslice_mut_from_kernel(buf + 8, 12);
	uint8_t v;

	(void)st;
	assert_int_equal(pslice_mut_set(&a, 10, 0x5A), KERR_OK);
	assert_int_equal(pslice_mut_get(&b, 2, &v), KERR_OK);
	assert_int_equal(v, 0x5A);
	assert_int_equal(pslice_mut_set(&b, 0, 0xA5), KERR_OK);
	assert_int_equal(pslice_mut_get(&a, 8, &v), KERR_OK);
	assert_int_equal(v, 0xA5);
}

struct chunk_case {
	size_t len, k;
	size_t nchunks, last;
};

static const struct chunk_case chunk_cases[] = {
	{ 10, 4, 3, 2 },  /* last chunk shorter */
	{ 8, 4, 2, 4 },	  /* exact multiple: no empty trailing chunk */
	{ 3, 16, 1, 3 },  /* k > len: one short chunk */
	{ 5, 1, 5, 1 },	  /* byte by byte */
	{ 0, 4, 0, 0 },	  /* empty view: no chunks */
	{ 7, SIZE_MAX, 1, 7 },
};

static void chunks_cover_the_view_in_order_with_a_shorter_last_chunk(
	void **st)
{
	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(chunk_cases); i++) {
		const struct chunk_case *c = &chunk_cases[i];
		struct pslice s = pslice_from_kernel(buf, c->len), ch;
		struct pslice_chunks it;
		size_t count = 0, covered = 0;

		assert_int_equal(pslice_chunks_init(&it, &s, c->k), KERR_OK);
		while (pslice_chunks_next(&it, &ch)) {
			assert_ptr_equal((const void *)ch.base, &buf[covered]);
			assert_true(ch.len > 0 && ch.len <= c->k);
			covered += ch.len;
			count++;
			if (count == c->nchunks)
				assert_int_equal(ch.len, c->last);
			assert_true(count <= c->nchunks);
		}
		assert_int_equal(count, c->nchunks);
		assert_int_equal(covered, c->len);
		/* exhausted iterators stay exhausted */
		assert_false(pslice_chunks_next(&it, &ch));
	}
}

static void chunks_of_size_zero_fire_the_assertion(void **st)
{
	struct pslice s = pslice_from_kernel(buf, 8);
	struct pslice_chunks it = { { NULL, 0 }, 0 };

	(void)st;
	expect_assert_failure(pslice_chunks_init(&it, &s, 0));
	/* the iterator was not set up, so it yields nothing */
	assert_int_equal(it.k, 0);
	assert_int_equal(it.rest.len, 0);
}

static void an_iterator_with_k_zero_yields_nothing_instead_of_spinning(
	void **st)
{
	/* what a caller ignoring init's error would hold */
	struct pslice_chunks it = { { buf, 8 }, 0 };
	struct pslice ch;

	(void)st;
	assert_false(pslice_chunks_next(&it, &ch));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(zero_length_views_have_null_base_whatever_the_address),
		T(get_and_set_reach_exactly_the_indexed_byte),
		T(get_and_set_refuse_indices_at_or_past_the_end),
		T(sub_views_follow_the_bounds_table),
		T(writes_through_a_sub_view_land_at_its_offset),
		T(copy_out_and_in_move_whole_views),
		T(mismatched_copies_fail_with_size_and_copy_nothing),
		T(move_behaves_like_memmove_for_overlapping_views),
		T(move_with_different_lengths_fails_with_size),
		T(copies_at_every_alignment_and_length_touch_only_the_range),
		T(two_overlapping_writable_views_see_each_others_writes),
		T(chunks_cover_the_view_in_order_with_a_shorter_last_chunk),
		T(chunks_of_size_zero_fire_the_assertion),
		T(an_iterator_with_k_zero_yields_nothing_instead_of_spinning),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
