// SPDX-License-Identifier: MIT
/*
 * Process-buffer descriptors (doc/abi.md §6.1, §6.2, §6.5); see pbuf.h.
 *
 * Two checks guard process memory, and they are deliberately independent:
 *
 *   pbuf_from_user()  checks a claim against the process *layout*
 *                     (mem_start, app_break, app_flash, flash_end) when the
 *                     process allows it.
 *   enter/mut_enter   check the stored range against the owner's *current
 *                     protection records* (p->regions) every time a driver
 *                     touches it, after checking that the owner id still
 *                     names the same incarnation.
 *
 * The allow high-water mark is what keeps the first check true over time
 * (brk cannot drop below an allowed buffer), but the second check does not
 * rely on it: if brk logic were ever wrong, a buffer outside the process's
 * current RAM record is refused with KERR_NOACCESS, never entered.
 *
 * This file builds views for callbacks, bracketed by
 * mpu_user_access_begin()/end(), and for the callback-free copies runs the
 * views' own copy loop (slice_priv.h) under the same bracket or its inline
 * form (mpu_user_permit(), kernel/hw.h); it touches process memory no
 * other way.  A zero-length descriptor keeps the address the process gave
 * (it is handed back verbatim by the next swap) but never exposes it:
 * enter() passes an empty view.
 */
#include "kernel/allow/pbuf.h"

#include "kernel/allow/slice_priv.h"
#include "kernel/hw.h"
#include "kernel/kassert.h"

/*@
  // ---- what ./tern prove shows here (doc/proofs.md) ----

  // [addr, addr + len) lies inside record r (as integers: no wrap).
  predicate in_rec(struct mpu_region r, integer addr, integer len) =
      r.base <= addr && addr + len <= r.base + r.size;

  // What mut_enter's callback may be given: the owner is current (same
  // generation) and [addr, addr + len) is inside its RAM record now, or
  // the buffer is empty and the id is not the default one.
  predicate rw_ok{L}(struct pbuf *b) =
      b->owner.slot < PROC_MAX &&
      proc_table[b->owner.slot].gen == b->owner.gen &&
      (b->len == 0 ? b->owner.gen != 0 :
          in_rec(proc_table[b->owner.slot].regions[PROC_REGION_RAM],
                 b->addr, b->len));

  // owner_get()'s verdict: the id names the current incarnation of a
  // slot (the default id, generation 0, names none).
  predicate owner_ok{L}(struct proc_id id) =
      id.slot < PROC_MAX && id.gen != 0 &&
      proc_table[id.slot].gen == id.gen;

  // What enter's callback may be given: the owner is current and a
  // non-empty [addr, addr + len) is inside one of its current records
  // that grants R (RAM or flash; region_allows, proc.h).
  predicate ro_ok{L}(struct pbuf *b) =
      owner_ok(b->owner) &&
      (b->len != 0 ==> region_allows(&proc_table[b->owner.slot],
                                     b->addr, b->len, MPU_R));
*/

/*
 * The process an id names, or NULL.  Same answer as proc_get() (pinned by
 * test_pbuf.c), written out so that the enter paths stay a few loads and
 * compares: index the slot, compare the whole generation, and
 * refuse the default id (generation 0).  A free slot needs no test of its
 * own: its generation is 0 (proc.h), so only a default id could match it,
 * and that is refused.
 */
/*@ assigns \nothing;
    ensures owner_ok(id) ? \result == &proc_table[id.slot] :
                           \result == \null; */
static inline struct proc *owner_get(struct proc_id id)
{
	struct proc *p;

	if (id.slot >= PROC_MAX)
		return NULL;
	p = &proc_table[id.slot];
	if (p->gen != id.gen || id.gen == 0)
		return NULL;
	return p;
}

/*
 * Is [addr, addr + len), len >= 1, inside p's RAM record?  Compared against
 * the record itself, not the layout fields, as offsets from its base, with
 * no sum or difference that can wrap: addr at or above base, its offset
 * within size, and len within what is left.  (An earlier version saved a
 * compare by letting off + len wrap; the prover's integer model does not
 * follow wrapping, and this form needs no fact about records either.)  The
 * RAM record always grants R and W (proc.h; proc_check() asserts it after
 * every change): no permission test.
 */
