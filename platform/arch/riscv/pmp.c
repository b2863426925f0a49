// SPDX-License-Identifier: MIT
/*
 * PMP planning: protection records in, pmpaddr/pmpcfg values out.
 *
 * Pure C, host-tested; no CSR is read or written here (pmp_hw.c does that).
 * The plan is built in a local copy and only copied out once every record
 * has been encoded, so a refused set of records leaves the caller's plan
 * as it was.  See pmp.h for the encoding rules.
 */
#include "platform/arch/riscv/pmp.h"

#include <limits.h>
#include <stddef.h>

#include "kernel/kassert.h"

#ifdef __riscv_xlen
#define PMP_XLEN __riscv_xlen
#else
#define PMP_XLEN (sizeof(unsigned long) * CHAR_BIT)
#endif

/*@
  // ---- what the proof talks about (doc/proofs.md) ----

  // x is a power of two (1, 2, 4, ...), stated by halving: the form the
  // loop in is_pow2() follows step by step.
  logic boolean pow2(integer x) = x == 1 || (x > 1 && x % 2 == 0 && pow2(x / 2));

  // A record pmp.h accepts: check_region()'s rules.
  predicate rec_ok(struct mpu_region r) =
      r.perm <= 7 && r.perm % 4 != MPU_W &&
      r.base % 4 == 0 && r.size % 4 == 0 &&
      r.base + r.size <= UINTPTR_MAX &&
      (UINTPTR_MAX > 0xFFFFFFFF ==> r.base + r.size < 0x100000000000000);

  // the encoding encode() picks for a non-empty record; a power of two
  // >= 8 is 8 times a power of two (the form NAPOT's decode reads)
  logic boolean rec_napot(struct mpu_region r) =
      r.size >= 8 && r.size % 8 == 0 && pow2(r.size / 8) &&
      r.base % r.size == 0;
  logic boolean rec_tor(struct mpu_region r) =
      r.size != 0 && !rec_napot(r) && r.size != 4;

  // ---- decode: the privileged spec's reading of a pmpcfg/pmpaddr pair ----
  logic integer cfg_a(integer cfg) = cfg / 8 % 4;  // OFF 0 TOR 1 NA4 2 NAPOT 3
  logic integer cfg_perm(integer cfg) = cfg % 8;   // R | W | X

  // A NAPOT pmpaddr a whose low k bits are ones above a zero covers 2^(k+3)
  // bytes from 4 * (a with those bits cleared).  With s = hi - lo = 2^(k+3):
  // a = q * 2^(k+1) + 2^k - 1 = q * (s / 4) + (s / 8 - 1) for some q, which
  // fixes k, so [lo, hi) is the only range a decodes to.
  predicate napot_range(integer a, integer lo, integer hi) =
      hi - lo >= 8 && (hi - lo) % 8 == 0 && pow2((hi - lo) / 8) &&
      (\exists integer q; a == q * ((hi - lo) / 4) + ((hi - lo) / 8 - 1)) &&
      lo == 4 * (a - ((hi - lo) / 8 - 1));

  // Entry i of *p lets U-mode reach exactly [lo, hi) with permissions perm
  // (L and the reserved bits clear).  Read by the A field, as the hart does.
  // (A pointer, not a struct value: the solvers then read two fields
  // instead of rebuilding the whole plan.)
  predicate entry_is{L}(struct pmp_plan *p, integer i, integer lo,
                        integer hi, integer perm) =
      0 <= i < p->n && p->e[i].cfg < 32 && cfg_perm(p->e[i].cfg) == perm &&
      (cfg_a(p->e[i].cfg) == 3 ? napot_range(p->e[i].addr, lo, hi) :
       cfg_a(p->e[i].cfg) == 2 ? lo == 4 * p->e[i].addr && hi == lo + 4 :
       cfg_a(p->e[i].cfg) == 1 && hi == 4 * p->e[i].addr &&
           lo == (i == 0 ? 0 : 4 * p->e[i - 1].addr));

  // Arithmetic steps for the NAPOT value in encode() (each lemma is
  // itself a proof goal in ./tern prove).
  lemma div_exact: \forall integer b, s;
      s > 0 && b >= 0 && b % s == 0 ==> b == s * (b / s);
  lemma div4: \forall integer x; (4 * x) / 4 == x;

  // ---- the whole plan (plan_into()) ----
  // The records are read at label R (where the planner started: it never
  // writes them), the plan at label L.

  predicate recs_ok{R}(struct mpu_region *r, integer nr) =
      \forall integer j; 0 <= j < nr ==> r[j].size == 0 || rec_ok(r[j]);

  // how many entries pmp.h's rules spend on r[0 .. j)
  logic integer last_used{R}(struct mpu_region *r, integer j) =
      j <= 0 ? -1 : (r[j - 1].size != 0 ? j - 1 : last_used(r, j - 1));

  // TOR record j takes its bottom from the entry below (or from 0)
  logic boolean shares{R}(struct mpu_region *r, integer j) =
      (last_used(r, j) < 0 && r[j].base == 0) ||
      (last_used(r, j) >= 0 && rec_tor(r[last_used(r, j)]) &&
       r[last_used(r, j)].base + r[last_used(r, j)].size == r[j].base);

  logic integer cost{R}(struct mpu_region *r, integer j) =
      r[j].size == 0 ? 0 : (rec_tor(r[j]) && !shares(r, j) ? 2 : 1);

  logic integer need{R}(struct mpu_region *r, integer j) =
      j <= 0 ? 0 : need(r, j - 1) + cost(r, j - 1);

  // entry k of *p (at L) is exactly record j of r (at R)
  predicate rec_entry{L, R}(struct pmp_plan *p, integer k,
                            struct mpu_region *r, integer j) =
      \at(r[j].size, R) != 0 &&
      entry_is{L}(p, k, \at(r[j].base, R),
                  \at(r[j].base, R) + \at(r[j].size, R),
                  \at(r[j].perm, R));

  // Every used entry is OFF (cfg 0: matches nothing) or exactly one
  // non-empty record's range and permissions: U-mode gets nothing else.
  predicate plan_sound{L, R}(struct pmp_plan *p, struct mpu_region *r,
                             integer nr) =
      \forall integer k; 0 <= k < \at(p->n, L) ==>
          \at(p->e[k].cfg, L) == 0 ||
          \exists integer j; 0 <= j < nr && rec_entry{L, R}(p, k, r, j);

  // Every non-empty record has a used entry that is exactly it.
  predicate plan_complete{L, R}(struct pmp_plan *p, struct mpu_region *r,
                                integer nr) =
      \forall integer j; 0 <= j < nr && \at(r[j].size, R) != 0 ==>
          \exists integer k; 0 <= k < \at(p->n, L) &&
              rec_entry{L, R}(p, k, r, j);

  // Entries below n still say the same at L2 as at L1 (a TOR entry's
  // bottom is the entry below, also kept): the step of plan_into()'s
  // loop, with encode()'s frame (a goal on the @lemma line).
  predicate plan_kept{L1, L2}(struct pmp_plan *p, integer n) =
      n <= \at(p->n, L2) && \forall integer k; 0 <= k < n ==>
          \at(p->e[k].addr, L1) == \at(p->e[k].addr, L2) &&
          \at(p->e[k].cfg, L1) == \at(p->e[k].cfg, L2);
  lemma rec_entry_kept_below{L1, L2, R}: \forall struct pmp_plan *p,
      struct mpu_region *r, integer n, k, j;
      0 <= k < n && plan_kept{L1, L2}(p, n) &&
      rec_entry{L1, R}(p, k, r, j) ==> rec_entry{L2, R}(p, k, r, j);

  // Each non-empty record j < i is entry need(r, j + 1) - 1 (the loop
  // invariant behind plan_complete), and the step from i to i + 1.
  predicate complete_upto{L, R}(struct pmp_plan *p, struct mpu_region *r,
                                integer i) =
      \forall integer j; 0 <= j < i && \at(r[j].size, R) != 0 ==>
          rec_entry{L, R}(p, need{R}(r, j + 1) - 1, r, j);
  lemma complete_next{L, R}: \forall struct pmp_plan *p,
      struct mpu_region *r, integer i; 0 <= i &&
      complete_upto{L, R}(p, r, i) && (\at(r[i].size, R) != 0 ==>
          rec_entry{L, R}(p, need{R}(r, i + 1) - 1, r, i)) ==>
      complete_upto{L, R}(p, r, i + 1);

  // The plan's last entry after records r[0 .. i): none when no record
  // was used; a TOR entry ending at the last used record's end exactly
  // when that record is TOR (what a TOR record after it may share).
  predicate plan_tail{L, R}(struct pmp_plan *p, struct mpu_region *r,
                            integer i) =
      (last_used{R}(r, i) < 0 ==> \at(p->n, L) == 0) &&
      (last_used{R}(r, i) >= 0 ==> \at(p->n, L) > 0 &&
          (cfg_a(\at(p->e[p->n - 1].cfg, L)) == 1 <==>
              rec_tor(\at(r[last_used{R}(r, i)], R))) &&
          (rec_tor(\at(r[last_used{R}(r, i)], R)) ==>
              4 * \at(p->e[p->n - 1].addr, L) ==
                  \at(r[last_used{R}(r, i)].base, R) +
                  \at(r[last_used{R}(r, i)].size, R)));

  // the entry a TOR record starting at base would take its bottom from
  predicate plan_ends_at{L}(struct pmp_plan *p, integer base) =
      (p->n == 0 && base == 0) ||
      (p->n > 0 && cfg_a(p->e[p->n - 1].cfg) == 1 &&
       4 * p->e[p->n - 1].addr == base);

  logic integer clamp(integer m) =
      m > PMP_MAX_ENTRIES ? PMP_MAX_ENTRIES : m;

  // the layout r[0 .. nr) fits in max entries: every record valid, and
  // pmp.h's rules spend at most max entries on them
  predicate fits{R}(struct mpu_region *r, integer nr, integer max) =
      recs_ok(r, nr) && need(r, nr) <= clamp(max);

  // cfg words pmp_plan_cfg_words_xlen() writes: ceil(clamp(m) / (xlen / 8))
  logic integer cfg_words(integer m, integer xlen) =
      (clamp(m) + xlen / 8 - 1) / (xlen / 8);
*/

