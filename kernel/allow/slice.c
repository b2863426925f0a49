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
 * Copies run a word at a time (the register width: 4 bytes on rv32, 8 on
 * rv64) over the middle of a range when source and destination share their
 * alignment within a word, and a byte at a time over the ragged edges and
 * when they do not.  A word access is only ever made at a word-aligned
 * address inside [base, base + len), so it never reaches a byte outside the
 * view and never traps on a core without misaligned access (the FE310).
 * Nothing assumes a word access is atomic: a view's bytes carry no promise
 * of being read at one instant, byte-wise or word-wise.
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

/* ---- the copy loop ---- */

/*
 * The copy unit.  may_alias: it reads and writes kernel byte arrays and
 * process memory of any declared type, which strict aliasing would
 * otherwise let the compiler reorder against the caller's own accesses.
 */
typedef unsigned long __attribute__((may_alias)) word_t;
#define WORD_MASK ((uintptr_t)sizeof(word_t) - 1)

/*
 * SLICE_COPY_WORDS (kernel/meson.build, from the cross file's property
 * slice_copy_words) is 0 where kernel flash counts more than the copies'
 * speed; copy_up() is then the byte loop alone.  SLICE_COPY_ROUNDS
 * (property slice_copy_rounds) is 0 where the word loop may stay but its
 * 32-byte rounds may not (the HiFive1: a 64-byte copy Command costs 793
 * instructions with bytes, 428 with words, 354 with rounds, for 48 and
 * 180 bytes of kernel flash).
 */
#ifndef SLICE_COPY_WORDS
#define SLICE_COPY_WORDS 1
#endif
#ifndef SLICE_COPY_ROUNDS
#define SLICE_COPY_ROUNDS 1
#endif

/*
 * One round of the copy: 32 bytes (8 words on rv32, 4 on rv64), all read
 * before any is written.  Big rounds spread the loop's own instructions
 * over more words (a 64-byte copy is two rounds).
 */
#if UINTPTR_MAX == UINT32_MAX
#define ROUND_WORDS 8
#else
#define ROUND_WORDS 4
#endif
#define ROUND_BYTES (ROUND_WORDS * sizeof(word_t))
_Static_assert(ROUND_BYTES == 32, "a round is 32 bytes");

static inline void move_round(volatile word_t *d, const volatile word_t *s)
{
	word_t a = s[0], b = s[1], c = s[2], e = s[3];
#if ROUND_WORDS == 8
	word_t f = s[4], g = s[5], h = s[6], k = s[7];
#endif

	d[0] = a;
	d[1] = b;
	d[2] = c;
	d[3] = e;
#if ROUND_WORDS == 8
	d[4] = f;
	d[5] = g;
	d[6] = h;
	d[7] = k;
#endif
}

/*
 * Ascending copy of n bytes.  Safe when d is below s or the two do not
 * overlap (a kernel-wrapped view may alias the kernel side): with equal
 * phase and d < s, s - d is a multiple of the word size, so a store of the
 * words just read never reaches a source word not yet read.
 */
static inline void copy_up(volatile uint8_t *d, const volatile uint8_t *s,
			   size_t n)
{
#if SLICE_COPY_WORDS
	if ((((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK) == 0) {
		while (n != 0 && ((uintptr_t)d & WORD_MASK) != 0) {
			*d++ = *s++;
			n--;
		}
#if SLICE_COPY_ROUNDS
		for (; n >= ROUND_BYTES; n -= ROUND_BYTES) {
			move_round((volatile word_t *)d,
				   (const volatile word_t *)s);
			d += ROUND_BYTES;
			s += ROUND_BYTES;
		}
#endif
		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(volatile word_t *)d = *(const volatile word_t *)s;
			d += sizeof(word_t);
			s += sizeof(word_t);
		}
	}
#endif
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
}

/* ---- copies between a view and kernel memory ---- */

/*
 * Kernel memory goes through volatile pointers too: one loop serves both
 * directions.  s->base is read once, before the copy (dst may alias *s).
 */
enum kerr pslice_copy_out(const struct pslice *s, void *dst, size_t n)
{
	if (n != s->len)
		return KERR_SIZE;
	copy_up(dst, s->base, n);
	return KERR_OK;
}

enum kerr pslice_mut_copy_in(struct pslice_mut *s, const void *src, size_t n)
{
	if (n != s->len)
		return KERR_SIZE;
	copy_up(s->base, src, n);
	return KERR_OK;
}

void pslice_copy_bytes(volatile uint8_t *d, const volatile uint8_t *s,
		       size_t n)
{
	copy_up(d, s, n);
}
