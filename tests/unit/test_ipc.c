// SPDX-License-Identifier: MIT
/*
 * Unit tests for the IPC driver 0x10000 (drivers/ipc.c): discovery by
 * package name, notifications to services and clients with the buffer
 * each side shares, and every index a process may name wrongly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/ipc.h"
#include "kernel/allow/allow.h"
#include "kernel/fault.h"
#include "kernel/proc/expo.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes_drivers.h"

#define NAME_OFF 0x20u /* where a test puts a TBF name, inside the header */

/* Give process p the TBF package name s (in its flash, as the loader does). */
static void set_name(struct proc *p, const char *s)
{
	char *at = (char *)fake_flash[p->slot] + NAME_OFF;

	memcpy(at, s, strlen(s));
	p->name = at;
	p->name_len = (uint8_t)strlen(s);
}

/* Process i, entry call consumed, named s. */
static struct proc *named(unsigned i, const char *s)
{
	struct proc *p = mkproc(i);

	set_name(p, s);
	return p;
}

/* Allow s (in p's RAM at off) as the name to discover. */
static void search_for(struct proc *p, const char *s, size_t off)
{
	struct pbuf old;

	memcpy(ram(p, off), s, strlen(s));
	assert_int_equal(allow_ro(p, IPC_DRIVER_NUM, 0, (uintptr_t)ram(p, off),
				  strlen(s), &old),
			 KERR_OK);
}

static void share(struct proc *p, unsigned with, size_t off, size_t len)
{
	struct pbuf old;

	assert_int_equal(allow_rw(p, IPC_DRIVER_NUM, with,
				  (uintptr_t)ram(p, off), len, &old),
			 KERR_OK);
}

static struct sysret ipc(struct proc *p, uint32_t c, uintptr_t a)
{
	return cmd(&ipc_driver, p, c, a, 0);
}

static void exists_and_unknown_commands(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	assert_success(ipc(p, 0, 0));
	assert_failure(ipc(p, 4, 0), KERR_NOSUPPORT);
	assert_int_equal(ipc_driver.upcalls, PROC_MAX);
	assert_int_equal(ipc_driver.rw_allows, PROC_MAX);
	assert_int_equal(ipc_driver.ro_allows, 1);
}

static void discovery_is_an_exact_match(void **st)
{
	struct proc *c, *s;

	(void)st;
	c = named(0, "org.tern.client");
	named(1, "org.tern.led");
	s = named(2, "org.tern.rng");
	search_for(c, "org.tern.rng", 0);
	assert_u32(ipc(c, 1, 0), 2);
	search_for(c, "org.tern.led", 0);
	assert_u32(ipc(c, 1, 0), 1);
	/* a process finds itself: how a service learns its own index */
	search_for(s, "org.tern.rng", 64);
	assert_u32(ipc(s, 1, 0), 2);
	search_for(c, "org.tern.client", 0);
	assert_u32(ipc(c, 1, 0), 0);
}

static void a_prefix_or_a_longer_name_is_no_match(void **st)
{
	struct proc *c;

	(void)st;
	c = named(0, "client");
	named(1, "org.tern.led");
	search_for(c, "org.tern.le", 0);
	assert_failure(ipc(c, 1, 0), KERR_NODEVICE);
	search_for(c, "org.tern.led2", 0);
	assert_failure(ipc(c, 1, 0), KERR_NODEVICE);
	search_for(c, "org.tern.leD", 0);
	assert_failure(ipc(c, 1, 0), KERR_NODEVICE);
	search_for(c, "nothing", 0);
	assert_failure(ipc(c, 1, 0), KERR_NODEVICE);
}

static void empty_and_missing_buffers_are_inval(void **st)
{
	struct proc *c;
	struct pbuf old;

	(void)st;
	c = named(0, "client");
	named(1, "svc");
	/* nothing allowed, not even the grant */
	assert_failure(ipc(c, 1, 0), KERR_INVAL);
	assert_int_equal(allow_ro(c, IPC_DRIVER_NUM, 0, (uintptr_t)ram(c, 0),
				  0, &old),
			 KERR_OK);
	assert_failure(ipc(c, 1, 0), KERR_INVAL);
	/* revoked after a search that matched */
	search_for(c, "svc", 0);
	assert_u32(ipc(c, 1, 0), 1);
	assert_int_equal(allow_ro(c, IPC_DRIVER_NUM, 0, 0, 0, &old), KERR_OK);
	assert_failure(ipc(c, 1, 0), KERR_INVAL);
}

