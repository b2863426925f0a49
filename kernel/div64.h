/* SPDX-License-Identifier: MIT */
/*
 * 64-by-32-bit unsigned division without libgcc.
 *
 * On rv32 a 64-bit '/' or '%' is a call to libgcc's __udivdi3 or
 * __umoddi3, which bring 1.6 KiB of code and a 256-byte table into the
 * kernel: a tenth of the HiFive1's kernel flash (doc/design.md#footprint).  The
 * kernel divides a 64-bit value in one place only (microseconds to timer ticks,
 * once per timeslice length; kprintf divides register-wide values), so it
 * uses this bit-by-bit long division instead: a few dozen bytes, 64 rounds
 * per call.
 */
#pragma once

#include <stdint.h>

/*
 * n / d, with n % d in *rem (rem may be NULL).  Requires d != 0 (a kernel
 * bug otherwise; the result is then all ones).
 */
static inline uint64_t div64_u32(uint64_t n, uint32_t d, uint32_t *rem)
{
	uint32_t r = 0;

	/*
	 * One bit of n per round, from the top: each round shifts n's top
	 * bit into r and frees n's bottom bit for the quotient's, so after
	 * 64 rounds n is the quotient.  r < d before the shift, so r is
	 * below 2^33 after it: its 33rd bit, shifted out of r, is carry,
	 * and carry means r >= d (r - d then wraps to the right value).
	 */
	for (int i = 0; i < 64; i++) {
		uint32_t carry = r >> 31;

		r = r << 1 | (uint32_t)(n >> 63);
		n <<= 1;
		if (carry || r >= d) {
			r -= d;
			n |= 1;
		}
	}
	if (rem)
		*rem = r;
	return n;
}
