// SPDX-License-Identifier: MIT
/*
 * Sv39 page tables from protection records; see sv39.h.  Pure: builds and
 * reads tables in memory, never touches a CSR (sv39_hw.c does).
 *
 * Design of the page-table backend (S-mode boards)
 * ------------------------------------------------
 * Every mapping is an identity map, so nothing in the kernel or in a
 * process has to translate an address.  There is one set of shared
 * tables, the kernel's, and per process only last-level tables:
 *
 *   the kernel space   built once at boot (sv39_hw_init): kernel text and
 *                      rodata R+X, kernel data, bss and stacks R+W, the
 *                      board's device registers R+W, with the largest
 *                      pages that fit (qemu-virt-rv64: a megapage each for
 *                      text and data); nothing U.  Its root is the root of
 *                      every address space: its mappings exist once.
 *
 *   the windows        the 2 MiB ranges that hold app flash or the
 *                      process RAM pool (sv39_window_at): each is one entry
 *                      of a shared L1 table, and the kernel maps nothing in
 *                      any of them (sv39_window_at refuses a window with a
 *                      kernel megapage or kernel page; the board's linker
 *                      script keeps the image out: qemu-virt-rv64 links it
 *                      at 0x80400000, above the RAM pool's window).  The
 *                      kernel's own value of a window entry is 0.
 *
 *   a process space    the shared tables with each window's entry pointed
 *                      at the process's own L0 table for it
 *                      (sv39_windows_build), built cleared, with
 *                        - the process's protection records with U: its
 *                          whole TBF R+X, its RAM up to the break R+W
 *                          (exactly what a PMP board programs), and the
 *                          buffers other processes expose to it (IPC);
 *                        - without U, the kernel-owned top of the RAM block
 *                          of every live process, its own included:
 *                          [align_up(app_break), mem_end) holds grants, the
 *                          upcall queue and the grant pointer table, which
 *                          the kernel reaches for any process while any
 *                          space is loaded (an alarm for B fires while A's
 *                          space is loaded).
 *                      and nothing else: no leaf of the kernel image or of
 *                      a device is ever in a process's table, so each of
 *                      those exists once, in the shared tables.  The
 *                      kernel-owned tops are process memory (each lies in
 *                      its process's block and goes with it), not kernel
 *                      mappings; because the kernel reaches them from every
 *                      space, every process's RAM-window table holds the
 *                      same S-only leaves for them: one leaf per top page
 *                      per process table.  Other processes' flash and
 *                      app-accessible RAM are not mapped at all, nor is
 *                      anything else (OpenSBI, unused RAM).  A window the
 *                      process does not touch stays 0.  Every space has
 *                      tables for the RAM pool's windows (the kernel-owned
 *                      tops lie there), so exposures, which must lie in the
 *                      pool, never need a table more.
 *
 * A switch (sv39_hw.c) writes the windows' entries with the incoming
 * process's values (sv39_windows_point), writes satp (the shared root and
 * the process slot's ASID) and fences that ASID.  No kernel image or
 * device translation lies under a window entry, so the kernel runs on
 * unchanged translations throughout the patch; the kernel-owned tops,
 * which do lie there, have the same leaves in every process's tables
 * built for the same records.
 *
 * What this gives:
 *   - U-mode reaches exactly its records; a page is 4 KiB and proc.c
 *     rounds the RAM record to mpu_granule() = 4096, so the last user page
 *     and the first kernel-owned page of a block are never the same page.
 *   - The kernel runs with sstatus.SUM clear, so it faults on its process's
 *     own user pages (U) and on every other process's user memory
 *     (unmapped).  Only a process-buffer enter/mut_enter opens process
 *     memory: mpu_user_access_begin(q) loads q's space if another one is
 *     loaded and sets SUM until mpu_user_access_end().
 *   - Tables are rebuilt from scratch (no unmapping code): a process space
 *     depends on the records of every process, and sv39_hw.c rebuilds one
 *     lazily, before it is next loaded, whenever any record changed.
 *   - Per process: one 4 KiB L0 table per window it touches, at most two
 *     on qemu-virt-rv64 (app flash; process RAM), one where app flash and
 *     RAM share a window.
 *
 * The older builder, sv39_map() over a space whose root copies another's
 * (copy on write of shared tables), builds the kernel space; it remains
 * able to build a whole private space, which the fuzz target checks.
 */
#include "platform/arch/riscv/sv39.h"

#include <stddef.h>
#include <string.h>

#include "kernel/proc/expo.h"
#include "kernel/proc/proc.h"

#define LEVEL_SHIFT(l) (SV39_PAGE_SHIFT + 9u * (l))
#define LEVEL_SPAN(l) ((uint64_t)1 << LEVEL_SHIFT(l))
#define PTE_PERMS (SV39_PTE_R | SV39_PTE_W | SV39_PTE_X)

