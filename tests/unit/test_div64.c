// SPDX-License-Identifier: MIT
/*
 * div64_u32 (kernel/div64.h): the libgcc-free 64-by-32 division the kernel
 * uses for converting microseconds to timer ticks.
 * Checked against the host's native 64-bit division on a table of edge
 * cases and on a deterministic sweep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/div64.h"

static void check(uint64_t n, uint32_t d)
{
	uint32_t rem = 0xdeadbeefu;
	uint64_t q = div64_u32(n, d, &rem);

	assert_true(q == n / d);
	assert_int_equal(rem, (uint32_t)(n % d));
}

static void quotient_and_remainder_match_native_division_on_edges(void **s)
{
	static const struct {
		uint64_t n;
		uint32_t d;
	} cases[] = {
		{ 0, 1 },
		{ 0, 10 },
		{ 9, 10 },
		{ 10, 10 },
		{ UINT64_MAX, 1 },
		{ UINT64_MAX, 10 },
		{ UINT64_MAX, 16 },
		{ UINT64_MAX, UINT32_MAX },
		{ UINT64_MAX - 1, UINT32_MAX },
		{ (uint64_t)UINT32_MAX * UINT32_MAX, UINT32_MAX },
		{ 0x8000000000000000ull, 0x80000000u },
		{ 0x8000000000000000ull, 0x80000001u },
		{ 0xffffffffull, 0x10000u },
		/* timer_us_to_ticks: the largest product it forms */
		{ (uint64_t)UINT32_MAX * 10000000u + 999999u, 1000000u },
		{ 1ull * 32768u + 999999u, 1000000u },
	};

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(cases[i].n, cases[i].d);
}

static void a_null_remainder_pointer_is_allowed(void **s)
{
	(void)s;
	assert_true(div64_u32(1000001, 1000, NULL) == 1000);
}

static void quotient_and_remainder_match_native_division_on_a_sweep(void **s)
{
	uint64_t x = 0x9e3779b97f4a7c15ull; /* xorshift state */

	(void)s;
	for (int i = 0; i < 20000; i++) {
		uint32_t d;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* divisors of every width, numerators of every width */
		d = (uint32_t)(x >> (i % 32)) | 1u;
		check(x >> (i % 64), d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			quotient_and_remainder_match_native_division_on_edges),
		cmocka_unit_test(a_null_remainder_pointer_is_allowed),
		cmocka_unit_test(
			quotient_and_remainder_match_native_division_on_a_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