static void ended_and_cut_names_are_not_found(void **st)
{
	struct proc *c, *s, *t;

	(void)st;
	c = named(0, "client");
	s = named(1, "svc");
	t = named(2, "long");
	proc_terminate(s, 0);
	search_for(c, "svc", 0);
	assert_failure(ipc(c, 1, 0), KERR_NODEVICE);
	/* the loader cut t's name after "long": the real one is longer */
	t->name_len |= PROC_NAME_CUT;
	search_for(c, "long", 0);
	assert_failure(ipc(c, 1, 0), KERR_NODEVICE);
	/* a placeholder outside the TBF is no name */
	t->name = "long";
	t->name_len = 4;
	assert_failure(ipc(c, 1, 0), KERR_NODEVICE);
}

static void notify_service_and_reply_carry_the_shared_buffers(void **st)
{
	struct proc *c, *s;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	subscribe(s, &ipc_driver, 1); /* the service: its own index */
	subscribe(c, &ipc_driver, 1); /* the client: the service's index */
	share(c, 1, 256, 64);
	assert_success(ipc(c, 2, 1));
	assert_upcall(s, IPC_DRIVER_NUM, 1, 0, 64,
		      (uint32_t)(uintptr_t)ram(c, 256));
	assert_no_upcall(c, IPC_DRIVER_NUM, 1);
	/* the service shares nothing with the client: (index, 0, 0) */
	assert_success(ipc(s, 3, 0));
	assert_upcall(c, IPC_DRIVER_NUM, 1, 1, 0, 0);
	share(s, 0, 512, 32);
	assert_success(ipc(s, 3, 0));
	assert_upcall(c, IPC_DRIVER_NUM, 1, 1, 32,
		      (uint32_t)(uintptr_t)ram(s, 512));
	/* the client un-shares: the next notification carries nothing */
	share(c, 1, 0, 0);
	assert_success(ipc(c, 2, 1));
	assert_upcall(s, IPC_DRIVER_NUM, 1, 0, 0, 0);
	assert_int_equal(upcall_count(s, ALL_KINDS), 0);
}

static void a_buffer_shared_with_another_index_is_not_sent(void **st)
{
	struct proc *c, *s;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	mkproc(2);
	subscribe(s, &ipc_driver, 1);
	share(c, 2, 256, 64); /* for process 2, not the service */
	assert_success(ipc(c, 2, 1));
	assert_upcall(s, IPC_DRIVER_NUM, 1, 0, 0, 0);
}

static void notify_unsubscribed_queues_a_null_record(void **st)
{
	struct proc *c, *s;
	struct task t;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	assert_success(ipc(c, 2, 1));
	assert_true(upcall_take(s, IPC_DRIVER_NUM, 1, &t));
	assert_int_equal(t.kind, TASK_NULL);
}

static void notify_bad_indices_is_inval(void **st)
{
	struct proc *c;

	(void)st;
	c = mkproc(0);
	for (uint32_t n = 2; n <= 3; n++) {
		assert_failure(ipc(c, n, 0), KERR_INVAL);    /* itself */
		assert_failure(ipc(c, n, 1), KERR_INVAL);    /* free slot */
		assert_failure(ipc(c, n, PROC_MAX), KERR_INVAL);
		assert_failure(ipc(c, n, UINT32_MAX), KERR_INVAL);
		/* 2^32 on the 64-bit host must not truncate onto slot 0 */
		assert_failure(ipc(c, n, (uintptr_t)UINT32_MAX + 2),
			       KERR_INVAL);
	}
	assert_int_equal(upcall_count(c, ALL_KINDS), 0);
}

static void notify_dead_processes_is_inval(void **st)
{
	struct proc *c, *s, *t;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	t = mkproc(2);
	proc_terminate(s, 0);
	proc_mark_faulted(t);
	for (uint32_t n = 2; n <= 3; n++) {
		assert_failure(ipc(c, n, 1), KERR_INVAL);
		assert_failure(ipc(c, n, 2), KERR_INVAL);
	}
}

