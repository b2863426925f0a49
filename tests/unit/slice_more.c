// SPDX-License-Identifier: MIT
/* Test-only view operations; see slice_more.h. */
#include "tests/unit/slice_more.h"

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

enum kerr pslice_mut_copy_out(const struct pslice_mut *s, void *dst, size_t n)
{
	struct pslice r = pslice_mut_ro(s);

	return pslice_copy_out(&r, dst, n);
}

enum kerr pslice_move(struct pslice_mut *dst, const struct pslice *src)
{
	/*
	 * Compare as integers: the two views may come from different
	 * allows (or be test arrays), and relational comparison of
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