/*@
  // ---- what the proof talks about (doc/proofs.md, "Sv39 tables") ----

  // Decode of a PTE (privileged spec, "Sv39: Page-Based 39-bit Virtual-
  // Memory System"), written as arithmetic: the flags are bits 9:0 and
  // bit k of them is flags / 2^k % 2; the PPN is bits 53:10, e / 2^10 %
  // 2^44, and the page it maps starts at PPN * 4096.
  logic integer pte_flags(integer e) = e % 1024;
  logic integer pte_pa(integer e) = e / 1024 % 0x100000000000 * 4096;
  predicate pte_v(integer e) = pte_flags(e) % 2 == 1;
  predicate pte_r(integer e) = pte_flags(e) / 2 % 2 == 1;
  predicate pte_w(integer e) = pte_flags(e) / 4 % 2 == 1;
  predicate pte_x(integer e) = pte_flags(e) / 8 % 2 == 1;
  predicate pte_u(integer e) = pte_flags(e) / 16 % 2 == 1;

  // The PTE pointing to table t (what pte_of() makes of its address).
  logic integer table_pte(struct sv39_table *t) =
      (uint64_t)(uintptr_t)t / 4096 * 1024 + 1;

  // A mapping's permissions, read as the code reads them.
  predicate map_r(struct sv39_map *m) = (m->perm & MPU_R) != 0;
  predicate map_w(struct sv39_map *m) = (m->perm & MPU_W) != 0;
  predicate map_x(struct sv39_map *m) = (m->perm & MPU_X) != 0;

  // A mapping sv39_map_ok() accepts (sv39.h).
  predicate map_ok(struct sv39_map *m) =
      m->size > 0 && m->base % 4096 == 0 && m->size % 4096 == 0 &&
      m->base < SV39_VA_LIMIT && m->size <= SV39_VA_LIMIT - m->base &&
      m->perm != 0 && m->perm <= (MPU_R | MPU_W | MPU_X) &&
      !(map_w(m) && !map_r(m));

  // f is leaf_flags(m): the flags of a leaf for a page of m.
  predicate flags_of(integer f, struct sv39_map *m) =
      0 <= f < 256 && f % 2 == 1 && (f / 2 % 2 == 1 <==> map_r(m)) &&
      (f / 4 % 2 == 1 <==> map_w(m)) && (f / 8 % 2 == 1 <==> map_x(m)) &&
      (f / 16 % 2 == 1 <==> m->user);

  // e is a valid leaf mapping a page wholly inside *m, with exactly its
  // R/W/X permissions, and U exactly when m is a user mapping.
  predicate leaf_of(integer e, struct sv39_map *m) =
      flags_of(pte_flags(e), m) && pte_pa(e) % 4096 == 0 &&
      m->base <= pte_pa(e) && pte_pa(e) + 4096 <= m->base + m->size;

  // The isolation property of one PTE: with V and U, it maps a page
  // wholly inside a user mapping of m[0..n), with that mapping's
  // permissions.
  predicate user_ok{L}(integer e, struct sv39_map *m, integer n) =
      pte_v(e) && pte_u(e) ==>
      \exists integer j; 0 <= j < n && m[j].user && leaf_of(e, m + j);

  // ... of a whole table, its entries read at T, the mappings at M (the
  // builder reads m at its start: m is never written, and the proof
  // need not follow it through every store to the tables).
  predicate table_ok{T, M}(struct sv39_table *t, struct sv39_map *m,
                           integer n) =
      \forall integer x; 0 <= x < SV39_PTES ==>
          user_ok{M}(\at(t->pte[x], T), m, n);

  // ... of every table the builder took, l0[0 .. used).
  predicate tables_ok{T, M}(struct sv39_table *l0, integer used,
                            struct sv39_map *m, integer n) =
      \forall integer k; 0 <= k < used ==> table_ok{T, M}(l0 + k, m, n);

  // The builder's windows (sv39_windows_build): window y owns table
  // l0[own[y] - 1] of the used ones (0: none), and its entry is 0 when
  // it owns none, else the PTE pointing to its table.
  predicate windows_ok{L}(struct sv39_table *l0, integer used,
                          unsigned char *own, uint64_t *pte, integer nwin) =
      \forall integer y; 0 <= y < nwin ==> own[y] <= used &&
          (own[y] == 0 ==> pte[y] == 0) &&
          (own[y] != 0 ==> pte[y] == table_pte(l0 + (own[y] - 1)));

  // ... and at most cap <= nwin tables used.
  predicate built{L}(struct sv39_table *l0, integer used, integer cap,
                     unsigned char *own, uint64_t *pte, integer nwin) =
      used <= cap <= nwin && windows_ok(l0, used, own, pte, nwin);

  // ---- the maps of a process (sv39_proc_maps) ----

  // o (read at O) is record r (read at P): its range and permissions.
  predicate map_is{O, P}(struct sv39_map *o, struct mpu_region *r) =
      \at(r->size, P) != 0 && \at(o->base, O) == \at(r->base, P) &&
      \at(o->size, O) == \at(r->size, P) &&
      \at(o->perm, O) == \at(r->perm, P);

  // o is a user map of one of p's records or of its exposures x.
  predicate proc_map{O, P}(struct sv39_map *o, struct proc *p,
                           struct mpu_region *x) =
      \at(o->user, O) &&
      ((\exists integer i; 0 <= i < PROC_REGIONS &&
           map_is{O, P}(o, \at(&p->regions[i], P))) ||
       (\exists integer i; 0 <= i < PROC_EXPOS && map_is{O, P}(o, x + i)));

  // o is a kernel-owned map: not user, R+W.
  predicate top_map{O}(struct sv39_map *o) =
      !\at(o->user, O) && \at(o->perm, O) == (MPU_R | MPU_W);

  // proc_map and top_map depend only on the fields of o.
  predicate same_map{O1, O2}(struct sv39_map *o) =
      \at(o->base, O1) == \at(o->base, O2) &&
      \at(o->size, O1) == \at(o->size, O2) &&
      \at(o->perm, O1) == \at(o->perm, O2) &&
      \at(o->user, O1) == \at(o->user, O2);

  lemma proc_map_same{O1, O2, P}: \forall struct sv39_map *o,
      struct proc *p, struct mpu_region *x;
      same_map{O1, O2}(o) ==> proc_map{O1, P}(o, p, x) ==>
      proc_map{O2, P}(o, p, x);

  lemma top_map_same{O1, O2}: \forall struct sv39_map *o;
      same_map{O1, O2}(o) ==> top_map{O1}(o) ==> top_map{O2}(o);

  // out[0 .. k) are proc_map (out read at O, p and x at P) ...
  predicate proc_maps_ok{O, P}(struct sv39_map *out, integer k,
                               struct proc *p, struct mpu_region *x) =
      \forall integer a; 0 <= a < k ==> proc_map{O, P}(out + a, p, x);

  // ... which one more map keeps, the others unchanged.
  lemma proc_maps_grow{O1, O2, P}: \forall struct sv39_map *out,
      struct proc *p, struct mpu_region *x, integer k;
      proc_maps_ok{O1, P}(out, k, p, x) &&
      (\forall integer a; 0 <= a < k ==> same_map{O1, O2}(out + a)) &&
      proc_map{O2, P}(out + k, p, x) ==>
      proc_maps_ok{O2, P}(out, k + 1, p, x);

  lemma proc_maps_kept{O1, O2, P}: \forall struct sv39_map *out,
      struct proc *p, struct mpu_region *x, integer k, k2;
      k <= k2 && proc_maps_ok{O1, P}(out, k, p, x) &&
      (\forall integer a; 0 <= a < k2 ==> same_map{O1, O2}(out + a)) ==>
      proc_maps_ok{O2, P}(out, k, p, x);

  // out[u .. k) are top_map (read at O), and one more map keeps it.
  predicate tops_ok{O}(struct sv39_map *out, integer u, integer k) =
      \forall integer a; u <= a < k ==> top_map{O}(out + a);

  lemma tops_grow{O1, O2}: \forall struct sv39_map *out, integer u, k;
      0 <= u && tops_ok{O1}(out, u, k) &&
      (\forall integer a; 0 <= a < k ==> same_map{O1, O2}(out + a)) &&
      top_map{O2}(out + k) ==> tops_ok{O2}(out, u, k + 1);

  // table_ok depends only on the entries of t.
  lemma table_ok_same{L1, L2, M}: \forall struct sv39_table *t,
      struct sv39_map *m, integer n;
      (\forall integer x; 0 <= x < SV39_PTES ==>
          \at(t->pte[x], L1) == \at(t->pte[x], L2)) ==>
      table_ok{L1, M}(t, m, n) ==> table_ok{L2, M}(t, m, n);

  // A leaf of page pa with flags f decodes to them (this lemma and the
  // next are goals of ./tern prove, not assumptions).
  lemma leaf_decode: \forall integer pa, f;
      0 <= pa < SV39_VA_LIMIT && pa % 4096 == 0 && 0 <= f < 1024 ==>
      pte_flags(pa / 4096 * 1024 + f) == f &&
      pte_pa(pa / 4096 * 1024 + f) == pa;

  // tables_ok is kept by taking a cleared table (window_table()) ...
  lemma tables_taken{L1, L2, M}: \forall struct sv39_table *l0,
      struct sv39_map *m, integer n, u1, u2;
      tables_ok{L1, M}(l0, u1, m, n) &&
      (\forall integer k, x; 0 <= k < u1 && 0 <= x < SV39_PTES ==>
          \at(l0[k].pte[x], L2) == \at(l0[k].pte[x], L1)) &&
      (u2 == u1 || (u2 == u1 + 1 && \forall integer x; 0 <= x < SV39_PTES ==>
          \at(l0[u1].pte[x], L2) == 0)) ==>
      tables_ok{L2, M}(l0, u2, m, n);

  // ... and by writing one entry that is user_ok (put_leaf()).
  lemma tables_put{L1, L2, M}: \forall struct sv39_table *l0,
      struct sv39_map *m, integer n, used, k0, x0;
      tables_ok{L1, M}(l0, used, m, n) &&
      0 <= k0 < used && 0 <= x0 < SV39_PTES &&
      user_ok{M}(\at(l0[k0].pte[x0], L2), m, n) &&
      (\forall integer k, x; 0 <= k < used && 0 <= x < SV39_PTES &&
          (k != k0 || x != x0) ==>
          \at(l0[k].pte[x], L2) == \at(l0[k].pte[x], L1)) ==>
      tables_ok{L2, M}(l0, used, m, n);

  lemma leaf_user_ok{L}: \forall integer e, struct sv39_map *m, integer n, j;
      0 <= j < n && leaf_of(e, m + j) ==> user_ok(e, m, n);
*/

