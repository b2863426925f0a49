// SPDX-License-Identifier: MIT
/*
 * Grants (doc/abi.md §7): per-driver, per-process kernel memory carved lazily
 * from the process's grant region, holding the kernel-managed upcall and allow
 * slots of that driver and the driver's own record.
 *
 * Layout of one grant (from its lowest address; kernel-owned, never user-
 * accessible because it lies at or above kernel_break):
 *
 *   +0                struct grant_hdr   slot counts, entered flag, allow
 *                                        slot offsets (grant.h)
 *   upcall_off        U x struct         {fn, userdata}; fn 0 = Null Upcall
 *                     grant_slot         (grant.h)
 *   ro_off            R x struct pbuf    read-only allow slots
 *   rw_off            W x struct pbuf    read-write allow slots
 *   data_off (8-al.)  data_size bytes    the driver's record
 *   size (8-aligned)
 *
 * The offsets are pure functions of the driver's declaration.  grant.c
 * recomputes them, except that the header keeps the two allow offsets:
 * the allow system calls reach their slot inline from the header alone
 * (grant_allow_slot()).  proc_kernel_alloc() hands out
 * zeroed memory: every upcall slot starts as (0, 0), every allow slot as a
 * default descriptor (no owner, length 0) and the record as all zeroes.
 *
 * The "entered" flag sits in the header rather than in the low bit of the
 * table pointer (Tock's trick): there is room for it, and a plain field
 * cannot be lost by a pointer copy.  Re-entry is a checked error
 * (KERR_ENTERED), never a panic (doc/abi.md D13).
 *
 * A struct grant is the handle a driver gets inside grant_enter(); it lives
 * on grant_enter()'s stack and names (process, incarnation, driver, memory).
 * Every handle operation first checks the grant still belongs to that
 * incarnation, because a driver may terminate or restart the process from
 * inside its own callback, after which the memory may be handed out again.
 */
#include "kernel/proc/grant.h"

#include <stddef.h>
#include <string.h>

#include "kernel/kassert.h"
#include "kernel/proc/upcall.h"

#define GRANT_ALIGN 8u

struct grant {
	struct proc *p;
	struct proc_id id;
	const struct driver *d;
	unsigned idx;
	struct grant_hdr *h;
};

/* GCC's spelling of _Alignof, the one Frama-C 25 (./tern prove) parses */
_Static_assert(__alignof__(struct grant_hdr) <= GRANT_ALIGN, "hdr alignment");
_Static_assert(__alignof__(struct grant_slot) <= GRANT_ALIGN,
	       "slot alignment");
_Static_assert(__alignof__(struct pbuf) <= GRANT_ALIGN, "pbuf alignment");

/*@
  // ---- what ./tern prove shows here (doc/proofs.md) ----

  // p's grant table, one entry per driver_table index, is memory of p's
  // RAM block ([kernel_break_init, mem_end): proc_check()), never a slot
  // of the process table: alloc_at() may read and write it.
  predicate table_ok(struct proc *p) =
      \valid(p->grants + (0 .. driver_count - 1)) &&
      \separated(p->grants + (0 .. driver_count - 1),
                 proc_table + (0 .. PROC_MAX - 1));

  // Every grant of p lies in its grant region [kernel_break,
  // kernel_break_init), as integers (proc_check()'s last loop).
  predicate grants_placed(struct proc *p) =
      \forall integer i; 0 <= i < driver_count ==>
          p->grants[i] == \null ||
          p->kernel_break <= (uintptr_t)p->grants[i] < p->kernel_break_init;
*/

/*
 * x rounded up to a multiple of a, a power of two.  A division and a
 * product rather than a mask, whose order facts the provers cannot see
 * (doc/proofs.md); a is a constant at every call, and GCC makes the same
 * mask of it.
 */
/*@ requires a >= 1 && x + (a - 1) <= SIZE_MAX;
    assigns \nothing;
    exits \false;
    ensures x <= \result < x + a; */
static inline size_t align_up(size_t x, size_t a)
{
	return (x + (a - 1)) / a * a;
}

/*
 * The offsets of a grant's parts (layout above), as ./tern prove bounds
 * them: every part begins past the header, and the sums (of 8-bit counts
 * and a 16-bit record size) stay far from wrapping.
 */
