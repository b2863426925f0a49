// SPDX-License-Identifier: MIT
/*
 * Allow system calls: read-write (class 3), read-only (class 4) and
 * userspace-readable (class 7), doc/abi.md §4.4-4.6 and §6; see allow.h.
 *
 * Each handler runs the ABI's checks in the ABI's order, so that a call
 * that is wrong in several ways reports the same error as Tock:
 *
 *   NODEVICE  no driver with that number         (before the buffer)
 *   FAIL      the caller is not alive
 *   INVAL     the buffer claim is not valid      (pbuf_from_user)
 *   NOMEM     no grant: the driver has none, or the grant region is full
 *   NOSUPPORT the slot number is not below the driver's declared count
 *
 * and only then swaps.  The slots themselves live in the grant (grant.c)
 * and are reached with grant_allow_slot(), which checks the slot number;
 * they are written only after every check, so a failed call leaves every
 * slot as it was.  allow_fast() (allow.h) is the system-call fast path's
 * subset: the cases where every check passes without a call.  The one side
 * effect a failed call can have is the allow high-water mark: validation
 * raises it for a valid RAM range even if the grant or the slot is then
 * refused.  Tock does the same (doc/abi.md §6.2); it only makes brk more
 * conservative.
 *
 * Userspace-readable allows have no kernel slot: after the same validation
 * as a read-write allow the driver's hook decides.
 */
#include "kernel/allow/allow.h"

#include "kernel/driver.h"
#include "kernel/proc/expo.h"
#include "kernel/proc/grant.h"

/*
 * The checks every allow class shares, up to and including the buffer:
 * NODEVICE, FAIL, INVAL.  On success *d is the driver, *idx its grant
 * index and *nb the new descriptor {addr, len, proc_id(p)}.  Out of line:
 * two callers (doc/design.md#footprint).
 */
static __attribute__((noinline)) enum kerr
check_call(struct proc *p, uint32_t drv, uintptr_t addr, size_t len,
	   enum pbuf_access acc, const struct driver **d, unsigned *idx,
	   struct pbuf *nb)
{
	const struct driver_slot *s = driver_lookup(drv);

	if (s == NULL)
		return KERR_NODEVICE;
	/* the entry is only valid until the next lookup */
	*d = s->d;
	*idx = s->idx;
	if (!proc_alive(p))
		return KERR_FAIL;
	return pbuf_from_user(p, addr, len, acc, nb);
}

static enum kerr allow_slot(struct proc *p, uint32_t drv, uint32_t num,
			    uintptr_t addr, size_t len, enum pbuf_access acc,
			    struct pbuf *old)
{
	const struct driver *d;
	struct grant_hdr *h;
	struct pbuf nb, *slot;
	unsigned idx;
	enum kerr rc;

	rc = check_call(p, drv, addr, len, acc, &d, &idx, &nb);
	if (rc != KERR_OK)
		return rc;
	/*
	 * The grant holding the slots, allocated on first use.  doc/abi.md
	 * §7.3: a driver that allocates nothing (no grant at all, like LED)
	 * answers NOMEM, as does a full grant region.
	 */
	h = grant_hdr_alloc(p, d, idx);
	if (h == NULL)
		return KERR_NOMEM;
	slot = grant_allow_slot(h, acc == PBUF_RO, num);
	if (slot == NULL)
		return KERR_NOSUPPORT;
	/* commit: nothing below can fail */
	*old = *slot;
	*slot = nb;
#if CONFIG_IPC
	if (acc == PBUF_RW && d->rw_exposed)
		proc_expo_revoke(p, num);
#endif
	return KERR_OK;
}

enum kerr allow_rw(struct proc *p, uint32_t drv, uint32_t num, uintptr_t addr,
		   size_t len, struct pbuf *old)
{
	return allow_slot(p, drv, num, addr, len, PBUF_RW, old);
}

enum kerr allow_ro(struct proc *p, uint32_t drv, uint32_t num, uintptr_t addr,
		   size_t len, struct pbuf *old)
{
	return allow_slot(p, drv, num, addr, len, PBUF_RO, old);
}

enum kerr allow_userspace(struct proc *p, uint32_t drv, uint32_t num,
			  uintptr_t addr, size_t len, struct pbuf *old)
{
	const struct driver *d;
	struct pbuf b;
	unsigned idx;
	enum kerr rc;

	/* RAM only, like a read-write allow (doc/abi.md §4.6) */
	rc = check_call(p, drv, addr, len, PBUF_RW, &d, &idx, &b);
	if (rc != KERR_OK)
		return rc;
	if (d->allow_userspace == NULL)
		return KERR_NOSUPPORT;
	/* the driver keeps b and writes back the buffer it gives up */
	rc = d->allow_userspace(p, num, &b);
	if (rc != KERR_OK)
		return rc;
	*old = b;
	return KERR_OK;
}
