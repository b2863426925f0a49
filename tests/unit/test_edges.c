// SPDX-License-Identifier: MIT
/*
 * Edges that an audit's mutants showed no test watched (tools/mutants.txt
 * names each one these cases kill):
 *   - grant layout for drivers whose read-write and read-only allow counts
 *     differ (the unit tests' fake drivers all have equal counts): every
 *     upcall slot, allow slot and the driver's record are disjoint and
 *     keep what was put in them;
 *   - a grant whose callback ends its own incarnation (terminate, fault,
 *     restart): the grant is dead at once for the rest of the callback,
 *     and nothing is written into the old grant memory after it returns;
 *   - Yield-NoWait's flag address exactly at the break (not aligned to
 *     the granule, so the protection record still reaches it), through
 *     the fast path and the slow path.
 * This test has its own driver table (it does not link fakes.c): a table
 * is part of the board, and these drivers' shapes are the point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/allow/allow.h"
#include "kernel/allow/pbuf.h"
#include "kernel/driver.h"
#include "kernel/fastpath.h"
#include "kernel/hw.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/tbf.h"
#include "platform/boards/host/host_board.h"

static cmdret_t no_command(struct proc *p, uint32_t cmd, uintptr_t a,
			   uintptr_t b, uintptr_t *more)
{
	(void)p;
	(void)cmd;
	(void)a;
	(void)b;
	(void)more;
	return cmdret_ok();
}

/* Command 1 restarts the caller and answers a plain Success. */
static cmdret_t restart_command(struct proc *p, uint32_t cmd, uintptr_t a,
				uintptr_t b, uintptr_t *more)
{
	(void)a;
	(void)b;
	(void)more;
	if (cmd == 1) {
		proc_terminate(p, 0);
		if (proc_restart(p) != KERR_OK)
			return cmdret_err(KERR_FAIL);
	}
	return cmdret_ok();
}

/* Unequal allow counts, both ways round, and a record of odd size. */
static const struct driver drv_rw = {
	.num = 0x100, .has_grant = true, .upcalls = 2, .ro_allows = 1,
	.rw_allows = 3, .data_size = 24, .command = no_command,
};
static const struct driver drv_ro = {
	.num = 0x101, .has_grant = true, .upcalls = 0, .ro_allows = 3,
	.rw_allows = 1, .data_size = 13, .command = no_command,
};
static const struct driver drv_none = {
	.num = 0x102, .has_grant = true, .upcalls = 1, .ro_allows = 0,
	.rw_allows = 2, .data_size = 8, .command = restart_command,
};

const struct driver *const driver_table[] = { &drv_rw, &drv_ro, &drv_none };
const unsigned driver_count = sizeof(driver_table) / sizeof(driver_table[0]);

#define FLASH_SIZE 4096u
#define RAM_SIZE 16384u
static uint8_t flash[FLASH_SIZE] __attribute__((aligned(4096)));
static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));

static struct proc *make(size_t granule, size_t brk)
{
	struct proc_image img = {
		.flash_start = (uintptr_t)flash,
		.flash_size = FLASH_SIZE,
		.protected_size = 0x80,
		.entry = (uintptr_t)flash + 0x80,
		.name = "edge",
		.name_len = 4,
	};
	struct proc *p = NULL;

	driver_slots_init();
	proc_table_init();
	sched_init();
	host_board_reset();
	host_mpu.granule = granule;
	memset(ram, 0xAA, sizeof(ram));
	assert_int_equal(proc_create(&img, (uintptr_t)ram, RAM_SIZE, &p),
			 KERR_OK);
	assert_int_equal(proc_brk(p, p->mem_start + brk), KERR_OK);
	assert_true(syscall_resume(p)); /* the entry call: running */
	return p;
}

/* ---- grant layout with unequal allow counts ---- */

static enum kerr fill_data(struct grant *g, void *ctx)
{
	const struct driver *d = ctx;

	memset(grant_data(g), 0xC0 + (int)d->num % 16, d->data_size);
	return KERR_OK;
}