/*@ assigns \nothing;
    ensures \result == clamp(max_entries); */
static unsigned clamp_entries(unsigned max_entries)
{
	return max_entries > PMP_MAX_ENTRIES ? PMP_MAX_ENTRIES : max_entries;
}

/*
 * Halving rather than x & (x - 1): the prover follows arithmetic, not bit
 * tricks, and this runs only when records change.
 */
/*@ assigns \nothing;
    ensures \result <==> pow2(x); */
static bool is_pow2(size_t x)
{
	/*@ loop invariant 0 <= x <= \at(x, Pre);
	    loop invariant pow2(x) <==> pow2(\at(x, Pre));
	    loop assigns x;
	    loop variant x; */
	while (x > 1 && x % 2 == 0)
		x /= 2;
	return x == 1;
}

/* Check one record and derive its permission bits; changes nothing. */
/*@ requires \valid_read(r) && \valid(perm);
    assigns *perm;
    ensures \result == KERR_OK || \result == KERR_INVAL;
    ensures \result == KERR_OK <==> rec_ok(*r);
    ensures \result == KERR_OK ==> *perm == r->perm; */
static enum kerr check_region(const struct mpu_region *r, uint8_t *perm)
{
	if (r->perm > (MPU_R | MPU_W | MPU_X))
		return KERR_INVAL;
	/* R = 0, W = 1 is a reserved pmpcfg encoding (perm < 8 here) */
	if (r->perm % 4 == MPU_W)
		return KERR_INVAL;
	/* pmpaddr drops address bits 1:0, so nothing finer than 4 bytes */
	if (r->base % 4 != 0 || r->size % 4 != 0)
		return KERR_INVAL;
	/* the end (base + size) must be representable: no wrap past 0 */
	if (r->base > UINTPTR_MAX - r->size)
		return KERR_INVAL;
#if UINTPTR_MAX > 0xFFFFFFFFu
	/* rv64 pmpaddr holds bits 55:2: a TOR top of 2^56 does not fit */
	if (r->base + r->size >= ((uintptr_t)1 << 56))
		return KERR_INVAL;
#endif
	/* MPU_R/W/X are the pmpcfg bits (pmp.h), and nothing else is set */
	*perm = (uint8_t)r->perm;
	return KERR_OK;
}