/*@ requires \valid_read(p) && len >= 1;
    assigns \nothing;
    ensures \result <==> in_rec(p->regions[PROC_REGION_RAM], addr, len); */
static inline bool ram_rw_allows(const struct proc *p, uintptr_t addr,
				 size_t len)
{
	const struct mpu_region *r = &p->regions[PROC_REGION_RAM];

	return addr >= r->base && addr - r->base <= r->size &&
	       len <= r->size - (addr - r->base);
}

/*
 * mut_enter's whole validation.  KERR_OK with *pp = owner when the callback
 * may run (a zero-length buffer needs only a current owner).
 *
 * Laid out for the common case, a non-empty buffer of a live owner: the
 * slot, the generation and the RAM record, nothing else.  The default id
 * is refused on the zero-length path only: every non-empty descriptor was
 * made by pbuf_from_user() for a live process, so it has a generation;
 * and were a non-empty one ever to carry generation 0 and meet a free
 * slot, that slot's records are all zero (proc.h), so the range test
 * refuses it anyway.
 */
/*@ requires \valid_read(b) && \valid(pp);
    assigns *pp;
    ensures \result == KERR_OK || \result == KERR_NOSUCHAPP ||
            \result == KERR_NOACCESS;
    ensures \result == KERR_OK <==> rw_ok(b);
    ensures \result == KERR_OK ==> *pp == &proc_table[b->owner.slot]; */
static inline enum kerr rw_check(const struct pbuf *b, struct proc **pp)
{
	size_t slot = b->owner.slot; /* widened once, as the index needs */
	struct proc *p;

	if (__builtin_expect(slot >= PROC_MAX, 0))
		return KERR_NOSUCHAPP;
	p = &proc_table[slot];
	if (__builtin_expect(p->gen != b->owner.gen, 0))
		return KERR_NOSUCHAPP;
	if (__builtin_expect(b->len != 0, 1)) {
		if (__builtin_expect(!ram_rw_allows(p, b->addr, b->len), 0))
			return KERR_NOACCESS;
	} else if (b->owner.gen == 0) {
		return KERR_NOSUCHAPP;
	}
	*pp = p;
	return KERR_OK;
}

/* enter's validation: any current record with R (RAM or flash). */
/*@ requires \valid_read(b) && \valid(pp);
    assigns *pp;
    ensures \result == KERR_OK || \result == KERR_NOSUCHAPP ||
            \result == KERR_NOACCESS;
    ensures \result == KERR_OK <==> ro_ok(b);
    ensures \result == KERR_OK ==> *pp == &proc_table[b->owner.slot]; */
static enum kerr ro_check(const struct pbuf *b, struct proc **pp)
{
	struct proc *p = owner_get(b->owner);

	if (p == NULL)
		return KERR_NOSUCHAPP;
	if (b->len != 0 && !proc_region_allows(p, b->addr, b->len, MPU_R))
		return KERR_NOACCESS;
	*pp = p;
	return KERR_OK;
}

/*
 * The doc/abi.md §6.1 predicate for a non-empty claim.  Raises the high-water
 * mark when the range is valid RAM (§6.2).
 */
/*@ requires \valid(p) && proc_layout(p) && len >= 1;
    assigns p->allow_hwm;
    ensures proc_layout(p);
    ensures \result == KERR_OK || \result == KERR_INVAL;
    ensures \result == KERR_OK ==> addr + len <= UINTPTR_MAX &&
        ((p->mem_start <= addr && addr + len <= p->app_break) ||
         (acc == PBUF_RO && p->app_flash <= addr &&
          addr + len <= p->flash_end)); */
static enum kerr check_claim(struct proc *p, uintptr_t addr, size_t len,
			     enum pbuf_access acc)
{
	uintptr_t end;

