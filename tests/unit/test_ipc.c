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
#include <string.h>

#include <cmocka.h>

#include "drivers/ipc.h"
#include "kernel/allow/allow.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
