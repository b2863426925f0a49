// SPDX-License-Identifier: MIT
/*
 * Views over process memory (doc/abi.md §6.6); see slice.h.
 *
 * Every access to the bytes behind a view is a volatile load or store, and
 * each byte is read and written exactly once.  Process memory may be aliased
 * by other views (doc/abi.md §6.4) and may change whenever the kernel is not
 * running, so nothing here may let the compiler merge, reorder across views
 * or elide an access: in particular no memcpy()/memmove() ever touches a
 * view.
 *
 * The copy loop (a word at a time over an aligned middle, bytes at the
 * ragged edges) is slice_priv.h's slice_copy_up(), which pbuf.c's
 * callback-free copies inline too.  Nothing assumes a word access is
 * atomic: a view's bytes carry no promise of being read at one instant,
 * byte-wise or word-wise.
 *
 * One invariant keeps the rest simple: an empty view always has base NULL,
 * so no pointer arithmetic is ever done on a dummy address.
 */
#include "kernel/allow/slice.h"

#include "kernel/allow/slice_priv.h"

/* ---- single bytes ---- */

enum kerr pslice_mut_set(struct pslice_mut *s, size_t i, uint8_t v)
{
	if (i >= s->len)
		return KERR_INVAL;
	s->base[i] = v;
	return KERR_OK;
}

/* ---- sub-views ---- */

/*
 * Bounds of [from, to) inside a view of len bytes.  from <= to <= len keeps
 * base + from within (or one past) the view, so the addition cannot wrap.
 */
static bool sub_ok(size_t len, size_t from, size_t to)
{
	return from <= to && to <= len;
}

enum kerr pslice_sub(const struct pslice *s, size_t from, size_t to,
		     struct pslice *out)
{
	if (!sub_ok(s->len, from, to))
		return KERR_INVAL;
	out->len = to - from;
	out->base = out->len ? s->base + from : NULL;
	return KERR_OK;
}

enum kerr pslice_mut_sub(const struct pslice_mut *s, size_t from, size_t to,
			 struct pslice_mut *out)
{
	if (!sub_ok(s->len, from, to))
		return KERR_INVAL;
	out->len = to - from;
	out->base = out->len ? s->base + from : NULL;
	return KERR_OK;
}

/* ---- copies between a view and kernel memory ---- */

/*
 * Kernel memory goes through volatile pointers too: one loop serves both
 * directions.  s->base is read once, before the copy (dst may alias *s).
 * Both call pslice_copy_bytes(): one copy of the loop in this file.
 */
enum kerr pslice_copy_out(const struct pslice *s, void *dst, size_t n)
{
	if (n != s->len)
		return KERR_SIZE;
	slice_copy_up(dst, s->base, n);
	return KERR_OK;
}

enum kerr pslice_mut_copy_in(struct pslice_mut *s, const void *src, size_t n)
{
	if (n != s->len)
		return KERR_SIZE;
	slice_copy_up(s->base, src, n);
	return KERR_OK;
}

void pslice_copy_bytes(volatile uint8_t *d, const volatile uint8_t *s,
		       size_t n)
{
	slice_copy_up(d, s, n);
}
