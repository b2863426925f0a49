// SPDX-License-Identifier: MIT
/*
 * Unit tests for kernel/proc/grant.c: lazy allocation from the grant region
 * (doc/abi.md §7.3), entering a grant by process id (§7.2), the upcall slots
 * behind subscribe (§4.2), the allow slots behind RO/RW allow (§6.3), and the
 * loss of all of it on restart (§7.4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/alarm.h"
#include "drivers/console.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"

#define ALL_KINDS ((1u << TASK_UPCALL) | (1u << TASK_NULL) | (1u << TASK_ENTRY))

/* A fresh process with the entry call consumed, so the queue is empty. */
static struct proc *fresh(void)
{
	struct task t;
	struct proc *p;

	fakes_reset();
	p = fakes_proc(0, 0);
	assert_true(upcall_pop(p, &t));
	return p;
}

static struct pbuf buf(const struct proc *p, uintptr_t off, size_t len)
{
	struct pbuf b = { p->mem_start + off, len, proc_id(p) };
	return b;
}

/*
 * An allow's swap at the grant level, as allow_slot() does it once the
 * buffer is checked: the grant (allocated on first use), the slot number
 * against the declaration, then the swap.
 */
static enum kerr swap(struct proc *p, const struct driver *d, bool ro,
		      uint32_t n, struct pbuf nb, struct pbuf *old)
{
	struct grant_hdr *h = grant_hdr_alloc(p, d, driver_index(d));
	struct pbuf *slot;

	if (h == NULL)
		return KERR_NOMEM;
	slot = grant_allow_slot(h, ro, n);
	if (slot == NULL)
		return KERR_NOSUPPORT;
	*old = *slot;
	*slot = nb;
	return KERR_OK;
}

static enum kerr swap_rw(struct proc *p, const struct driver *d, uint32_t n,
			 struct pbuf nb, struct pbuf *old)
{
	return swap(p, d, false, n, nb, old);
}

static enum kerr swap_ro(struct proc *p, const struct driver *d, uint32_t n,
			 struct pbuf nb, struct pbuf *old)
{
	return swap(p, d, true, n, nb, old);
}

static void assert_pbuf_equal(struct pbuf a, struct pbuf b)
{
	assert_int_equal(a.addr, b.addr);
	assert_int_equal(a.len, b.len);
	assert_true(a.owner.gen == b.owner.gen);
	assert_int_equal(a.owner.slot, b.owner.slot);
}

/* What a grant_enter() callback did, for the test to check afterwards. */
struct visit {
	unsigned runs;
	struct proc *proc;
	uint8_t *data;
	enum kerr inner; /* result of a nested call, if any */
	enum kerr ret;	 /* what the callback returns */
};

static enum kerr record(struct grant *g, void *ctx)
{
	struct visit *v = ctx;

	v->runs++;
	v->proc = grant_proc(g);
	v->data = grant_data(g);
	return v->ret;
}

/* ---- allocation ---- */

static void grants_are_allocated_lazily_from_the_top_down(void **st)
{
	struct proc *p = fresh();
	uintptr_t kb = p->kernel_break;

	(void)st;
	for (unsigned i = 0; i < driver_count; i++)
		assert_false(grant_allocated(p, driver_table[i]));
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_OK);
	assert_true(grant_allocated(p, &fake_drv_a));
	assert_false(grant_allocated(p, &fake_drv_b));
	assert_int_equal(p->kernel_break, kb - grant_size(&fake_drv_a));
	assert_ptr_equal(p->grants[0], (void *)p->kernel_break);

	assert_int_equal(grant_alloc(p, &fake_drv_b), KERR_OK);
	assert_int_equal(p->kernel_break, kb - grant_size(&fake_drv_a) -
						  grant_size(&fake_drv_b));
	assert_ptr_equal(p->grants[1], (void *)p->kernel_break);
}

static void a_second_alloc_for_the_same_driver_allocates_nothing(void **st)
{
	struct proc *p = fresh();
	uintptr_t kb;
	void *g;

	(void)st;
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_OK);
	kb = p->kernel_break;
	g = p->grants[0];
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_OK);
	assert_int_equal(p->kernel_break, kb);
	assert_ptr_equal(p->grants[0], g);
}

