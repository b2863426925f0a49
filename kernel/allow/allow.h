/* SPDX-License-Identifier: MIT */
/*
 * Allow system calls: read-write (class 3), read-only (class 4) and
 * userspace-readable (class 7), with Tock 2.x semantics (doc/abi.md §4.4-4.6,
 * §6).
 *
 * Each handler checks in the ABI's order (driver, then buffer, then grant,
 * then slot) and changes nothing unless every check passed.  On success
 * *old holds the previous buffer exactly as the process gave it; on failure
 * the syscall layer echoes the caller's (addr, len).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/pbuf.h"
#include "kernel/driver.h"
#include "kernel/kerr.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"

/*
 * KERR_NODEVICE no driver drv; KERR_FAIL p not alive; KERR_INVAL bad buffer;
 * KERR_NOMEM no grant could be allocated; KERR_NOSUPPORT num out of range.
 */
enum kerr allow_rw(struct proc *p, uint32_t drv, uint32_t num, uintptr_t addr,
		   size_t len, struct pbuf *old)
	__attribute__((warn_unused_result));

/* As allow_rw, but the buffer may also lie in flash after the header. */
enum kerr allow_ro(struct proc *p, uint32_t drv, uint32_t num, uintptr_t addr,
		   size_t len, struct pbuf *old)
	__attribute__((warn_unused_result));

/*
 * Validated like allow_rw, then handed to the driver's allow_userspace hook
 * (KERR_NOSUPPORT if it has none).
 */
enum kerr allow_userspace(struct proc *p, uint32_t drv, uint32_t num,
			  uintptr_t addr, size_t len, struct pbuf *old)
	__attribute__((warn_unused_result));

/*
 * The usual read-write (ro false) or read-only allow, for the system-call
 * fast path: p running, drv's driver in the lookup cache, its grant
 * allocated, num a declared slot, and the buffer empty or in p's RAM below
 * the allow mark (which is at or below the break), as when a process
 * allows its buffers again or revokes one.  Then every check of allow_rw()
 * and allow_ro() passes and the mark stays: this does their swap and
 * returns true with *old set.  Anything else, an error included, returns
 * false having changed nothing, and allow_rw()/allow_ro() decide.  Inline
 * and calling nothing, so that the system call stays a leaf.
 */
static inline __attribute__((always_inline)) bool
allow_fast(struct proc *p, uint32_t drv, uint32_t num, uintptr_t addr,
	   size_t len, bool ro, struct pbuf *old)
{
	const struct driver_slot *ds = &driver_slots[drv % DRIVER_SLOTS];
	struct grant_hdr *h;
	struct pbuf *slot;
	unsigned count;

	if (ds->num != drv || p->state != PROC_RUNNABLE)
		return false;

	/* addr + len must not wrap; see pbuf.c for why */
	if (len != 0 && (addr > UINTPTR_MAX - len || addr < p->mem_start ||
			 addr + len > p->allow_hwm))
		return false;
	h = grant_hdr(p, ds->idx);
	if (h == NULL)
		return false;
#if CONFIG_IPC
	/* 0 where a swap revokes an exposure: allow_rw() does that */
	count = ro ? h->ro_allows : h->rw_fast;
#else
	count = ro ? h->ro_allows : h->rw_allows;
#endif
	if (num >= count)
		return false;
	slot = (struct pbuf *)((uintptr_t)h + (ro ? h->ro_off : h->rw_off)) +
	       num;
	/* commit: what allow_rw()/allow_ro() would store */
	*old = *slot;
	*slot = (struct pbuf){ addr, len, proc_id(p) };
	return true;
}