/*@ assigns \nothing;
    exits \false;
    ensures sizeof(struct grant_hdr) <= \result <= 64; */
static size_t upcall_off(void)
{
	return grant_upcall_off();
}

/*@ requires \valid_read(d);
    assigns \nothing;
    exits \false;
    ensures sizeof(struct grant_hdr) <= \result <= 8192; */
static size_t ro_off(const struct driver *d)
{
	return align_up(upcall_off() + d->upcalls * sizeof(struct grant_slot),
			__alignof__(struct pbuf));
}

/*@ requires \valid_read(d);
    assigns \nothing;
    exits \false;
    ensures sizeof(struct grant_hdr) <= \result <= 16384; */
static size_t rw_off(const struct driver *d)
{
	return ro_off(d) + d->ro_allows * sizeof(struct pbuf);
}

/*@ requires \valid_read(d);
    assigns \nothing;
    ensures sizeof(struct grant_hdr) <= \result <= 32768; */
static size_t data_off(const struct driver *d)
{
	return align_up(rw_off(d) + d->rw_allows * sizeof(struct pbuf),
			GRANT_ALIGN);
}

/*@ requires \valid_read(d);
    assigns \nothing;
    ensures d->has_grant ==> sizeof(struct grant_hdr) <= \result <= 131072;
 */
size_t grant_size(const struct driver *d)
{
	if (!d->has_grant)
		return 0;
	return align_up(data_off(d) + d->data_size, GRANT_ALIGN);
}

static struct grant_slot *upcall_slots(struct grant_hdr *h)
{
	return (struct grant_slot *)((uintptr_t)h + upcall_off());
}

/* p's grant for d, or NULL when not allocated. */
static struct grant_hdr *hdr_of(const struct proc *p, const struct driver *d)
{
	if (p->grants == NULL || !d->has_grant)
		return NULL;
	return grant_hdr(p, driver_index(d));
}

bool grant_allocated(const struct proc *p, const struct driver *d)
{
	return hdr_of(p, d) != NULL;
}

/* Offsets must fit the header's 16-bit fields: 255 slots of each kind do. */
_Static_assert(8 + 255 * 2 * sizeof(uintptr_t) + 255 * 2 * sizeof(struct pbuf)
		       <= UINT16_MAX,
	       "allow slot offsets fit in 16 bits");

/*
 * Entry idx of driver_table.  The contract is the body: WP cannot state
 * the validity of an array of unknown size, and driver_table is
 * generated with driver_count entries (platform/driver_table.py).
 */
/*@ requires idx < driver_count;
    assigns \nothing;
    ensures \result == driver_table[idx]; */
static inline const struct driver *driver_at(unsigned idx)
{
	return driver_table[idx];
}

/* [a, a + n) and [b, b + m) share no byte, as integers. */
static inline bool apart(uintptr_t a, size_t n, uintptr_t b, size_t m)
{
	return a + n <= b || b + m <= a;
}

/*
 * The header of the grant carved at address at, the bottom of p's grant
 * region.  Memory of p's RAM block, which the loader placed apart from
 * every object of the kernel's; ./tern prove cannot follow an integer
 * made a pointer, so the contract states that for what alloc_at() reads
 * and writes next (the process table, d), and the KASSERTs check it, as
 * integers, at every allocation, together with alloc_at()'s table_ok
 * (doc/proofs.md, "Grant allocation").  Not proved: assumed.
 */
/*@ requires \valid_read(p) && \valid_read(d);
    requires p->kernel_break <= at;
    requires at + sizeof(struct grant_hdr) <= p->kernel_break_init;
    assigns \nothing;
    ensures \result == (struct grant_hdr *)at && at != 0;
    ensures \valid(\result);
    ensures \separated(\result, proc_table + (0 .. PROC_MAX - 1), d); */
static inline struct grant_hdr *hdr_at(const struct proc *p,
				       const struct driver *d, uintptr_t at)
{
	uintptr_t table = (uintptr_t)p->grants;

	KASSERT(at != 0 && at >= p->mem_start &&
		at + sizeof(struct grant_hdr) <= p->kernel_break_init);
	KASSERT(apart(at, sizeof(struct grant_hdr), (uintptr_t)proc_table,
		      sizeof(proc_table)));
	KASSERT(apart(at, sizeof(struct grant_hdr), (uintptr_t)d, sizeof(*d)));
	KASSERT(table >= p->kernel_break_init &&
		table + driver_count * sizeof(void *) <= p->mem_end);
	KASSERT(apart(table, driver_count * sizeof(void *),
		      (uintptr_t)proc_table, sizeof(proc_table)));
	return (struct grant_hdr *)at;
}