static void grant_size_covers_slots_and_record_and_is_8_aligned(void **st)
{
	size_t a = grant_size(&fake_drv_a), big = grant_size(&fake_drv_big);

	(void)st;
	/* 2 upcall slots, 4 allow descriptors, a 16-byte record */
	assert_true(a >= 2 * 2 * sizeof(uintptr_t) + 4 * sizeof(struct pbuf) +
				 16);
	assert_int_equal(a % 8, 0);
	assert_true(big >= 2048 + 2 * sizeof(uintptr_t));
	assert_int_equal(big % 8, 0);
	assert_int_equal(grant_size(&fake_drv_nogrant), 0);
}

static void grant_alloc_refuses_grantless_drivers_and_dead_procs(
	void **st)
{
	struct proc *p = fresh();
	uintptr_t kb = p->kernel_break;

	(void)st;
	assert_int_equal(grant_alloc(p, &fake_drv_nogrant), KERR_NODEVICE);
	assert_false(grant_allocated(p, &fake_drv_nogrant));
	proc_terminate(p, 0);
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_INACTIVE);
	assert_false(grant_allocated(p, &fake_drv_a));
	assert_int_equal(p->kernel_break, kb);
}

static void exhausted_grant_region_gives_nomem_keeps_old_grants(
	void **st)
{
	struct proc *p = fresh();
	uintptr_t kb;
	uint8_t *a;
	struct visit v = { 0 };

	(void)st;
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_OK);
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, record, &v),
			 KERR_OK);
	a = v.data;
	a[0] = 0x5A;
	/* leave less than the big grant needs between break and grants */
	assert_int_equal(proc_brk(p, p->kernel_break -
					     grant_size(&fake_drv_big) + 8),
			 KERR_OK);
	kb = p->kernel_break;
	assert_int_equal(grant_alloc(p, &fake_drv_big), KERR_NOMEM);
	assert_false(grant_allocated(p, &fake_drv_big));
	assert_int_equal(p->kernel_break, kb);
	/* a smaller grant still fits, and the old one is intact */
	assert_int_equal(grant_alloc(p, &fake_drv_usr), KERR_OK);
	assert_int_equal(a[0], 0x5A);
	assert_true(grant_allocated(p, &fake_drv_a));
}

static void heap_and_grants_compete_for_the_same_gap(void **st)
{
	struct proc *p = fresh();

	(void)st;
	assert_int_equal(grant_alloc(p, &fake_drv_big), KERR_OK);
	/* the break cannot now reach the big grant's memory */
	assert_int_equal(proc_brk(p, p->kernel_break + 8), KERR_NOMEM);
	assert_int_equal(proc_brk(p, p->kernel_break), KERR_OK);
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_NOMEM);
}

/* ---- enter ---- */

static void enter_gives_a_zeroed_record_that_persists(void **st)
{
	struct proc *p = fresh();
	struct visit v = { .ret = KERR_BUSY };

	(void)st;
	/* entering allocates */
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_b, record, &v),
			 KERR_BUSY);
	assert_int_equal(v.runs, 1);
	assert_ptr_equal(v.proc, p);
	assert_true(grant_allocated(p, &fake_drv_b));
	assert_int_equal((uintptr_t)v.data % 8, 0);
	assert_true((uintptr_t)v.data >= p->kernel_break);
	assert_true((uintptr_t)v.data + fake_drv_b.data_size <=
		    p->kernel_break_init);
	for (unsigned i = 0; i < fake_drv_b.data_size; i++)
		assert_int_equal(v.data[i], 0);
	v.data[fake_drv_b.data_size - 1] = 0x77;

	v.ret = KERR_OK;
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_b, record, &v),
			 KERR_OK);
	assert_int_equal(v.runs, 2);
	assert_int_equal(v.data[fake_drv_b.data_size - 1], 0x77);
}