/*@ requires \valid(p) && p->n < PMP_MAX_ENTRIES && cfg <= 0xFF;
    assigns p->e[p->n], p->n;
    ensures p->n == \old(p->n) + 1;
    ensures p->e[\old(p->n)].addr == addr && p->e[\old(p->n)].cfg == cfg; */
static void put(struct pmp_plan *p, uintptr_t addr, unsigned cfg)
{
	p->e[p->n].addr = addr;
	p->e[p->n].cfg = (uint8_t)cfg;
	p->n++;
}

/*
 * r can be one NAPOT entry: a power-of-two size >= 8, aligned to it.  The
 * size is tested as 8 times a power of two, which is how NAPOT counts it.
 */
/*@ requires \valid_read(r) && r->size != 0;
    assigns \nothing;
    ensures \result <==> rec_napot(*r); */
static bool is_napot(const struct mpu_region *r)
{
	return r->size >= 8 && r->size % 8 == 0 && is_pow2(r->size / 8) &&
	       r->base % r->size == 0;
}

/*
 * TOR takes its bottom from the entry below.  That entry already holds
 * base when it is a TOR entry ending here; entry 0's bottom is 0.
 */
/*@ requires \valid_read(p) && p->n <= PMP_MAX_ENTRIES && base % 4 == 0;
    assigns \nothing;
    ensures \result <==> plan_ends_at(p, base); */
