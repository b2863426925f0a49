// SPDX-License-Identifier: MIT
/*
 * Driver lookup over the board's driver_table, through the direct-mapped
 * cache driver_slots (see driver.h).  The cache starts zeroed, in .bss (an
 * initialiser would cost its 256 bytes of flash on the HiFive1), which
 * driver_slots_init() turns into every entry empty; the lookups that miss
 * it fill it, so it serves any table (the unit tests' too).
 */
#include "kernel/driver.h"

#include "kernel/kassert.h"

struct driver_slot driver_slots[DRIVER_SLOTS];
/*
 * With the process console, true at boot: one walk lets the console turn
 * its receive interrupt on (it listens for the escape key from the start).
 */
bool driver_service_wanted = CONFIG_PROCESS_CONSOLE;
bool driver_loop_wanted;

#if CONFIG_PROCESS_CONSOLE
void driver_loop_walk(void)
{
	/* cleared first: a hook with work left asks again */
	driver_loop_wanted = false;
	for (unsigned i = 0; i < driver_count; i++)
		if (driver_table[i]->loop)
			driver_table[i]->loop();
}
#endif

void driver_service_walk(void)
{
	/* cleared first: a hook with work left asks again */
	driver_service_wanted = false;
	for (unsigned i = 0; i < driver_count; i++)
		if (driver_table[i]->service)
			driver_table[i]->service();
}

void driver_proc_gone_all(struct proc *p)
{
	for (unsigned i = 0; i < driver_count; i++)
		if (driver_table[i]->proc_gone)
			driver_table[i]->proc_gone(p);
}

void driver_slots_init(void)
{
	/*
	 * Zeroed, entries 1.. hold number 0, which maps to entry 0, not to
	 * them: empty.  Entry 0 takes a number that maps to entry 1.
	 */
	driver_slots[0].num = 1;
}

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
