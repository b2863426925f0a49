// SPDX-License-Identifier: MIT
/*
 * Unit tests for kernel/allow/allow.c: the read-write, read-only and
 * userspace-readable allow handlers (doc/abi.md §4.4-4.6, §6), from the
 * conformance vectors of §6.1 through check order, swap semantics, hostile
 * buffers and the path from a slot to a driver's mut_enter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/allow/allow.h"
#include "kernel/proc/grant.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"
#include "tests/unit/pbuf_views.h"
#include "tests/unit/slice_more.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BRK 1024u

static uint8_t kernel_secret[64]; /* a kernel static a process must not reach */

static int setup(void **state)
{
	(void)state;
	fakes_reset();
	return 0;
}

enum cls { RW, RO, USR };

static enum kerr do_allow(enum cls c, struct proc *p, uint32_t drv,
			  uint32_t num, uintptr_t addr, size_t len,
			  struct pbuf *old)
{
	switch (c) {
	case RW: return allow_rw(p, drv, num, addr, len, old);
	case RO: return allow_ro(p, drv, num, addr, len, old);
	default: return allow_userspace(p, drv, num, addr, len, old);
	}
}

static const char *cls_name(enum cls c)
{
	return c == RW ? "RW" : c == RO ? "RO" : "USR";
}

/* The driver each class is exercised on by the tables. */
static uint32_t drv_for(enum cls c)
{
	return c == USR ? FAKE_DRV_USR : FAKE_DRV_A;
}

static void assert_pbuf(struct pbuf b, uintptr_t addr, size_t len,
			struct proc_id owner)
{
	assert_int_equal(b.addr, addr);
	assert_int_equal(b.len, len);
	assert_int_equal(b.owner.gen, owner.gen);
	assert_int_equal(b.owner.slot, owner.slot);
}

static const struct proc_id no_owner = { 0 };

/* What a slot holds now, read by swapping in (0, 0) and back. */
static struct pbuf peek(enum cls c, struct proc *p, uint32_t drv,
			uint32_t num)
{
	struct pbuf held, again;

	assert_int_equal(do_allow(c, p, drv, num, 0, 0, &held), KERR_OK);
	if (held.len != 0 || held.addr != 0)
		assert_int_equal(do_allow(c, p, drv, num, held.addr, held.len,
					  &again),
				 KERR_OK);
	return held;
}

/* ---- doc/abi.md §6.1 ---- */

enum anchor { ABS, MEM_START, APP_BREAK, FLASH_START, APP_FLASH, TOP };

struct vec {
	const char *what;
	enum cls c;
	uint32_t drv, num;
	enum anchor at;
	intptr_t off;
	size_t len;
	enum kerr rc;
};

static const struct vec vectors[] = {
	{ "last byte below the break", RW, FAKE_DRV_A, 0, APP_BREAK, -1, 1,
	  KERR_OK },
	{ "one byte over the break", RW, FAKE_DRV_A, 0, APP_BREAK, -1, 2,
	  KERR_INVAL },
	{ "below mem_start", RW, FAKE_DRV_A, 0, MEM_START, -1, 1, KERR_INVAL },
	{ "wrap (spec numbers)", RW, FAKE_DRV_A, 0, ABS, (intptr_t)0xFFFFFFF0u,
	  0x20, KERR_INVAL },
	{ "wrap (host width)", RW, FAKE_DRV_A, 0, TOP, -16, 0x20, KERR_INVAL },
	{ "zero length, garbage", RW, FAKE_DRV_A, 0, ABS,
	  (intptr_t)0xDEADBEEFu, 0, KERR_OK },
	{ "RW in flash", RW, FAKE_DRV_A, 0, APP_FLASH, 16, 4, KERR_INVAL },
	{ "RO in flash", RO, FAKE_DRV_A, 0, APP_FLASH, 16, 4, KERR_OK },
	{ "RO on the header", RO, FAKE_DRV_A, 0, FLASH_START, 0, 4,
	  KERR_INVAL },
	{ "RW number = declared count", RW, FAKE_DRV_A, 2, MEM_START, 0, 4,
	  KERR_NOSUPPORT },
	{ "RO number = declared count", RO, FAKE_DRV_B, 1, MEM_START, 0, 4,
	  KERR_NOSUPPORT },
	{ "driver without a grant", RW, FAKE_DRV_NOGRANT, 0, MEM_START, 0, 4,
	  KERR_NOMEM },
	{ "unknown driver", RW, FAKE_DRV_NONE, 0, MEM_START, 0, 4,
	  KERR_NODEVICE },
};