static bool tor_ends_at(const struct pmp_plan *p, uintptr_t base)
{
	if (p->n == 0)
		return base == 0;
	return p->e[p->n - 1].cfg / PMP_A_TOR % 4 == 1 && /* A is TOR */
	       p->e[p->n - 1].addr == base / 4;
}

/*
 * Append the entries for one checked, non-empty record to p, refusing with
 * KERR_SIZE (p then unchanged) when max entries would be exceeded.  The A
 * field and the permissions are disjoint bits of cfg, so A + perm is
 * A | perm; likewise base / 4 and size / 8 - 1 share no bit in NAPOT.
 */
/*@ requires \valid(p) && \valid_read(r) && \separated(p, r);
    requires p->n <= max <= PMP_MAX_ENTRIES;
    requires rec_ok(*r) && r->size != 0 && perm == r->perm;
    assigns p->n, p->e[p->n .. max - 1];
    ensures \result == KERR_OK || \result == KERR_SIZE;
    ensures \result != KERR_OK ==> p->n == \old(p->n);
    ensures frame: \forall integer k; 0 <= k < \old(p->n) ==>
        p->e[k].addr == \old(p->e[k].addr) &&
        p->e[k].cfg == \old(p->e[k].cfg);
    behavior napot:
        assumes rec_napot(*r);
        ensures \result == KERR_OK <==> \old(p->n) + 1 <= max;
        ensures \result == KERR_OK ==> p->n == \old(p->n) + 1 &&
            cfg_a(p->e[p->n - 1].cfg) == 3;
        ensures \result == KERR_OK ==>
            entry_is(p, p->n - 1, r->base, r->base + r->size, perm);
    behavior na4:
        assumes r->size == 4;
        ensures \result == KERR_OK <==> \old(p->n) + 1 <= max;
        ensures \result == KERR_OK ==> p->n == \old(p->n) + 1 &&
            cfg_a(p->e[p->n - 1].cfg) == 2;
        ensures \result == KERR_OK ==>
            entry_is(p, p->n - 1, r->base, r->base + r->size, perm);
    behavior tor_shared:
        assumes rec_tor(*r) && plan_ends_at(p, r->base);
        ensures \result == KERR_OK <==> \old(p->n) + 1 <= max;
        ensures \result == KERR_OK ==> p->n == \old(p->n) + 1 &&
            cfg_a(p->e[p->n - 1].cfg) == 1 &&
            4 * p->e[p->n - 1].addr == r->base + r->size;
        ensures \result == KERR_OK ==>
            entry_is(p, p->n - 1, r->base, r->base + r->size, perm);
    behavior tor_bottom:
        assumes rec_tor(*r) && !plan_ends_at(p, r->base);
        ensures \result == KERR_OK <==> \old(p->n) + 2 <= max;
        ensures \result == KERR_OK ==> p->n == \old(p->n) + 2 &&
            p->e[p->n - 2].cfg == 0 && cfg_a(p->e[p->n - 1].cfg) == 1 &&
            4 * p->e[p->n - 1].addr == r->base + r->size;
        ensures \result == KERR_OK ==>
            entry_is(p, p->n - 1, r->base, r->base + r->size, perm);
    complete behaviors;
    disjoint behaviors; */
