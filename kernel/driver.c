// SPDX-License-Identifier: MIT
/* Driver lookup over the board's driver_table. */
#include "kernel/driver.h"

#include "kernel/kassert.h"

const struct driver *driver_find(uint32_t num)
{
	for (unsigned i = 0; i < driver_count; i++)
		if (driver_table[i]->num == num)
			return driver_table[i];
	return NULL;
}

unsigned driver_index(const struct driver *d)
{
	for (unsigned i = 0; i < driver_count; i++)
		if (driver_table[i] == d)
			return i;
	kpanic("driver %p is not in driver_table", (const void *)d);
}