/*@ assigns \nothing; */
static uint64_t page_up(uint64_t a)
{
	return (a + SV39_PAGE_SIZE - 1) & ~(SV39_PAGE_SIZE - 1);
}

/*
 * A PPN's step in a PTE.  pte_of() multiplies, divides and adds where
 * shifts and | would do: the constants are powers of two, so GCC emits the
 * same shifts, and the prover (doc/proofs.md) can relate them to the
 * decode above; the flags (< 2^10) and the PPN are disjoint.
 */
#define PTE_PPN_UNIT ((uint64_t)1 << SV39_PTE_PPN_SHIFT)

/*@ requires flags < 1024;
    assigns \nothing;
    ensures \result == pa / 4096 * 1024 + flags;
    ensures decode: pa % 4096 == 0 && pa < SV39_VA_LIMIT ==>
        pte_flags(\result) == flags && pte_pa(\result) == pa; */
static uint64_t pte_of(uint64_t pa, uint64_t flags)
{
	return pa / SV39_PAGE_SIZE * PTE_PPN_UNIT + flags;
}

static struct sv39_table *table_of(uint64_t pte)
{
	uint64_t pa = ((pte >> SV39_PTE_PPN_SHIFT) & SV39_PPN_MASK)
		      << SV39_PAGE_SHIFT;

