// SPDX-License-Identifier: MIT
/*
 * IPC driver (Tock's driver 0x10000); see ipc.h.
 *
 * Stateless beyond the grants: every number a process gives is a slot of
 * the process table, checked against the table at the moment of the call
 * (a slot that restarted since is simply the process now there, as in
 * Tock).  The buffer a notification names is always the caller's own
 * read-write allow slot, read from the caller's grant; only the address
 * and length travel, in the upcall.
 */
#include "drivers/ipc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/pbuf.h"
#include "kernel/allow/slice.h"
#include "kernel/hw.h"
#include "kernel/proc/expo.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"

enum {
	CMD_EXISTS = 0,
	CMD_DISCOVER = 1,
	CMD_NOTIFY_SERVICE = 2,
	CMD_NOTIFY_CLIENT = 3,
	ALLOW_NAME = 0, /* read-only slot: the name to discover */
};

/*
 * The name to search for, copied out of the caller's buffer: the names to
 * compare it with lie in other processes' flash, which an S-mode kernel
 * can only read with that process's space loaded, never both at once.
 */
struct needle {
	size_t len;
	uint8_t b[PROC_NAME_LEN];
};

static enum kerr copy_needle(const struct pslice *s, void *v)
{
	struct needle *n = v;

	n->len = pslice_len(s);
	if (n->len == 0)
		return KERR_INVAL;
	if (n->len > sizeof(n->b))
		return KERR_NODEVICE; /* longer than any name the kernel keeps */
	return pslice_copy_out(s, n->b, n->len);
}

static enum kerr needle_in_grant(struct grant *g, void *v)
{
	struct pbuf_ro b;

	if (grant_ro(g, ALLOW_NAME, &b) != KERR_OK)
		return KERR_INVAL;
	return pbuf_ro_enter(&b, copy_needle, v);
}

/* Is q's TBF package name exactly n? */
static bool name_is(const struct proc *q, const struct needle *n)
{
	const volatile uint8_t *name = (const volatile uint8_t *)q->name;
	bool same = true;

	/*
	 * The loader's placeholder for a missing name lies outside the TBF,
	 * and a cut name is only the start of the real one: neither can be
	 * compared.
	 */
	if (name == NULL || (q->name_len & PROC_NAME_CUT) ||
	    (q->name_len & PROC_NAME_LEN) != n->len ||
	    (uintptr_t)name < q->flash_start || (uintptr_t)name >= q->flash_end)
		return false;
	mpu_user_access_begin(q);
	for (size_t i = 0; i < n->len && same; i++)
		same = name[i] == n->b[i];
	mpu_user_access_end();
	return same;
}

/*
 * Out of line: its loops keep many registers, which notify(), the hot
 * command, would otherwise save and restore on every call.
 */
static __attribute__((noinline)) cmdret_t discover(struct proc *p)
{
	struct needle n;
	enum kerr rc = grant_enter_own(p, &ipc_driver, needle_in_grant, &n);

	if (rc == KERR_NOSUCHAPP || rc == KERR_NOACCESS)
		rc = KERR_INVAL; /* nothing allowed, or no longer valid */
	if (rc != KERR_OK)
		return cmdret_err(rc);
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (proc_alive(&proc_table[i]) && name_is(&proc_table[i], &n))
			return cmdret_u32(i);
	return cmdret_err(KERR_NODEVICE);
}

struct note {
	uint32_t sub, from;
	uintptr_t addr;
	size_t len;
};

/*
 * The buffer p shares with process `to`: its read-write allow slot `to`,
 * if p has the grant and the slot holds a buffer of this incarnation.
 */
static void shared_with(struct proc *p, unsigned idx, unsigned to,
			struct note *n)
{
	struct grant_hdr *h = grant_hdr(p, idx);
	const struct pbuf *b;

	n->addr = 0;
	n->len = 0;
	if (h == NULL)
		return;
	b = grant_allow_slot(h, false, to);
	if (b == NULL || b->len == 0 || b->owner.gen != p->gen)
		return;
	n->addr = b->addr;
	n->len = b->len;
}