static uintptr_t at(const struct proc *p, enum anchor a, intptr_t off)
{
	uintptr_t base = 0;

	switch (a) {
	case ABS: case TOP: base = 0; break;
	case MEM_START: base = p->mem_start; break;
	case APP_BREAK: base = p->app_break; break;
	case FLASH_START: base = p->flash_start; break;
	case APP_FLASH: base = p->app_flash; break;
	}
	return base + (uintptr_t)off;
}

static void conformance_vectors_of_spec_4_6(void **st)
{
	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(vectors); i++) {
		const struct vec *v = &vectors[i];
		struct proc *p;
		struct pbuf old = { 0x77, 0x77, { .gen = 7, .slot = 7 } };
		uintptr_t addr;
		enum kerr rc;

		fakes_reset();
		p = fakes_proc_brk(0, BRK);
		addr = at(p, v->at, v->off);
		rc = do_allow(v->c, p, v->drv, v->num, addr, v->len, &old);
		if (rc != v->rc)
			fail_msg("%s: got %d, want %d", v->what, rc, v->rc);
		if (rc != KERR_OK) {
			assert_int_equal(old.addr, 0x77); /* untouched */
			continue;
		}
		/* first use: the previous buffer is the empty one */
		assert_pbuf(old, 0, 0, no_owner);
		/* and the slot now holds exactly what was given */
		assert_pbuf(peek(v->c, p, v->drv, v->num), addr, v->len,
			    proc_id(p));
	}
}

static void a_zero_length_allow_round_trips_its_address_verbatim(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf old;

	(void)st;
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, 0xDEADBEEF, 0, &old),
			 KERR_OK);
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, 0, 0, &old), KERR_OK);
	assert_pbuf(old, 0xDEADBEEF, 0, proc_id(p));
	/* same for read-only slots, with an address no check would pass */
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 1, UINTPTR_MAX, 0, &old),
			 KERR_OK);
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 1, 4, 0, &old), KERR_OK);
	assert_pbuf(old, UINTPTR_MAX, 0, proc_id(p));
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 1, 0, 0, &old), KERR_OK);
	assert_pbuf(old, 4, 0, proc_id(p));
	assert_int_equal(p->allow_hwm, p->mem_start);
}

/* ---- hostile buffers, every class ---- */

enum hanchor {
	H_ABS, H_TOP, H_SECRET, H_OTHER_RAM, H_GRANT, H_MEM_END, H_GAP,
	H_BREAK, H_FLASH,
};

struct hostile {
	const char *what;
	enum hanchor at;
	intptr_t off;
	size_t len;
	enum kerr rw, ro, usr;
};

static const struct hostile hostiles[] = {
	{ "wraps near the top", H_TOP, -8, 16, KERR_INVAL, KERR_INVAL,
	  KERR_INVAL },
	{ "maximal length", H_BREAK, -1, SIZE_MAX, KERR_INVAL, KERR_INVAL,
	  KERR_INVAL },
	{ "kernel static", H_SECRET, 0, 16, KERR_INVAL, KERR_INVAL,
	  KERR_INVAL },
	{ "another process's RAM", H_OTHER_RAM, 0, 16, KERR_INVAL,
	  KERR_INVAL, KERR_INVAL },
	{ "own grant region", H_GRANT, 0, 8, KERR_INVAL, KERR_INVAL,
	  KERR_INVAL },
	{ "top of own RAM block", H_MEM_END, -8, 8, KERR_INVAL, KERR_INVAL,
	  KERR_INVAL },
	{ "gap above the break", H_GAP, 0, 8, KERR_INVAL, KERR_INVAL,
	  KERR_INVAL },
	{ "MMIO", H_ABS, 0x10000000, 4, KERR_INVAL, KERR_INVAL, KERR_INVAL },
	{ "address 0", H_ABS, 0, 1, KERR_INVAL, KERR_INVAL, KERR_INVAL },
	{ "ends exactly at the break", H_BREAK, -32, 32, KERR_OK, KERR_OK,
	  KERR_OK },
	{ "one byte past the break", H_BREAK, -32, 33, KERR_INVAL,
	  KERR_INVAL, KERR_INVAL },
	{ "flash after the header", H_FLASH, 0, 8, KERR_INVAL, KERR_OK,
	  KERR_INVAL },
};

