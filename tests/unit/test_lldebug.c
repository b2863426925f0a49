// SPDX-License-Identifier: MIT
/*
 * Unit tests for the low-level debug driver 0x8 (drivers/lldebug.c): the
 * exact lines it prints, one identifier per process incarnation; run
 * against the host board's fake UART.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/lldebug.h"
#include "kernel/proc/proc.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes_drivers.h"

static void lldebug_prints_the_exact_lines(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	/* the id is app_id, whatever the generation */
	proc_test_set_gen(p, PROC_GEN_MAX - 0x2a);
	p->app_id = 0x2b;
	assert_success(cmd(&lldebug_driver, p, 0, 0, 0));
	assert_string_equal(host_console_text(), "");
	assert_success(cmd(&lldebug_driver, p, 1, 0x1, 0));
	assert_success(cmd(&lldebug_driver, p, 2, 0xDEADBEEF, 0));
	assert_success(cmd(&lldebug_driver, p, 3, 0, 0xABCDEF));
	assert_string_equal(host_console_text(),
			    "LowLevelDebug: App 0x2b alert code 0x1\n"
			    "LowLevelDebug: App 0x2b prints 0xdeadbeef\n"
			    "LowLevelDebug: App 0x2b prints 0x0 0xabcdef\n");
}

static void lldebug_tells_processes_and_incarnations_apart(void **st)
{
	struct proc *a, *b;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	/* both are their slot's first generation, yet print different ids */
	assert_int_equal(a->gen, b->gen);
	assert_success(cmd(&lldebug_driver, a, 2, 1, 0));
	assert_success(cmd(&lldebug_driver, b, 2, 2, 0));
	assert_int_equal(proc_restart(a), KERR_OK);
	assert_success(cmd(&lldebug_driver, a, 2, 3, 0));
	assert_string_equal(host_console_text(),
			    "LowLevelDebug: App 0x0 prints 0x1\n"
			    "LowLevelDebug: App 0x1 prints 0x2\n"
			    "LowLevelDebug: App 0x2 prints 0x3\n");
}

/*
 * The values are printed as 32-bit words: on the 64-bit host (as on
 * qemu-virt-rv64) a wider one is INVAL, never printed truncated.
 */
static void lldebug_refuses_values_wider_than_32_bits(void **st)
{
	const uintptr_t wide = (uintptr_t)UINT32_MAX + 1;
	struct proc *p;

	(void)st;
	p = mkproc(0);
	assert_failure(cmd(&lldebug_driver, p, 1, wide, 0), KERR_INVAL);
	assert_failure(cmd(&lldebug_driver, p, 2, wide | 1, 0), KERR_INVAL);
	assert_failure(cmd(&lldebug_driver, p, 3, 1, wide), KERR_INVAL);
	assert_null(strstr(host_console_text(), "LowLevelDebug"));
}

static void lldebug_unknown_commands_are_not_supported(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	assert_failure(cmd(&lldebug_driver, p, 4, 1, 2), KERR_NOSUPPORT);
	assert_failure(cmd(&lldebug_driver, p, 0x100, 1, 2), KERR_NOSUPPORT);
	assert_string_equal(host_console_text(), "");
	assert_true(lldebug_driver.has_grant);
	assert_int_equal(lldebug_driver.upcalls + lldebug_driver.ro_allows +
				 lldebug_driver.rw_allows,
			 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(lldebug_prints_the_exact_lines),
		T(lldebug_tells_processes_and_incarnations_apart),
		T(lldebug_refuses_values_wider_than_32_bits),
		T(lldebug_unknown_commands_are_not_supported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