	return (struct sv39_table *)(uintptr_t)pa;
}

static bool is_leaf(uint64_t pte)
{
	return (pte & PTE_PERMS) != 0;
}

void sv39_init(struct sv39_space *s, struct sv39_table *pool, unsigned cap,
	       const struct sv39_table *base)
{
	s->pool = pool;
	s->cap = cap;
	s->used = 1;
	if (base)
		memcpy(&pool[0], base, sizeof(pool[0]));
	else
		memset(&pool[0], 0, sizeof(pool[0]));
}

/*@ requires \valid_read(m);
    assigns \nothing;
    ensures \result <==> map_ok(m); */
bool sv39_map_ok(const struct sv39_map *m)
{
	uint32_t p = m->perm;

	if (m->size == 0 || m->base % SV39_PAGE_SIZE ||
	    m->size % SV39_PAGE_SIZE)
		return false;
	/* base < limit first, so limit - base cannot wrap */
	if (m->base >= SV39_VA_LIMIT || m->size > SV39_VA_LIMIT - m->base)
		return false;
	if (p == 0 || p > (MPU_R | MPU_W | MPU_X))
		return false;
	return !((p & MPU_W) && !(p & MPU_R)); /* W without R is reserved */
}

/*
 * The leaf flags for m (+ on disjoint bits, which the prover follows; GCC
 * emits the same code).
 */
/*@ requires \valid_read(m);
    assigns \nothing;
    ensures flags_of(\result, m); */
static uint64_t leaf_flags(const struct sv39_map *m)
{
	uint64_t f = SV39_PTE_V + SV39_PTE_A;

	if (m->perm & MPU_R)
		f += SV39_PTE_R;
	if (m->perm & MPU_W)
		f += SV39_PTE_W + SV39_PTE_D;
	if (m->perm & MPU_X)
		f += SV39_PTE_X;
	if (m->user)
		f += SV39_PTE_U;
	return f;
}

static struct sv39_table *take(struct sv39_space *s)
{
	if (s->used >= s->cap)
		return NULL;
	return &s->pool[s->used++];
}

static bool owned(const struct sv39_space *s, const struct sv39_table *t)
{
	return t >= s->pool && t < s->pool + s->cap;
}

/*
 * The table *e points to, as one of s's own: a shared table is copied into
 * the pool first and *e redirected to the copy.  NULL: pool exhausted.
 */
static struct sv39_table *own_child(struct sv39_space *s, uint64_t *e)
{
	struct sv39_table *t = table_of(*e), *copy;

	if (owned(s, t))
		return t;
	copy = take(s);
	if (copy == NULL)
		return NULL;
	memcpy(copy, t, sizeof(*copy));
	*e = pte_of((uint64_t)(uintptr_t)copy, SV39_PTE_V);
	return copy;
}

/*
 * Map [va, end) (page-aligned, inside t's span) into table t of the given
 * level.  t is one of s's own tables.
 */