static void notify_reaches_the_restarted_incarnation_only(void **st)
{
	struct proc *c, *s;
	struct task t;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	subscribe(s, &ipc_driver, 1);
	assert_success(ipc(c, 2, 1));
	assert_int_equal(proc_restart(s), KERR_OK);
	assert_true(upcall_pop(s, &t)); /* the new entry call */
	assert_int_equal(t.kind, TASK_ENTRY);
	/* the old notification went with the old incarnation ... */
	assert_no_upcall(s, IPC_DRIVER_NUM, 1);
	/* ... and the new one has not subscribed: a null record */
	assert_success(ipc(c, 2, 1));
	assert_true(upcall_take(s, IPC_DRIVER_NUM, 1, &t));
	assert_int_equal(t.kind, TASK_NULL);
	subscribe(s, &ipc_driver, 1);
	assert_success(ipc(c, 2, 1));
	assert_upcall(s, IPC_DRIVER_NUM, 1, 0, 0, 0);
	/* a restarted client's old share is gone with its grant */
	share(c, 1, 256, 16);
	assert_int_equal(proc_restart(c), KERR_OK);
	assert_true(upcall_pop(c, &t));
	assert_success(ipc(c, 2, 1));
	assert_upcall(s, IPC_DRIVER_NUM, 1, 0, 0, 0);
}

static void a_full_queue_is_nomem_and_drops_the_notification(void **st)
{
	struct proc *c, *s;
	unsigned n;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	subscribe(s, &ipc_driver, 1);
	for (n = 0; n < UPCALL_QUEUE_LEN; n++)
		assert_success(ipc(c, 2, 1));
	assert_failure(ipc(c, 2, 1), KERR_NOMEM);
	assert_int_equal(s->queue->dropped, 1);
	assert_int_equal(upcall_count(s, ALL_KINDS), UPCALL_QUEUE_LEN);
}

/* ---- exposures (CONFIG_IPC): the hardware lets the receiver in ---- */

#define RW_PERM (MPU_R | MPU_W)

/* Does holder have exactly [owner's RAM + off, + len) from owner? */
static bool exposed(const struct proc *holder, const struct proc *owner,
		    size_t off, size_t len)
{
	const struct proc_expos *x = proc_expos(holder);
	const struct mpu_region *r = &x->r[owner->slot];

	return r->base == (uintptr_t)ram(owner, off) && r->size == len &&
	       r->perm == RW_PERM && x->owner[owner->slot].gen == owner->gen;
}

/* holder has nothing of anyone, in its records and in what it loads */
static void assert_nothing_exposed(struct proc *holder)
{
	const struct proc_expos *x = proc_expos(holder);

	for (unsigned i = 0; i < PROC_MAX; i++) {
		assert_int_equal(x->r[i].size, 0);
		assert_int_equal(x->owner[i].gen, 0);
	}
	mpu_load(holder);
	for (unsigned i = 0; i < PROC_MAX; i++)
		assert_int_equal(host_mpu.expo[i].size, 0);
}

/* what the backend programs for holder at its next load */
static const struct mpu_region *loaded_expo(struct proc *holder, unsigned s)
{
	mpu_load(holder);
	return &host_mpu.expo[s];
}

/*
 * "An exposure never outlives the sharer's generation": every exposure
 * any process holds names a live owner of the current generation, and
 * lies inside that owner's RAM record.
 */
static void assert_exposures_sound(void)
{
	unsigned live = 0;

	for (unsigned h = 0; h < PROC_MAX; h++) {
		const struct proc *p = &proc_table[h];
		const struct proc_expos *x;

		if (p->state == PROC_FREE)
			continue;
		x = proc_expos(p);
		for (unsigned i = 0; i < PROC_MAX; i++) {
			const struct proc *o;

			if (x->r[i].size == 0)
				continue;
			live++;
			assert_true(proc_alive(p));
			o = proc_get(x->owner[i]);
			assert_non_null(o);
			assert_true(proc_alive(o));
			assert_int_equal(o->slot, i);
			assert_true(proc_region_allows(o, x->r[i].base,
						       x->r[i].size, RW_PERM));
		}
		proc_check(p);
	}
	assert_int_equal(proc_expo_live, live);
}

