// SPDX-License-Identifier: MIT
/*
 * Fuzz target "tbf": the TBF parser and the loader on arbitrary app flash.
 *
 * The input's first byte picks the protection granule (4: PMP boards, 4096:
 * page tables); the rest is the app flash image, in a heap buffer of
 * exactly its size, so AddressSanitizer reports any read outside it.
 * Checked:
 *   - tbf_parse() on every offset the walk reaches keeps the promises of
 *     struct tbf_info (sizes ordered, entry and writeable flash inside the
 *     binary, a skipped object's size at least a base header and within
 *     what is left);
 *   - loader_load() never reads outside the image and returns the number
 *     of live processes;
 *   - every process it creates has its flash inside the image and its RAM
 *     inside the pool, its protection records inside its own flash and
 *     RAM, and neither flash nor RAM overlaps another process's; every
 *     process invariant holds (proc_check), also after a restart.
 * Memory outside the pool (the "kernel") is a guard band on each side of
 * it that must stay untouched.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/loader.h"
#include "kernel/proc/proc.h"
#include "kernel/tbf.h"
#include "platform/boards/host/host_board.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/fakes.h"

#define POOL (64u * 1024u)
#define GUARD 4096u

static uint8_t ram[GUARD + POOL + GUARD] __attribute__((aligned(4096)));
static uint8_t guard[GUARD]; /* what both guard bands hold: 0xee */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(uintptr_t a, uintptr_t b, uintptr_t lo, uintptr_t hi)
{
	return lo <= a && a <= b && b <= hi;
}

static bool overlap(uintptr_t a0, uintptr_t a1, uintptr_t b0, uintptr_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* Walk the image the way the loader does, checking tbf_parse's promises. */
static void walk(const uint8_t *img, size_t n)
{
	size_t off = 0;

	while (off < n) {
		struct tbf_info t;
		enum tbf_verdict v = tbf_parse(img + off, n - off, &t);

		if (v == TBF_END)
			return;
		FUZZ_CHECK(t.total_size >= TBF_BASE_SIZE);
		FUZZ_CHECK(t.total_size <= n - off);
		if (v == TBF_APP) {
			FUZZ_CHECK(t.header_size >= TBF_BASE_SIZE);
			FUZZ_CHECK(t.header_size <= t.protected_size);
			FUZZ_CHECK(t.protected_size <= t.binary_end);
			FUZZ_CHECK(t.binary_end <= t.total_size);
			FUZZ_CHECK((uint64_t)t.header_size + t.init_fn_offset <
				   t.binary_end);
			FUZZ_CHECK(t.name_len == 0 ||
				   (uint32_t)t.name_off + t.name_len <=
					   t.header_size);
			for (unsigned i = 0;
			     i < t.wfr_count && i < TBF_WFR_MAX; i++) {
				FUZZ_CHECK(t.wfr[i].offset >= t.protected_size);
				FUZZ_CHECK((uint64_t)t.wfr[i].offset +
						   t.wfr[i].size <=
					   t.binary_end);
			}
			FUZZ_CHECK(tbf_entry(&t, (uintptr_t)img + off) <
				   (uintptr_t)img + off + t.binary_end);
		}
		off += t.total_size;
	}
}

static void check_procs(const uint8_t *img, size_t n, unsigned created)
{
	uintptr_t f0 = (uintptr_t)img, f1 = f0 + n;
	uintptr_t r0 = (uintptr_t)ram + GUARD, r1 = r0 + POOL;
	unsigned live = 0;

	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct proc *p = &proc_table[i];

		if (p->state == PROC_FREE)
			continue;
		live++;
		proc_check(p);
		FUZZ_CHECK(inside(p->flash_start, p->flash_end, f0, f1));
		FUZZ_CHECK(inside(p->mem_start, p->mem_end, r0, r1));
		for (unsigned k = 0; k < PROC_REGIONS; k++) {
			const struct mpu_region *r = &p->regions[k];
			uintptr_t e = r->base + r->size;

			if (r->size == 0)
				continue;
			FUZZ_CHECK(e > r->base);
			FUZZ_CHECK(inside(r->base, e, p->flash_start,
					  p->flash_end) ||
				   inside(r->base, e, p->mem_start,
					  p->kernel_break));
		}
		for (unsigned j = 0; j < i; j++) {
			const struct proc *q = &proc_table[j];

			if (q->state == PROC_FREE)
				continue;
			FUZZ_CHECK(!overlap(p->flash_start, p->flash_end,
					    q->flash_start, q->flash_end));
			FUZZ_CHECK(!overlap(p->mem_start, p->mem_end,
					    q->mem_start, q->mem_end));
		}
	}
	FUZZ_CHECK(live == created);
	FUZZ_CHECK(memcmp(ram, guard, GUARD) == 0);
	FUZZ_CHECK(memcmp(ram + GUARD + POOL, guard, GUARD) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *img;
	size_t n;
	unsigned created;

	if (size < 1)
		return 0;
	fakes_reset();
	host_mpu.granule = data[0] & 1 ? 4096 : 4;
	n = size - 1;
	img = malloc(n ? n : 1);
	FUZZ_CHECK(img != NULL);
	memcpy(img, data + 1, n);
	memset(ram, 0xee, sizeof(ram));
	memset(guard, 0xee, sizeof(guard));

	walk(img, n);
	created = loader_load((uintptr_t)img, (uintptr_t)img + n,
			      (uintptr_t)ram + GUARD,
			      (uintptr_t)ram + GUARD + POOL);
	check_procs(img, n, created);

	/* every process survives a restart with its layout intact */
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct proc *p = &proc_table[i];

		if (p->state == PROC_FREE)
			continue;
		proc_terminate(p, 0);
		if (proc_restart(p) == KERR_OK)
			proc_check(p);
	}
	check_procs(img, n, created);
	free(img);
	return 0;
}