static void enter_refuses_stale_empty_and_dead_ids_without_running(
	void **st)
{
	struct proc *p = fresh();
	struct proc_id old = proc_id(p), empty = { 0 };
	struct visit v = { 0 };

	(void)st;
	assert_int_equal(grant_enter(empty, &fake_drv_a, record, &v),
			 KERR_NOSUCHAPP);
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(grant_enter(old, &fake_drv_a, record, &v),
			 KERR_NOSUCHAPP);
	proc_terminate(p, 0);
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, record, &v),
			 KERR_INACTIVE);
	assert_int_equal(v.runs, 0);
	assert_false(grant_allocated(p, &fake_drv_a));
}

/* grant_enter_own() and grant_enter_id() are grant_enter() by other names. */
static void enter_own_and_enter_id_act_as_enter_does(void **st)
{
	struct proc *p = fresh();
	struct proc_id old = proc_id(p);
	struct visit v = { .ret = KERR_BUSY };

	(void)st;
	assert_int_equal(grant_enter_own(p, &fake_drv_a, record, &v),
			 KERR_BUSY);
	assert_int_equal(grant_enter_id(&old, &fake_drv_a, record, &v),
			 KERR_BUSY);
	assert_int_equal(v.runs, 2);
	assert_ptr_equal(v.proc, p);
	assert_true(grant_allocated(p, &fake_drv_a));
	/* the old id goes stale; p's own entry follows the new incarnation */
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(grant_enter_id(&old, &fake_drv_a, record, &v),
			 KERR_NOSUCHAPP);
	assert_int_equal(grant_enter_own(p, &fake_drv_a, record, &v),
			 KERR_BUSY);
	assert_int_equal(v.runs, 3);
	proc_terminate(p, 0);
	assert_int_equal(grant_enter_own(p, &fake_drv_a, record, &v),
			 KERR_INACTIVE);
	assert_int_equal(grant_enter_own(p, &fake_drv_nogrant, record, &v),
			 KERR_INACTIVE);
	assert_int_equal(v.runs, 3);
}

static void enter_reports_nomem_when_the_grant_cannot_be_allocated(
	void **st)
{
	struct proc *p = fresh();
	struct visit v = { 0 };

	(void)st;
	assert_int_equal(proc_brk(p, p->kernel_break - 64), KERR_OK);
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_big, record, &v),
			 KERR_NOMEM);
	assert_int_equal(v.runs, 0);
}

struct nest {
	struct proc_id id;
	const struct driver *again;
	enum kerr inner;
	struct visit v;
};

static enum kerr enter_again(struct grant *g, void *ctx)
{
	struct nest *n = ctx;

	(void)g;
	n->inner = grant_enter(n->id, n->again, record, &n->v);
	return KERR_OK;
}

static void entering_an_entered_grant_is_refused_not_aliased(void **st)
{
	struct proc *p = fresh();
	struct nest same = { .id = proc_id(p), .again = &fake_drv_a };
	struct nest other = { .id = proc_id(p), .again = &fake_drv_b };
	struct visit v = { 0 };

	(void)st;
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, enter_again,
				     &same),
			 KERR_OK);
	assert_int_equal(same.inner, KERR_ENTERED);
	assert_int_equal(same.v.runs, 0);
	/* another driver's grant of the same process is a different object */
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, enter_again,
				     &other),
			 KERR_OK);
	assert_int_equal(other.inner, KERR_OK);
	assert_int_equal(other.v.runs, 1);
	/* leaving clears the flag */
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, record, &v),
			 KERR_OK);
	assert_int_equal(v.runs, 1);
}

/* ---- upcalls from inside a grant ---- */

struct fire {
	uint32_t sub;
	enum kerr rc;
};

static enum kerr fire(struct grant *g, void *ctx)
{
	struct fire *f = ctx;

	f->rc = grant_upcall(g, f->sub, 10, 20, 30);
	return KERR_OK;
}

static enum kerr fire_now(struct proc *p, const struct driver *d,
			  uint32_t sub)
{
	struct fire f = { sub, KERR_FAIL };

	assert_int_equal(grant_enter(proc_id(p), d, fire, &f), KERR_OK);
	return f.rc;
}

