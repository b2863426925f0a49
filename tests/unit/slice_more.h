/* SPDX-License-Identifier: MIT */
/*
 * View operations the unit tests use beside kernel/allow/slice.h: views
 * over test-owned arrays, single-byte reads, the read-only view of a
 * writable one, an overlap-safe move between two views and chunked
 * iteration.  No driver needs them, so they are not kernel code; they keep
 * slice.h's rules (volatile byte accesses only, an empty view has base
 * NULL, nothing changes on error).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/slice.h"

/* Wrap test memory.  len 0 gives an empty view whatever base is. */
struct pslice pslice_from_kernel(const void *base, size_t len);
struct pslice_mut pslice_mut_from_kernel(void *base, size_t len);

/* The read-only view of a writable view. */
static inline struct pslice pslice_mut_ro(const struct pslice_mut *s)
{
	struct pslice r = { s->base, s->len };
	return r;
}

/* Byte i.  KERR_INVAL if i >= len. */
enum kerr pslice_get(const struct pslice *s, size_t i, uint8_t *out);
enum kerr pslice_mut_get(const struct pslice_mut *s, size_t i, uint8_t *out);

/* Copy the whole view into dst.  KERR_SIZE (nothing copied) if n != len. */
enum kerr pslice_mut_copy_out(const struct pslice_mut *s, void *dst, size_t n);

/*
 * Copy src into dst, both possibly process memory and possibly overlapping
 * (memmove semantics, direction chosen from the addresses).  KERR_SIZE if
 * the lengths differ.
 */
enum kerr pslice_move(struct pslice_mut *dst, const struct pslice *src);

/*
 * Chunked iteration: consecutive sub-views of k bytes, the last shorter.
 *
 *     struct pslice_chunks it;
 *     struct pslice c;
 *     if (pslice_chunks_init(&it, s, 16) == KERR_OK)
 *             while (pslice_chunks_next(&it, &c))
 *                     ...
 *
 * k == 0 is a programming error: KASSERT fires, and KERR_INVAL without
 * KASSERTs.
 */
struct pslice_chunks {
	struct pslice rest;
	size_t k;
};
enum kerr pslice_chunks_init(struct pslice_chunks *it, const struct pslice *s,
			     size_t k);
bool pslice_chunks_next(struct pslice_chunks *it, struct pslice *out);