/*
 * d's grant (index idx) for p, allocated now if need be; p is alive.  The
 * new header is the bottom of the memory carved, at the new kernel_break:
 * kernel-owned, above the break rounded up, below kernel_break_init.
 */
/*@ requires \valid(p) && in_table(p) && proc_layout(p) && table_ok(p);
    requires grants_placed(p);
    requires \valid_read(d) && d->has_grant;
    requires idx < driver_count && driver_table[idx] == d;
    assigns p->kernel_break, p->grants[idx],
            *(struct grant_hdr *)(uintptr_t)\at(p->grants[idx], Post);
    ensures proc_layout(p) && grants_placed(p);
    behavior exists:
      assumes p->grants[idx] != \null;
      ensures \result == KERR_OK;
      ensures p->grants[idx] == \old(p->grants[idx]);
      ensures p->kernel_break == \old(p->kernel_break);
    behavior new:
      assumes p->grants[idx] == \null;
      ensures \result == KERR_OK || \result == KERR_NOMEM;
      ensures \result == KERR_OK ==> p->grants[idx] != \null &&
          (uintptr_t)p->grants[idx] == p->kernel_break &&
          p->kernel_break + sizeof(struct grant_hdr) <=
              \old(p->kernel_break);
      ensures \result == KERR_NOMEM ==> p->grants[idx] == \null &&
          p->kernel_break == \old(p->kernel_break);
    complete behaviors;
    disjoint behaviors; */
static enum kerr alloc_at(struct proc *p, const struct driver *d,
			  unsigned idx)
{
	struct grant_hdr *h;
	uintptr_t at;
	void *mem;
	enum kerr rc;

	KASSERT(driver_at(idx) == d);
	/* grant_hdr(), without the cast the proof cannot follow */
	if (p->grants[idx] != NULL)
		return KERR_OK; /* never a second grant for one driver */
	rc = proc_kernel_alloc(p, grant_size(d), GRANT_ALIGN, &mem);
	if (rc != KERR_OK)
		return KERR_NOMEM;

	/* commit; the slots and the record are already zero */
	at = (uintptr_t)mem;
	h = hdr_at(p, d, at);
	h->upcalls = d->upcalls;
	h->ro_allows = d->ro_allows;
	h->rw_allows = d->rw_allows;
#if CONFIG_IPC
	h->rw_fast = d->rw_exposed ? 0 : d->rw_allows;
#endif
	h->ro_off = (uint16_t)ro_off(d);
	h->rw_off = (uint16_t)rw_off(d);
	p->grants[idx] = (void *)at; /* h, as the proof sees it */
	proc_check(p);
	return KERR_OK;
}

enum kerr grant_alloc(struct proc *p, const struct driver *d)
{
	if (!d->has_grant)
		return KERR_NODEVICE;
	if (!proc_alive(p))
		return KERR_INACTIVE;
	return alloc_at(p, d, driver_index(d));
}

struct grant_hdr *grant_hdr_alloc(struct proc *p, const struct driver *d,
				  unsigned idx)
{
	KASSERT(proc_alive(p));
	if (!d->has_grant || alloc_at(p, d, idx) != KERR_OK)
		return NULL;
	return grant_hdr(p, idx);
}

/* Does g still name the grant it was made for (same incarnation, memory)? */
static bool live(const struct grant *g)
{
	return proc_get(g->id) == g->p && g->p->grants[g->idx] == g->h;
}

/*
 * proc_get() of an id gives the process whose proc_id() is that id, so
 * entering by id is entering by process once the lookup has succeeded.
 */
__attribute__((noinline)) enum kerr
grant_enter_id(const struct proc_id *id, const struct driver *d,
	       enum kerr (*fn)(struct grant *g, void *ctx), void *ctx)
{
	struct proc *p = proc_get(*id);

	if (p == NULL)
		return KERR_NOSUCHAPP;
	return grant_enter_own(p, d, fn, ctx);
}

