// SPDX-License-Identifier: MIT
/*
 * Support every fuzz target links: the failure report, and a mock_assert()
 * that aborts.  Kernel sources are built with -DHOST_TEST, so a KASSERT
 * calls mock_assert(); under cmocka that ends the test case, here it must
 * end the run so that libFuzzer keeps the input that broke an invariant.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/fuzz/fuzz.h"

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "fuzz: property failed: %s at %s:%d\n", what, file,
		line);
	abort();
}

void mock_assert(const int result, const char *const expression,
		 const char *const file, const int line);

void mock_assert(const int result, const char *const expression,
		 const char *const file, const int line)
{
	if (!result)
		fuzz_fail(expression, file, line);
}
