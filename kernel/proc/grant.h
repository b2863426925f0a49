/* SPDX-License-Identifier: MIT */
/*
 * Grants: per-driver, per-process kernel memory (doc/abi.md §7).
 *
 * A grant is allocated lazily from p's grant region on first use and holds
 * the kernel-managed slots of one driver for one process (its upcall slots,
 * read-only and read-write allow slots) followed by the driver's own record.
 * The process's grant pointer table (top of its RAM block) has one entry per
 * driver_table index; NULL means not allocated.  Terminate and restart clear
 * the table, which drops every slot at once.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/pbuf.h"
#include "kernel/driver.h"
#include "kernel/kerr.h"
#include "kernel/proc/proc.h"

/* Handle a driver receives inside grant_enter(). */
struct grant;

/*
 * The header at the start of every grant (layout in grant.c).  In the
 * header so that the allow system calls can reach the slots inline (see
 * grant_allow_slot()); only grant.c writes it.
 */
struct grant_hdr {
	uint8_t upcalls, ro_allows, rw_allows; /* copied from the driver */
	uint8_t entered;		       /* inside grant_enter() */
	uint16_t ro_off, rw_off; /* where the allow slot arrays start */
#if CONFIG_IPC
	/*
	 * The read-write slots allow_fast() may swap: rw_allows, or 0 for a
	 * driver whose swaps revoke exposures (driver.h, rw_exposed), which
	 * allow_rw() does.  A field, so that the fast path pays nothing.
	 */
	uint8_t rw_fast;
#endif
};

/*
 * p's grant of the driver at grant index idx (driver_lookup()), NULL when
 * it is not allocated.  Requires: p is alive (its grant table exists).
 */
static inline struct grant_hdr *grant_hdr(const struct proc *p, unsigned idx)
{
	return (struct grant_hdr *)p->grants[idx];
}

/* An upcall slot: fn 0 is the Null Upcall. */
struct grant_slot {
	uintptr_t fn, userdata;
};

/*
 * Where the upcall slots start in a grant: right after the header.  GCC's
 * spelling of _Alignof, the one Frama-C 25 (./tern prove) parses; a
 * division rather than a mask, which the provers read (a constant
 * either way).
 */
/*@ assigns \nothing;
    exits \false;
    ensures sizeof(struct grant_hdr) <= \result <= 64; */
static inline size_t grant_upcall_off(void)
{
	const size_t a = __alignof__(struct grant_slot);

	return (sizeof(struct grant_hdr) + a - 1) / a * a;
}

/*
 * Upcall slot sub of grant h, for a driver that reaches another process's
 * upcall at once (IPC's notification, drivers/ipc.c).  Requires: sub is
 * below the driver's declared count.
 */
static inline const struct grant_slot *
grant_upcall_slot(const struct grant_hdr *h, uint32_t sub)
{
	return (const struct grant_slot *)((uintptr_t)h +
					   grant_upcall_off()) + sub;
}

/*
 * Read-write allow slot n of grant h, for a driver that knows its count
 * (IPC: one per process slot).  Requires: n is below the driver's
 * declared count.
 */
static inline const struct pbuf *grant_rw_slot(const struct grant_hdr *h,
					       uint32_t n)
{
	return (const struct pbuf *)((uintptr_t)h + h->rw_off) + n;
}

/*
 * Allow slot n of grant h, read-only slots if ro, else read-write, or
 * NULL when n is not below the driver's declared count.
 */
static inline struct pbuf *grant_allow_slot(struct grant_hdr *h, bool ro,
					    uint32_t n)
{
	unsigned count = ro ? h->ro_allows : h->rw_allows;
	unsigned off = ro ? h->ro_off : h->rw_off;

	if (n >= count)
		return NULL;
	return (struct pbuf *)((uintptr_t)h + off) + n;
}

/*
 * Allocate the grant of d (grant index idx) for p if it is not allocated
 * yet, and return it; NULL when d has no grant or the grant region cannot
 * hold it.  Requires: p is alive.
 */