static void notify_exposes_the_buffer_to_the_receiver(void **st)
{
	struct proc *c, *s;
	uint32_t epoch;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	subscribe(s, &ipc_driver, 1);
	assert_nothing_exposed(s);
	share(c, 1, 256, 64);
	/* sharing alone exposes nothing: the notification does */
	assert_nothing_exposed(s);
	epoch = s->mpu_epoch;
	assert_success(ipc(c, 2, 1));
	assert_true(exposed(s, c, 256, 64));
	assert_true(s->mpu_epoch != epoch);
	assert_int_equal(loaded_expo(s, 0)->base, (uintptr_t)ram(c, 256));
	assert_int_equal(loaded_expo(s, 0)->size, 64);
	/* the same buffer again changes nothing */
	epoch = s->mpu_epoch;
	assert_success(ipc(c, 2, 1));
	assert_int_equal(s->mpu_epoch, epoch);
	/* the sender gets nothing of the receiver */
	assert_nothing_exposed(c);
	/* the reply exposes the service's buffer to the client */
	share(s, 0, 512, 32);
	assert_success(ipc(s, 3, 0));
	assert_true(exposed(c, s, 512, 32));
	assert_exposures_sound();
}

static void unsharing_revokes_the_exposure(void **st)
{
	struct proc *c, *s;
	uint32_t epoch;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	share(c, 1, 256, 64);
	assert_success(ipc(c, 2, 1));
	epoch = s->mpu_epoch;
	share(c, 1, 0, 0);
	assert_nothing_exposed(s);
	assert_true(s->mpu_epoch != epoch);
	/* the report of s's next access names the revoked buffer */
	assert_int_equal(proc_expos(s)->gone[0].base, (uintptr_t)ram(c, 256));
	assert_int_equal(proc_expos(s)->gone[0].size, 64);
	assert_exposures_sound();
}

static void swapping_revokes_the_old_buffer(void **st)
{
	struct proc *c, *s;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	share(c, 1, 256, 64);
	assert_success(ipc(c, 2, 1));
	share(c, 1, 1024, 128);
	assert_nothing_exposed(s);
	/* until the next notification, which exposes the new one only */
	assert_success(ipc(c, 2, 1));
	assert_true(exposed(s, c, 1024, 128));
	/* a buffer shared with another process revokes nothing here */
	mkproc(2);
	share(c, 2, 0, 16);
	assert_true(exposed(s, c, 1024, 128));
	/* the same buffer allowed again is a new allow: revoked too */
	share(c, 1, 1024, 128);
	assert_nothing_exposed(s);
	assert_exposures_sound();
}

static void the_break_cannot_shrink_below_an_exposed_buffer(void **st)
{
	struct proc *c, *s;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	share(c, 1, 1024, 128);
	assert_success(ipc(c, 2, 1));
	/* brk never goes below the allow mark, above every buffer allowed */
	assert_int_equal(proc_brk(c, c->mem_start + 1024), KERR_NOMEM);
	assert_int_equal(proc_brk(c, c->mem_start + 1100), KERR_NOMEM);
	assert_true(exposed(s, c, 1024, 128));
	assert_int_equal(proc_brk(c, c->mem_start + 1152), KERR_OK);
	assert_true(exposed(s, c, 1024, 128));
	assert_exposures_sound();
}

enum end_kind { END_EXIT, END_FAULT, END_RESTART };

static void end_owner(struct proc *c, enum end_kind k)
{
	struct task t;

	switch (k) {
	case END_EXIT:
		proc_terminate(c, 0);
		break;
	case END_FAULT:
		proc_mark_faulted(c);
		break;
	default:
		assert_int_equal(proc_restart(c), KERR_OK);
		assert_true(upcall_pop(c, &t));
		break;
	}
}

static void the_owner_ending_revokes_everywhere(void **st)
{
	(void)st;
	for (int k = END_EXIT; k <= END_RESTART; k++) {
		struct proc *c, *s, *t;

		setup(NULL);
		c = mkproc(0);
		s = mkproc(1);
		t = mkproc(2);
		share(c, 1, 256, 64);
		share(c, 2, 512, 64);
		assert_success(ipc(c, 2, 1));
		assert_success(ipc(c, 3, 2));
		/* and c holds the service's buffer */
		share(s, 0, 128, 32);
		assert_success(ipc(s, 3, 0));
		assert_true(exposed(c, s, 128, 32));
		end_owner(c, (enum end_kind)k);
		assert_nothing_exposed(s);
		assert_nothing_exposed(t);
		assert_int_equal(proc_expos(s)->gone[0].base,
				 (uintptr_t)ram(c, 256));
		/* what c held went with its incarnation */
		if (k == END_RESTART)
			assert_nothing_exposed(c);
		for (unsigned i = 0; i < PROC_MAX; i++)
			assert_int_equal(proc_expos(c)->r[i].size, 0);
		assert_exposures_sound();
		/* the service's later swap meets nothing stale */
		share(s, 0, 0, 0);
		assert_exposures_sound();
	}
}