static uintptr_t hat(const struct proc *p, const struct proc *q,
		     enum hanchor a, intptr_t off)
{
	uintptr_t base = 0;

	switch (a) {
	case H_ABS: case H_TOP: base = 0; break;
	case H_SECRET: base = (uintptr_t)kernel_secret; break;
	case H_OTHER_RAM: base = q->mem_start; break;
	case H_GRANT: base = p->kernel_break; break;
	case H_MEM_END: base = p->mem_end; break;
	case H_GAP: base = p->app_break; break;
	case H_BREAK: base = p->app_break; break;
	case H_FLASH: base = p->app_flash; break;
	}
	return base + (uintptr_t)off;
}

static void hostile_buffers_are_refused_by_every_allow_class(void **st)
{
	static const enum cls classes[] = { RW, RO, USR };
	struct proc *p = fakes_proc_brk(0, BRK), *q = fakes_proc_brk(1, BRK);
	uintptr_t keep = p->mem_start + 64;
	struct pbuf old;

	(void)st;
	/* allocate the grants so that the grant region is not empty */
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, keep, 8, &old), KERR_OK);
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 0, keep, 8, &old), KERR_OK);
	assert_int_equal(allow_userspace(p, FAKE_DRV_USR, 0, keep, 8, &old),
			 KERR_OK);
	assert_true(p->kernel_break < p->kernel_break_init);
	assert_true(p->app_break < p->kernel_break);

	for (size_t i = 0; i < ARRAY_LEN(hostiles); i++) {
		const struct hostile *h = &hostiles[i];
		uintptr_t addr = hat(p, q, h->at, h->off);

		for (size_t k = 0; k < ARRAY_LEN(classes); k++) {
			enum cls c = classes[k];
			enum kerr want = c == RW ? h->rw :
					 c == RO ? h->ro : h->usr;
			uintptr_t hwm = p->allow_hwm;
			unsigned calls = fake_calls.usr_allows;
			enum kerr rc;

			old = (struct pbuf){ 0x77, 0x77, { .gen = 7, .slot = 7 } };
			rc = do_allow(c, p, drv_for(c), 0, addr, h->len, &old);
			if (rc != want)
				fail_msg("%s (%s): got %d, want %d", h->what,
					 cls_name(c), rc, want);
			if (rc == KERR_OK) {
				/* put the kept buffer back for the next row */
				assert_pbuf(old, keep, 8, proc_id(p));
				assert_int_equal(do_allow(c, p, drv_for(c), 0,
							  keep, 8, &old),
						 KERR_OK);
				assert_pbuf(old, addr, h->len, proc_id(p));
				continue;
			}
			assert_int_equal(old.addr, 0x77);
			assert_int_equal(p->allow_hwm, hwm);
			assert_int_equal(fake_calls.usr_allows, calls);
		}
	}
	/* every refused call left the slots as they were */
	assert_pbuf(peek(RW, p, FAKE_DRV_A, 0), keep, 8, proc_id(p));
	assert_pbuf(peek(RO, p, FAKE_DRV_A, 0), keep, 8, proc_id(p));
	assert_pbuf(peek(USR, p, FAKE_DRV_USR, 0), keep, 8, proc_id(p));
}

