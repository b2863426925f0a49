// SPDX-License-Identifier: MIT
/*
 * Views over process memory (spec §5.2, §5.3); see slice.h.
 *
 * Every access to the bytes behind a view is a single volatile byte load or
 * store.  Process memory may be aliased by other views (spec §4.4) and may
 * change whenever the kernel is not running, so nothing here may let the
 * compiler merge, reorder across views or elide an access: in particular no
 * memcpy()/memmove() ever touches a view.  Copies between two views pick
 * their direction from the addresses, as memmove does.
 *
 * One invariant keeps the rest simple: an empty view always has base NULL,
 * so no pointer arithmetic is ever done on a dummy address.
 */
#include "kernel/allow/slice.h"

#include "kernel/kassert.h"

struct pslice pslice_from_kernel(const void *base, size_t len)
{
	struct pslice s = { len ? (const volatile uint8_t *)base : NULL, len };

	return s;
}

struct pslice_mut pslice_mut_from_kernel(void *base, size_t len)
{
	struct pslice_mut s = { len ? (volatile uint8_t *)base : NULL, len };

	return s;
}

/* ---- single bytes ---- */

static enum kerr get(const volatile uint8_t *base, size_t len, size_t i,
		     uint8_t *out)
{
	if (i >= len)
		return KERR_INVAL;
	*out = base[i];
	return KERR_OK;
}

enum kerr pslice_get(const struct pslice *s, size_t i, uint8_t *out)
{
	return get(s->base, s->len, i, out);
}

enum kerr pslice_mut_get(const struct pslice_mut *s, size_t i, uint8_t *out)
{
	return get(s->base, s->len, i, out);
}

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

static enum kerr copy_out(const volatile uint8_t *base, size_t len, void *dst,
			  size_t n)
{
	uint8_t *d = dst;

	if (n != len)
		return KERR_SIZE;
	for (size_t i = 0; i < n; i++)
		d[i] = base[i];
	return KERR_OK;
}

enum kerr pslice_copy_out(const struct pslice *s, void *dst, size_t n)
{
	return copy_out(s->base, s->len, dst, n);
}

enum kerr pslice_mut_copy_out(const struct pslice_mut *s, void *dst, size_t n)
{
	return copy_out(s->base, s->len, dst, n);
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

/* ---- copies between two views ---- */

enum kerr pslice_move(struct pslice_mut *dst, const struct pslice *src)
{
	/*
	 * Compare as integers: the two views may come from different
	 * allows (or be kernel arrays), and relational comparison of
	 * unrelated pointers is undefined in C.
	 */
	uintptr_t d = (uintptr_t)dst->base, s = (uintptr_t)src->base;
	size_t n = src->len;

	if (dst->len != n)
		return KERR_SIZE;
	if (n == 0 || d == s)
		return KERR_OK;
	if (d < s) {
		/* dst below src: ascending never overwrites unread src */
		for (size_t i = 0; i < n; i++)
			dst->base[i] = src->base[i];
	} else {
		/* dst starts above src: descend so the tail is read first */
		for (size_t i = n; i-- > 0;)
			dst->base[i] = src->base[i];
	}
	return KERR_OK;
}

/* ---- chunked iteration ---- */

enum kerr pslice_chunks_init(struct pslice_chunks *it, const struct pslice *s,
			     size_t k)
{
	KASSERT(k != 0);
	if (k == 0)
		return KERR_INVAL;
	it->rest = *s;
	it->k = k;
	return KERR_OK;
}

bool pslice_chunks_next(struct pslice_chunks *it, struct pslice *out)
{
	size_t n;

	/* k == 0 only in an iterator whose init failed: stop, never spin */
	if (it->rest.len == 0 || it->k == 0)
		return false;
	n = it->rest.len < it->k ? it->rest.len : it->k;
	out->base = it->rest.base;
	out->len = n;
	it->rest.len -= n;
	it->rest.base = it->rest.len ? it->rest.base + n : NULL;
	return true;
}