static enum kerr encode(struct pmp_plan *p, const struct mpu_region *r,
			uint8_t perm, unsigned max)
{
	uintptr_t base = r->base;
	uintptr_t end = r->base + r->size;

	//@ assert end == r->base + r->size && end % 4 == 0;
	if (is_napot(r)) {
		uintptr_t a = base / 4 + (r->size / 8 - 1);

		if (p->n + 1u > max)
			return KERR_SIZE;
		/* a is base / 4 = (size / 4) * (base / size), + size / 8 - 1 */
		//@ assert a == base / 4 + r->size / 8 - 1;
		//@ assert base == r->size * (base / r->size);
		//@ assert base == 4 * ((r->size / 4) * (base / r->size));
		//@ assert base / 4 == (r->size / 4) * (base / r->size);
		/*@ assert a == (base / r->size) * (r->size / 4) +
		               (r->size / 8 - 1); */
		//@ assert napot_range(a, base, end);
		/*@ assert cfg_a(PMP_A_NAPOT + perm) == 3 &&
		           cfg_perm(PMP_A_NAPOT + perm) == perm; */
		put(p, a, PMP_A_NAPOT + perm);
		return KERR_OK;
	}
	if (r->size == 4) {
		if (p->n + 1u > max)
			return KERR_SIZE;
		//@ assert 4 * (base / 4) == base;
		/*@ assert cfg_a(PMP_A_NA4 + perm) == 2 &&
		           cfg_perm(PMP_A_NA4 + perm) == perm; */
		put(p, base / 4, PMP_A_NA4 + perm);
		return KERR_OK;
	}
	/*@ assert 4 * (base / 4) == base && 4 * (end / 4) == end &&
	           cfg_a(PMP_A_TOR + perm) == 1 &&
	           cfg_perm(PMP_A_TOR + perm) == perm; */
	/* each path its own put of the top: no joined paths for the prover */
	if (tor_ends_at(p, base)) {
		if (p->n + 1u > max)
			return KERR_SIZE;
		put(p, end / 4, PMP_A_TOR + perm);
		return KERR_OK;
	}
	if (p->n + 2u > max)
		return KERR_SIZE;
	put(p, base / 4, PMP_A_OFF);
	put(p, end / 4, PMP_A_TOR + perm);
	return KERR_OK;
}

/*
 * pmp_plan_regions()'s work, straight into *p, which a refusal leaves
 * partly written.  Entries past p->n are never written (nor read).
 */