/*
 * Let q reach the buffer n names, p's, before q hears of it (on a board
 * whose hardware has no room, or cannot express it exactly, q hears
 * nothing).  *added: q had no such exposure before.
 */
static enum kerr expose(struct proc *q, const struct proc *p,
			const struct note *n, bool *added)
{
#if CONFIG_IPC
	if (n->len != 0)
		return proc_expose(q, p, n->addr, n->len, added);
#else
	(void)q;
	(void)p;
	(void)n;
#endif
	*added = false;
	return KERR_OK;
}

/*
 * This driver's grant index + 1 (0 before the first notification): fixed
 * once the kernel is linked, so looked up (a scan of the driver table)
 * on the first notification only.
 */
static unsigned idx1;

static unsigned ipc_index(void)
{
	if (__builtin_expect(idx1 == 0, 0))
		idx1 = driver_index(&ipc_driver) + 1;
	return idx1 - 1;
}

/*
 * The general notification: every case, the fast one too.  Out of line,
 * so that notify_now() stays a leaf.
 */
static __attribute__((noinline)) cmdret_t notify(struct proc *p, uint32_t cmd,
						 uintptr_t target)
{
	unsigned idx = ipc_index();
	struct note n;
	struct proc *q;
	bool added;
	enum kerr rc;

	if (target >= PROC_MAX || target == p->slot)
		return cmdret_err(KERR_INVAL);
	q = &proc_table[target];
	if (!proc_alive(q))
		return cmdret_err(KERR_INVAL);
	shared_with(p, idx, (unsigned)target, &n);
	n.from = p->slot;
	n.sub = cmd == CMD_NOTIFY_SERVICE ? (uint32_t)target : p->slot;
	rc = expose(q, p, &n, &added);
	if (rc != KERR_OK)
		return cmdret_err(rc);
	/* q is alive: its upcall is reached at once, nothing allocated */
	rc = grant_upcall_to(q, &ipc_driver, idx, n.sub, n.from,
			     (uint32_t)n.len, (uint32_t)n.addr);
	/* not notified: not newly exposed either */
	if (rc != KERR_OK && added)
		proc_expo_revoke(p, q->slot);
	return cmdret_status(rc);
}

#if CONFIG_IPC
/*
 * The function q subscribed on upcall sub of this driver (grant index
 * idx) and its userdata; fn 0 with no grant yet.  For
 * syscall_take_values(), which asks only when q waits in Yield-Wait.
 */
static inline __attribute__((always_inline)) void
upcall_of(const struct proc *q, uint32_t sub, uintptr_t idx, uintptr_t *fn,
	  uintptr_t *userdata)
{
	struct grant_hdr *h = grant_hdr(q, (unsigned)idx);
	const struct grant_slot *s;

	*fn = 0;
	*userdata = 0;
	if (h == NULL)
		return;
	s = grant_upcall_slot(h, sub); /* sub < PROC_MAX = upcalls */
	*fn = s->fn;
	*userdata = s->userdata;
}

/*
 * The end of a notification its target q waits for: q (blocked in a
 * yield, in slot `slot`, nothing queued) takes upcall sub with (from,
 * len, addr) at once, as upcall_push() would have it (sched_take_now()),
 * if it waits for just that (its Yield-WaitFor on this driver and that
 * upcall, or its Yield-Wait with a function subscribed there); false:
 * nothing changed.
 */
static inline __attribute__((always_inline)) bool
take_now(struct proc *q, uintptr_t slot, uint32_t sub, uint32_t from,
	 uint32_t len, uint32_t addr)
{
	if (!syscall_take_values(q, IPC_DRIVER_NUM, sub, upcall_of, idx1 - 1,
				 from, len, addr))
		return false;
	sched_ready((unsigned)slot);
	return true;
}
#endif

/*
 * A notification in its commonest case, done with what notify() would do
 * and nothing more: the target q blocked in a yield with nothing queued
 * and waiting for just this (take_now()), and the caller sharing no
 * buffer with it (nothing to expose).  q then takes the notification at
 * once, without a task built or queued.  A leaf, with no frame: through
 * notify() a notification took about 215 instructions beyond a null
 * Command's, this way about 60 (./tern bench's IPC round trip on
 * qemu-virt-rv32: 1,040 -> 783).  Returns whether it did; false: nothing
 * changed, notify_other() decides.
 */