static enum kerr fill(struct sv39_space *s, struct sv39_table *t,
		      unsigned level, uint64_t va, uint64_t end, uint64_t flags)
{
	uint64_t span = LEVEL_SPAN(level);

	while (va < end) {
		uint64_t *e = &t->pte[(va >> LEVEL_SHIFT(level)) % SV39_PTES];
		uint64_t slot_end = (va & ~(span - 1)) + span;
		uint64_t stop = end < slot_end ? end : slot_end;
		struct sv39_table *child;
		enum kerr rc;

		if (!(*e & SV39_PTE_V)) {
			/* at level 0 the slot is always whole: one page */
			if (va % span == 0 && stop == slot_end) {
				*e = pte_of(va, flags);
				va = stop;
				continue;
			}
			child = take(s);
			if (child == NULL)
				return KERR_NOMEM;
			memset(child, 0, sizeof(*child));
			*e = pte_of((uint64_t)(uintptr_t)child, SV39_PTE_V);
		} else if (is_leaf(*e) || level == 0) {
			return KERR_INVAL; /* already mapped */
		} else {
			child = own_child(s, e);
			if (child == NULL)
				return KERR_NOMEM;
		}
		rc = fill(s, child, level - 1, va, stop, flags);
		if (rc != KERR_OK)
			return rc;
		va = stop;
	}
	return KERR_OK;
}

enum kerr sv39_map(struct sv39_space *s, const struct sv39_map *m)
{
	if (!sv39_map_ok(m))
		return KERR_INVAL;
	return fill(s, &s->pool[0], SV39_LEVELS - 1, m->base,
		    m->base + m->size, leaf_flags(m));
}

uint64_t sv39_satp(const struct sv39_space *s)
{
	return SV39_SATP_MODE |
	       ((uint64_t)(uintptr_t)&s->pool[0] >> SV39_PAGE_SHIFT);
}

bool sv39_walk(const struct sv39_table *root, uint64_t va, uint64_t *pte)
{
	const struct sv39_table *t = root;

	if (va >= SV39_VA_LIMIT)
		return false;
	for (int level = SV39_LEVELS - 1; level >= 0; level--) {
		uint64_t e = t->pte[(va >> LEVEL_SHIFT(level)) % SV39_PTES];
		uint64_t ppn = (e >> SV39_PTE_PPN_SHIFT) & SV39_PPN_MASK;

		if (!(e & SV39_PTE_V) ||
		    ((e & SV39_PTE_W) && !(e & SV39_PTE_R)))
			return false;
		if (is_leaf(e)) {
			/* a superpage's low PPN fields must be zero */
			if (ppn % ((uint64_t)1 << (9u * level)) != 0)
				return false;
			*pte = e;
			return true;
		}
		if (level == 0)
			return false; /* a pointer where a leaf must be */
		t = table_of(e);
	}
	return false;
}

/*
 * Slots of 2^shift bytes that the ranges touch, each counted once: the
 * ranges as slot-index intervals, merged.  Ranges failing sv39_map_ok()
 * are left out (they are never mapped).
 */
#define BOUND_RANGES 24

static unsigned slots_touched(const struct sv39_map *m, unsigned n,
			      unsigned shift)
{
	uint64_t lo[BOUND_RANGES], hi[BOUND_RANGES];
	unsigned k = 0, count = 0;

	for (unsigned i = 0; i < n; i++) {
		uint64_t a, b;
		unsigned j;

		if (!sv39_map_ok(&m[i]))
			continue;
		if (k == BOUND_RANGES)
			return UINT32_MAX / 4; /* more than callers pass */
		a = m[i].base >> shift;
		b = (m[i].base + m[i].size - 1) >> shift;
		/* insertion by start */
		for (j = k; j > 0 && lo[j - 1] > a; j--) {
			lo[j] = lo[j - 1];
			hi[j] = hi[j - 1];
		}
		lo[j] = a;
		hi[j] = b;
		k++;
	}
	for (unsigned i = 0; i < k;) {
		uint64_t a = lo[i], b = hi[i];

		for (i++; i < k && lo[i] <= b + 1; i++)
			if (hi[i] > b)
				b = hi[i];
		count += (unsigned)(b - a + 1);
	}
	return count;
}

unsigned sv39_tables_bound(const struct sv39_map *m, unsigned n)
{
	return 1 + slots_touched(m, n, LEVEL_SHIFT(2)) +
	       slots_touched(m, n, LEVEL_SHIFT(1));
}

enum kerr sv39_window_at(struct sv39_space *k, uint64_t va,
			 struct sv39_window *w)
{
	uint64_t base = va & ~(SV39_WINDOW_SIZE - 1);
	uint64_t *re, *e;
	struct sv39_table *l1;

	if (va >= SV39_VA_LIMIT)
		return KERR_INVAL;
	re = &k->pool[0].pte[(base >> LEVEL_SHIFT(2)) % SV39_PTES];
	if (!(*re & SV39_PTE_V)) {
		l1 = take(k);
		if (l1 == NULL)
			return KERR_NOMEM;
		memset(l1, 0, sizeof(*l1));
		*re = pte_of((uint64_t)(uintptr_t)l1, SV39_PTE_V);
	} else if (is_leaf(*re)) {
		return KERR_INVAL; /* a kernel gigapage */
	} else {
		l1 = own_child(k, re);
		if (l1 == NULL)
			return KERR_NOMEM;
	}
	e = &l1->pte[(base >> LEVEL_SHIFT(1)) % SV39_PTES];
	if (*e & SV39_PTE_V)
		return KERR_INVAL; /* a kernel megapage, or kernel pages */
	*w = (struct sv39_window){ base, e };
	return KERR_OK;
}