	/*
	 * The end must be representable: if addr + len exceeded
	 * UINTPTR_MAX it would wrap to a small number and pass the
	 * "end <= app_break" test below for a range that actually runs
	 * through the top of the address space (kernel, MMIO) and back.
	 * This is doc/abi.md §6.1's "end must not wrap", without computing the
	 * wrapped sum; a range ending exactly at 2^XLEN is refused by both.
	 */
	if (addr > UINTPTR_MAX - len)
		return KERR_INVAL;
	end = addr + len;

	/* RAM: below the app break, never up to the kernel break (H1). */
	if (addr >= p->mem_start && end <= p->app_break) {
		proc_raise_allow_mark(p, end);
		return KERR_OK;
	}
	/* Flash past the protected region, read-only only (doc/abi.md §4.5) */
	if (acc == PBUF_RO && addr >= p->app_flash && end <= p->flash_end)
		return KERR_OK;
	return KERR_INVAL;
}

/*@ requires \valid(p) && proc_layout(p);
    requires \valid(out) && \separated(p, out);
    requires acc == PBUF_RO || acc == PBUF_RW;
    assigns *out, p->allow_hwm;
    ensures \result == KERR_OK || \result == KERR_INVAL;
    ensures \result == KERR_OK ==> out->addr == addr && out->len == len &&
        out->owner.gen == p->gen && out->owner.slot == p->slot;
    ensures \result == KERR_OK && len != 0 ==> addr + len <= UINTPTR_MAX &&
        ((p->mem_start <= addr && addr + len <= p->app_break) ||
         (acc == PBUF_RO && p->app_flash <= addr &&
          addr + len <= p->flash_end));
    ensures \result != KERR_OK ==> *out == \old(*out); */
enum kerr pbuf_from_user(struct proc *p, uintptr_t addr, size_t len,
			 enum pbuf_access acc, struct pbuf *out)
{
	KASSERT(acc == PBUF_RO || acc == PBUF_RW);
	if (acc != PBUF_RO && acc != PBUF_RW)
		return KERR_INVAL;

	/* len 0 revokes: any address, recorded verbatim (doc/abi.md §6.1). */
	if (len != 0) {
		enum kerr rc = check_claim(p, addr, len, acc);

		if (rc != KERR_OK)
			return rc;
	}
	out->addr = addr;
	out->len = len;
	out->owner = proc_id(p);
	return KERR_OK;
}

/*@ requires \valid_read(b);
    assigns \nothing;
    ensures owner_ok(b->owner) ? \result == b->len : \result == 0; */
static size_t live_len(const struct pbuf *b)
{
	return owner_get(b->owner) != NULL ? b->len : 0;
}

/*@ requires \valid_read(b);
    assigns \nothing;
    ensures owner_ok(b->raw.owner) ? \result == b->raw.len :
                                     \result == 0; */
size_t pbuf_ro_len(const struct pbuf_ro *b)
{
	return live_len(&b->raw);
}

/*@ requires \valid_read(b);
    assigns \nothing;
    ensures owner_ok(b->raw.owner) ? \result == b->raw.len :
                                     \result == 0; */
size_t pbuf_rw_len(const struct pbuf_rw *b)
{
	return live_len(&b->raw);
}

/*@ requires \valid_read(b) && fn != \null; */
static enum kerr enter(const struct pbuf *b, pbuf_fn fn, void *ctx)
{
	/*
	 * The view's length is b->len on both paths (0: the empty view), so
	 * it is set before the checks, its base only after them.  (For the
	 * proof: a store of a length after ro_check() would make the
	 * solvers show it leaves the owner's records alone, through
	 * region_allows's "some record": seconds, not milliseconds.)
	 */
	struct pslice s = { NULL, b->len };
	struct proc *p;
	enum kerr rc;

