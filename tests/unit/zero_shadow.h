// SPDX-License-Identifier: MIT
/*
 * Memory is zero until the process writes it: the check both host fuzzers
 * (tests/unit/test_fuzz.c, tests/fuzz/fuzz_syscalls.c) make after every
 * call.  Every byte a process can reach is its RAM protection record as
 * the host board keeps it, granule rounding included.  The harness, acting
 * as the process, fills all of that with a nonzero secret before calls
 * (zs_fill); a driver may write on the process's behalf only into what it
 * can already reach.  So the only bytes that may be nonzero are those that
 * stayed reachable since the harness last wrote them, and the shadow needs
 * no more than, per process, the incarnation and the end of its reach:
 *   - a process that is not alive reaches nothing, and its whole block,
 *     [mem_start, kernel_break_init), must be zero (terminate and fault
 *     wipe it);
 *   - a new incarnation (restart, fault-restart, exit-restart) has written
 *     nothing: all it reaches must be zero;
 *   - when the reach grows (brk/sbrk), the bytes it gained must be zero,
 *     whatever an earlier incarnation or a shrunk heap left there.
 * Only bytes that changed reachability are read, plus whole blocks after a
 * restart or an exit, so the check costs little per call.
 */
#ifndef TESTS_UNIT_ZERO_SHADOW_H
#define TESTS_UNIT_ZERO_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/proc/proc.h"

struct zs {
	uint64_t gen;
	uintptr_t reach; /* end of what the process could reach */
	bool alive;
};

/* End of the RAM p can reach now: its record, or mem_start when dead. */
static inline uintptr_t zs_reach(const struct proc *p)
{
	const struct mpu_region *r = &p->regions[PROC_REGION_RAM];

	if (!proc_alive(p) || r->size == 0)
		return p->mem_start;
	return r->base + r->size;
}

/*
 * The first nonzero byte in [a, b), or 0 when all are zero.  memcmp() in
 * chunks: a byte loop under the fuzzer's sanitizers and coverage
 * instrumentation would cost more than the calls it checks.
 */
static inline uintptr_t zs_nonzero(uintptr_t a, uintptr_t b)
{
	static const uint8_t zero[256];

	while (a < b) {
		size_t n = b - a < sizeof(zero) ? b - a : sizeof(zero);

		if (memcmp((const void *)a, zero, n) != 0)
			for (size_t i = 0; i < n; i++)
				if (((const uint8_t *)a)[i] != 0)
					return a + i;
		a += n;
	}
	return 0;
}

/* Start tracking p (just created, nothing written yet). */
static inline void zs_init(struct zs *z, const struct proc *p)
{
	z->gen = p->gen;
	z->alive = proc_alive(p);
	z->reach = zs_reach(p);
}

/*
 * The process writes a secret over all it can reach (never zero: a stale
 * byte must show).
 */
static inline void zs_fill(const struct proc *p, uint8_t secret)
{
	uintptr_t end = zs_reach(p);

	if (end > p->mem_start)
		memset((void *)p->mem_start, secret | 0x80,
		       end - p->mem_start);
}

/*
 * Check the rule for p against what z last saw, then update z.  Returns
 * the first byte that breaks it, or 0.
 */
static inline uintptr_t zs_check(struct zs *z, const struct proc *p)
{
	uintptr_t end = zs_reach(p), bad = 0;

	if (!proc_alive(p)) {
		if (z->alive || z->gen != p->gen)
			bad = zs_nonzero(p->mem_start, p->kernel_break_init);
	} else if (z->gen != p->gen || !z->alive) {
		bad = zs_nonzero(p->mem_start, end);
	} else if (end > z->reach) {
		bad = zs_nonzero(z->reach, end);
	}
	z->gen = p->gen;
	z->alive = proc_alive(p);
	z->reach = end;
	return bad;
}

#endif /* TESTS_UNIT_ZERO_SHADOW_H */