static void upcalls_use_the_function_stored_at_schedule_time(void **st)
{
	struct proc *p = fresh();
	uintptr_t of, ou;
	struct task t;

	(void)st;
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 1, 0x1000, 0xAB, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(fire_now(p, &fake_drv_a, 1), KERR_OK);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.kind, TASK_UPCALL);
	assert_int_equal(t.drv, FAKE_DRV_A);
	assert_int_equal(t.sub, 1);
	assert_int_equal(t.fn, 0x1000);
	assert_int_equal(t.userdata, 0xAB);
	assert_int_equal(t.arg[0], 10);
	assert_int_equal(t.arg[1], 20);
	assert_int_equal(t.arg[2], 30);

	assert_int_equal(grant_subscribe(p, &fake_drv_a, 1, 0x2000, 0xCD, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(fire_now(p, &fake_drv_a, 1), KERR_OK);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.fn, 0x2000);
	assert_int_equal(t.userdata, 0xCD);
}

static void a_null_slot_queues_a_return_value_record(void **st)
{
	struct proc *p = fresh();
	struct task t;

	(void)st;
	assert_int_equal(fire_now(p, &fake_drv_a, 0), KERR_OK);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.kind, TASK_NULL);
	assert_int_equal(t.drv, FAKE_DRV_A);
	assert_int_equal(t.fn, 0);
	assert_int_equal(t.arg[1], 20);
}

static void grant_upcall_rejects_bad_slots_and_reports_full_queue(
	void **st)
{
	struct proc *p = fresh();

	(void)st;
	assert_int_equal(fire_now(p, &fake_drv_a, 2), KERR_INVAL);
	assert_int_equal(fire_now(p, &fake_drv_b, 1), KERR_INVAL);
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);
	for (int i = 0; i < UPCALL_QUEUE_LEN; i++)
		assert_int_equal(fire_now(p, &fake_drv_b, 0), KERR_OK);
	assert_int_equal(fire_now(p, &fake_drv_b, 0), KERR_NOMEM);
	assert_int_equal(p->queue->dropped, 1);
}

static enum kerr restart_then_fire(struct grant *g, void *ctx)
{
	struct fire *f = ctx;
	struct pbuf_rw rw;

	assert_int_equal(proc_restart(grant_proc(g)), KERR_OK);
	f->rc = grant_upcall(g, 0, 1, 2, 3);
	assert_int_equal(grant_rw(g, 0, &rw), KERR_INACTIVE);
	return KERR_CANCEL;
}

static void a_grant_dies_with_an_incarnation_ended_inside_it(void **st)
{
	struct proc *p = fresh();
	struct fire f = { 0, KERR_OK };
	struct visit v = { 0 };

	(void)st;
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a,
				     restart_then_fire, &f),
			 KERR_CANCEL);
	assert_int_equal(f.rc, KERR_INACTIVE);
	/* only the new incarnation's entry call is queued */
	assert_int_equal(upcall_count(p, ALL_KINDS), 1);
	assert_int_equal(upcall_count(p, 1u << TASK_ENTRY), 1);
	/* the new incarnation gets a fresh, enterable grant */
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, record, &v),
			 KERR_OK);
	assert_int_equal(v.runs, 1);
}

/* ---- subscribe ---- */

static void subscribe_swaps_and_returns_the_previous_pair(void **st)
{
	struct proc *p = fresh();
	uintptr_t of = 1, ou = 1;

	(void)st;
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0x100, 7, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(of, 0);
	assert_int_equal(ou, 0);
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0x200, 8, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(of, 0x100);
	assert_int_equal(ou, 7);
	/* slots are per subscribe number */
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 1, 0, 0, &of, &ou),
			 KERR_OK);
	assert_int_equal(of, 0);
	/* unsubscribe with the Null Upcall still hands back the old pair */
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0, 0, &of, &ou),
			 KERR_OK);
	assert_int_equal(of, 0x200);
	assert_int_equal(ou, 8);
}