	KASSERT(fn != NULL);
	rc = ro_check(b, &p);
	if (rc != KERR_OK)
		return rc;
	//@ assert ro_ok(b);
	if (s.len == 0) {
		//@ assert s.base == \null && s.len == 0;
		return fn(&s, ctx); /* an empty view */
	}
	s.base = (const volatile uint8_t *)b->addr;
	/*@ assert ro_ok(b) && b->len != 0 &&
	           s.base == (const volatile uint8_t *)b->addr &&
	           s.len == b->len; */
	mpu_user_access_begin(p);
	rc = fn(&s, ctx);
	mpu_user_access_end();
	return rc;
}

/*@ requires \valid_read(b) && fn != \null; */
enum kerr pbuf_ro_enter(const struct pbuf_ro *b, pbuf_fn fn, void *ctx)
{
	return enter(&b->raw, fn, ctx);
}

/*@ requires \valid_read(b) && fn != \null; */
enum kerr pbuf_rw_mut_enter(const struct pbuf_rw *b, pbuf_mut_fn fn,
			    void *ctx)
{
	struct pslice_mut s = { NULL, 0 };
	struct proc *p;
	enum kerr rc;

	KASSERT(fn != NULL);
	rc = rw_check(&b->raw, &p);
	if (rc != KERR_OK)
		return rc;
	//@ assert rw_ok(&b->raw);
	if (b->raw.len == 0) {
		//@ assert s.base == \null && s.len == 0;
		return fn(&s, ctx); /* an empty view */
	}
	s.base = (volatile uint8_t *)b->raw.addr;
	s.len = b->raw.len;
	/*@ assert rw_ok(&b->raw) && b->raw.len != 0 &&
	           s.base == (volatile uint8_t *)b->raw.addr &&
	           s.len == b->raw.len; */
	mpu_user_access_begin(p);
	rc = fn(&s, ctx);
	mpu_user_access_end();
	return rc;
}

/*
 * Is [off, off + n) inside a buffer of len bytes?  Written so that no sum
 * can wrap: off <= len first, then n against what is left.
 */
static inline bool part_ok(size_t len, size_t off, size_t n)
{
	return off <= len && n <= len - off;
}

/*
 * The callback-free copies: the checks of enter / mut_enter, the part's
 * bounds, then the copy loop every view copy runs (slice_priv.h) over
 * [addr + off, addr + off + n), under the same user-access bracket.  The
 * descriptor is read before the copy (it may sit in the owner's grant,
 * which no validated range reaches anyway).  Two shapes of the same steps:
 */
#if SLICE_COPY_FAST
/*
 * Where copies go by words and rounds, for speed: the loop is inlined here,
 * so that a copy Command makes no call between its checks and its last
 * byte (on PMP boards the bracket is empty; on page-table boards, for the
 * process whose space is loaded, it is the permission bit alone:
 * mpu_user_is_direct(), kernel/hw.h), and a failed
 * check branches to a cold function that finds the error (the same
 * checks again, in their order), rather than each check loading its
 * error code on the way.  An empty part (n 0) is copied like any other:
 * no byte moves.
 */
static __attribute__((noinline)) enum kerr
copy_user_bracketed(const struct proc *p, volatile uint8_t *d,
		    const volatile uint8_t *s, size_t n)
{
	mpu_user_access_begin(p);
	pslice_copy_bytes(d, s, n);
	mpu_user_access_end();
	return KERR_OK;
}

/*
 * The copy of a part that passed its checks; KERR_OK.  Where the bracket
 * is not the permission bit alone (another process's space is loaded),
 * the whole copy is out of line: the inline one then makes no call and
 * needs no stack frame.
 */
static inline __attribute__((always_inline)) enum kerr
copy_user(const struct proc *p, volatile uint8_t *d, const volatile uint8_t *s,
	  size_t n)
{
	unsigned long old;

	if (__builtin_expect(!mpu_user_is_direct(p), 0))
		return copy_user_bracketed(p, d, s, n);
	old = mpu_user_permit();
	slice_copy_up(d, s, n);
	mpu_user_restore(old);
	return KERR_OK;
}

static __attribute__((noinline, cold)) enum kerr
rw_copy_error(const struct pbuf *b)
{
	struct proc *p;
	enum kerr rc = rw_check(b, &p);

	return rc != KERR_OK ? rc : KERR_SIZE;
}