struct seen {
	const struct driver *d;
	unsigned bad;
};

static enum kerr check_slots(struct grant *g, void *ctx)
{
	struct seen *s = ctx;
	const struct driver *d = s->d;
	const uint8_t *data = grant_data(g);
	struct pbuf_ro ro;
	struct pbuf_rw rw;

	for (unsigned n = 0; n < d->ro_allows; n++)
		if (grant_ro(g, n, &ro) != KERR_OK ||
		    ro.raw.addr != (uintptr_t)ram + 64 * (n + 1) ||
		    pbuf_ro_len(&ro) != 8 + n)
			s->bad++;
	for (unsigned n = 0; n < d->rw_allows; n++)
		if (grant_rw(g, n, &rw) != KERR_OK ||
		    rw.raw.addr != (uintptr_t)ram + 1024 + 64 * n ||
		    pbuf_rw_len(&rw) != 16 + n)
			s->bad++;
	if (grant_ro(g, d->ro_allows, &ro) != KERR_INVAL ||
	    grant_rw(g, d->rw_allows, &rw) != KERR_INVAL)
		s->bad++;
	for (unsigned i = 0; i < d->data_size; i++)
		if (data[i] != 0xC0 + d->num % 16)
			s->bad++;
	return KERR_OK;
}

static void unequal_allow_counts_keep_slots_and_record_apart(void **state)
{
	struct proc *p = make(4, 4096);
	uintptr_t ofn, oud;

	(void)state;
	for (unsigned k = 0; k < driver_count; k++) {
		const struct driver *d = driver_table[k];
		struct pbuf old;

		/* the record first, then every slot, then the record again */
		assert_int_equal(grant_enter(proc_id(p), d, fill_data,
					     (void *)d),
				 KERR_OK);
		for (unsigned n = 0; n < d->ro_allows; n++)
			assert_int_equal(allow_ro(p, d->num, n,
						  (uintptr_t)ram + 64 * (n + 1),
						  8 + n, &old),
					 KERR_OK);
		for (unsigned n = 0; n < d->rw_allows; n++)
			assert_int_equal(allow_rw(p, d->num, n,
						  (uintptr_t)ram + 1024 + 64 * n,
						  16 + n, &old),
					 KERR_OK);
		for (unsigned n = 0; n < d->upcalls; n++)
			assert_int_equal(grant_subscribe(p, d, n,
							 (uintptr_t)ram + 4 * n,
							 0x5100 + n, &ofn,
							 &oud),
					 KERR_OK);
	}
	for (unsigned k = 0; k < driver_count; k++) {
		struct seen s = { driver_table[k], 0 };

		assert_int_equal(grant_enter(proc_id(p), s.d, check_slots, &s),
				 KERR_OK);
		assert_int_equal(s.bad, 0);
	}
	/* each grant is where the region says and none overlaps another */
	for (unsigned a = 0; a < driver_count; a++) {
		uintptr_t ga = (uintptr_t)p->grants[a];

		assert_true(ga >= p->kernel_break);
		assert_true(ga + grant_size(driver_table[a]) <=
			    p->kernel_break_init);
		for (unsigned b = 0; b < a; b++) {
			uintptr_t gb = (uintptr_t)p->grants[b];

			assert_true(ga + grant_size(driver_table[a]) <= gb ||
				    gb + grant_size(driver_table[b]) <= ga);
		}
	}
	proc_check(p);
}

/* ---- callbacks that end their own incarnation ---- */

enum end_how { END_TERMINATE, END_FAULT, END_RESTART };

struct ending {
	enum end_how how;
	struct proc *p;
	enum kerr upcall, ro, rw; /* what the grant said afterwards */
	uintptr_t lo, hi;	  /* the old grant memory, refilled */
};

static enum kerr end_own(struct grant *g, void *ctx)
{
	struct ending *e = ctx;
	struct pbuf_ro ro;
	struct pbuf_rw rw;