struct grant_hdr *grant_hdr_alloc(struct proc *p, const struct driver *d,
				  unsigned idx);

/*
 * Allocate d's grant for p if it is not allocated yet.
 * KERR_NODEVICE if d has no grant; KERR_NOMEM if the grant region is
 * exhausted; KERR_INACTIVE if p is not alive.  Allocated already: KERR_OK.
 */
enum kerr grant_alloc(struct proc *p, const struct driver *d)
	__attribute__((warn_unused_result));

bool grant_allocated(const struct proc *p, const struct driver *d);

/*
 * Enter d's grant for the process named by id, allocating it if needed, and
 * run fn.  KERR_NOSUCHAPP stale id; KERR_INACTIVE not alive; KERR_NOMEM
 * allocation failed; KERR_NODEVICE d has no grant; KERR_ENTERED already
 * entered (never re-entered).  Otherwise fn's result.
 *
 * If fn ends the process's incarnation (terminate, restart), the handle goes
 * dead: grant_upcall/grant_ro/grant_rw then return KERR_INACTIVE.
 */
enum kerr grant_enter(struct proc_id id, const struct driver *d,
		      enum kerr (*fn)(struct grant *g, void *ctx), void *ctx);

/*
 * grant_enter() for the id at *id (read before fn runs: fn may change
 * *id), and for p's current incarnation, grant_enter(proc_id(p), ...).
 * A struct proc_id is passed through a copy on the caller's stack; these
 * spare the drivers that copy (doc/design.md#footprint).
 */
enum kerr grant_enter_id(const struct proc_id *id, const struct driver *d,
			 enum kerr (*fn)(struct grant *g, void *ctx),
			 void *ctx);
enum kerr grant_enter_own(struct proc *p, const struct driver *d,
			  enum kerr (*fn)(struct grant *g, void *ctx),
			  void *ctx);

/* Inside grant_enter(): */
struct proc *grant_proc(struct grant *g);
void *grant_data(struct grant *g); /* the driver's record, zeroed at alloc */

/*
 * Queue upcall sub with three values, using the function stored in the slot
 * now (Null slot: a return-value record).  KERR_INVAL bad slot; KERR_NOMEM
 * queue full; KERR_INACTIVE process not alive.
 */
enum kerr grant_upcall(struct grant *g, uint32_t sub, uint32_t a0,
		       uint32_t a1, uint32_t a2);

/*
 * grant_upcall() for p without entering its grant, for a driver that
 * reaches another process's upcall at once (IPC): p alive, idx the grant
 * index of d.  A grant not allocated holds only Null upcalls, so the task
 * is then a return-value record, and nothing is allocated.  KERR_INVAL
 * sub >= d->upcalls; KERR_NOMEM queue full.
 */
enum kerr grant_upcall_to(struct proc *p, const struct driver *d,
			  unsigned idx, uint32_t sub, uint32_t a0, uint32_t a1,
			  uint32_t a2);

/* Allow slot n as a descriptor; KERR_INVAL if n >= declared count. */
enum kerr grant_ro(struct grant *g, uint32_t n, struct pbuf_ro *out);
enum kerr grant_rw(struct grant *g, uint32_t n, struct pbuf_rw *out);

/*
 * grant_peek_ro() and grant_peek_rw() (below; these _slow functions are the
 * same, out of line): outside grant_enter(), allow slot n of d's grant for p,
 * for a command handler that only moves bytes.  *out points at the descriptor
 * itself, in p's grant (or, while the grant is not allocated, at an empty
 * default descriptor), and stays valid while p's incarnation and allows do not
 * change: for the handler's own use, never to keep.  Nothing is entered;
 * pbuf_ro_copy_out(), pbuf_rw_copy_in(), ... validate the descriptor when they
 * use it.  KERR_NODEVICE d has no grant; KERR_INVAL n is not below d's declared
 * count.  Requires: p is alive (the process whose system call is being served).
 */
