// SPDX-License-Identifier: MIT
/*
 * Host board: simulated protection backend and console for unit tests.
 * See host_board.h.
 */
#include "platform/boards/host/host_board.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/board.h"
#include "kernel/kassert.h"
#include "kernel/proc/proc.h"

struct host_mpu host_mpu = { .granule = 4 };

static char console[8192];
static size_t console_len;

void host_board_reset(void)
{
	memset(&host_mpu, 0, sizeof(host_mpu));
	host_mpu.granule = 4;
	console_len = 0;
	console[0] = '\0';
}

const char *host_console_text(void)
{
	return console;
}

void board_console_putc(char c)
{
	if (console_len + 1 < sizeof(console)) {
		console[console_len++] = c;
		console[console_len] = '\0';
	}
}

size_t mpu_granule(void)
{
	return host_mpu.granule;
}

bool mpu_fits(const struct mpu_region *r, unsigned n)
{
	(void)r;
	return !host_mpu.refuse && n <= 8;
}

void mpu_load(const struct proc *p)
{
	host_mpu.loads++;
	host_mpu.loaded = p;
	memcpy(host_mpu.regions, p->regions, sizeof(p->regions));
}

void mpu_user_access_begin(const struct proc *p)
{
	(void)p;
	host_mpu.user_access_depth++;
	host_mpu.user_access_count++;
}

void mpu_user_access_end(void)
{
	KASSERT(host_mpu.user_access_depth > 0);
	host_mpu.user_access_depth--;
}

void kpanic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "kpanic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