	/* the grant region as it is before the end: this grant is in it */
	e->lo = e->p->kernel_break;
	e->hi = e->p->kernel_break_init;
	if (e->how == END_FAULT)
		proc_mark_faulted(e->p);
	else
		proc_terminate(e->p, 7);
	if (e->how == END_RESTART)
		assert_int_equal(proc_restart(e->p), KERR_OK);
	e->upcall = grant_upcall(g, 0, 1, 2, 3);
	e->ro = grant_ro(g, 0, &ro);
	e->rw = grant_rw(g, 0, &rw);
	/* the memory is free now: let something else use it */
	memset((void *)e->lo, 0x5A, e->hi - e->lo);
	return KERR_OK;
}

static void a_callback_that_ends_its_incarnation_kills_the_grant(void **s)
{
	(void)s;
	for (int how = END_TERMINATE; how <= END_RESTART; how++) {
		struct proc *p = make(4, 2048);
		struct ending e = { (enum end_how)how, p, KERR_OK, KERR_OK,
				    KERR_OK, 0, 0 };
		uintptr_t ofn, oud;

		assert_int_equal(grant_subscribe(p, &drv_rw, 0,
						 (uintptr_t)flash + 0x100, 9,
						 &ofn, &oud),
				 KERR_OK);
		assert_int_equal(grant_enter(proc_id(p), &drv_rw, end_own, &e),
				 KERR_OK);
		assert_int_equal(e.upcall, KERR_INACTIVE);
		assert_int_equal(e.ro, KERR_INACTIVE);
		assert_int_equal(e.rw, KERR_INACTIVE);
		/* nothing was written into the old grant after the call */
		assert_true(e.lo < e.hi);
		for (uintptr_t a = e.lo; a < e.hi; a++)
			assert_int_equal(*(const uint8_t *)a, 0x5A);
		assert_int_equal(p->queue->count, how == END_RESTART);
		proc_check(p);
	}
}

/* ---- process images ---- */

static void an_entry_point_past_the_image_is_refused(void **state)
{
	struct proc_image img = {
		.flash_start = (uintptr_t)flash,
		.flash_size = FLASH_SIZE,
		.protected_size = 0x80,
		.entry = (uintptr_t)flash + FLASH_SIZE,
		.name = "edge",
		.name_len = 4,
	};
	struct proc *p = NULL;

	(void)state;
	proc_table_init();
	host_board_reset();
	assert_int_equal(proc_create(&img, (uintptr_t)ram, RAM_SIZE, &p),
			 KERR_INVAL);
	img.entry -= 2; /* the last halfword: a compressed instruction */
	assert_int_equal(proc_create(&img, (uintptr_t)ram, RAM_SIZE, &p),
			 KERR_OK);
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)v);
	put16(b + 2, (uint16_t)(v >> 16));
}

/*
 * A header whose 4-byte package name ends in a UTF-8 lead byte, right
 * before a TLV whose first byte looks like a continuation byte (an unknown
 * type, 0x00A9): the name check must stop at the name's end.
 */
static void a_name_cut_inside_a_character_is_refused(void **state)
{
	static uint8_t obj[256];
	uint8_t *t = obj + TBF_BASE_SIZE;
	struct tbf_info ti;
	size_t hs;

	(void)state;
	for (int cut = 1; cut >= 0; cut--) {
		memset(obj, 0, sizeof(obj));
		t = obj + TBF_BASE_SIZE;
		put16(t, TBF_TLV_PROGRAM); /* Program: entry 0, 1 KiB RAM */
		put16(t + 2, 20);
		put32(t + 12, 1024);	    /* minimum RAM */
		put32(t + 16, sizeof(obj)); /* binary end */
		t += 24;
		put16(t, TBF_TLV_PACKAGE_NAME);
		put16(t + 2, 4);
		memcpy(t + 4, cut ? "abc\xc3" : "ab\xc3\xa9", 4);
		t += 8;
		put16(t, 0x00A9); /* unknown, stepped over */
		put16(t + 2, 0);
		t += 4;
		put16(t, TBF_TLV_KERNEL_VERSION);
		put16(t + 2, 4);
		put16(t + 4, TBF_KERNEL_MAJOR);
		put16(t + 6, TBF_KERNEL_MINOR);
		t += 8;
		hs = (size_t)(t - obj);
		put16(obj, TBF_VERSION);
		put16(obj + 2, (uint16_t)hs);
		put32(obj + 4, sizeof(obj));
		put32(obj + 8, TBF_FLAG_ENABLED);
		put32(obj + 12, tbf_checksum(obj, hs));
		if (cut) {
			assert_int_equal(tbf_parse(obj, sizeof(obj), &ti),
					 TBF_SKIP);
			assert_int_equal(ti.reason, TBF_SKIP_NAME);
		} else {
			assert_int_equal(tbf_parse(obj, sizeof(obj), &ti),
					 TBF_APP);
			assert_int_equal(ti.name_len, 4);
		}
	}
}