/*@ requires \valid(p) && \valid_read(r + (0 .. nr - 1)) &&
             \separated(p, r + (0 .. nr - 1));
    assigns *p;
    ensures \result == KERR_OK || \result == KERR_INVAL ||
            \result == KERR_SIZE;
    ensures \result == KERR_OK ==> fits{Pre}(r, nr, max_entries) &&
        p->n == need{Pre}(r, nr) &&
        plan_sound{Post, Pre}(p, r, nr) && plan_complete{Post, Pre}(p, r, nr);
    ensures \result == KERR_INVAL ==> \exists integer j;
        0 <= j < nr && r[j].size != 0 && !rec_ok(r[j]);
    ensures \result == KERR_SIZE ==> need{Pre}(r, nr) > clamp(max_entries);
*/
static enum kerr plan_into(const struct mpu_region *r, unsigned nr,
			   unsigned max_entries, struct pmp_plan *p)
{
	unsigned max = clamp_entries(max_entries);
	/* which record each used entry is (proof only) */
	//@ ghost unsigned owner[PMP_MAX_ENTRIES];

	p->n = 0;
	/*@ loop invariant 0 <= i <= nr && p->n <= max;
	    loop invariant ok: recs_ok{Pre}(r, i);
	    loop invariant count: p->n == need{Pre}(r, i);
	    loop invariant mono: \forall integer j; 0 <= j <= i ==>
	        need{Pre}(r, j) <= need{Pre}(r, i);
	    loop invariant tail: plan_tail{Here, Pre}(p, r, i);
	    loop invariant sound: \forall integer k; 0 <= k < p->n ==>
	        p->e[k].cfg == 0 ||
	        (owner[k] < i && rec_entry{Here, Pre}(p, k, r, owner[k]));
	    loop invariant complete: complete_upto{Here, Pre}(p, r, i);
	    loop assigns i, *p, owner[0 .. PMP_MAX_ENTRIES - 1];
	    loop variant nr - i; */
	for (unsigned i = 0; i < nr; i++) {
		uint8_t perm;
		enum kerr rc;

		/*@ assert \let k = i; r[k].base == \at(r[k].base, Pre) &&
		           r[k].size == \at(r[k].size, Pre) &&
		           r[k].perm == \at(r[k].perm, Pre); */
		if (r[i].size == 0) {
			/*@ assert recs_ok{Pre}(r, i + 1) &&
			           need{Pre}(r, i + 1) == need{Pre}(r, i) &&
			           last_used{Pre}(r, i + 1) ==
			               last_used{Pre}(r, i); */
			continue;
		}
		//@ assert last_used{Pre}(r, i + 1) == i;
		/*@ assert rec_tor(r[i]) ==>
		           (plan_ends_at(p, r[i].base) <==> shares{Pre}(r, i)); */
		rc = check_region(&r[i], &perm);
		//@ assert rc == KERR_OK ==> rec_ok(r[i]);
		//@ assert rec_napot(r[i]) || r[i].size == 4 || rec_tor(r[i]);
		if (rc == KERR_OK)
			rc = encode(p, &r[i], perm, max);
		if (rc != KERR_OK) {
			/*@ ghost
			  if (rc == KERR_SIZE) {
			    // need() only grows: r[0 .. nr) needs at least
			    // what r[0 .. i] needs
			    /@ assert need{Pre}(r, i + 1) > max; @/
			    /@ loop invariant i + 1 <= g <= nr;
			       loop invariant need{Pre}(r, g) > max;
			       loop assigns g;
			       loop variant nr - g; @/
			    for (unsigned g = i + 1; g < nr; g++)
			      ;
			  }
			*/
			return rc;
		}
		/*@ assert recs_ok{Pre}(r, i + 1) &&
		           need{Pre}(r, i + 1) ==
		               need{Pre}(r, i) + cost{Pre}(r, i); */
		//@ assert p->n == \at(p->n, LoopCurrent) + cost{Pre}(r, i);
		/*@ assert mono_next: \forall integer j; 0 <= j <= i + 1 ==>
		        need{Pre}(r, j) <= need{Pre}(r, i + 1); */
		/*
		 * Proof steps (ACSL only): the entries below the old p->n are
		 * unchanged, the new last one is record i, so the invariants
		 * carry over to r[0 .. i].
		 */
		/*@ assert kept:
		        plan_kept{LoopCurrent, Here}(p, \at(p->n, LoopCurrent)); */
		/*@ assert \let k = i; r[k].base == \at(r[k].base, Pre) &&
		           r[k].size == \at(r[k].size, Pre) &&
		           r[k].perm == \at(r[k].perm, Pre); */
		/*@ assert tail_a: cfg_a(p->e[p->n - 1].cfg) == 1 <==>
		        rec_tor(r[i]); */
		/*@ assert tail_end: rec_tor(r[i]) ==>
		        4 * p->e[p->n - 1].addr == r[i].base + r[i].size; */
		//@ assert tail_next: plan_tail{Here, Pre}(p, r, i + 1);
		/*@ assert entry_is(p, p->n - 1, r[i].base,
		                    r[i].base + r[i].size, r[i].perm); */
		//@ assert top: rec_entry{Here, Pre}(p, p->n - 1, r, i);
		/*@ assert bottom: p->n == \at(p->n, LoopCurrent) + 2 ==>
		        p->e[p->n - 2].cfg == 0; */
		//@ ghost owner[p->n - 1] = i;
		/*@ assert owners: \forall integer k;
		        0 <= k < \at(p->n, LoopCurrent) ==>
		        owner[k] == \at(owner[k], LoopCurrent); */
		/*@ assert old_sound: \forall integer k;
		        0 <= k < \at(p->n, LoopCurrent) ==> p->e[k].cfg == 0 ||
		        (owner[k] < i && rec_entry{Here, Pre}(p, k, r, owner[k])); */
		/*@ assert new_sound: \forall integer k;
		        \at(p->n, LoopCurrent) <= k < p->n ==> p->e[k].cfg == 0 ||
		        (owner[k] == i && rec_entry{Here, Pre}(p, k, r, i)); */
		//@ assert old_complete: complete_upto{Here, Pre}(p, r, i);
		//@ assert new_complete: need{Pre}(r, i + 1) - 1 == p->n - 1;
		/*@ assert new_complete2:
		        rec_entry{Here, Pre}(p, need{Pre}(r, i + 1) - 1, r, i); */
		//@ assert all_complete: complete_upto{Here, Pre}(p, r, i + 1);
		//@ assert i + 1 <= nr;
	}
	//@ assert plan_sound{Here, Pre}(p, r, nr);
	//@ assert plan_complete{Here, Pre}(p, r, nr);
	return KERR_OK;
}

