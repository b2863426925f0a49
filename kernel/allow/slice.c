// SPDX-License-Identifier: MIT
/*
 * Views over process memory (doc/abi.md §6.6); see slice.h.
 *
 * Every access to the bytes behind a view is a single volatile byte load or
 * store.  Process memory may be aliased by other views (doc/abi.md §6.4) and
 * may change whenever the kernel is not running, so nothing here may let the
 * compiler merge, reorder across views or elide an access: in particular no
 * memcpy()/memmove() ever touches a view.
 *
 * One invariant keeps the rest simple: an empty view always has base NULL,
 * so no pointer arithmetic is ever done on a dummy address.
 */
#include "kernel/allow/slice.h"

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

enum kerr pslice_copy_out(const struct pslice *s, void *dst, size_t n)
{
	const volatile uint8_t *from = s->base; /* dst may alias *s */
	uint8_t *d = dst;

	if (n != s->len)
		return KERR_SIZE;
	for (size_t i = 0; i < n; i++)
		d[i] = from[i];
	return KERR_OK;
}

enum kerr pslice_mut_copy_in(struct pslice_mut *s, const void *src, size_t n)
{
	const uint8_t *from = src;

	if (n != s->len)
		return KERR_SIZE;
	for (size_t i = 0; i < n; i++)
		s->base[i] = from[i];
	return KERR_OK;
}