static void subscribe_failures_change_nothing(void **st)
{
	struct proc *p = fresh();
	uintptr_t of = 0x55, ou = 0x66;

	(void)st;
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0x100, 7, &of,
					 &ou),
			 KERR_OK);
	of = 0x55;
	ou = 0x66;
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 2, 0x300, 9, &of,
					 &ou),
			 KERR_NOSUPPORT);
	assert_int_equal(grant_subscribe(p, &fake_drv_nogrant, 0, 0x300, 9,
					 &of, &ou),
			 KERR_NOMEM);
	assert_int_equal(proc_brk(p, p->kernel_break - 64), KERR_OK);
	assert_int_equal(grant_subscribe(p, &fake_drv_big, 0, 0x300, 9, &of,
					 &ou),
			 KERR_NOMEM);
	assert_int_equal(of, 0x55);
	assert_int_equal(ou, 0x66);
	/* slot 0 still holds the first pair */
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0, 0, &of, &ou),
			 KERR_OK);
	assert_int_equal(of, 0x100);
}

static void subscribe_cancels_queued_calls_but_not_null_records(void **st)
{
	struct proc *p = fresh();
	uintptr_t of, ou;
	struct task t;

	(void)st;
	assert_int_equal(fire_now(p, &fake_drv_a, 0), KERR_OK); /* record */
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0x100, 1, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 1, 0x180, 1, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(fire_now(p, &fake_drv_a, 0), KERR_OK); /* call */
	assert_int_equal(fire_now(p, &fake_drv_a, 1), KERR_OK); /* other */
	assert_int_equal(fire_now(p, &fake_drv_a, 0), KERR_OK); /* call */

	/* a failed subscribe cancels nothing */
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 5, 0x200, 2, &of,
					 &ou),
			 KERR_NOSUPPORT);
	assert_int_equal(upcall_count(p, ALL_KINDS), 4);

	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0x200, 2, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(upcall_count(p, ALL_KINDS), 2);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.kind, TASK_NULL);
	assert_int_equal(t.sub, 0);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.kind, TASK_UPCALL);
	assert_int_equal(t.sub, 1);
	assert_int_equal(t.fn, 0x180);
}

/* ---- allow slots ---- */

struct peek {
	uint32_t n;
	enum kerr ro_rc, rw_rc;
	struct pbuf_ro ro;
	struct pbuf_rw rw;
};

static enum kerr peek(struct grant *g, void *ctx)
{
	struct peek *k = ctx;

	k->ro_rc = grant_ro(g, k->n, &k->ro);
	k->rw_rc = grant_rw(g, k->n, &k->rw);
	return KERR_OK;
}

static void allow_slots_swap_and_the_driver_sees_what_is_stored(void **st)
{
	struct proc *p = fresh();
	struct pbuf old, empty = { 0 };
	struct peek k = { .n = 1 };

	(void)st;
	assert_int_equal(swap_rw(p, &fake_drv_a, 1, buf(p, 16, 32), &old),
			 KERR_OK);
	assert_pbuf_equal(old, empty);
	assert_int_equal(swap_ro(p, &fake_drv_a, 1, buf(p, 64, 8), &old),
			 KERR_OK);
	assert_pbuf_equal(old, empty);

	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, peek, &k),
			 KERR_OK);
	assert_int_equal(k.rw_rc, KERR_OK);
	assert_pbuf_equal(k.rw.raw, buf(p, 16, 32));
	assert_int_equal(k.ro_rc, KERR_OK);
	assert_pbuf_equal(k.ro.raw, buf(p, 64, 8));

	/* the next swap hands back exactly what was stored */
	assert_int_equal(swap_rw(p, &fake_drv_a, 1, buf(p, 0, 0), &old),
			 KERR_OK);
	assert_pbuf_equal(old, buf(p, 16, 32));
	/* slot 0 was never filled: a default descriptor */
	k.n = 0;
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, peek, &k),
			 KERR_OK);
	assert_pbuf_equal(k.rw.raw, empty);
	assert_pbuf_equal(k.ro.raw, empty);
}

static void allow_slot_numbers_are_checked_against_the_declaration(
	void **st)
{
	struct proc *p = fresh();
	struct pbuf old = buf(p, 1, 1);
	struct peek k = { .n = 2 };

	(void)st;
	assert_int_equal(swap_rw(p, &fake_drv_a, 2, buf(p, 0, 4), &old),
			 KERR_NOSUPPORT);
	assert_int_equal(swap_ro(p, &fake_drv_b, 1, buf(p, 0, 4), &old),
			 KERR_NOSUPPORT);
	assert_int_equal(swap_ro(p, &fake_drv_usr, 0, buf(p, 0, 4), &old),
			 KERR_NOSUPPORT);
	assert_int_equal(swap_rw(p, &fake_drv_nogrant, 0, buf(p, 0, 4),
				 &old),
			 KERR_NOMEM);
	assert_pbuf_equal(old, buf(p, 1, 1));
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, peek, &k),
			 KERR_OK);
	assert_int_equal(k.ro_rc, KERR_INVAL);
	assert_int_equal(k.rw_rc, KERR_INVAL);
}