/* ---- Yield-NoWait's flag exactly at the break ---- */

/*
 * A system call as the trap path makes it (pc moved past the ecall): fast,
 * syscall_entry(), which tries the fast path first in a build with
 * CONFIG_FASTPATH=1, else the reference path syscall_handle() alone.
 */
static struct syscall_outcome call(struct proc *p, bool fast, uintptr_t a0,
				   uintptr_t a1, uintptr_t a4)
{
	p->ctx.x[CTX_A0] = a0;
	p->ctx.x[CTX_A1] = a1;
	p->ctx.x[CTX_A4] = a4;
	p->ctx.x[CTX_PC] = p->app_flash + 0x44; /* past the ecall */
	if (!fast)
		return syscall_handle(p);
	return syscall_entry(a0, a1, p->ctx.x[CTX_A2], p->ctx.x[CTX_A3], a4,
			     p);
}

static void nowait_flag_at_the_break_is_not_written(void **state)
{
	static const size_t granules[] = { 4, 4096 };

	(void)state;
	for (unsigned g = 0; g < 2; g++) {
		for (int fast = 0; fast <= 1; fast++) {
			/* a break 2 bytes short of the granule */
			struct proc *p = make(granules[g], 1022);
			uint8_t *brk = (uint8_t *)p->app_break;

			/*
			 * brk zeroed up to the end of the break's granule
			 * (the record reaches it): plant the sentinel the
			 * flag store must not overwrite.
			 */
			assert_int_equal(brk[0], 0);
			brk[0] = 0xAA;
			assert_int_equal(brk[-1], 0);
			brk[-1] = 0x33;
			/* nothing queued: the flag says 0 where it may */
			call(p, fast, SYS_YIELD_NO_WAIT, p->app_break, SYS_YIELD);
			assert_int_equal(brk[0], 0xAA);
			assert_int_equal(p->state, PROC_RUNNABLE);
			call(p, fast, SYS_YIELD_NO_WAIT, p->app_break - 1,
			     SYS_YIELD);
			assert_int_equal(brk[-1], 0);
			assert_int_equal(brk[0], 0xAA);
			/* with an upcall queued too */
			brk[-1] = 0x33;
			{
				struct task t = { .kind = TASK_UPCALL,
						  .drv = 0x100,
						  .fn = p->app_flash + 0x100 };

				assert_int_equal(upcall_push(p, &t), KERR_OK);
			}
			call(p, fast, SYS_YIELD_NO_WAIT, p->app_break, SYS_YIELD);
			assert_int_equal(brk[0], 0xAA);
			assert_int_equal(brk[-1], 0x33);
			proc_check(p);
		}
	}
}

/* ---- upcall functions only where the process may run code ---- */

