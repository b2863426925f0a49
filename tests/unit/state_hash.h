// SPDX-License-Identifier: MIT
/*
 * Hashes of kernel state for the host fuzzers (tests/unit/test_fuzz.c,
 * tests/fuzz/fuzz_syscalls.c): two runs of the same calls, one through the
 * fast path and one through the reference path, must leave processes in
 * states that hash alike.  A process's queued tasks are part of its state:
 * every field of each, in queue order.
 *
 * STATE_HASH_ATTR, empty unless the includer defines it, goes on each
 * function (the libFuzzer target keeps them out of its instrumentation:
 * they run after every call and read only what the checks already cover).
 */
#ifndef TESTS_UNIT_STATE_HASH_H
#define TESTS_UNIT_STATE_HASH_H

#include <stdint.h>

#include "kernel/proc/upcall.h"

#ifndef STATE_HASH_ATTR
#define STATE_HASH_ATTR
#endif

/* One word into the hash. */
static inline STATE_HASH_ATTR uint64_t state_mix(uint64_t h, uint64_t w)
{
	h ^= w + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* The tasks queued in q (none if q is NULL) into the hash. */
static inline STATE_HASH_ATTR uint64_t
state_hash_queue(uint64_t h, const struct upcall_queue *q)
{
	if (q == NULL)
		return h;
	h = state_mix(h, q->count);
	for (unsigned i = 0; i < q->count; i++) {
		const struct task *t = &q->t[(q->head + i) % UPCALL_QUEUE_LEN];

		h = state_mix(h, t->kind);
		h = state_mix(h, (uint64_t)t->drv << 32 | t->sub);
		h = state_mix(h, t->fn);
		h = state_mix(h, t->userdata);
		h = state_mix(h, (uint64_t)t->arg[0] << 32 | t->arg[1]);
		h = state_mix(h, t->arg[2]);
	}
	return h;
}

#endif