enum kerr grant_enter(struct proc_id id, const struct driver *d,
		      enum kerr (*fn)(struct grant *g, void *ctx), void *ctx)
{
	return grant_enter_id(&id, d, fn, ctx);
}

/*
 * Out of line: each driver's call of it is then a tail call.  p is a slot
 * of proc_table, so no lookup: a free slot is what a stale id would be
 * (KERR_NOSUCHAPP), any other process not alive is KERR_INACTIVE.  The
 * grant is allocated (alloc_at(), which does nothing for one that
 * exists) and reached by the one driver_index() of the entry.
 */
__attribute__((noinline)) enum kerr
grant_enter_own(struct proc *p, const struct driver *d,
		enum kerr (*fn)(struct grant *g, void *ctx), void *ctx)
{
	struct grant g;
	enum kerr rc;

	if (!proc_alive(p))
		return p->state == PROC_FREE ? KERR_NOSUCHAPP : KERR_INACTIVE;
	if (!d->has_grant)
		return KERR_NODEVICE;
	g.idx = driver_index(d);
	if (alloc_at(p, d, g.idx) != KERR_OK)
		return KERR_NOMEM;
	g.h = grant_hdr(p, g.idx);
	if (g.h->entered)
		return KERR_ENTERED;
	g.p = p;
	g.id = proc_id(p);
	g.d = d;
	g.h->entered = 1;
	rc = fn(&g, ctx);
	/* if fn ended this incarnation the memory is no longer this grant */
	if (live(&g))
		g.h->entered = 0;
	return rc;
}

struct proc *grant_proc(struct grant *g)
{
	return g->p;
}

void *grant_data(struct grant *g)
{
	return (void *)((uintptr_t)g->h + data_off(g->d));
}

enum kerr grant_upcall(struct grant *g, uint32_t sub, uint32_t a0,
		       uint32_t a1, uint32_t a2)
{
	const struct grant_slot *s;
	struct task t;

	if (!live(g))
		return KERR_INACTIVE;
	if (sub >= g->h->upcalls)
		return KERR_INVAL;
	s = &upcall_slots(g->h)[sub];
	t = (struct task){
		.kind = s->fn != 0 ? TASK_UPCALL : TASK_NULL,
		.drv = g->d->num,
		.sub = sub,
		.fn = s->fn,
		.userdata = s->userdata,
		.arg = { a0, a1, a2 },
	};
	return upcall_push(g->p, &t);
}

enum kerr grant_upcall_to(struct proc *p, const struct driver *d,
			  unsigned idx, uint32_t sub, uint32_t a0, uint32_t a1,
			  uint32_t a2)
{
	struct grant_hdr *h = grant_hdr(p, idx);
	const struct grant_slot *s;
	struct task t = {
		.kind = TASK_NULL,
		.drv = d->num,
		.sub = sub,
		.arg = { a0, a1, a2 },
	};

	KASSERT(proc_alive(p) && driver_table[idx] == d);
	if (sub >= d->upcalls)
		return KERR_INVAL;
	if (h != NULL) {
		s = &upcall_slots(h)[sub];
		t.kind = s->fn != 0 ? TASK_UPCALL : TASK_NULL;
		t.fn = s->fn;
		t.userdata = s->userdata;
	}
	return upcall_push(p, &t);
}

enum kerr grant_ro(struct grant *g, uint32_t n, struct pbuf_ro *out)
{
	const struct pbuf *slot;

	if (!live(g))
		return KERR_INACTIVE;
	slot = grant_allow_slot(g->h, true, n);
	if (slot == NULL)
		return KERR_INVAL;
	out->raw = *slot;
	return KERR_OK;
}

enum kerr grant_rw(struct grant *g, uint32_t n, struct pbuf_rw *out)
{
	const struct pbuf *slot;

	if (!live(g))
		return KERR_INACTIVE;
	slot = grant_allow_slot(g->h, false, n);
	if (slot == NULL)
		return KERR_INVAL;
	out->raw = *slot;
	return KERR_OK;
}

/* What an allow slot of a grant not yet allocated holds. */
static const struct pbuf empty_slot;

/*
 * Slot n of p's grant of d (ro: read-only slots), or the empty slot while
 * the grant is not allocated; n is below d's count.
 */
