// SPDX-License-Identifier: MIT
/*
 * Fuzz target "sv39": the Sv39 table builder (platform/arch/riscv/sv39.c)
 * against the same kind of reference model as the "pmp" target.
 *
 * The input decodes into up to 6 identity mappings (page-aligned or not,
 * small, 2 MiB- and 1 GiB-sized, user or kernel-only, any permission) and
 * how many of them form a "kernel" space; the others are mapped into a
 * process space built on top of it (sv39_init with the kernel root, as
 * sv39_hw.c does).  Every sv39_map() result is checked against the rules
 * sv39.h states (what is invalid, that an overlap is refused, that a pool
 * at least sv39_tables_bound() large never runs out); after the first
 * refusal a space is left as it is.  The built tables are then walked
 * (sv39_walk, the hart's translation) at every mapping boundary +-1 and
 * the 2 MiB and 1 GiB boundaries around them: an address is mapped
 * exactly when a mapping of that space covers it, with its R/W/X and U
 * bits, A always, D exactly when writable, and the identity translation.
 * The kernel space's tables must be byte-for-byte unchanged by the
 * process space (copy on write), and its walk must see none of the
 * process's mappings.  The process's mappings are also built as L0 tables
 * of windows of the kernel space (the shared-table form sv39_hw.c uses,
 * see windows() below) and walked with the windows pointed at them.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "platform/arch/riscv/sv39.h"
#include "tests/fuzz/fuzz.h"

#define MAX_MAPS 6
#define POOL 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sv39_table kpool[POOL], ppool[POOL], kcopy[POOL];

/* The mappings that succeeded: [0, nk) kernel, [nk, nk + np) process. */
static struct sv39_map ok[MAX_MAPS];

static bool map_ok(const struct sv39_map *m)
{
	uint32_t p = m->perm;

	if (m->size == 0 || m->base % 4096 || m->size % 4096)
		return false;
	if (m->base >= SV39_VA_LIMIT || m->size > SV39_VA_LIMIT - m->base)
		return false;
	if (p == 0 || p > 7 || ((p & MPU_W) && !(p & MPU_R)))
		return false;
	return true;
}

static bool overlaps(const struct sv39_map *m, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++)
		if (m->base < ok[i].base + ok[i].size &&
		    ok[i].base < m->base + m->size)
			return true;
	return false;
}

/* The mapping of ok[from, to) covering va, or NULL. */
static const struct sv39_map *model(uint64_t va, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++)
		if (va >= ok[i].base && va - ok[i].base < ok[i].size)
			return &ok[i];
	return NULL;
}

static void compare_at(const struct sv39_table *root, uint64_t va,
		       unsigned from, unsigned to)
{
	for (int d = -1; d <= 1; d++) {
		uint64_t x = va + (uint64_t)(int64_t)d, pte, pa;
		const struct sv39_map *m = model(x, from, to);
		bool mapped = x < SV39_VA_LIMIT && sv39_walk(root, x, &pte);

		FUZZ_CHECK(mapped == (m != NULL));
		if (!m)
			continue;
		FUZZ_CHECK((pte & SV39_PTE_V) && (pte & SV39_PTE_A));
		FUZZ_CHECK(!!(pte & SV39_PTE_R) == !!(m->perm & MPU_R));
		FUZZ_CHECK(!!(pte & SV39_PTE_W) == !!(m->perm & MPU_W));
		FUZZ_CHECK(!!(pte & SV39_PTE_X) == !!(m->perm & MPU_X));
		FUZZ_CHECK(!!(pte & SV39_PTE_U) == m->user);
		FUZZ_CHECK(!!(pte & SV39_PTE_D) == !!(m->perm & MPU_W));
		/* identity: the leaf's frame holds x, within its page size */
		pa = ((pte >> SV39_PTE_PPN_SHIFT) & SV39_PPN_MASK) << 12;
		FUZZ_CHECK(pa <= x && x - pa < ((uint64_t)1 << 30));
		FUZZ_CHECK(x - pa < 4096 || pa % ((uint64_t)1 << 21) == 0);
		FUZZ_CHECK(x - pa < ((uint64_t)1 << 21) ||
			   pa % ((uint64_t)1 << 30) == 0);
	}
}