/* Index of the window holding va, or nwin. */
/*@ requires \valid_read(win + (0 .. nwin - 1));
    assigns \nothing;
    ensures 0 <= \result <= nwin; */
static unsigned window_of(const struct sv39_window *win, unsigned nwin,
			  uint64_t va)
{
	unsigned i;

	/*@ loop invariant 0 <= i <= nwin;
	    loop assigns i;
	    loop variant nwin - i; */
	for (i = 0; i < nwin; i++)
		if (va - win[i].base < SV39_WINDOW_SIZE)
			break;
	return i;
}

unsigned sv39_windows_touched(const struct sv39_window *win, unsigned nwin,
			      const struct sv39_map *m, unsigned n)
{
	uint64_t seen = 0; /* bit i: window i touched */
	unsigned count = 0;

	if (nwin > 64)
		return UINT32_MAX;
	for (unsigned j = 0; j < n; j++) {
		uint64_t va, end = m[j].base + m[j].size;

		if (!sv39_map_ok(&m[j]))
			continue;
		/* one page per window is enough: windows are aligned */
		for (va = m[j].base; va < end;
		     va = (va & ~(SV39_WINDOW_SIZE - 1)) + SV39_WINDOW_SIZE) {
			unsigned i = window_of(win, nwin, va);

			if (i == nwin)
				return UINT32_MAX;
			if (!(seen & (uint64_t)1 << i))
				count++;
			seen |= (uint64_t)1 << i;
		}
	}
	return count;
}

/*
 * Clear *t.  A loop, not memset(): WP follows it entry by entry (GCC
 * makes the same call).
 */
/*@ requires \valid(t);
    assigns t->pte[0 .. SV39_PTES - 1];
    ensures \forall integer x; 0 <= x < SV39_PTES ==> t->pte[x] == 0; */
static void table_clear(struct sv39_table *t)
{
	/*@ loop invariant 0 <= x <= SV39_PTES;
	    loop invariant \forall integer y; 0 <= y < x ==> t->pte[y] == 0;
	    loop assigns x, t->pte[0 .. SV39_PTES - 1];
	    loop variant SV39_PTES - x; */
	for (unsigned x = 0; x < SV39_PTES; x++)
		t->pte[x] = 0;
}

/*
 * Write the leaf for page va (flags: leaf_flags() of its mapping) into t,
 * the L0 table of va's window; KERR_INVAL if the entry is valid already.
 */
/*@ requires \valid(t);
    requires va < SV39_VA_LIMIT && va % 4096 == 0 && flags < 1024;
    assigns t->pte[va / 4096 % SV39_PTES];
    ensures leaf: \result == KERR_OK ==>
        pte_flags(t->pte[va / 4096 % SV39_PTES]) == flags &&
        pte_pa(t->pte[va / 4096 % SV39_PTES]) == va;
    ensures \result == KERR_OK || \result == KERR_INVAL; */
static enum kerr put_leaf(struct sv39_table *t, uint64_t va, uint64_t flags)
{
	uint64_t *e = &t->pte[va / SV39_PAGE_SIZE % SV39_PTES];

	if (*e & SV39_PTE_V)
		return KERR_INVAL;
	*e = pte_of(va, flags);
	return KERR_OK;
}

/*
 * Window i's L0 table: the one it owns, l0[own[i] - 1], or else the next
 * of l0[*used .. cap), cleared, which window i then owns (its entry,
 * pte[i], points to it); NULL when none is left.
 */
/*@ requires i < nwin <= 64 && *used <= cap <= nwin;
    requires \valid(used) && \valid(own + (0 .. nwin - 1)) &&
        \valid(pte + (0 .. nwin - 1)) && \valid(l0 + (0 .. cap - 1));
    requires \separated(used, own + (0 .. nwin - 1), pte + (0 .. nwin - 1),
                        l0 + (0 .. cap - 1));
    requires windows_ok(l0, *used, own, pte, nwin);
    assigns *used, own[i], pte[i],
        l0[*used .. cap - 1].pte[0 .. SV39_PTES - 1];
    ensures windows_ok(l0, *used, own, pte, nwin);
    ensures *used == \old(*used) || *used == \old(*used) + 1;
    ensures *used <= cap;
    ensures \result != \null ==> own[i] != 0 && \result == l0 + (own[i] - 1);
    ensures \result == \null ==> *used == \old(*used);
    ensures kept: \forall integer k, x; 0 <= k < \old(*used) &&
        0 <= x < SV39_PTES ==> l0[k].pte[x] == \old(l0[k].pte[x]);
    ensures cleared: *used == \old(*used) + 1 ==> \forall integer x;
        0 <= x < SV39_PTES ==> l0[\old(*used)].pte[x] == 0; */
static struct sv39_table *window_table(struct sv39_table *l0, unsigned *used,
				       unsigned cap, unsigned char *own,
				       uint64_t *pte, unsigned nwin,
				       unsigned i)
{
	struct sv39_table *t;

	(void)nwin; /* for the proof only */
	if (own[i] == 0) {
		if (*used == cap)
			return NULL;
		t = &l0[*used];
		table_clear(t);
		pte[i] = pte_of((uint64_t)(uintptr_t)t, SV39_PTE_V);
		own[i] = (unsigned char)++*used;
	}
	return &l0[own[i] - 1];
}