static void the_holder_ending_drops_what_it_held(void **st)
{
	struct proc *c, *s;
	struct task t;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	share(c, 1, 256, 64);
	assert_success(ipc(c, 2, 1));
	assert_int_equal(proc_restart(s), KERR_OK);
	assert_true(upcall_pop(s, &t));
	assert_nothing_exposed(s);
	assert_int_equal(proc_expos(s)->gone[0].size, 0);
	/* c's revoke now finds nothing to do */
	share(c, 1, 0, 0);
	assert_nothing_exposed(s);
	assert_exposures_sound();
}

static void out_of_entries_is_nomem_and_exposes_nothing(void **st)
{
	struct proc *a, *b, *c, *s;

	(void)st;
	host_mpu.expo_max = 2;
	a = mkproc(0);
	b = mkproc(1);
	c = mkproc(2);
	s = mkproc(3);
	subscribe(s, &ipc_driver, 3);
	share(a, 3, 256, 16);
	share(b, 3, 256, 16);
	share(c, 3, 256, 16);
	assert_success(ipc(a, 2, 3));
	assert_success(ipc(b, 2, 3));
	assert_failure(ipc(c, 2, 3), KERR_NOMEM);
	assert_int_equal(proc_expos(s)->r[2].size, 0);
	assert_int_equal(loaded_expo(s, 2)->size, 0);
	/* nor was s told */
	assert_upcall(s, IPC_DRIVER_NUM, 3, 0, 16,
		      (uint32_t)(uintptr_t)ram(a, 256));
	assert_upcall(s, IPC_DRIVER_NUM, 3, 1, 16,
		      (uint32_t)(uintptr_t)ram(b, 256));
	assert_no_upcall(s, IPC_DRIVER_NUM, 3);
	/* once a revokes, there is room for c */
	share(a, 3, 0, 0);
	assert_success(ipc(c, 2, 3));
	assert_true(exposed(s, c, 256, 16));
	assert_exposures_sound();
}

static void whole_pages_only_where_the_granule_is_a_page(void **st)
{
	struct proc *c, *s;

	(void)st;
	host_mpu.granule = 4096; /* as on Sv39 */
	c = mkproc(0);
	s = mkproc(1);
	assert_int_equal(proc_brk(c, c->mem_start + 3 * 4096), KERR_OK);
	subscribe(s, &ipc_driver, 1);
	share(c, 1, 4096, 100);
	assert_failure(ipc(c, 2, 1), KERR_INVAL);
	share(c, 1, 100, 4096);
	assert_failure(ipc(c, 2, 1), KERR_INVAL);
	assert_nothing_exposed(s);
	assert_no_upcall(s, IPC_DRIVER_NUM, 1);
	share(c, 1, 4096, 8192);
	assert_success(ipc(c, 2, 1));
	assert_true(exposed(s, c, 4096, 8192));
	assert_exposures_sound();
}

static void a_full_queue_exposes_nothing_new(void **st)
{
	struct proc *c, *s;

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	subscribe(s, &ipc_driver, 1);
	for (unsigned n = 0; n < UPCALL_QUEUE_LEN; n++)
		assert_success(ipc(c, 2, 1));
	share(c, 1, 256, 64);
	assert_failure(ipc(c, 2, 1), KERR_NOMEM);
	assert_nothing_exposed(s);
	assert_exposures_sound();
}

