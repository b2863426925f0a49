// SPDX-License-Identifier: MIT
/*
 * Driver lookup over the board's driver_table, through the direct-mapped
 * cache driver_slots (see driver.h).  The cache starts with every entry
 * empty and is filled by the lookups that miss it, so it needs no
 * initialisation call and serves any table (the unit tests' too).
 */
#include "kernel/driver.h"

#include "kernel/kassert.h"

/* Empty entry i: number i + 1, which maps to the next entry, not to i. */
#define EMPTY(i) [i] = { (i) + 1u, 0, NULL, NULL }
_Static_assert(DRIVER_SLOTS == 16, "one EMPTY() per entry below");

struct driver_slot driver_slots[DRIVER_SLOTS] = {
	EMPTY(0),  EMPTY(1),  EMPTY(2),	 EMPTY(3),  EMPTY(4),  EMPTY(5),
	EMPTY(6),  EMPTY(7),  EMPTY(8),	 EMPTY(9),  EMPTY(10), EMPTY(11),
	EMPTY(12), EMPTY(13), EMPTY(14), EMPTY(15),
};

const struct driver_slot *driver_lookup_slow(uint32_t num)
{
	for (unsigned i = 0; i < driver_count; i++) {
		const struct driver *d = driver_table[i];
		struct driver_slot *s = &driver_slots[num % DRIVER_SLOTS];

		if (d->num == num) {
			*s = (struct driver_slot){ num, i, d, d->command };
			return s;
		}
	}
	return NULL;
}

const struct driver *driver_find(uint32_t num)
{
	const struct driver_slot *s = driver_lookup(num);

	return s ? s->d : NULL;
}

unsigned driver_index(const struct driver *d)
{
	const struct driver_slot *s = driver_lookup(d->num);

	if (s != NULL && s->d == d)
		return s->idx;
	/* a table that repeats a number (a unit test's) shadows all but one */
	for (unsigned i = 0; i < driver_count; i++)
		if (driver_table[i] == d)
			return i;
	kpanic("driver %p is not in driver_table", (const void *)d);
}