static void allow_raises_the_high_water_mark_and_brk_cannot_go_below_it(
	void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uintptr_t ms = p->mem_start;
	struct pbuf old;

	(void)st;
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, ms + 500, 20, &old),
			 KERR_OK);
	assert_int_equal(p->allow_hwm, ms + 520);
	/* taking the buffer back does not lower the mark (doc/abi.md §6.2) */
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, 0, 0, &old), KERR_OK);
	assert_int_equal(p->allow_hwm, ms + 520);
	assert_int_equal(proc_brk(p, ms + 519), KERR_NOMEM);
	assert_int_equal(proc_brk(p, ms), KERR_NOMEM);
	assert_int_equal(p->app_break, ms + BRK);
	assert_int_equal(proc_brk(p, ms + 520), KERR_OK);

	/* RO into RAM and userspace-readable raise it too, flash does not */
	assert_int_equal(proc_brk(p, ms + BRK), KERR_OK);
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 0, ms + 600, 4, &old),
			 KERR_OK);
	assert_int_equal(p->allow_hwm, ms + 604);
	assert_int_equal(allow_userspace(p, FAKE_DRV_USR, 0, ms + 700, 4,
					 &old),
			 KERR_OK);
	assert_int_equal(p->allow_hwm, ms + 704);
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 1, p->app_flash, 64, &old),
			 KERR_OK);
	assert_int_equal(p->allow_hwm, ms + 704);
	assert_int_equal(proc_sbrk(p, -(intptr_t)(BRK - 703), &old.addr),
			 KERR_NOMEM);
}

/* ---- swap semantics ---- */

static void each_allow_returns_the_previous_buffer_of_its_own_slot(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uintptr_t ms = p->mem_start;
	struct proc_id me = proc_id(p);
	struct pbuf old;

	(void)st;
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, ms, 8, &old), KERR_OK);
	assert_pbuf(old, 0, 0, no_owner);
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, ms + 8, 16, &old),
			 KERR_OK);
	assert_pbuf(old, ms, 8, me);
	/* growing by re-allowing the same pointer is fine (doc/abi.md §6.4) */
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, ms + 8, 32, &old),
			 KERR_OK);
	assert_pbuf(old, ms + 8, 16, me);

	/* other slots are separate: RW 1, RO 0 (own namespace), driver B */
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 1, ms + 100, 4, &old),
			 KERR_OK);
	assert_pbuf(old, 0, 0, no_owner);
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 0, ms + 200, 4, &old),
			 KERR_OK);
	assert_pbuf(old, 0, 0, no_owner);
	assert_int_equal(allow_rw(p, FAKE_DRV_B, 0, ms + 300, 4, &old),
			 KERR_OK);
	assert_pbuf(old, 0, 0, no_owner);
	/* the same bytes in several slots at once: no overlap checks */
	assert_int_equal(allow_rw(p, FAKE_DRV_B, 0, ms + 8, 32, &old),
			 KERR_OK);
	assert_pbuf(old, ms + 300, 4, me);

	assert_pbuf(peek(RW, p, FAKE_DRV_A, 0), ms + 8, 32, me);
	assert_pbuf(peek(RW, p, FAKE_DRV_A, 1), ms + 100, 4, me);
	assert_pbuf(peek(RO, p, FAKE_DRV_A, 0), ms + 200, 4, me);
	assert_pbuf(peek(RO, p, FAKE_DRV_A, 1), 0, 0, no_owner);
	assert_pbuf(peek(RW, p, FAKE_DRV_B, 0), ms + 8, 32, me);
}

static void a_failed_allow_changes_no_slot_and_no_output(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uintptr_t ms = p->mem_start;
	struct pbuf old;
	uintptr_t kb;

	(void)st;
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 1, ms + 40, 8, &old),
			 KERR_OK);
	kb = p->kernel_break;
	old = (struct pbuf){ 0x77, 0x77, { .gen = 7, .slot = 7 } };
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 1, p->app_break, 8, &old),
			 KERR_INVAL);
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 2, ms, 8, &old),
			 KERR_NOSUPPORT);
	assert_int_equal(allow_rw(p, FAKE_DRV_A, UINT32_MAX, ms, 8, &old),
			 KERR_NOSUPPORT);
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 1, p->flash_start, 8, &old),
			 KERR_INVAL);
	assert_int_equal(old.addr, 0x77);
	assert_int_equal(old.len, 0x77);
	assert_int_equal(p->kernel_break, kb); /* no second grant */
	assert_pbuf(peek(RW, p, FAKE_DRV_A, 1), ms + 40, 8, proc_id(p));
	assert_pbuf(peek(RW, p, FAKE_DRV_A, 0), 0, 0, no_owner);
	assert_pbuf(peek(RO, p, FAKE_DRV_A, 1), 0, 0, no_owner);
}