static inline __attribute__((always_inline)) bool
notify_now(struct proc *p, uint32_t cmd, uintptr_t target)
{
#if CONFIG_IPC
	struct grant_hdr *h;
	struct proc *q;

	if (idx1 == 0 || target >= PROC_MAX)
		return false;
	q = &proc_table[target];
	/*
	 * GCC would recompute q at each use below (3 instructions each):
	 * an empty asm hides where q came from, so it is kept instead.
	 */
	__asm__("" : "+r"(q));
	/*
	 * Only a target blocked in a yield can take it now: one that is
	 * not alive fails notify()'s check, and so does the caller itself,
	 * which runs (PROC_RUNNABLE), so neither needs a test of its own
	 * here (IPC round trip on rv32 4 instructions fewer).  Before its
	 * queue is read: a free slot has none.
	 */
	if ((unsigned)q->state - PROC_YIELDED > PROC_YIELDED_FOR - PROC_YIELDED ||
	    q->queue->count != 0)
		return false;
	h = grant_hdr(p, idx1 - 1);
	if (h != NULL) {
		/* target < PROC_MAX, the driver's rw_allows */
		const struct pbuf *b = grant_rw_slot(h, (uint32_t)target);

		/* shares a buffer of this incarnation: notify_other() */
		if (b->len != 0 && b->owner.gen == p->gen)
			return false;
	}
	return take_now(q, target,
			cmd == CMD_NOTIFY_SERVICE ? (uint32_t)target : p->slot,
			p->slot, 0, 0);
#else
	(void)p;
	(void)cmd;
	(void)target;
	return false;
#endif
}

/*
 * Every notification notify_now() does not take: one whose caller shares
 * a buffer with the target is taken at once as there, once the target
 * holds that buffer exposed already (exposed by an earlier notification
 * and unchanged since, so notify() would expose nothing); the rest, and
 * that one otherwise, are notify()'s.  Out of line, so that notify_now()
 * stays a leaf.
 */
static __attribute__((noinline)) cmdret_t
notify_other(struct proc *p, uint32_t cmd, uintptr_t target)
{
#if CONFIG_IPC
	struct grant_hdr *h;
	const struct pbuf *b;
	struct proc *q;

	if (idx1 == 0 || target >= PROC_MAX || target == p->slot)
		return notify(p, cmd, target);
	q = &proc_table[target];
	if (!proc_alive_inline(q) || q->queue->count != 0)
		return notify(p, cmd, target);
	h = grant_hdr(p, idx1 - 1);
	if (h == NULL)
		return notify(p, cmd, target);
	b = grant_rw_slot(h, (uint32_t)target);
	if (b->len != 0 && b->owner.gen == p->gen &&
	    proc_expo_holds(q, p, b->addr, b->len) &&
	    take_now(q, target,
		     cmd == CMD_NOTIFY_SERVICE ? (uint32_t)target : p->slot,
		     p->slot, (uint32_t)b->len, (uint32_t)b->addr))
		return cmdret_ok();
#endif
	return notify(p, cmd, target);
}

static cmdret_t ipc_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			    uintptr_t arg1, uintptr_t *more)
{
	(void)arg1;
	(void)more;
	if (cmd == CMD_NOTIFY_SERVICE || cmd == CMD_NOTIFY_CLIENT) {
		if (notify_now(p, cmd, arg0))
			return cmdret_ok();
		return notify_other(p, cmd, arg0);
	}
	switch (cmd) {
	case CMD_EXISTS:
		return cmdret_ok();
	case CMD_DISCOVER:
		return discover(p);
	default:
		return cmdret_err(KERR_NOSUPPORT);
	}
}

const struct driver ipc_driver = {
	.num = IPC_DRIVER_NUM,
	.has_grant = true,
	.upcalls = PROC_MAX,
	.ro_allows = 1,
	.rw_allows = PROC_MAX,
#if CONFIG_IPC
	.rw_exposed = true,
#endif
	.command = ipc_command,
};