static __attribute__((noinline, cold)) enum kerr
ro_copy_error(const struct pbuf *b)
{
	struct proc *p;
	enum kerr rc = ro_check(b, &p);

	return rc != KERR_OK ? rc : KERR_SIZE;
}

enum kerr pbuf_ro_copy_out(const struct pbuf_ro *b, size_t off, void *dst,
			   size_t n)
{
	struct proc *p;

	if (__builtin_expect(ro_check(&b->raw, &p) != KERR_OK ||
				     !part_ok(b->raw.len, off, n),
			     0))
		return ro_copy_error(&b->raw);
	return copy_user(p, dst, (const volatile uint8_t *)(b->raw.addr + off),
			 n);
}

enum kerr pbuf_rw_copy_out(const struct pbuf_rw *b, size_t off, void *dst,
			   size_t n)
{
	struct proc *p;

	if (__builtin_expect(rw_check(&b->raw, &p) != KERR_OK ||
				     !part_ok(b->raw.len, off, n),
			     0))
		return rw_copy_error(&b->raw);
	return copy_user(p, dst, (const volatile uint8_t *)(b->raw.addr + off),
			 n);
}

enum kerr pbuf_rw_copy_in(const struct pbuf_rw *b, size_t off,
			  const void *src, size_t n)
{
	struct proc *p;

	if (__builtin_expect(rw_check(&b->raw, &p) != KERR_OK ||
				     !part_ok(b->raw.len, off, n),
			     0))
		return rw_copy_error(&b->raw);
	return copy_user(p, (volatile uint8_t *)(b->raw.addr + off), src, n);
}
#else
/*
 * Where copies go a byte or a word at a time (the HiFive1), for flash:
 * the bracket and slice.c's loop are one function of their own, so that
 * the checks before it need no stack frame and the loop is not written
 * into the kernel twice, and the three copies share copy_part().
 */
static __attribute__((noinline)) void
copy_user(const struct proc *p, volatile uint8_t *d,
	  const volatile uint8_t *s, size_t n)
{
	mpu_user_access_begin(p);
	pslice_copy_bytes(d, s, n);
	mpu_user_access_end();
}

/*
 * The part [off, off + n) of a buffer of len bytes that passed its owner
 * checks: d and s are the two ends of the copy, one of them the user's
 * addr + off (a plain sum: nothing is read through it unless the part
 * lies inside the buffer).
 */
static inline enum kerr copy_part(const struct proc *p, size_t len,
				  size_t off, size_t n, volatile uint8_t *d,
				  const volatile uint8_t *s)
{
	if (!part_ok(len, off, n))
		return KERR_SIZE;
	if (n != 0)
		copy_user(p, d, s, n);
	return KERR_OK;
}

enum kerr pbuf_ro_copy_out(const struct pbuf_ro *b, size_t off, void *dst,
			   size_t n)
{
	struct proc *p;
	enum kerr rc = ro_check(&b->raw, &p);

	if (rc != KERR_OK)
		return rc;
	return copy_part(p, b->raw.len, off, n, dst,
			 (const volatile uint8_t *)(b->raw.addr + off));
}

enum kerr pbuf_rw_copy_out(const struct pbuf_rw *b, size_t off, void *dst,
			   size_t n)
{
	struct proc *p;
	enum kerr rc = rw_check(&b->raw, &p);

	if (rc != KERR_OK)
		return rc;
	return copy_part(p, b->raw.len, off, n, dst,
			 (const volatile uint8_t *)(b->raw.addr + off));
}

enum kerr pbuf_rw_copy_in(const struct pbuf_rw *b, size_t off,
			  const void *src, size_t n)
{
	struct proc *p;
	enum kerr rc = rw_check(&b->raw, &p);

	if (rc != KERR_OK)
		return rc;
	return copy_part(p, b->raw.len, off, n,
			 (volatile uint8_t *)(b->raw.addr + off), src);
}
#endif