/* ---- check order ---- */

enum who { LIVE, DEAD, SMALL }; /* DEAD: terminated; SMALL: no grant room */

struct order {
	const char *what;
	enum who who;
	enum cls c;
	uint32_t drv, num;
	bool good_buf;
	enum kerr rc;
};

static const struct order orders[] = {
	{ "NODEVICE before INVAL", LIVE, RW, FAKE_DRV_NONE, 0, false,
	  KERR_NODEVICE },
	{ "NODEVICE before INVAL (RO)", LIVE, RO, FAKE_DRV_NONE, 0, false,
	  KERR_NODEVICE },
	{ "NODEVICE before INVAL (USR)", LIVE, USR, FAKE_DRV_NONE, 0, false,
	  KERR_NODEVICE },
	{ "NODEVICE before FAIL", DEAD, RW, FAKE_DRV_NONE, 0, true,
	  KERR_NODEVICE },
	{ "FAIL before INVAL", DEAD, RW, FAKE_DRV_A, 0, false, KERR_FAIL },
	{ "FAIL (RO)", DEAD, RO, FAKE_DRV_A, 0, true, KERR_FAIL },
	{ "FAIL (USR)", DEAD, USR, FAKE_DRV_USR, 0, true, KERR_FAIL },
	{ "INVAL before NOMEM (no grant)", LIVE, RW, FAKE_DRV_NOGRANT, 0,
	  false, KERR_INVAL },
	{ "INVAL before NOMEM (no room)", SMALL, RW, FAKE_DRV_BIG, 0, false,
	  KERR_INVAL },
	{ "INVAL before NOSUPPORT", LIVE, RW, FAKE_DRV_A, 9, false,
	  KERR_INVAL },
	{ "NOMEM before NOSUPPORT (no grant)", LIVE, RO, FAKE_DRV_NOGRANT, 9,
	  true, KERR_NOMEM },
	{ "NOMEM before NOSUPPORT (no room)", SMALL, RW, FAKE_DRV_BIG, 9,
	  true, KERR_NOMEM },
	{ "NOMEM when the grant does not fit", SMALL, RO, FAKE_DRV_BIG, 0,
	  true, KERR_NOMEM },
	{ "NOSUPPORT for a grant without slots", LIVE, RW, FAKE_DRV_BIG, 0,
	  true, KERR_NOSUPPORT },
	{ "USR: no hook is NOSUPPORT", LIVE, USR, FAKE_DRV_A, 0, true,
	  KERR_NOSUPPORT },
	{ "USR: no hook, no grant", LIVE, USR, FAKE_DRV_NOGRANT, 0, true,
	  KERR_NOSUPPORT },
	{ "USR: INVAL before NOSUPPORT", LIVE, USR, FAKE_DRV_A, 0, false,
	  KERR_INVAL },
	{ "USR: the driver refuses", LIVE, USR, FAKE_DRV_USR, 1, true,
	  KERR_NOSUPPORT },
};

static void checks_run_in_the_spec_order(void **st)
{
	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(orders); i++) {
		const struct order *o = &orders[i];
		size_t mem = 0;
		struct proc *p;
		struct pbuf old = { 0x77, 0x77, { .gen = 7, .slot = 7 } };
		uintptr_t addr;
		uintptr_t kb;
		enum kerr rc;

		fakes_reset();
		if (o->who == SMALL)
			mem = (proc_kernel_overhead() + 1024 + 63) &
			      ~(size_t)63;
		p = fakes_proc(0, mem);
		assert_int_equal(proc_brk(p, p->mem_start + 256), KERR_OK);
		addr = o->good_buf ? p->mem_start : p->app_break;
		if (o->who == DEAD)
			proc_terminate(p, 0);
		kb = p->kernel_break;
		rc = do_allow(o->c, p, o->drv, o->num, addr, 16, &old);
		if (rc != o->rc)
			fail_msg("%s: got %d, want %d", o->what, rc, o->rc);
		assert_int_equal(old.addr, 0x77);
		if (rc != KERR_NOSUPPORT)
			assert_int_equal(p->kernel_break, kb);
		if (rc == KERR_NODEVICE || rc == KERR_FAIL ||
		    rc == KERR_INVAL)
			assert_int_equal(p->allow_hwm, p->mem_start);
	}
}