/*
 * Isolation (proved, doc/proofs.md): every entry with V and U in a table
 * a window points to maps a page wholly inside a user mapping of m[0..n)
 * with exactly its permissions; the leaves written for a mapping without
 * user never carry U.
 */
/*@ requires \valid_read(win + (0 .. nwin - 1));
    requires \valid(l0 + (0 .. cap - 1));
    requires \valid_read(m + (0 .. n - 1));
    requires \valid(pte + (0 .. nwin - 1));
    requires \separated(l0 + (0 .. cap - 1), win + (0 .. nwin - 1),
                        m + (0 .. n - 1), pte + (0 .. nwin - 1));
    assigns l0[0 .. cap - 1], pte[0 .. nwin - 1]; */
enum kerr sv39_windows_build(const struct sv39_window *win, unsigned nwin,
			     struct sv39_table *l0, unsigned cap,
			     const struct sv39_map *m, unsigned n,
			     uint64_t *pte)
{
	/*
	 * Window i's own table is l0[own[i] - 1] (0: none yet).  A window
	 * takes one table at most, so cap is clamped to nwin <= 64 (the same
	 * outcomes) and a byte holds every index.
	 */
	unsigned char own[64];
	unsigned used = 0;

	if (nwin > 64)
		return KERR_INVAL;
	if (cap > nwin)
		cap = nwin;
	/*@ loop invariant 0 <= i <= nwin;
	    loop invariant \forall integer y; 0 <= y < i ==>
	        own[y] == 0 && pte[y] == 0;
	    loop assigns i, own[0 .. nwin - 1], pte[0 .. nwin - 1];
	    loop variant nwin - i; */
	for (unsigned i = 0; i < nwin; i++) {
		pte[i] = 0;
		own[i] = 0;
	}
	/*@ loop invariant 0 <= j <= n;
	    loop invariant built: built(l0, used, cap, &own[0], pte, nwin);
	    loop invariant tables_ok: tables_ok{Here, Pre}(l0, used, m, n);
	    loop assigns j, used, own[0 .. nwin - 1], pte[0 .. nwin - 1],
	        l0[0 .. \at(cap, Pre) - 1];
	    loop variant n - j; */
	for (unsigned j = 0; j < n; j++) {
		uint64_t flags = leaf_flags(&m[j]), va, end;

		if (!sv39_map_ok(&m[j]))
			return KERR_INVAL;
		/*@ assert pre: \let mj = m + j; *mj == \at(*mj, Pre); */
		/*@ assert map_ok{Pre}(m + j) && flags_of{Pre}(flags, m + j); */
		end = m[j].base + m[j].size;
		/*@ loop invariant page: va % 4096 == 0 &&
		        \let mj = m + j; \at(mj->base, Pre) <= va <= end;
		    loop invariant built: built(l0, used, cap, &own[0], pte,
		        nwin);
		    loop invariant tables_ok: tables_ok{Here, Pre}(l0, used, m,
		        n);
		    loop assigns va, used, own[0 .. nwin - 1],
		        pte[0 .. nwin - 1], l0[0 .. \at(cap, Pre) - 1];
		    loop variant end - va; */
		for (va = m[j].base; va < end; va += SV39_PAGE_SIZE) {
			unsigned i = window_of(win, nwin, va);
			struct sv39_table *t;

			if (i == nwin)
				return KERR_INVAL;
			t = window_table(l0, &used, cap, own, pte, nwin, i);
			if (t == NULL)
				return KERR_NOMEM;
			/*@ assert taken:
			        tables_ok{Here, Pre}(l0, used, m, n); */
			if (put_leaf(t, va, flags) != KERR_OK)
				return KERR_INVAL; /* already mapped */
			/*@ assert leaf: \let e = t->pte[va / 4096 % SV39_PTES];
			        leaf_of{Pre}(e, m + j); */
			/*@ assert kernel_owned: \let mj = m + j;
			        !\at(mj->user, Pre) ==>
			        !pte_u(t->pte[va / 4096 % SV39_PTES]); */
			/*@ assert user_ok{Pre}(t->pte[va / 4096 % SV39_PTES],
			        m, n); */
			/*@ assert put: tables_ok{Here, Pre}(l0, used, m, n); */
		}
	}
	/*@ assert isolated: \forall integer i; 0 <= i < nwin ==>
	        pte[i] == 0 ||
	        (pte[i] == table_pte(l0 + (own[i] - 1)) &&
	         table_ok{Here, Pre}(l0 + (own[i] - 1), m, n)); */
	return KERR_OK;
}

/*@ requires \valid(o);
    assigns *o;
    ensures o->base == base && o->size == size && o->perm == perm &&
        o->user == user; */
static void map_set(struct sv39_map *o, uint64_t base, uint64_t size,
		    uint32_t perm, bool user)
{
	o->base = base;
	o->size = size;
	o->perm = perm;
	o->user = user;
}

