/* SPDX-License-Identifier: MIT */
/*
 * Views over process memory ("process slices", doc/abi.md §6.6).
 *
 * A view is what a process-buffer callback receives.  Process memory may be
 * aliased by other allowed buffers of the same process and may change
 * whenever the kernel is not running, so every access is volatile (copies go
 * a word at a time where both sides are word-aligned alike, bytes elsewhere,
 * never outside the view) and nothing ever hands out a plain pointer into
 * process memory.
 * These are the operations the drivers use; the unit tests add more of the
 * same kind (tests/unit/slice_more.h).
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

static inline size_t pslice_len(const struct pslice *s)
{
	return s->len;
}
static inline size_t pslice_mut_len(const struct pslice_mut *s)
{
	return s->len;
}

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

/* Copy n kernel bytes into the whole view.  KERR_SIZE if n != len. */
enum kerr pslice_mut_copy_in(struct pslice_mut *s, const void *src, size_t n);

/*
 * The copy loop of the two above, for pbuf.c's callback-free copies: n
 * bytes from s to d, each read and written once, volatile.  Requires: d
 * is below s or the two do not overlap, and both ranges are inside what
 * was validated.
 */
void pslice_copy_bytes(volatile uint8_t *d, const volatile uint8_t *s,
		       size_t n);