static void a_driver_without_a_grant_gets_nomem_and_nothing_allocated(
	void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uintptr_t kb = p->kernel_break;
	struct pbuf old;

	(void)st;
	assert_int_equal(allow_rw(p, FAKE_DRV_NOGRANT, 0, p->mem_start, 4,
				  &old),
			 KERR_NOMEM);
	assert_int_equal(allow_ro(p, FAKE_DRV_NOGRANT, 0, p->app_flash, 4,
				  &old),
			 KERR_NOMEM);
	assert_int_equal(p->kernel_break, kb);
	assert_false(grant_allocated(p, &fake_drv_nogrant));
}

static void the_first_allow_allocates_the_grant_once(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uintptr_t kb = p->kernel_break;
	struct pbuf old;

	(void)st;
	assert_false(grant_allocated(p, &fake_drv_a));
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, 0, 0, &old), KERR_OK);
	assert_true(grant_allocated(p, &fake_drv_a));
	assert_int_equal(p->kernel_break, kb - grant_size(&fake_drv_a));
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 1, 0, 0, &old), KERR_OK);
	assert_int_equal(p->kernel_break, kb - grant_size(&fake_drv_a));
}

/* ---- lifetime ---- */

static void restart_empties_every_slot(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf old;

	(void)st;
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, p->mem_start, 8, &old),
			 KERR_OK);
	assert_int_equal(allow_ro(p, FAKE_DRV_B, 0, p->app_flash, 8, &old),
			 KERR_OK);
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, p->mem_start, 4, &old),
			 KERR_OK);
	assert_pbuf(old, 0, 0, no_owner);
	assert_int_equal(allow_ro(p, FAKE_DRV_B, 0, 0, 0, &old), KERR_OK);
	assert_pbuf(old, 0, 0, no_owner);
}

/* ---- from the slot to the driver ---- */

struct use {
	uint32_t n;
	const uint8_t *write; /* copied into the RW buffer */
	uint8_t first;	      /* first byte of the RO buffer */
	size_t rw_len, ro_len;
	uintptr_t rw_ptr;
	enum kerr rc_rw, rc_ro;
};

static enum kerr fill(struct pslice_mut *s, void *ctx)
{
	const struct use *u = ctx;

	return pslice_mut_copy_in(s, u->write, pslice_mut_len(s));
}

static enum kerr first(const struct pslice *s, void *ctx)
{
	struct use *u = ctx;

	return pslice_get(s, 0, &u->first);
}

static enum kerr driver_work(struct grant *g, void *ctx)
{
	struct use *u = ctx;
	struct pbuf_rw rw;
	struct pbuf_ro ro;

	assert_int_equal(grant_rw(g, u->n, &rw), KERR_OK);
	assert_int_equal(grant_ro(g, u->n, &ro), KERR_OK);
	u->rw_len = pbuf_rw_len(&rw);
	u->ro_len = pbuf_ro_len(&ro);
	u->rw_ptr = pbuf_rw_ptr(&rw);
	u->rc_rw = pbuf_rw_mut_enter(&rw, fill, u);
	u->rc_ro = pbuf_ro_enter(&ro, first, u);
	return KERR_OK;
}

