/* SPDX-License-Identifier: MIT */
/*
 * Shared by the libFuzzer targets in tests/fuzz/: a reader that turns the
 * fuzzer's bytes into numbers (running out of input yields zeros, so every
 * input decodes to something), and FUZZ_CHECK, which aborts so that
 * libFuzzer records the input as a crash.  The kernel's KASSERTs abort the
 * same way (fuzz_common.c replaces cmocka's mock_assert).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

/* The next byte, or 0 once the input is used up. */
static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

/* The next n (<= 8) bytes as a little-endian number. */
static inline uint64_t fuzz_bytes(struct fuzz_in *in, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)fuzz_u8(in) << (8 * i);
	return v;
}

/* Report a broken property: print it and abort (a libFuzzer crash). */
__attribute__((noreturn)) void fuzz_fail(const char *what, const char *file,
					 int line);

#define FUZZ_CHECK(c)                                                     \
	do {                                                              \
		if (!(c))                                                 \
			fuzz_fail(#c, __FILE__, __LINE__);                \
	} while (0)