static const struct pbuf *slot_at(const struct proc *p, unsigned idx,
				  bool ro, uint32_t n)
{
	struct grant_hdr *h = grant_hdr(p, idx);

	if (h == NULL)
		return &empty_slot;
	return (const struct pbuf *)((uintptr_t)h + (ro ? h->ro_off :
							  h->rw_off)) + n;
}

/*
 * A grant's header repeats the driver's slot counts (alloc_at()), so n is
 * checked against the driver: the same answer whether or not the grant
 * exists yet.
 */
static inline enum kerr slot_check(const struct driver *d, bool ro,
				   uint32_t n)
{
	if (!d->has_grant)
		return KERR_NODEVICE;
	if (n >= (ro ? d->ro_allows : d->rw_allows))
		return KERR_INVAL;
	return KERR_OK;
}

/*
 * d's lookup-cache entry when it is d's (a Command to d has just put it
 * there), else NULL: then driver_index().
 */
static inline const struct driver_slot *cached(const struct driver *d)
{
	const struct driver_slot *s = &driver_slots[d->num % DRIVER_SLOTS];

	return s->num == d->num && s->d == d ? s : NULL;
}

/*
 * A struct pbuf_ro or pbuf_rw is a struct pbuf and nothing else (its first
 * and only member), so a slot is either, by the kind of allow that filled
 * it, and a pointer to it converts to either.  Past the cache the peeks
 * end in a tail call: no stack frame on their way.
 */
static __attribute__((noinline)) enum kerr
peek_ro_slow(const struct proc *p, const struct driver *d, uint32_t n,
	     const struct pbuf_ro **out)
{
	*out = (const struct pbuf_ro *)slot_at(p, driver_index(d), true, n);
	return KERR_OK;
}

static __attribute__((noinline)) enum kerr
peek_rw_slow(const struct proc *p, const struct driver *d, uint32_t n,
	     const struct pbuf_rw **out)
{
	*out = (const struct pbuf_rw *)slot_at(p, driver_index(d), false, n);
	return KERR_OK;
}

enum kerr grant_peek_ro_slow(const struct proc *p, const struct driver *d,
			     uint32_t n, const struct pbuf_ro **out)
{
	const struct driver_slot *s = cached(d);
	enum kerr rc = slot_check(d, true, n);

	if (rc != KERR_OK)
		return rc;
	if (s == NULL)
		return peek_ro_slow(p, d, n, out);
	*out = (const struct pbuf_ro *)slot_at(p, s->idx, true, n);
	return KERR_OK;
}

enum kerr grant_peek_rw_slow(const struct proc *p, const struct driver *d,
			     uint32_t n, const struct pbuf_rw **out)
{
	const struct driver_slot *s = cached(d);
	enum kerr rc = slot_check(d, false, n);

	if (rc != KERR_OK)
		return rc;
	if (s == NULL)
		return peek_rw_slow(p, d, n, out);
	*out = (const struct pbuf_rw *)slot_at(p, s->idx, false, n);
	return KERR_OK;
}

/*
 * Subscribe's first step: the grant (allocated now if need be), or NULL
 * when there is none to be had.
 */
static struct grant_hdr *hdr_for_syscall(struct proc *p,
					 const struct driver *d)
{
	if (grant_alloc(p, d) != KERR_OK)
		return NULL;
	return hdr_of(p, d);
}

enum kerr grant_subscribe(struct proc *p, const struct driver *d,
			  uint32_t sub, uintptr_t fn, uintptr_t userdata,
			  uintptr_t *old_fn, uintptr_t *old_userdata)
{
	struct grant_hdr *h = hdr_for_syscall(p, d);
	struct grant_slot *s;

	if (h == NULL)
		return KERR_NOMEM;
	if (sub >= h->upcalls)
		return KERR_NOSUPPORT;

	/* commit */
	s = &upcall_slots(h)[sub];
	*old_fn = s->fn;
	*old_userdata = s->userdata;
	s->fn = fn;
	s->userdata = userdata;
	/* the old function never runs again; the new one sees no old events */
	upcall_cancel(p, d->num, sub);
	return KERR_OK;
}

void grant_drop_all(struct proc *p)
{
	if (p->grants != NULL)
		memset(p->grants, 0, driver_count * sizeof(void *));
}
