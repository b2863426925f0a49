// SPDX-License-Identifier: MIT
/*
 * Unit tests for the driver table (kernel/driver.c): the portable drivers'
 * numbers and grant shapes, and the lookup cache against a plain scan of
 * driver_table (the unit tests' table: tests/unit/fakes.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/alarm.h"
#include "drivers/console.h"
#include "drivers/led.h"
#include "drivers/lldebug.h"
#include "kernel/driver.h"
#include "tests/unit/fakes.h"
#include "tests/unit/fakes_drivers.h"

static void drivers_have_their_abi_numbers(void **st)
{
	(void)st;
	assert_int_equal(alarm_driver.num, 0x0);
	assert_int_equal(console_driver.num, 0x1);
	assert_int_equal(led_driver.num, 0x2);
	assert_int_equal(lldebug_driver.num, 0x8);
	assert_int_equal(alarm_driver.upcalls, 1);
	assert_int_equal(alarm_driver.ro_allows + alarm_driver.rw_allows, 0);
	assert_ptr_equal(driver_find(ALARM_DRIVER_NUM), &alarm_driver);
	assert_ptr_equal(driver_find(CONSOLE_DRIVER_NUM), &console_driver);
	assert_ptr_equal(driver_find(LLDEBUG_DRIVER_NUM), &lldebug_driver);
}

/*
 * The lookup cache (kernel/driver.c) answers what a scan of driver_table
 * answers, whatever the order of lookups: the fakes share entries with
 * the real drivers (0x1000 and alarm's 0x0 map to entry 0, 0x1001 and the
 * console's 0x1 to entry 1, 0x2 and 0x1002 to entry 2).  It starts as at
 * boot, zeroed and then driver_slots_init(): entries 1.. hold number 0
 * (alarm's), which must not match there, nor entry 0's 1 (the console's).
 */
static const struct driver *scan(uint32_t num, unsigned *idx)
{
	for (unsigned i = 0; i < driver_count; i++) {
		if (driver_table[i]->num == num) {
			*idx = i;
			return driver_table[i];
		}
	}
	return NULL;
}

static void driver_lookup_agrees_with_a_table_scan(void **st)
{
	static const uint32_t nums[] = {
		0x0, 0x1000, 0x0, 0x1000, 0x1001, 0x1, 0x1, 0x1001, 0x2, 0x1002,
		0x2, 0x8, 0x9, 0x18, 0x10, 0x11, 0x3, 0x4, 0x5, 0x6, 0x7, 0xa,
		0xb, 0xc, 0xd, 0xe, 0xf, 0xdead, 0xffffffffu, 0x1000, 0x0,
	};

	(void)st;
	memset(driver_slots, 0, sizeof(driver_slots));
	driver_slots_init();
	for (unsigned round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
			const struct driver_slot *s = driver_lookup(nums[i]);
			unsigned idx = 0;
			const struct driver *d = scan(nums[i], &idx);

			assert_ptr_equal(driver_find(nums[i]), d);
			if (d == NULL) {
				assert_null(s);
				continue;
			}
			s = driver_lookup(nums[i]);
			assert_non_null(s);
			assert_ptr_equal(s->d, d);
			assert_int_equal(s->num, nums[i]);
			assert_int_equal(s->idx, idx);
			assert_ptr_equal(s->command, d->command);
		}
	}
	/* every driver's grant index, the shadowed LED's included */
	for (unsigned i = 0; i < driver_count; i++)
		assert_int_equal(driver_index(driver_table[i]), i);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(drivers_have_their_abi_numbers),
		T(driver_lookup_agrees_with_a_table_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