static void walk_all(const struct sv39_table *root, unsigned from,
		     unsigned to, unsigned upto)
{
	for (unsigned i = 0; i < upto; i++) {
		uint64_t e = ok[i].base + ok[i].size;

		compare_at(root, ok[i].base, from, to);
		compare_at(root, e, from, to);
		compare_at(root, ok[i].base + ok[i].size / 2, from, to);
		for (unsigned s = 21; s <= 30; s += 9) {
			uint64_t g = (uint64_t)1 << s;

			compare_at(root, ok[i].base & ~(g - 1), from, to);
			compare_at(root, (e + g - 1) & ~(g - 1), from, to);
		}
	}
}

static void decode(struct fuzz_in *in, struct sv39_map *m)
{
	uint8_t mode = fuzz_u8(in);
	uint64_t page = fuzz_bytes(in, 2), len = fuzz_bytes(in, 1) + 1;

	if (mode & 1)
		page *= 512; /* on a 2 MiB boundary */
	if (mode & 2)
		page += fuzz_u8(in);
	if (mode & 4)
		len *= 512;
	if ((mode & 0x18) == 0x18)
		len = ((uint64_t)1 << 18) * (1 + (len & 1)); /* 1-2 GiB */
	m->base = page * 4096;
	m->size = len * 4096;
	if ((mode & 0x60) == 0x60) { /* raw, mostly refused */
		m->base = fuzz_bytes(in, 8);
		m->size = fuzz_bytes(in, 5);
	}
	m->user = mode & 0x80;
	m->perm = fuzz_u8(in);
	if (m->perm < 0xf0)
		m->perm &= 7;
}

/*
 * Map m[0..n) into s, checking each result; the successful ones go to
 * ok[] from *k.  Stops at the first refusal.
 */
static void build(struct sv39_space *s, const struct sv39_map *m, unsigned n,
		  unsigned from, unsigned *k)
{
	for (unsigned i = 0; i < n; i++) {
		enum kerr rc = sv39_map(s, &m[i]);

		if (!map_ok(&m[i])) {
			FUZZ_CHECK(rc == KERR_INVAL);
			return;
		}
		if (overlaps(&m[i], 0, *k)) {
			FUZZ_CHECK(rc == KERR_INVAL);
			return;
		}
		if (rc == KERR_NOMEM) {
			FUZZ_CHECK(sv39_tables_bound(m, i + 1) > s->cap);
			return;
		}
		FUZZ_CHECK(rc == KERR_OK);
		FUZZ_CHECK(s->used <= s->cap);
		ok[(*k)++] = m[i];
	}
	(void)from;
}

/*
 * The shared-table form (sv39_window_at, sv39_windows_build,
 * sv39_windows_point): the process mappings m[0..n) as L0 tables of up to
 * WINS windows of the kernel space ks (picked around the mappings' bases;
 * a window is granted exactly where the kernel maps nothing).  A build
 * that succeeds, pointed into the kernel's tables, must translate exactly
 * the kernel's mappings ok[0, kdone) and the process's; a refusal must
 * have its stated reason; the kernel's own tables change only in the
 * window entries while pointed, and not at all once the kernel's values
 * (0) are back.
 */
#define WINS 3
#define WIN_POOL 3

static struct sv39_table wpool[WIN_POOL];

static bool invalid_for_windows(const struct sv39_map *m, unsigned n,
				const struct sv39_window *w, unsigned nw,
				unsigned kdone)
{
	for (unsigned i = 0; i < n; i++) {
		if (!map_ok(&m[i]) || overlaps(&m[i], 0, kdone))
			return true;
		for (unsigned j = 0; j < i; j++)
			if (m[i].base < m[j].base + m[j].size &&
			    m[j].base < m[i].base + m[i].size)
				return true;
		if (sv39_windows_touched(w, nw, &m[i], 1) == UINT32_MAX)
			return true;
	}
	return false;
}