static void upcall_functions_stop_at_the_break(void **state)
{
	struct proc *p = make(4096, 1024);
	struct {
		uintptr_t fn;
		bool ok;
	} cases[] = {
		{ p->app_break - 4, true },
		{ p->app_break - 2, false },
		{ p->app_break, false },
		{ p->kernel_break - 4, false },
		{ p->flash_end - 4, true },
		{ p->flash_end - 2, false },
		{ p->app_flash, true },
		{ p->flash_start, false },
		{ p->app_flash - 4, false },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int fast = 0; fast <= 1; fast++) {
			p->ctx.x[CTX_A2] = cases[i].fn;
			p->ctx.x[CTX_A3] = 0x77;
			call(p, fast, drv_rw.num, 0, SYS_SUBSCRIBE);
			assert_int_equal(p->state, PROC_RUNNABLE);
			if (cases[i].ok) {
				assert_int_equal(p->ctx.x[CTX_A0],
						 SYS_SUCCESS_FNPTR);
			} else {
				assert_int_equal(p->ctx.x[CTX_A0],
						 SYS_FAILURE_FNPTR);
				assert_int_equal(p->ctx.x[CTX_A1],
						 kerr_abi(KERR_INVAL));
			}
		}
	}
}

/* ---- the fast path's own decisions ---- */

static void a_command_that_restarts_its_caller_writes_nothing(void **state)
{
	(void)state;
	for (int fast = 0; fast <= 1; fast++) {
		struct proc *p = make(4, 1024);
		uint64_t gen = p->gen;
		struct syscall_outcome r;

		p->ctx.x[CTX_A2] = 0;
		p->ctx.x[CTX_A3] = 0;
		r = call(p, fast, drv_none.num, 1, SYS_COMMAND);
		assert_true(p->gen != gen);
		assert_int_equal(p->state, PROC_UNSTARTED);
		/* the new incarnation's registers are its own (all zero) */
		for (unsigned i = 0; i < 32; i++)
			assert_int_equal(p->ctx.x[i], 0);
		assert_int_equal(syscall_out_next(r), SYSCALL_BLOCKED);
	}
}

static void sbrk_on_the_fast_path_loads_the_new_records(void **state)
{
	(void)state;
	for (unsigned op = MEMOP_BRK; op <= MEMOP_SBRK; op++) {
		struct proc *p = make(4, 1024);
		uintptr_t arg = op == MEMOP_BRK ? p->app_break + 512 : 512;

		host_mpu.loaded = NULL;
		assert_int_equal(syscall_out_next(call(p, true, op, arg,
						       SYS_MEMOP)),
				 SYSCALL_RETURN);
		assert_int_equal(p->app_break, p->mem_start + 1536);
		assert_ptr_equal(host_mpu.loaded, p);
		assert_memory_equal(host_mpu.regions, p->regions,
				    sizeof(p->regions));
	}
}

static void classes_with_high_bits_are_declined(void **state)
{
	static const uintptr_t bad[] = { 8, 0x80, 0x81, 0x85, 0xff, 0x108 };

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int fast = 0; fast <= 1; fast++) {
			struct proc *p = make(4, 1024);
			uintptr_t pc = p->app_flash + 0x40;
			enum syscall_next n;

			p->ctx.x[CTX_A2] = 0;
			p->ctx.x[CTX_A3] = 0;
			n = syscall_out_next(call(p, fast, 0, 0, bad[i]));
			if ((bad[i] & 0xff) < 8) {
				/* the class is the low 8 bits: a subscribe */
				assert_true(n != SYSCALL_INVALID);
				continue;
			}
			assert_int_equal(n, SYSCALL_INVALID);
			assert_int_equal(p->ctx.x[CTX_PC], pc);
			assert_int_equal(p->state, PROC_RUNNABLE);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			unequal_allow_counts_keep_slots_and_record_apart),
		cmocka_unit_test(
			a_callback_that_ends_its_incarnation_kills_the_grant),
		cmocka_unit_test(an_entry_point_past_the_image_is_refused),
		cmocka_unit_test(a_name_cut_inside_a_character_is_refused),
		cmocka_unit_test(nowait_flag_at_the_break_is_not_written),
		cmocka_unit_test(upcall_functions_stop_at_the_break),
		cmocka_unit_test(
			a_command_that_restarts_its_caller_writes_nothing),
		cmocka_unit_test(sbrk_on_the_fast_path_loads_the_new_records),
		cmocka_unit_test(classes_with_high_bits_are_declined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