static void the_fault_report_names_the_revoked_buffer(void **st)
{
	struct proc *c, *s;
	struct arch_trap t = { .kind = ARCH_TRAP_FAULT, .cause = 7 };
	char want[96];

	(void)st;
	c = mkproc(0);
	s = mkproc(1);
	share(c, 1, 256, 64);
	assert_success(ipc(c, 2, 1));
	share(c, 1, 0, 0);
	t.tval = (uintptr_t)ram(c, 256 + 8);
	t.proc = s;
	fault_process(s, &t, NULL);
	/* the kernel prints an address with every hex digit */
	snprintf(want, sizeof(want),
		 "revoked IPC buffer 0x%0*lx..0x%0*lx of slot 0",
		 (int)(2 * sizeof(uintptr_t)), (unsigned long)ram(c, 256),
		 (int)(2 * sizeof(uintptr_t)), (unsigned long)ram(c, 320));
	if (strstr(host_console_text(), want) == NULL)
		fail_msg("no \"%s\" in the report:\n%s", want,
			 host_console_text());
	/* the client goes on */
	assert_true(proc_alive(c));
	assert_exposures_sound();
}

static void exposures_never_outlive_the_sharers_generation(void **st)
{
	/* a fixed pseudo-random walk over every operation that matters */
	uint32_t x = 12345;
	unsigned seen = 0; /* steps after which some exposure existed */

	(void)st;
	for (unsigned i = 0; i < PROC_MAX; i++)
		mkproc(i);
	host_mpu.expo_max = PROC_MAX;
	for (unsigned step = 0; step < 3000; step++) {
		struct proc *a, *b;
		struct task t;
		unsigned op;

		x = x * 1103515245u + 12345u;
		a = &proc_table[(x >> 8) % PROC_MAX];
		b = &proc_table[(x >> 12) % PROC_MAX];
		op = (x >> 16) % 16; /* ending a process: 1 in 8 */
		while (upcall_pop(b, &t))
			;
		while (upcall_pop(a, &t))
			;
		if (!proc_alive(a)) {
			assert_int_equal(proc_restart(a), KERR_OK);
			(void)upcall_pop(a, &t);
			assert_int_equal(proc_brk(a, a->mem_start + BRK),
					 KERR_OK);
			continue;
		}
		switch (op < 6 ? 0 : op < 12 ? 2 : op - 8) {
		case 0:
			if (a != b) {
				struct pbuf old;
				enum kerr rc = allow_rw(
					a, IPC_DRIVER_NUM, b->slot,
					(uintptr_t)ram(a, 64 * ((x >> 20) % 8)),
					4 * ((x >> 24) % 16), &old);

				/* INVAL: above a break that shrank */
				assert_true(rc == KERR_OK || rc == KERR_INVAL);
			}
			break;
		case 2:
			(void)ipc(a, 2 + op % 2, b->slot);
			break;
		case 4:
			proc_terminate(a, 0);
			break;
		case 5:
			proc_mark_faulted(a);
			break;
		case 6:
			assert_int_equal(proc_restart(a), KERR_OK);
			(void)upcall_pop(a, &t);
			assert_int_equal(proc_brk(a, a->mem_start + BRK),
					 KERR_OK);
			break;
		default: {
			/* refused below the allow mark: either is fine */
			enum kerr rc = proc_brk(a, a->mem_start +
						       64 * ((x >> 20) % 32));

			assert_true(rc == KERR_OK || rc == KERR_NOMEM);
			break;
		}
		}
		assert_exposures_sound();
		for (unsigned h = 0; h < PROC_MAX; h++)
			for (unsigned i = 0; i < PROC_MAX; i++)
				if (proc_table[h].state != PROC_FREE &&
				    proc_expos(&proc_table[h])->r[i].size)
					seen++;
	}
	/* the walk did expose buffers, often */
	assert_true(seen > 300);
}

/* ---- the direct take: a notification its target waits for ---- */

/*
 * A target that waits for a notification takes it at once (drivers/ipc.c,
 * notify_now(); the general path, upcall_push(), does the same): each
 * case below is made twice, once notified through the driver and once
 * through the general task machinery (grant_upcall_to()), and the target
 * must end the same both ways: registers, state, queue, ready mask.
 */
struct take_case {
	uint8_t state;	   /* the target's, slot 1 */
	uint32_t drv, sub; /* what it waits for (PROC_YIELDED_FOR) */
	bool subscribed;   /* it subscribed the upcall notified */
	bool shares;	   /* the notifier shares a buffer with it */
	bool exposed;	   /* ... exposed to it already */
	bool queued;	   /* it had a task queued already */
	uint32_t cmd;	   /* 2 notify service, 3 notify client */
	bool taken;	   /* expected: took it (runnable now) */
	unsigned left;	   /* expected: tasks left queued */
};

