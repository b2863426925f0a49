// SPDX-License-Identifier: MIT
/*
 * Exposures of one process's buffer to another; see expo.h.
 *
 * Every change goes through commit(): the holder's records change, its
 * mpu_epoch moves on and mpu_configure() rebuilds the backend's state, as
 * proc.c does for the holder's own records, so the next mpu_load() of the
 * holder programs exactly the exposures it holds now.
 */
#include "kernel/proc/expo.h"

#include <stdbool.h>
#include <string.h>

#include "kernel/hw.h"
#include "kernel/kassert.h"

#if CONFIG_IPC
unsigned proc_expo_live;

/* The one way a holder's exposures change. */
static void commit(struct proc *holder, unsigned slot,
		   const struct mpu_region *r, struct proc_id owner)
{
	struct proc_expos *x = proc_expos(holder);

	/*
	 * The last one revoked stays, even under a new exposure: a fault
	 * in it (it is no longer reachable) is still reported as such.
	 */
	if (r->size == 0 && x->r[slot].size != 0)
		x->gone[slot] = x->r[slot];
	proc_expo_live += (r->size != 0) - (x->r[slot].size != 0);
	x->r[slot] = *r;
	x->owner[slot] = owner;
	holder->mpu_epoch++;
	mpu_configure(holder);
}

enum kerr proc_expose(struct proc *holder, const struct proc *owner,
		      uintptr_t base, size_t size, bool *added)
{
	struct proc_expos *x = proc_expos(holder);
	struct mpu_region ex[PROC_EXPOS];
	struct mpu_region r = { base, size, MPU_R | MPU_W };
	unsigned s = owner->slot;
	struct proc_id id = proc_id(owner);
	enum kerr rc;

	KASSERT(proc_alive(holder) && proc_alive(owner) && holder != owner);
	KASSERT(proc_region_allows(owner, base, size, MPU_R | MPU_W));
	*added = false;
	if (proc_expo_holds(holder, owner, base, size))
		return KERR_OK;
	memcpy(ex, x->r, sizeof(ex));
	ex[s] = r;
	rc = mpu_expo_check(ex, PROC_EXPOS);
	if (rc != KERR_OK)
		return rc;
	commit(holder, s, &r, id);
	*added = true;
	return KERR_OK;
}

bool proc_expo_holds(const struct proc *holder, const struct proc *owner,
		     uintptr_t base, size_t size)
{
	const struct proc_expos *x = proc_expos(holder);
	unsigned s = owner->slot;

	return x->owner[s].gen == owner->gen && x->r[s].base == base &&
	       x->r[s].size == size;
}

/* Revoke what holder has of slot s, if anything. */
static void revoke(struct proc *holder, unsigned s)
{
	static const struct mpu_region none = { 0, 0, 0 };
	const struct proc_expos *x = proc_expos(holder);

	if (x->r[s].size != 0 || x->owner[s].gen != 0)
		commit(holder, s, &none, (struct proc_id){ 0 });
}

void proc_expo_revoke(const struct proc *owner, uintptr_t holder_slot)
{
	struct proc *h;

	if (holder_slot >= PROC_MAX || holder_slot == owner->slot)
		return;
	h = &proc_table[holder_slot];
	if (proc_alive(h) && proc_expos(h)->owner[owner->slot].gen == owner->gen)
		revoke(h, owner->slot);
}

void proc_expo_owner_gone(struct proc *owner)
{
	struct proc_expos *x = proc_expos(owner);

	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct proc *h = &proc_table[i];

		/* any generation of this slot: none may outlive this one */
		if (h != owner && proc_alive(h))
			revoke(h, owner->slot);
	}
	/* what it held of others goes with it, reports too */
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (x->r[i].size != 0)
			revoke(owner, i);
	memset(x->gone, 0, sizeof(x->gone));
}

const struct mpu_region *proc_expo_gone_at(const struct proc *p,
					   uintptr_t addr, unsigned *owner)
{
	const struct proc_expos *x = proc_expos(p);

	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct mpu_region *r = &x->gone[i];

		if (r->size != 0 && addr >= r->base &&
		    addr - r->base < r->size) {
			*owner = i;
			return r;
		}
	}
	return NULL;
}

void proc_expo_check(const struct proc *p)
{
	const struct proc_expos *x = proc_expos(p);

	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct mpu_region *r = &x->r[i];
		const struct proc *o;

		KASSERT((r->size == 0) == (x->owner[i].gen == 0));
		if (r->size == 0)
			continue;
		/* never outlives the owner's incarnation, nor its memory */
		o = proc_get(x->owner[i]);
		KASSERT(o != NULL && o != p && o->slot == i && proc_alive(o));
		KASSERT(proc_alive(p));
		KASSERT(r->perm == (MPU_R | MPU_W));
		KASSERT(proc_region_allows(o, r->base, r->size, MPU_R | MPU_W));
	}
}
#endif
