/* SPDX-License-Identifier: MIT */
/*
 * libtern test reporting for the QEMU scenarios (tests/qemu/<name>/).
 *
 * Each check prints "ok N - what" or "not ok N - what"; ktest_done()
 * prints the one verdict line tests/qemu/run looks for:
 * "KTEST PASS <name>" if every check passed, else
 * "KTEST FAIL <name>: <first failed check>".
 */
#pragma once

#include <stdbool.h>

/*
 * Record one check.  what is a printf format.  Returns ok so callers can
 * skip dependent checks.
 */
bool ktest_check(bool ok, const char *what, ...)
	__attribute__((format(printf, 2, 3)));

/* Number of failed checks so far. */
unsigned ktest_failures(void);

/* Print the verdict; returns 0 if all passed, 1 otherwise (exit code). */
int ktest_done(const char *name);