static void windows(struct fuzz_in *in, struct sv39_space *ks,
		    const struct sv39_map *m, unsigned n, unsigned kdone)
{
	struct sv39_window w[WINS];
	struct sv39_patch pt;
	uint64_t pte[WINS], spare;
	unsigned nw = 0, cap = fuzz_u8(in) % (WIN_POOL + 1), used;
	enum kerr rc;

	for (unsigned i = 0; i < n && nw < WINS; i++) {
		uint64_t va = m[i].base + (fuzz_u8(in) & 1) * SV39_WINDOW_SIZE;
		bool dup = false;

		uint64_t wb = va & ~(SV39_WINDOW_SIZE - 1);
		struct sv39_map whole = { wb, SV39_WINDOW_SIZE, MPU_R, false };
		enum kerr wrc = sv39_window_at(ks, va, &w[nw]);

		/* a window exactly where the kernel maps nothing */
		if (wrc == KERR_NOMEM)
			continue;
		FUZZ_CHECK((wrc == KERR_OK) ==
			   (va < SV39_VA_LIMIT &&
			    !overlaps(&whole, 0, kdone)));
		if (wrc != KERR_OK)
			continue;
		FUZZ_CHECK(w[nw].base == wb && *w[nw].entry == 0);
		for (unsigned j = 0; j < nw; j++)
			dup |= w[j].base == w[nw].base;
		if (!dup)
			nw++;
	}
	memcpy(kcopy, kpool, sizeof(kpool[0]) * ks->used);
	rc = sv39_windows_build(w, nw, wpool, cap, m, n, pte);
	FUZZ_CHECK(memcmp(kcopy, kpool, sizeof(kpool[0]) * ks->used) == 0);
	used = sv39_windows_touched(w, nw, m, n);
	if (rc == KERR_NOMEM) {
		FUZZ_CHECK(used > cap); /* UINT32_MAX: some page outside */
		return;
	}
	if (rc == KERR_INVAL) {
		FUZZ_CHECK(invalid_for_windows(m, n, w, nw, kdone));
		return;
	}
	FUZZ_CHECK(rc == KERR_OK);
	FUZZ_CHECK(!invalid_for_windows(m, n, w, nw, kdone) && used <= cap);
	for (unsigned i = 0; i < n; i++)
		ok[kdone + i] = m[i];
	/* point the windows, SV39_WINDOWS at a time as a switch does */
	for (unsigned i = 0; i < nw; i += SV39_WINDOWS) {
		for (unsigned j = 0; j < SV39_WINDOWS; j++) {
			pt.entry[j] = i + j < nw ? w[i + j].entry : &spare;
			pt.pte[j] = i + j < nw ? pte[i + j] : 0;
		}
		sv39_windows_point(&pt);
	}
	walk_all(&kpool[0], 0, kdone + n, kdone + n);
	for (unsigned i = 0; i < nw; i++)
		*w[i].entry = 0;
	FUZZ_CHECK(memcmp(kcopy, kpool, sizeof(kpool[0]) * ks->used) == 0);
	walk_all(&kpool[0], 0, kdone, kdone + n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct sv39_map m[MAX_MAPS];
	struct sv39_space ks, ps;
	unsigned n, nk, k = 0, kdone;

	n = 1 + fuzz_u8(&in) % MAX_MAPS;
	nk = fuzz_u8(&in) % (n + 1);
	for (unsigned i = 0; i < n; i++)
		decode(&in, &m[i]);

	/* the kernel space from nothing */
	memset(kpool, 0, sizeof(kpool[0]) * 2);
	sv39_init(&ks, kpool, POOL, NULL);
	build(&ks, m, nk, 0, &k);
	kdone = k;
	if (k != nk)
		return 0; /* refused: the space may hold part of a mapping */
	FUZZ_CHECK(ks.used <= sv39_tables_bound(m, nk) || nk == 0);
	walk_all(&kpool[0], 0, kdone, kdone);

	/* the process's mappings as L0 tables in the kernel's windows */
	windows(&in, &ks, m + nk, n - nk, kdone);
	k = kdone;

	/* a process space on top of it; the kernel's tables never change */
	memcpy(kcopy, kpool, sizeof(kpool[0]) * ks.used);
	sv39_init(&ps, ppool, POOL, &kpool[0]);
	build(&ps, m + nk, n - nk, kdone, &k);
	FUZZ_CHECK(memcmp(kcopy, kpool, sizeof(kpool[0]) * ks.used) == 0);
	walk_all(&kpool[0], 0, kdone, k);
	if (k != n)
		return 0;
	FUZZ_CHECK(ps.used <= sv39_tables_bound(m + nk, n - nk));
	walk_all(&ppool[0], 0, k, k);
	FUZZ_CHECK(sv39_satp(&ps) ==
		   (SV39_SATP_MODE | ((uint64_t)(uintptr_t)&ppool[0] >> 12)));
	return 0;
}
