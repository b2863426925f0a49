// SPDX-License-Identifier: MIT
/*
 * libtern test reporting (see user/lib/ktest.h).
 */
#include <stdarg.h>

#include "user/lib/ktest.h"
#include "user/lib/tern.h"

static unsigned checks, failures;
static char first_failure[128];

bool ktest_check(bool ok, const char *what, ...)
{
	char line[128];
	va_list ap;

	va_start(ap, what);
	tern_vsnprintf(line, sizeof(line), what, ap);
	va_end(ap);
	checks++;
	tern_printf("%sok %u - %s\n", ok ? "" : "not ", checks, line);
	if (!ok && failures++ == 0)
		tern_snprintf(first_failure, sizeof(first_failure), "%u - %s",
			      checks, line);
	return ok;
}

unsigned ktest_failures(void)
{
	return failures;
}

int ktest_done(const char *name)
{
	if (failures == 0) {
		tern_printf("KTEST PASS %s\n", name);
		return 0;
	}
	tern_printf("KTEST FAIL %s: %s\n", name, first_failure);
	return 1;
}