static void a_driver_reaches_allowed_memory_through_its_grant(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	static const uint8_t msg[6] = "hello";
	uint8_t *ram = (uint8_t *)p->mem_start;
	uint8_t *fl = (uint8_t *)p->app_flash;
	struct use u = { .n = 1, .write = msg };
	unsigned count = host_mpu.user_access_count;
	struct pbuf old;

	(void)st;
	fl[40] = 0x5C;
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 1, p->mem_start + 10, 6,
				  &old),
			 KERR_OK);
	assert_int_equal(allow_ro(p, FAKE_DRV_A, 1, p->app_flash + 40, 3,
				  &old),
			 KERR_OK);
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, driver_work, &u),
			 KERR_OK);
	assert_int_equal(u.rc_rw, KERR_OK);
	assert_int_equal(u.rc_ro, KERR_OK);
	assert_int_equal(u.rw_len, 6);
	assert_int_equal(u.ro_len, 3);
	assert_int_equal(u.rw_ptr, p->mem_start + 10);
	assert_memory_equal(ram + 10, msg, 6);
	assert_int_equal(ram[9], 0);
	assert_int_equal(ram[16], 0);
	assert_int_equal(u.first, 0x5C);
	assert_int_equal(host_mpu.user_access_count, count + 2);
	assert_int_equal(host_mpu.user_access_depth, 0);

	/* once taken back, the driver sees an empty buffer */
	assert_int_equal(allow_rw(p, FAKE_DRV_A, 1, 0, 0, &old), KERR_OK);
	u.write = NULL;
	assert_int_equal(grant_enter(proc_id(p), &fake_drv_a, driver_work, &u),
			 KERR_OK);
	assert_int_equal(u.rw_len, 0);
	assert_int_equal(u.rw_ptr, 0);
	assert_int_equal(u.rc_rw, KERR_OK); /* empty view, nothing copied */
}

/* ---- userspace-readable ---- */

static void userspace_readable_allow_hands_over_to_the_driver(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uintptr_t ms = p->mem_start;
	struct pbuf old = { 0x77, 0x77, { .gen = 7, .slot = 7 } };

	(void)st;
	assert_int_equal(allow_userspace(p, FAKE_DRV_USR, 0, ms + 32, 16,
					 &old),
			 KERR_OK);
	assert_int_equal(fake_calls.usr_allows, 1);
	assert_pbuf(old, 0, 0, no_owner); /* what the driver held */
	assert_int_equal(allow_userspace(p, FAKE_DRV_USR, 0, 0xBAD, 0, &old),
			 KERR_OK);
	assert_int_equal(fake_calls.usr_allows, 2);
	assert_pbuf(old, ms + 32, 16, proc_id(p)); /* validated as given */
	assert_int_equal(allow_userspace(p, FAKE_DRV_USR, 0, ms, 4, &old),
			 KERR_OK);
	assert_pbuf(old, 0xBAD, 0, proc_id(p));

	/* refused before the driver: flash (RAM only), wrap */
	old = (struct pbuf){ 0x77, 0x77, { .gen = 7, .slot = 7 } };
	assert_int_equal(allow_userspace(p, FAKE_DRV_USR, 0, p->app_flash, 4,
					 &old),
			 KERR_INVAL);
	assert_int_equal(allow_userspace(p, FAKE_DRV_USR, 0, UINTPTR_MAX, 2,
					 &old),
			 KERR_INVAL);
	assert_int_equal(fake_calls.usr_allows, 3);
	/* refused by the driver: nothing returned */
	assert_int_equal(allow_userspace(p, FAKE_DRV_USR, 1, ms, 4, &old),
			 KERR_NOSUPPORT);
	assert_int_equal(old.addr, 0x77);
	/* userspace-readable allows use no kernel slot */
	assert_int_equal(allow_rw(p, FAKE_DRV_USR, 0, ms, 4, &old),
			 KERR_NOSUPPORT);
}

/* ---- the system-call fast path (allow_fast) ---- */

struct fast_case {
	const char *what;
	enum cls c;
	uint32_t drv, num;
	enum anchor at;
	intptr_t off;
	size_t len;
	bool warm;  /* allowed [ms, ms + 64) first: grant, mark, cache */
	bool block; /* the caller is blocked in a yield, not running */
	bool fast;  /* allow_fast() takes it */
};

