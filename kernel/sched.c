// SPDX-License-Identifier: MIT
/*
 * Round-robin scheduling over the process table; see sched.h.  This file
 * decides who runs next; syscall.c decides what a blocked process needs to
 * run again (syscall_resume()).
 */
#include "kernel/sched.h"

#include <stdint.h>

#include "kernel/kassert.h"
#include "kernel/proc/proc.h"
#include "kernel/syscall.h"

_Static_assert(PROC_MAX <= 32, "scheduler masks are 32 bits wide");

static uint32_t ready;	 /* PROC_RUNNABLE (may be stale) */
static uint32_t pending; /* blocked, something queued since */
static unsigned last;	 /* slot returned last */

void sched_init(void)
{
	ready = 0;
	pending = 0;
	last = PROC_MAX - 1;
}

void sched_notify(struct proc *p)
{
	pending |= 1u << p->slot;
}

/* Lowest set bit of m at or after position `from`, wrapping; m != 0. */
static unsigned next_bit(uint32_t m, unsigned from)
{
	uint32_t hi = m & ~((1u << from) - 1u);

	return (unsigned)__builtin_ctz(hi ? hi : m);
}

struct proc *sched_next(void)
{
	for (;;) {
		uint32_t cand = ready | pending;
		unsigned from = (last + 1) % PROC_MAX;
		unsigned i;
		struct proc *p;

		if (!cand)
			return NULL;
		i = next_bit(cand, from);
		p = &proc_table[i];
		if (p->state != PROC_RUNNABLE && (pending & (1u << i)))
			syscall_resume(p);
		pending &= ~(1u << i);
		if (p->state == PROC_RUNNABLE) {
			ready |= 1u << i;
			last = i;
			return p;
		}
		ready &= ~(1u << i);
	}
}

bool sched_any_alive(void)
{
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (proc_alive(&proc_table[i]))
			return true;
	return false;
}
