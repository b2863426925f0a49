/* SPDX-License-Identifier: MIT */
/*
 * Views over process memory ("process slices", spec §5.2).
 *
 * A view is what a process-buffer callback receives.  Process memory may be
 * aliased by other allowed buffers of the same process and may change
 * whenever the kernel is not running, so every access is volatile and byte-
 * wise, copies between two process views are overlap-safe, and nothing ever
 * hands out a plain pointer into process memory.  Kernel-owned arrays can be
 * wrapped in views too, so a driver can accept either.
 *
 * Every fallible function returns KERR_OK or the error named on it and
 * changes nothing on error.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kerr.h"

/* Read-only view. */
struct pslice {
	const volatile uint8_t *base;
	size_t len;
};

/* Writable view. */
struct pslice_mut {
	volatile uint8_t *base;
	size_t len;
};

/* Wrap kernel memory.  len 0 gives an empty view whatever base is. */
struct pslice pslice_from_kernel(const void *base, size_t len);
struct pslice_mut pslice_mut_from_kernel(void *base, size_t len);

/* The read-only view of a writable view. */
static inline struct pslice pslice_mut_ro(const struct pslice_mut *s)
{
	struct pslice r = { s->base, s->len };
	return r;
}

static inline size_t pslice_len(const struct pslice *s)
{
	return s->len;
}
static inline size_t pslice_mut_len(const struct pslice_mut *s)
{
	return s->len;
}

/* Byte i.  KERR_INVAL if i >= len. */
enum kerr pslice_get(const struct pslice *s, size_t i, uint8_t *out);
enum kerr pslice_mut_get(const struct pslice_mut *s, size_t i, uint8_t *out);
/* Store byte i.  KERR_INVAL if i >= len. */
enum kerr pslice_mut_set(struct pslice_mut *s, size_t i, uint8_t v);

/*
 * Sub-view [from, to).  KERR_INVAL if from > to or to > len.  Use
 * (0, to) for "..to" and (from, len) for "from..".
 */
enum kerr pslice_sub(const struct pslice *s, size_t from, size_t to,
		     struct pslice *out);
enum kerr pslice_mut_sub(const struct pslice_mut *s, size_t from, size_t to,
			 struct pslice_mut *out);

/* Copy the whole view into dst.  KERR_SIZE (nothing copied) if n != len. */
enum kerr pslice_copy_out(const struct pslice *s, void *dst, size_t n);
enum kerr pslice_mut_copy_out(const struct pslice_mut *s, void *dst, size_t n);

/* Copy n kernel bytes into the whole view.  KERR_SIZE if n != len. */
enum kerr pslice_mut_copy_in(struct pslice_mut *s, const void *src, size_t n);

/*
 * Copy src into dst, both possibly process memory and possibly overlapping
 * (memmove semantics).  KERR_SIZE if the lengths differ.
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
 * k == 0 is a programming error: KASSERT fires, and KERR_INVAL in release.
 */
struct pslice_chunks {
	struct pslice rest;
	size_t k;
};
enum kerr pslice_chunks_init(struct pslice_chunks *it, const struct pslice *s,
			     size_t k);
bool pslice_chunks_next(struct pslice_chunks *it, struct pslice *out);
