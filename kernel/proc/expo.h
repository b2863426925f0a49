/* SPDX-License-Identifier: MIT */
/*
 * Exposures: one process's buffer made reachable by another with ordinary
 * loads and stores (the IPC driver's shared buffers, drivers/ipc.h).
 *
 * An exposure is a record of the holder B: "B may read and write
 * [base, base + size) of the owner A, while A is the incarnation
 * expo_owner names".  B holds at most one per owner slot (A shares with B
 * through its read-write allow number B, one buffer).  The protection
 * backend programs B's exposures beside B's own records (PMP entries after
 * B's own on the PMP boards, U pages in B's space on Sv39), and
 * mpu_expo_check() says whether a set of them can be programmed at all.
 *
 * An exposure never outlives what it names: it is revoked, at once and in
 * the hardware too, when A swaps or revokes its allow for B
 * (proc_expo_revoke(), from the allow system call), and when A's
 * incarnation ends (exit, fault, restart: proc_expo_owner_gone(), from
 * proc.c).  A cannot shrink its break below it: brk never goes below the
 * allow mark, which is above every buffer A ever allowed.  proc_check()
 * holds every exposure to a live owner of the same generation, inside
 * the owner's RAM record.  The revoked record stays in expo_gone[], so
 * that B's next access to it faults with a report that names it.
 *
 * Allows never look at exposures: a process can allow only its own
 * memory, so a buffer exposed to it can never be passed on (allowed to a
 * driver, or shared again).
 *
 * With CONFIG_IPC off nothing here exists: PROC_EXPOS is 0 and the calls
 * are empty inline functions.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/kerr.h"
#include "kernel/proc/proc.h"

#if CONFIG_IPC
#define PROC_EXPOS PROC_MAX

/*
 * Expose [base, base + size) of owner to holder (both alive, not the same,
 * the range inside owner's RAM record), replacing what holder had of
 * owner.  *added: whether anything changed (the same exposure again
 * changes nothing).  KERR_NOMEM the protection hardware has no room for it
 * (out of PMP entries), KERR_INVAL it cannot express it exactly (on Sv39
 * a range not made of whole pages); nothing changes then.
 */
enum kerr proc_expose(struct proc *holder, const struct proc *owner,
		      uintptr_t base, size_t size, bool *added)
	__attribute__((warn_unused_result));

/*
 * Does holder hold [base, base + size) of owner's incarnation now, the
 * exposure proc_expose() would make (so that it would change nothing)?
 */
bool proc_expo_holds(const struct proc *holder, const struct proc *owner,
		     uintptr_t base, size_t size);

/* Exposures held now, by all processes (the PMP loader's shortcut). */
extern unsigned proc_expo_live;

/* owner's buffer is no longer for process holder_slot: revoke it there. */
void proc_expo_revoke(const struct proc *owner, uintptr_t holder_slot);

/* owner's incarnation ends: revoke its buffers everywhere, drop its own. */
void proc_expo_owner_gone(struct proc *owner);

/* The revoked exposure of p holding addr, or NULL (fault report). */
const struct mpu_region *proc_expo_gone_at(const struct proc *p,
					   uintptr_t addr, unsigned *owner);

/* Debug builds: KASSERT the invariants above for p's exposures. */
void proc_expo_check(const struct proc *p);
#else
#define PROC_EXPOS 0

static inline void proc_expo_revoke(const struct proc *owner,
				    uintptr_t holder_slot)
{
	(void)owner;
	(void)holder_slot;
}

/*@ assigns \nothing; */
static inline void proc_expo_owner_gone(struct proc *owner)
{
	(void)owner;
}

static inline void proc_expo_check(const struct proc *p)
{
	(void)p;
}
#endif