/* The contract is plan_into()'s, with *out untouched on a refusal. */
/*@ requires \valid(out) && \valid_read(r + (0 .. nr - 1)) &&
             \separated(out, r + (0 .. nr - 1));
    assigns *out;
    ensures \result == KERR_OK || \result == KERR_INVAL ||
            \result == KERR_SIZE;
    ensures \result == KERR_OK ==> fits{Pre}(r, nr, max_entries) &&
        out->n == need{Pre}(r, nr);
    ensures \result == KERR_INVAL ==> \exists integer j;
        0 <= j < nr && r[j].size != 0 && !rec_ok(r[j]);
    ensures \result == KERR_SIZE ==> need{Pre}(r, nr) > clamp(max_entries);
    ensures \result != KERR_OK ==> *out == \old(*out); */
enum kerr pmp_plan_regions(const struct mpu_region *r, unsigned nr,
			   unsigned max_entries, struct pmp_plan *out)
{
	struct pmp_plan plan;
	enum kerr rc = plan_into(r, nr, max_entries, &plan);

	if (rc == KERR_OK)
		*out = plan; /* commit */
	return rc;
}

/*@ requires \valid_read(r + (0 .. nr - 1));
    assigns \nothing;
    ensures \result <==> fits{Pre}(r, nr, max_entries); */
bool pmp_fits(const struct mpu_region *r, unsigned nr, unsigned max_entries)
{
	struct pmp_plan scratch;

	return plan_into(r, nr, max_entries, &scratch) == KERR_OK;
}

/*@ requires \valid_read(p) && (xlen == 32 || xlen == 64);
    requires xlen <= sizeof(unsigned long) * 8;
    requires p->n <= clamp(max_entries);
    requires \valid(cfg + (0 .. cfg_words(max_entries, xlen) - 1));
    requires \separated(p, cfg + (0 .. cfg_words(max_entries, xlen) - 1));
    assigns cfg[0 .. cfg_words(max_entries, xlen) - 1]; */