static const struct fast_case fast_cases[] = {
	{ "again inside the mark", RW, FAKE_DRV_A, 1, MEM_START, 16, 16, true,
	  false, true },
	{ "up to the mark", RO, FAKE_DRV_A, 0, MEM_START, 0, 64, true, false,
	  true },
	{ "revoke", RW, FAKE_DRV_A, 0, ABS, (intptr_t)0xDEADBEEFu, 0, true,
	  false, true },
	{ "past the mark (raises it)", RW, FAKE_DRV_A, 0, MEM_START, 60, 8,
	  true, false, false },
	{ "no grant yet", RW, FAKE_DRV_A, 0, MEM_START, 0, 8, false, false,
	  false },
	{ "slot = declared count", RW, FAKE_DRV_A, 2, MEM_START, 0, 8, true,
	  false, false },
	{ "read-only slot = declared count", RO, FAKE_DRV_A, 2, MEM_START, 0,
	  8, true, false, false },
	{ "unknown driver", RW, FAKE_DRV_NONE, 0, MEM_START, 0, 8, true,
	  false, false },
	{ "below mem_start", RW, FAKE_DRV_A, 0, MEM_START, -4, 8, true, false,
	  false },
	{ "wraps", RW, FAKE_DRV_A, 0, TOP, -16, 0x20, true, false, false },
	{ "read-only in flash", RO, FAKE_DRV_A, 0, APP_FLASH, 16, 4, true,
	  false, false },
	{ "caller not running", RW, FAKE_DRV_A, 0, MEM_START, 0, 8, true,
	  true, false },
};

/*
 * Fresh process 0 prepared for case f; its kernel-owned top and grant
 * region are copied to *top (what any allow may change besides the mark).
 */
static struct proc *fast_setup(const struct fast_case *f, uint8_t *top)
{
	struct proc *p;
	struct pbuf old;

	fakes_reset();
	p = fakes_proc_brk(0, BRK);
	if (f->warm) {
		assert_int_equal(allow_rw(p, FAKE_DRV_A, 0, p->mem_start, 64,
					  &old),
				 KERR_OK);
		assert_int_equal(allow_rw(p, FAKE_DRV_A, 1, p->mem_start + 8,
					  4, &old),
				 KERR_OK);
	}
	p->state = f->block ? PROC_YIELDED : PROC_RUNNABLE;
	memcpy(top, (const void *)p->kernel_break,
	       p->mem_end - p->kernel_break);
	return p;
}

static void fast_path_does_the_general_swap_or_declines_untouched(void **st)
{
	static uint8_t top[FAKE_RAM_SIZE], top2[FAKE_RAM_SIZE];

	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(fast_cases); i++) {
		const struct fast_case *f = &fast_cases[i];
		struct proc *p = fast_setup(f, top);
		uintptr_t addr = at(p, f->at, f->off);
		uintptr_t hwm = p->allow_hwm, kb = p->kernel_break;
		struct pbuf fold = { 0x77, 0x77, { .gen = 7, .slot = 7 } }, gold;
		bool took;

		took = allow_fast(p, f->drv, f->num, addr, f->len, f->c == RO,
				  &fold);
		assert_int_equal(took, f->fast);
		if (!took) {
			/* nothing changed: no slot, no mark, no output */
			assert_int_equal(fold.addr, 0x77);
			assert_int_equal(p->allow_hwm, hwm);
			assert_int_equal(p->kernel_break, kb);
			assert_memory_equal(top, (const void *)kb,
					    p->mem_end - kb);
			continue;
		}
		/* the same call the general way, from the same start */
		memcpy(top2, (const void *)kb, p->mem_end - kb);
		p = fast_setup(f, top);
		assert_int_equal(do_allow(f->c, p, f->drv, f->num, addr, f->len,
					  &gold),
				 KERR_OK);
		assert_pbuf(fold, gold.addr, gold.len, gold.owner);
		assert_int_equal(p->allow_hwm, hwm);
		assert_int_equal(p->kernel_break, kb);
		assert_memory_equal(top2, (const void *)kb, p->mem_end - kb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(conformance_vectors_of_spec_4_6),
		T(a_zero_length_allow_round_trips_its_address_verbatim),
		T(hostile_buffers_are_refused_by_every_allow_class),
		T(allow_raises_the_high_water_mark_and_brk_cannot_go_below_it),
		T(each_allow_returns_the_previous_buffer_of_its_own_slot),
		T(a_failed_allow_changes_no_slot_and_no_output),
		T(checks_run_in_the_spec_order),
		T(a_driver_without_a_grant_gets_nomem_and_nothing_allocated),
		T(the_first_allow_allocates_the_grant_once),
		T(restart_empties_every_slot),
		T(a_driver_reaches_allowed_memory_through_its_grant),
		T(userspace_readable_allow_hands_over_to_the_driver),
		T(fast_path_does_the_general_swap_or_declines_untouched),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