/*
 * sv39_proc_maps() with p's exposures, x[0 .. PROC_EXPOS): proc_expos()
 * computes their place from an address (an integer the proof cannot
 * follow), so the proved part takes them as an array.
 */
/*@ requires n <= PROC_MAX;
    requires \valid_read(p) && \valid_read(table + (0 .. n - 1));
    requires \valid_read(x + (0 .. PROC_EXPOS - 1));
    requires \valid(out + (0 .. PROC_REGIONS + PROC_EXPOS + n - 1));
    requires \separated(out + (0 .. PROC_REGIONS + PROC_EXPOS + n - 1),
                        p, table + (0 .. n - 1), x + (0 .. PROC_EXPOS - 1));
    assigns out[0 .. PROC_REGIONS + PROC_EXPOS + n - 1];
    ensures \result <= PROC_REGIONS + PROC_EXPOS + n;
    ensures maps: \forall integer k; 0 <= k < \result ==>
        proc_map{Post, Pre}(out + k, p, x) ||
        top_map{Post}(out + k);
    ensures users_first: \forall integer a, b; 0 <= a < b < \result ==>
        out[b].user ==> out[a].user; */
static unsigned proc_maps(const struct proc *p, const struct mpu_region *x,
			  const struct proc *table, unsigned n,
			  struct sv39_map *out)
{
	unsigned k = 0;

	/*@ loop invariant 0 <= i <= PROC_REGIONS && k <= i;
	    loop invariant users: proc_maps_ok{Here, Pre}(out, k, p, x);
	    loop assigns i, k, out[0 .. PROC_REGIONS - 1];
	    loop variant PROC_REGIONS - i; */
	for (unsigned i = 0; i < PROC_REGIONS; i++) {
		const struct mpu_region *r = &p->regions[i];

		if (r->size == 0)
			continue;
		/*@ assert \let rr = r; rr->base == \at(rr->base, Pre) &&
		        rr->size == \at(rr->size, Pre) &&
		        rr->perm == \at(rr->perm, Pre); */
		map_set(&out[k++], r->base, r->size, r->perm, true);
		/*@ assert kept: \forall integer a;
		        0 <= a < \at(k, LoopCurrent) ==>
		        same_map{LoopCurrent, Here}(out + a); */
		/*@ assert map_is{Here, Pre}(out + (k - 1), &p->regions[i]); */
		/*@ assert proc_map{Here, Pre}(out + (k - 1), p, x); */
	}
	/* buffers other processes expose to p: whole pages, U, R+W */
	/*@ loop invariant 0 <= i <= PROC_EXPOS && k <= PROC_REGIONS + i;
	    loop invariant users: proc_maps_ok{Here, Pre}(out, k, p, x);
	    loop assigns i, k, out[0 .. PROC_REGIONS + PROC_EXPOS - 1];
	    loop variant PROC_EXPOS - i; */
	for (unsigned i = 0; i < PROC_EXPOS; i++) {
		const struct mpu_region *r = &x[i];

		if (r->size == 0)
			continue;
		/*@ assert \let rr = r; rr->base == \at(rr->base, Pre) &&
		        rr->size == \at(rr->size, Pre) &&
		        rr->perm == \at(rr->perm, Pre); */
		map_set(&out[k++], r->base, r->size, r->perm, true);
		/*@ assert kept: \forall integer a;
		        0 <= a < \at(k, LoopCurrent) ==>
		        same_map{LoopCurrent, Here}(out + a); */
		/*@ assert map_is{Here, Pre}(out + (k - 1), x + i); */
		/*@ assert proc_map{Here, Pre}(out + (k - 1), p, x); */
	}
	/*@ ghost unsigned u = k; */
	/*@ loop invariant 0 <= i <= n && u <= k <= PROC_REGIONS +
	        PROC_EXPOS + i;
	    loop invariant users: proc_maps_ok{Here, Pre}(out, u, p, x);
	    loop invariant tops: tops_ok(out, u, k);
	    loop assigns i, k, out[0 .. PROC_REGIONS + PROC_EXPOS + n - 1];
	    loop variant n - i; */
	for (unsigned i = 0; i < n; i++) {
		const struct proc *q = &table[i];
		const struct mpu_region *r = &q->regions[PROC_REGION_RAM];
		uint64_t from, to;

		if (q->state == PROC_FREE)
			continue;
		/*
		 * The record ends on a page boundary (granule 4096); rounding
		 * up keeps a partial page with the user side should it not.
		 */
		from = page_up((uint64_t)r->base + r->size);
		to = page_up(q->mem_end);
		if (from >= to)
			continue;
		map_set(&out[k++], from, to - from, MPU_R | MPU_W, false);
		/*@ assert kept: \forall integer a;
		        0 <= a < \at(k, LoopCurrent) ==>
		        same_map{LoopCurrent, Here}(out + a); */
		/*@ assert top_map(out + (k - 1)); */
	}
	return k;
}

unsigned sv39_proc_maps(const struct proc *p, const struct proc *table,
			unsigned n, struct sv39_map *out)
{
#if CONFIG_IPC
	return proc_maps(p, proc_expos(p)->r, table, n, out);
#else
	return proc_maps(p, NULL, table, n, out);
#endif
}