/* ---- restart ---- */

static void restart_forgets_every_slot_and_reclaims_the_region(void **st)
{
	struct proc *p = fresh();
	struct pbuf old, empty = { 0 };
	uintptr_t of, ou;
	struct visit v = { 0 };

	(void)st;
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0x100, 5, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(swap_rw(p, &fake_drv_a, 0, buf(p, 0, 0), &old),
			 KERR_OK);
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_b, record, &v),
			 KERR_OK);
	v.data[0] = 0x99;
	assert_int_equal(fire_now(p, &fake_drv_a, 0), KERR_OK);
	assert_true(p->kernel_break < p->kernel_break_init);

	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(p->kernel_break, p->kernel_break_init);
	for (unsigned i = 0; i < driver_count; i++)
		assert_false(grant_allocated(p, driver_table[i]));
	assert_int_equal(upcall_count(p, 1u << TASK_UPCALL), 0);

	/* first subscribe / allow after restart see (0, 0) again */
	assert_int_equal(grant_subscribe(p, &fake_drv_a, 0, 0x300, 6, &of,
					 &ou),
			 KERR_OK);
	assert_int_equal(of, 0);
	assert_int_equal(ou, 0);
	assert_int_equal(swap_rw(p, &fake_drv_a, 0, buf(p, 0, 0), &old),
			 KERR_OK);
	assert_pbuf_equal(old, empty);
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_b, record, &v),
			 KERR_OK);
	assert_int_equal(v.data[0], 0);
}

/*
 * grant_peek_*(): the descriptor in the slot itself, without entering,
 * whether d's lookup-cache entry is d's or not; the empty default before
 * the grant exists; the slot count of the driver, grant or not.
 */
static void peek_gives_the_slot_without_entering(void **st)
{
	struct proc *p;
	const struct pbuf_rw *rw;
	const struct pbuf_ro *ro;
	struct pbuf old;

	(void)st;
	for (int cache = 0; cache < 2; cache++) {
		fakes_reset();
		p = fakes_proc(0, 0);
		/* not allocated: empty slots, and nothing gets allocated */
		assert_int_equal(grant_peek_rw(p, &fake_drv_a, 1, &rw),
				 KERR_OK);
		assert_int_equal(rw->raw.len, 0);
		assert_true(rw->raw.owner.gen == 0);
		assert_int_equal(grant_peek_ro(p, &fake_drv_a, 0, &ro),
				 KERR_OK);
		assert_int_equal(ro->raw.len, 0);
		assert_false(grant_allocated(p, &fake_drv_a));
		assert_int_equal(swap_rw(p, &fake_drv_a, 1, buf(p, 8, 16),
					 &old),
				 KERR_OK);
		assert_int_equal(swap_ro(p, &fake_drv_a, 0, buf(p, 40, 4),
					 &old),
				 KERR_OK);
		/* cache 0: d's entry is d's; 1: another driver took it */
		if (cache == 0)
			assert_non_null(driver_lookup(fake_drv_a.num));
		else
			driver_slots_init();
		assert_int_equal(grant_peek_rw(p, &fake_drv_a, 1, &rw),
				 KERR_OK);
		assert_pbuf_equal(rw->raw, buf(p, 8, 16));
		assert_int_equal(grant_peek_ro(p, &fake_drv_a, 0, &ro),
				 KERR_OK);
		assert_pbuf_equal(ro->raw, buf(p, 40, 4));
		assert_int_equal(grant_peek_rw(p, &fake_drv_a, 0, &rw),
				 KERR_OK);
		assert_int_equal(rw->raw.len, 0);
		/* another driver's grant is its own */
		assert_int_equal(grant_peek_rw(p, &fake_drv_b, 0, &rw),
				 KERR_OK);
		assert_int_equal(rw->raw.len, 0);
		/* slot numbers and grantless drivers, with or without a grant */
		rw = NULL;
		assert_int_equal(grant_peek_rw(p, &fake_drv_a, 2, &rw),
				 KERR_INVAL);
		assert_int_equal(grant_peek_ro(p, &fake_drv_a, 2, &ro),
				 KERR_INVAL);
		assert_int_equal(grant_peek_rw(p, &fake_drv_b, 1, &rw),
				 KERR_INVAL);
		assert_int_equal(grant_peek_rw(p, &fake_drv_a, UINT32_MAX,
					       &rw),
				 KERR_INVAL);
		assert_int_equal(grant_peek_rw(p, &fake_drv_nogrant, 0, &rw),
				 KERR_NODEVICE);
		assert_int_equal(grant_peek_rw(p, &fake_drv_big, 0, &rw),
				 KERR_INVAL);
		assert_null(rw);
	}
}