/*
 * Columns: state, waits for (drv, sub), subscribed, shares, exposed,
 * queued, cmd, taken, left.
 */
#define WF PROC_YIELDED_FOR
#define W PROC_YIELDED
#define RN PROC_RUNNABLE
#define US PROC_UNSTARTED
#define ST PROC_STOPPED
#define IPC IPC_DRIVER_NUM
static const struct take_case take_cases[] = {
	{ WF,  IPC,  1, 1, 0, 0, 0, 2, 1, 0 },
	{ WF,  IPC,  1, 0, 0, 0, 0, 2, 1, 0 },
	{ WF,  IPC,  0, 1, 0, 0, 0, 3, 1, 0 },
	{ WF,  IPC,  1, 1, 1, 0, 0, 2, 1, 0 },
	{ WF,  IPC,  0, 1, 0, 0, 0, 2, 0, 1 },
	{ WF,  IPC,  1, 1, 0, 0, 0, 3, 0, 1 },
	{ WF,  0x1,  1, 1, 0, 0, 0, 2, 0, 1 },
	/* the general path takes it out of the queue, past the other */
	{ WF,  IPC,  1, 1, 0, 0, 1, 2, 1, 1 },
	{ W,   0,    0, 1, 0, 0, 0, 2, 1, 0 },
	/* a return-value record wakes no Yield-Wait: dropped at the pop */
	{ W,   0,    0, 0, 0, 0, 0, 2, 0, 0 },
	{ W,   0,    0, 1, 1, 0, 0, 2, 1, 0 },
	{ W,   0,    0, 1, 0, 0, 0, 3, 1, 0 },
	/* ... or drops the record queued before it and starts it */
	{ W,   0,    0, 1, 0, 0, 1, 2, 1, 0 },
	{ RN,  0,    0, 1, 0, 0, 0, 2, 0, 1 },
	{ RN,  0,    0, 1, 1, 0, 1, 3, 0, 2 },
	/* alive, not in a yield, even with a1, a2 as a wait would have them */
	{ US,  IPC,  1, 1, 0, 0, 0, 2, 0, 1 },
	{ US,  IPC,  0, 1, 0, 0, 0, 3, 0, 1 },
	{ ST,  IPC,  1, 1, 0, 0, 0, 2, 0, 1 },
	{ ST,  IPC,  0, 1, 1, 0, 0, 3, 0, 1 },
	{ RN,  IPC,  1, 1, 0, 0, 0, 2, 0, 1 },
	/* exposed already: nothing to expose, taken at once all the same */
	{ WF,  IPC,  1, 1, 1, 1, 0, 2, 1, 0 },
	{ W,   0,    0, 1, 1, 1, 0, 3, 1, 0 },
	{ W,   0,    0, 0, 1, 1, 0, 2, 0, 0 },
	{ RN,  0,    0, 1, 1, 1, 0, 2, 0, 1 },
};
#undef WF
#undef W
#undef RN
#undef US
#undef ST
#undef IPC

/* The target's end of a notification, to compare. */
struct take_end {
	struct arch_ctx ctx;
	uint8_t state;
	unsigned queued;
	bool ready;
};

/* Notifier slot 0 and target slot 1 set up as k says; the target. */
static struct proc *take_world(const struct take_case *k)
{
	struct proc *n, *q;

	setup(NULL);
	sched_init();
	n = mkproc(0);
	q = mkproc(1);
	if (k->subscribed)
		subscribe(q, &ipc_driver, k->cmd == 2 ? 1 : 0);
	if (k->shares) {
		host_mpu.expo_max = PROC_MAX;
		share(n, 1, 256, 64);
	}
	if (k->exposed) {
		/* an earlier notification exposed it, and was taken */
		struct task t;

		assert_success(ipc(n, k->cmd, 1));
		while (upcall_pop(q, &t))
			;
	}
	if (k->queued) {
		struct task t = { .kind = TASK_NULL, .drv = 0x2, .sub = 5 };

		assert_int_equal(upcall_push(q, &t), KERR_OK);
	}
	for (unsigned i = 0; i < 32; i++)
		q->ctx.x[i] = 0x100 + i;
	q->ctx.x[CTX_A1] = k->drv;
	q->ctx.x[CTX_A2] = k->sub;
	q->state = k->state;
	return q;
}