void pmp_plan_cfg_words_xlen(const struct pmp_plan *p, unsigned max_entries,
			     unsigned xlen, unsigned long *cfg)
{
	unsigned max = clamp_entries(max_entries);
	unsigned per_reg = xlen / 8;
	unsigned words = (max + per_reg - 1) / per_reg;

	KASSERT(xlen == 32 || xlen == 64);
	KASSERT(xlen <= sizeof(unsigned long) * CHAR_BIT);
	KASSERT(p->n <= max);

	/*@ loop invariant 0 <= k <= words;
	    loop assigns k, cfg[0 .. words - 1];
	    loop variant words - k; */
	for (unsigned k = 0; k < words; k++)
		cfg[k] = 0;
	/*@ loop invariant 0 <= i <= p->n;
	    loop assigns i, cfg[0 .. words - 1];
	    loop variant p->n - i; */
	for (unsigned i = 0; i < p->n && i < max; i++)
		cfg[i / per_reg] |= (unsigned long)p->e[i].cfg
				    << (8 * (i % per_reg));
}

/*@ requires \valid_read(p) && p->n <= clamp(max_entries);
    requires \valid(cfg + (0 .. cfg_words(max_entries, PMP_XLEN) - 1));
    requires \separated(p,
        cfg + (0 .. cfg_words(max_entries, PMP_XLEN) - 1));
    assigns cfg[0 .. cfg_words(max_entries, PMP_XLEN) - 1]; */
void pmp_plan_cfg_words(const struct pmp_plan *p, unsigned max_entries,
			unsigned long *cfg)
{
	pmp_plan_cfg_words_xlen(p, max_entries, PMP_XLEN, cfg);
}

/*
 * The plan's entries, then pmpaddr 0 for the rest (their cfg bytes are
 * 0 too, but the packing into one word is shifts, outside the proof).
 */
/*@ requires \valid(out) && \valid_read(r + (0 .. nr - 1)) &&
             \separated(out, r + (0 .. nr - 1));
    assigns *out;
    ensures \result == KERR_OK || \result == KERR_INVAL ||
            \result == KERR_SIZE;
    ensures \result == KERR_OK ==> fits{Pre}(r, nr, PMP_IMAGE_ENTRIES);
    ensures \result == KERR_OK ==> \forall integer k;
        need{Pre}(r, nr) <= k < PMP_IMAGE_ENTRIES ==> out->addr[k] == 0;
    ensures \result == KERR_SIZE ==>
        need{Pre}(r, nr) > PMP_IMAGE_ENTRIES;
    ensures \result != KERR_OK ==> out->cfg == \old(out->cfg) &&
        \forall integer i; 0 <= i < PMP_IMAGE_ENTRIES ==>
            out->addr[i] == \old(out->addr[i]); */
enum kerr pmp_image_build(const struct mpu_region *r, unsigned nr,
			  struct pmp_image *out)
{
	struct pmp_plan plan;
	enum kerr rc;

	rc = plan_into(r, nr, PMP_IMAGE_ENTRIES, &plan);
	if (rc != KERR_OK)
		return rc; /* *out untouched */
	/* entries 0-3 have their cfg bytes in pmpcfg0 at either XLEN */
	_Static_assert(PMP_IMAGE_ENTRIES <= 4, "one pmpcfg word");
	//@ assert cfg_words(PMP_IMAGE_ENTRIES, PMP_XLEN) == 1;
	pmp_plan_cfg_words(&plan, PMP_IMAGE_ENTRIES, &out->cfg);
	/*@ loop invariant 0 <= i <= PMP_IMAGE_ENTRIES;
	    loop invariant \forall integer k; plan.n <= k < i ==>
	        out->addr[k] == 0;
	    loop assigns i, out->addr[0 .. PMP_IMAGE_ENTRIES - 1];
	    loop variant PMP_IMAGE_ENTRIES - i; */
	for (unsigned i = 0; i < PMP_IMAGE_ENTRIES; i++)
		out->addr[i] = i < plan.n ? plan.e[i].addr : 0;
	return KERR_OK;
}