/*
 * grant_peek_*() inline their common case (grant.h, GRANT_PEEK_INLINE):
 * the lookup-cache entry of d, then p's grant table at the entry's grant
 * index.  They must give what the whole lookup (the _slow functions)
 * gives, for every process, driver, slot number and state of the cache:
 * d's entry d's, empty, or taken by another driver that maps to it
 * (FAKE_DRV_A and the alarm, 0x1000 and 0x0, share entry 0, FAKE_DRV_B
 * and the console entry 1, the grantless 0x2 and FAKE_DRV_BIG entry 2).
 * The other driver's grant is allocated too, so that a lookup that
 * trusted its entry would find a grant, the wrong one; and the two
 * processes have different grants and buffers, so that one that mixed
 * them up would find the other's.
 */
/* The lookup cache with d's entry d's (0), empty (1) or other's (2). */
static void set_cache(int state, const struct driver *d,
		      const struct driver *other)
{
	memset(driver_slots, 0, sizeof(driver_slots));
	driver_slots_init();
	if (state == 0)
		assert_non_null(driver_lookup(d->num));
	else if (state == 2)
		assert_non_null(driver_lookup(other->num));
}

static void peek_inline_agrees_with_the_whole_lookup(void **st)
{
	static const uint32_t ns[] = { 0, 1, 2, 3, 255, UINT32_MAX };
	const struct driver *const ds[] = { &fake_drv_a,	&fake_drv_b,
					    &fake_drv_nogrant, &fake_drv_usr,
					    &fake_drv_big,	&alarm_driver };
	/* a driver whose number maps to ds[i]'s entry, or ds[i] itself */
	const struct driver *const other[] = { &alarm_driver, &console_driver,
					       &fake_drv_big, &fake_drv_usr,
					       &fake_drv_nogrant, &fake_drv_a };
	struct proc *p, *q;
	struct pbuf old;

	(void)st;
	fakes_reset();
	p = fakes_proc(0, 0);
	q = fakes_proc(1, 0);
	assert_int_equal(swap_rw(p, &fake_drv_a, 1, buf(p, 8, 16), &old),
			 KERR_OK);
	assert_int_equal(swap_ro(p, &fake_drv_a, 1, buf(p, 32, 4), &old),
			 KERR_OK);
	assert_int_equal(swap_rw(q, &fake_drv_a, 1, buf(q, 64, 8), &old),
			 KERR_OK);
	assert_int_equal(swap_rw(q, &fake_drv_b, 0, buf(q, 96, 8), &old),
			 KERR_OK);
	assert_int_equal(grant_alloc(p, &alarm_driver), KERR_OK);
	assert_int_equal(grant_alloc(p, &console_driver), KERR_OK);
	assert_int_equal(grant_alloc(q, &fake_drv_usr), KERR_OK);
	for (int cache = 0; cache < 3; cache++) {
		for (size_t i = 0; i < sizeof(ds) / sizeof(ds[0]); i++) {
			for (size_t k = 0; k < 2 * sizeof(ns) / sizeof(ns[0]);
			     k++) {
				const struct pbuf_rw *rw = NULL, *rw2 = NULL;
				const struct pbuf_ro *ro = NULL, *ro2 = NULL;
				struct proc *who = k % 2 ? q : p;
				uint32_t n = ns[k / 2];
				enum kerr rc;

				/* the whole lookup fills the cache: reset */
				set_cache(cache, ds[i], other[i]);
				rc = grant_peek_rw(who, ds[i], n, &rw);
				assert_int_equal(rc, grant_peek_rw_slow(
							     who, ds[i], n,
							     &rw2));
				assert_ptr_equal(rw, rw2);
				set_cache(cache, ds[i], other[i]);
				rc = grant_peek_ro(who, ds[i], n, &ro);
				assert_int_equal(rc, grant_peek_ro_slow(
							     who, ds[i], n,
							     &ro2));
				assert_ptr_equal(ro, ro2);
			}
		}
	}
	/* and what they give is each process's own slot, cache warm */
	{
		const struct pbuf_rw *rw;
		const struct pbuf_ro *ro;

		assert_non_null(driver_lookup(FAKE_DRV_A));
		assert_int_equal(grant_peek_rw(p, &fake_drv_a, 1, &rw),
				 KERR_OK);
		assert_pbuf_equal(rw->raw, buf(p, 8, 16));
		assert_int_equal(grant_peek_ro(p, &fake_drv_a, 1, &ro),
				 KERR_OK);
		assert_pbuf_equal(ro->raw, buf(p, 32, 4));
		assert_int_equal(grant_peek_rw(q, &fake_drv_a, 1, &rw),
				 KERR_OK);
		assert_pbuf_equal(rw->raw, buf(q, 64, 8));
		assert_int_equal(grant_peek_ro(q, &fake_drv_a, 1, &ro),
				 KERR_OK);
		assert_int_equal(ro->raw.len, 0);
		assert_non_null(driver_lookup(FAKE_DRV_B));
		assert_int_equal(grant_peek_rw(q, &fake_drv_b, 0, &rw),
				 KERR_OK);
		assert_pbuf_equal(rw->raw, buf(q, 96, 8));
		assert_int_equal(grant_peek_rw(p, &fake_drv_b, 0, &rw),
				 KERR_OK);
		assert_int_equal(rw->raw.len, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(peek_gives_the_slot_without_entering),
		cmocka_unit_test(peek_inline_agrees_with_the_whole_lookup),
		cmocka_unit_test(grants_are_allocated_lazily_from_the_top_down),
		cmocka_unit_test(
			a_second_alloc_for_the_same_driver_allocates_nothing),
		cmocka_unit_test(
			grant_size_covers_slots_and_record_and_is_8_aligned),
		cmocka_unit_test(
			grant_alloc_refuses_grantless_drivers_and_dead_procs),
		cmocka_unit_test(
			exhausted_grant_region_gives_nomem_keeps_old_grants),
		cmocka_unit_test(heap_and_grants_compete_for_the_same_gap),
		cmocka_unit_test(enter_gives_a_zeroed_record_that_persists),
		cmocka_unit_test(
			enter_refuses_stale_empty_and_dead_ids_without_running),
		cmocka_unit_test(enter_own_and_enter_id_act_as_enter_does),
		cmocka_unit_test(
			enter_reports_nomem_when_the_grant_cannot_be_allocated),
		cmocka_unit_test(
			entering_an_entered_grant_is_refused_not_aliased),
		cmocka_unit_test(
			upcalls_use_the_function_stored_at_schedule_time),
		cmocka_unit_test(a_null_slot_queues_a_return_value_record),
		cmocka_unit_test(
			grant_upcall_rejects_bad_slots_and_reports_full_queue),
		cmocka_unit_test(
			a_grant_dies_with_an_incarnation_ended_inside_it),
		cmocka_unit_test(subscribe_swaps_and_returns_the_previous_pair),
		cmocka_unit_test(subscribe_failures_change_nothing),
		cmocka_unit_test(
			subscribe_cancels_queued_calls_but_not_null_records),
		cmocka_unit_test(
			allow_slots_swap_and_the_driver_sees_what_is_stored),
		cmocka_unit_test(
			allow_slot_numbers_are_checked_against_the_declaration),
		cmocka_unit_test(
			restart_forgets_every_slot_and_reclaims_the_region),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