enum kerr grant_peek_ro_slow(const struct proc *p, const struct driver *d,
			     uint32_t n, const struct pbuf_ro **out);
enum kerr grant_peek_rw_slow(const struct proc *p, const struct driver *d,
			     uint32_t n, const struct pbuf_rw **out);

/*
 * GRANT_PEEK_INLINE (kernel/meson.build, from the cross file's property
 * grant_peek_inline) is 0 where kernel flash counts more than a data
 * Command's speed: the peeks are then the _slow functions above (which
 * are the whole lookup, in grant.c) at every call.  Otherwise the common
 * case is inline in the driver: a slot number below d's count (constants
 * where d is), d in its lookup-cache entry (a Command to d has just put
 * it there) and p's grant of d allocated: then the slot is three loads
 * and an addition away.  Anything else goes to the _slow function, which
 * gives the same answers for every case (test_grant.c pins both).
 */
#ifndef GRANT_PEEK_INLINE
#define GRANT_PEEK_INLINE 1
#endif

/*
 * The header of p's grant of d when the cache says where it is and it is
 * allocated, else NULL.  An entry is written whole by driver_lookup_slow()
 * (number, grant index, driver) from driver_table, so an entry that
 * holds d holds d's grant index.
 */
static inline __attribute__((always_inline)) const struct grant_hdr *
grant_peek_hdr(const struct proc *p, const struct driver *d)
{
	const struct driver_slot *s = &driver_slots[d->num % DRIVER_SLOTS];

	if (__builtin_expect(s->d != d, 0))
		return NULL;
	return grant_hdr(p, s->idx);
}

static inline __attribute__((always_inline)) enum kerr
grant_peek_ro(const struct proc *p, const struct driver *d, uint32_t n,
	      const struct pbuf_ro **out)
{
#if GRANT_PEEK_INLINE
	const struct grant_hdr *h;

	if (__builtin_expect(d->has_grant && n < d->ro_allows, 1)) {
		h = grant_peek_hdr(p, d);
		if (__builtin_expect(h != NULL, 1)) {
			*out = (const struct pbuf_ro *)((uintptr_t)h +
							h->ro_off) + n;
			return KERR_OK;
		}
	}
#endif
	return grant_peek_ro_slow(p, d, n, out);
}

static inline __attribute__((always_inline)) enum kerr
grant_peek_rw(const struct proc *p, const struct driver *d, uint32_t n,
	      const struct pbuf_rw **out)
{
#if GRANT_PEEK_INLINE
	const struct grant_hdr *h;

	if (__builtin_expect(d->has_grant && n < d->rw_allows, 1)) {
		h = grant_peek_hdr(p, d);
		if (__builtin_expect(h != NULL, 1)) {
			*out = (const struct pbuf_rw *)((uintptr_t)h +
							h->rw_off) + n;
			return KERR_OK;
		}
	}
#endif
	return grant_peek_rw_slow(p, d, n, out);
}

/*
 * Subscribe (syscall layer).  p is the caller.  Allocates the grant on
 * first use (KERR_NOMEM if that fails or d has no grant), then checks the
 * slot number (KERR_NOSUPPORT), then swaps and returns the previous
 * content.  (The allows reach their slots through grant_allow_slot().)
 */
enum kerr grant_subscribe(struct proc *p, const struct driver *d,
			  uint32_t sub, uintptr_t fn, uintptr_t userdata,
			  uintptr_t *old_fn, uintptr_t *old_userdata)
	__attribute__((warn_unused_result));

/*
 * Forget every grant of p (terminate / restart); proc.c calls this.  The
 * grant table lies in p's RAM block: to ./tern prove this writes nothing
 * of the kernel's (doc/proofs.md).
 */
/*@ assigns \nothing; */
void grant_drop_all(struct proc *p);

/* Bytes one grant of d takes from the grant region (for tests/benchmarks). */
size_t grant_size(const struct driver *d);
