// SPDX-License-Identifier: MIT
/*
 * Packed string tables (kernel/strtab.h): the n-th string, empty strings
 * past the end, and a table whose last string is empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/strtab.h"

static const char colours[] = "red\0"
			      "green\0"
			      "blue\0";

static void each_index_names_its_string(void **s)
{
	static const char *const want[] = { "red", "green", "blue" };

	(void)s;
	for (unsigned i = 0; i < 3; i++)
		assert_string_equal(strtab_get(colours, i), want[i]);
}

static void an_index_past_the_end_gives_the_empty_string(void **s)
{
	(void)s;
	assert_string_equal(strtab_get(colours, 3), "");
	assert_string_equal(strtab_get(colours, 4), "");
	assert_string_equal(strtab_get(colours, UINT32_MAX), "");
	/* and never reads past the table's final NUL */
	assert_ptr_equal(strtab_get(colours, 1000),
			 colours + sizeof(colours) - 1);
}

static void an_empty_table_holds_no_string(void **s)
{
	(void)s;
	assert_string_equal(strtab_get("", 0), "");
	assert_string_equal(strtab_get("", 1), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_index_names_its_string),
		cmocka_unit_test(an_index_past_the_end_gives_the_empty_string),
		cmocka_unit_test(an_empty_table_holds_no_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