static struct take_end take_end_of(const struct proc *q)
{
	return (struct take_end){ q->ctx, q->state,
				  upcall_count(q, ALL_KINDS),
				  (sched_masks.ready >> q->slot) & 1 };
}

static void a_waiting_target_takes_the_notification_at_once(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof(take_cases) / sizeof(take_cases[0]);
	     i++) {
		const struct take_case *k = &take_cases[i];
		struct proc *q = take_world(k);
		uint32_t sub = k->cmd == 2 ? 1 : 0;
		uint32_t len = k->shares ? 64 : 0;
		uint32_t addr = 0;
		struct take_end fast, general;

		print_message("# case %zu\n", i);
		assert_success(ipc(&proc_table[0], k->cmd, 1));
		if (k->shares)
			addr = (uint32_t)(uintptr_t)ram(&proc_table[0], 256);
		fast = take_end_of(q);
		/* shared: exposed first, whichever way it went */
		if (k->shares)
			assert_true(exposed(q, &proc_table[0], 256, 64));
		q = take_world(k);
		assert_int_equal(grant_upcall_to(q, &ipc_driver,
						 driver_index(&ipc_driver),
						 sub, 0, len, addr),
				 KERR_OK);
		general = take_end_of(q);
		assert_memory_equal(&fast.ctx, &general.ctx, sizeof(fast.ctx));
		assert_int_equal(fast.state, general.state);
		assert_int_equal(fast.queued, general.queued);
		assert_int_equal(fast.ready, general.ready);
		/* and what it is */
		assert_int_equal(fast.state,
				 k->taken ? PROC_RUNNABLE : k->state);
		assert_int_equal(fast.queued, k->left);
		assert_int_equal(fast.ready, k->taken);
		if (k->taken && k->state == PROC_YIELDED_FOR) {
			assert_int_equal(fast.ctx.x[CTX_A0], 0);
			assert_int_equal(fast.ctx.x[CTX_A1], len);
			assert_int_equal(fast.ctx.x[CTX_A2], addr);
			assert_int_equal(fast.ctx.x[CTX_A3], 0x100 + CTX_A3);
			assert_int_equal(fast.ctx.x[CTX_PC], 0x100);
		} else if (k->taken) {
			assert_int_equal(fast.ctx.x[CTX_PC], UPCALL_FN);
			assert_int_equal(fast.ctx.x[CTX_RA], 0x100);
			assert_int_equal(fast.ctx.x[CTX_A0], 0);
			assert_int_equal(fast.ctx.x[CTX_A1], len);
			assert_int_equal(fast.ctx.x[CTX_A2], addr);
			assert_int_equal(fast.ctx.x[CTX_A3], UPCALL_UD);
		} else {
			assert_int_equal(fast.ctx.x[CTX_PC], 0x100);
			assert_int_equal(fast.ctx.x[CTX_A0], 0x100 + CTX_A0);
		}
	}
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(exists_and_unknown_commands),
		T(discovery_is_an_exact_match),
		T(a_prefix_or_a_longer_name_is_no_match),
		T(empty_and_missing_buffers_are_inval),
		T(ended_and_cut_names_are_not_found),
		T(notify_service_and_reply_carry_the_shared_buffers),
		T(a_buffer_shared_with_another_index_is_not_sent),
		T(notify_unsubscribed_queues_a_null_record),
		T(notify_bad_indices_is_inval),
		T(notify_dead_processes_is_inval),
		T(notify_reaches_the_restarted_incarnation_only),
		T(a_full_queue_is_nomem_and_drops_the_notification),
		T(a_waiting_target_takes_the_notification_at_once),
		T(notify_exposes_the_buffer_to_the_receiver),
		T(unsharing_revokes_the_exposure),
		T(swapping_revokes_the_old_buffer),
		T(the_break_cannot_shrink_below_an_exposed_buffer),
		T(the_owner_ending_revokes_everywhere),
		T(the_holder_ending_drops_what_it_held),
		T(out_of_entries_is_nomem_and_exposes_nothing),
		T(whole_pages_only_where_the_granule_is_a_page),
		T(a_full_queue_exposes_nothing_new),
		T(the_fault_report_names_the_revoked_buffer),
		T(exposures_never_outlive_the_sharers_generation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
