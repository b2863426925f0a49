/* SPDX-License-Identifier: MIT */
/*
 * The copy loop of kernel/allow/, shared by slice.c (the view copies) and
 * pbuf.c (the callback-free copies, which inline it so that a copy Command
 * runs no call between its checks and its last byte).  Nothing outside
 * kernel/allow/ includes this file.
 *
 * Every access is volatile, each byte is read and written exactly once,
 * and nothing reaches outside [d, d + n) or [s, s + n): no memcpy() or
 * memmove() ever touches process memory (see slice.c).
 *
 * Copies run a word at a time (the register width: 4 bytes on rv32, 8 on
 * rv64) over the middle of a range when source and destination share their
 * alignment within a word, and a byte at a time over the ragged edges and
 * when they do not.  A word access is only ever made at a word-aligned
 * address inside the range, so it never reaches a byte outside it and
 * never traps on a core without misaligned access (the FE310).  Nothing
 * assumes a word access is atomic.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * SLICE_COPY_WORDS (kernel/meson.build, from the cross file's property
 * slice_copy_words) is 0 where kernel flash counts more than the copies'
 * speed; slice_copy_up() is then the byte loop alone.  SLICE_COPY_ROUNDS
 * (property slice_copy_rounds) is 0 where the word loop may stay but its
 * 64-byte rounds may not (the HiFive1, whose flash is nearly full): then
 * one word a step.  Only with rounds is the loop inlined into pbuf.c's
 * copies too; otherwise pbuf.c calls pslice_copy_bytes(), so that the
 * loop is not written into the kernel twice.
 */
#ifndef SLICE_COPY_WORDS
#define SLICE_COPY_WORDS 1
#endif
#ifndef SLICE_COPY_ROUNDS
#define SLICE_COPY_ROUNDS 1
#endif
#define SLICE_COPY_FAST (SLICE_COPY_WORDS && SLICE_COPY_ROUNDS)

/*
 * The copy unit.  may_alias: it reads and writes kernel byte arrays and
 * process memory of any declared type, which strict aliasing would
 * otherwise let the compiler reorder against the caller's own accesses.
 */
typedef unsigned long __attribute__((may_alias)) slice_word_t;
#define SLICE_WORD_MASK ((uintptr_t)sizeof(slice_word_t) - 1)

/*
 * One round of the loop: 64 bytes (16 words on rv32, 8 on rv64), moved as
 * two halves of 32 bytes, each read in full before any of it is written
 * (a half is as many words as rv32 has free caller-saved registers for;
 * a 64-byte copy is one round, so it pays the loop's own instructions
 * once).
 */
#define SLICE_HALF_WORDS (32 / sizeof(slice_word_t))
#define SLICE_ROUND_BYTES 64u

static inline void slice_move_half(volatile slice_word_t *d,
				   const volatile slice_word_t *s)
{
	slice_word_t a = s[0], b = s[1], c = s[2], e = s[3];
#if UINTPTR_MAX == UINT32_MAX
	slice_word_t f = s[4], g = s[5], h = s[6], k = s[7];
#endif

	d[0] = a;
	d[1] = b;
	d[2] = c;
	d[3] = e;
#if UINTPTR_MAX == UINT32_MAX
	d[4] = f;
	d[5] = g;
	d[6] = h;
	d[7] = k;
#endif
}
_Static_assert(SLICE_HALF_WORDS == 8 || SLICE_HALF_WORDS == 4,
	       "a half round is 8 words on rv32, 4 on rv64");
_Static_assert(SLICE_HALF_WORDS == (UINTPTR_MAX == UINT32_MAX ? 8 : 4),
	       "slice_move_half() moves SLICE_HALF_WORDS words");

/*
 * Ascending copy of n bytes.  Safe when d is below s or the two do not
 * overlap (a kernel-wrapped view may alias the kernel side): an ascending
 * copy with d < s only ever stores below the source bytes it has not read
 * yet, and with equal phase and d < s, s - d is a multiple of the word
 * size, so a store of the words just read never reaches a source word not
 * yet read (within a half, all its words are read before any is stored;
 * a half's stores end below s + 32, where the next half starts).
 */
#if SLICE_COPY_FAST
#define SLICE_COPY_INLINE inline __attribute__((always_inline))
#else
#define SLICE_COPY_INLINE inline
#endif

/*
 * Always inlined where it copies by rounds: each call site is a hot copy
 * path (pbuf.c's three, slice.c's pslice_copy_bytes()).
 */
static SLICE_COPY_INLINE void slice_copy_up(volatile uint8_t *d,
					    const volatile uint8_t *s,
					    size_t n)
{
#if SLICE_COPY_WORDS
#if SLICE_COPY_ROUNDS
	const volatile uint8_t *end;
#endif

	/* both word-aligned, the common case, is one test */
	if (__builtin_expect(((uintptr_t)d | (uintptr_t)s) & SLICE_WORD_MASK,
			     0)) {
		/* unlike phases: bytes all the way */
		if ((((uintptr_t)d ^ (uintptr_t)s) & SLICE_WORD_MASK) != 0)
			goto bytes;
		/* like phases: the ragged head, bytes up to a word boundary */
		do {
			if (n == 0)
				return;
			*d++ = *s++;
			n--;
		} while (((uintptr_t)d & SLICE_WORD_MASK) != 0);
	}
#if SLICE_COPY_ROUNDS
	/* whole rounds, up to end (a plain sum inside [s, s + n]) */
	end = s + (n & ~(size_t)(SLICE_ROUND_BYTES - 1));
	if (s != end) {
		do {
			slice_move_half((volatile slice_word_t *)d,
					(const volatile slice_word_t *)s);
			slice_move_half(
				(volatile slice_word_t *)(d + 32),
				(const volatile slice_word_t *)(s + 32));
			d += SLICE_ROUND_BYTES;
			s += SLICE_ROUND_BYTES;
		} while (s != end);
		n &= SLICE_ROUND_BYTES - 1;
		if (n == 0)
			return;
	}
#endif
	/* whole words left over, then the ragged tail below */
	for (; n >= sizeof(slice_word_t); n -= sizeof(slice_word_t)) {
		*(volatile slice_word_t *)d = *(const volatile slice_word_t *)s;
		d += sizeof(slice_word_t);
		s += sizeof(slice_word_t);
	}
bytes:
#endif
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
}
