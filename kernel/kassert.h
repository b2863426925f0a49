/* SPDX-License-Identifier: MIT */
/*
 * Internal-consistency assertions and the kernel panic.
 *
 * KASSERT checks invariants that only a kernel bug can break; it compiles out
 * when the `kassert` meson option is off.  Isolation checks (bounds, PMP
 * regions, process state) are never KASSERTs: they are ordinary code that
 * returns an error, in every build.
 *
 * Under HOST_TEST a failed KASSERT calls cmocka's mock_assert(), so a unit
 * test can use expect_assert_failure() to show an invariant firing.
 */
#pragma once

#include <stdbool.h>

/* Stop the kernel with a report.  Never returns. */
__attribute__((noreturn, format(printf, 1, 2))) void kpanic(const char *fmt,
							   ...);

#if defined(HOST_TEST)
void mock_assert(const int result, const char *const expression,
		 const char *const file, const int line);
#define KASSERT(c) mock_assert(!!(c), #c, __FILE__, __LINE__)
#elif defined(__FRAMAC__)
/* ./tern prove: each KASSERT on a proved path is a goal WP must prove. */
/*@ requires ok != 0;
    assigns \nothing; */
void kassert_proved(int ok);
#define KASSERT(c) kassert_proved(!!(c))
#elif defined(KASSERT_ENABLED) && KASSERT_ENABLED
#define KASSERT(c)                                                        \
	do {                                                              \
		if (!(c))                                                 \
			kpanic("assertion failed: %s at %s:%d", #c,       \
			       __FILE__, __LINE__);                       \
	} while (0)
#else
#define KASSERT(c) ((void)sizeof(c))
#endif
