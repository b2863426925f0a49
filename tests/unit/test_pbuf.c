// SPDX-License-Identifier: MIT
/*
 * Unit tests for kernel/allow/pbuf.c: the doc/abi.md §6.1 validation predicate,
 * the high-water mark, and the re-validation every enter / mut_enter performs
 * (owner generation, current protection records), doc/abi.md §6.
 *
 * Processes run over the fakes' simulated flash and RAM.  Where a test needs
 * a protection record that brk could never produce, it edits p->regions
 * directly: that is the point (the enter check must hold on its own).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/allow/pbuf.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"
#include "tests/unit/pbuf_views.h"
#include "tests/unit/slice_more.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BRK 1024u /* bytes of RAM each test process gets below its break */

static uint8_t kernel_secret[64]; /* a kernel static a process must not reach */

static int setup(void **state)
{
	(void)state;
	fakes_reset();
	return 0;
}

/* ---- callbacks that record what they were given ---- */

struct seen {
	unsigned calls;
	uintptr_t base;
	size_t len;
	unsigned depth;	     /* host_mpu.user_access_depth inside */
	uint8_t bytes[16];   /* first bytes of the view */
	const uint8_t *fill; /* mut: copy_in this (len bytes) */
	enum kerr ret;	     /* what the callback returns */
};

static enum kerr see(const struct pslice *s, void *ctx)
{
	struct seen *c = ctx;

	c->calls++;
	c->base = (uintptr_t)s->base;
	c->len = s->len;
	c->depth = host_mpu.user_access_depth;
	for (size_t i = 0; i < s->len && i < sizeof(c->bytes); i++)
		assert_int_equal(pslice_get(s, i, &c->bytes[i]), KERR_OK);
	return c->ret;
}

static enum kerr see_mut(struct pslice_mut *s, void *ctx)
{
	struct seen *c = ctx;
	struct pslice r = pslice_mut_ro(s);

	see(&r, ctx);
	if (c->fill != NULL)
		assert_int_equal(pslice_mut_copy_in(s, c->fill, s->len),
				 KERR_OK);
	return c->ret;
}

static struct pbuf_rw rw_of(struct pbuf b)
{
	struct pbuf_rw r = { b };
	return r;
}

static struct pbuf_ro ro_of(struct pbuf b)
{
	struct pbuf_ro r = { b };
	return r;
}

static struct pbuf make(struct proc *p, uintptr_t addr, size_t len,
			enum pbuf_access acc)
{
	struct pbuf b;

	assert_int_equal(pbuf_from_user(p, addr, len, acc, &b), KERR_OK);
	return b;
}

/* ---- pbuf_from_user: the doc/abi.md §6.1 predicate, as a table ---- */

enum anchor {
	ABS,	     /* off is an absolute address */
	TOP,	     /* UINTPTR_MAX + 1 + off (off <= 0) */
	MEM_START,
	APP_BREAK,
	KBREAK,	     /* kernel_break: grant region starts here */
	KBREAK_INIT,
	MEM_END,
	FLASH_START,
	APP_FLASH,
	FLASH_END,
	OTHER_RAM,   /* process 1's mem_start */
	OTHER_FLASH, /* process 1's app_flash */
	SECRET,	     /* a kernel static variable */
};

struct claim {
	const char *what;
	enum anchor at;
	intptr_t off;
	size_t len;
	enum kerr rw, ro; /* expected for PBUF_RW and PBUF_RO */
};

#define OK KERR_OK
#define BAD KERR_INVAL
static const struct claim claims[] = {
	{ "first RAM byte", MEM_START, 0, 1, OK, OK },
	{ "all RAM below the break", MEM_START, 0, BRK, OK, OK },
	{ "last byte below the break", APP_BREAK, -1, 1, OK, OK },
	{ "ends exactly at the break", APP_BREAK, -16, 16, OK, OK },
	{ "one byte past the break", APP_BREAK, -1, 2, BAD, BAD },
	{ "starts at the break", APP_BREAK, 0, 1, BAD, BAD },
	{ "one byte below mem_start", MEM_START, -1, 1, BAD, BAD },
	{ "straddles mem_start", MEM_START, -1, 2, BAD, BAD },
	{ "mem_start, one byte past the break", MEM_START, 0, BRK + 1, BAD,
	  BAD },
	{ "gap between breaks", APP_BREAK, 64, 4, BAD, BAD },
	{ "just below kernel_break", KBREAK, -4, 4, BAD, BAD },
	{ "grant region", KBREAK, 0, 4, BAD, BAD },
	{ "kernel-owned top", KBREAK_INIT, 0, 8, BAD, BAD },
	{ "last bytes of the RAM block", MEM_END, -4, 4, BAD, BAD },
	{ "whole RAM block", MEM_START, 0, FAKE_RAM_SIZE, BAD, BAD },
	{ "break to mem_end", APP_BREAK, 0, FAKE_RAM_SIZE - BRK, BAD, BAD },
	{ "spec wrap vector", ABS, (intptr_t)0xFFFFFFF0u, 0x20, BAD, BAD },
	{ "wraps past the top", TOP, -16, 0x20, BAD, BAD },
	{ "ends exactly at the top", TOP, -16, 16, BAD, BAD },
	{ "last address", TOP, -1, 1, BAD, BAD },
	{ "address 1, maximal length", ABS, 1, SIZE_MAX, BAD, BAD },
	{ "mem_start, maximal length", MEM_START, 0, SIZE_MAX, BAD, BAD },
	{ "null page", ABS, 0, 4, BAD, BAD },
	{ "MMIO", ABS, 0x10000000, 4, BAD, BAD },
	{ "kernel static", SECRET, 0, 16, BAD, BAD },
	{ "another process's RAM", OTHER_RAM, 0, 4, BAD, BAD },
	{ "another process's flash", OTHER_FLASH, 0, 4, BAD, BAD },
	{ "first byte after the header", APP_FLASH, 0, 4, BAD, OK },
	{ "all flash after the header", APP_FLASH, 0,
	  FAKE_FLASH_SIZE - FAKE_PROTECTED, BAD, OK },
	{ "ends at flash_end", FLASH_END, -4, 4, BAD, OK },
	{ "past flash_end", FLASH_END, -4, 5, BAD, BAD },
	{ "TBF header", FLASH_START, 0, 4, BAD, BAD },
	{ "last header bytes", APP_FLASH, -4, 4, BAD, BAD },
	{ "straddles the header end", APP_FLASH, -1, 2, BAD, BAD },
	{ "whole TBF", FLASH_START, 0, FAKE_FLASH_SIZE, BAD, BAD },
	{ "zero length at 0", ABS, 0, 0, OK, OK },
	{ "zero length, garbage", ABS, (intptr_t)0xDEADBEEFu, 0, OK, OK },
	{ "zero length at the top", TOP, -1, 0, OK, OK },
	{ "zero length in the grant region", KBREAK, 0, 0, OK, OK },
	{ "zero length on a kernel static", SECRET, 0, 0, OK, OK },
};
#undef OK
#undef BAD

static uintptr_t resolve(const struct proc *p, const struct proc *q,
			 enum anchor at, intptr_t off)
{
	uintptr_t base = 0;

	switch (at) {
	case ABS: base = 0; break;
	case TOP: base = 0; break; /* 0 + off wraps to UINTPTR_MAX + 1 + off */
	case MEM_START: base = p->mem_start; break;
	case APP_BREAK: base = p->app_break; break;
	case KBREAK: base = p->kernel_break; break;
	case KBREAK_INIT: base = p->kernel_break_init; break;
	case MEM_END: base = p->mem_end; break;
	case FLASH_START: base = p->flash_start; break;
	case APP_FLASH: base = p->app_flash; break;
	case FLASH_END: base = p->flash_end; break;
	case OTHER_RAM: base = q->mem_start; break;
	case OTHER_FLASH: base = q->app_flash; break;
	case SECRET: base = (uintptr_t)kernel_secret; break;
	}
	return base + (uintptr_t)off;
}

static void from_user_follows_the_validation_predicate(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK), *q = fakes_proc_brk(1, BRK);
	static const enum pbuf_access accs[] = { PBUF_RW, PBUF_RO };
	void *grant;

	(void)st;
	/* make the grant region non-empty so "grant region" means something */
	assert_int_equal(proc_kernel_alloc(p, 64, 8, &grant), KERR_OK);
	assert_true(p->kernel_break < p->kernel_break_init);
	assert_true(p->app_break + 64 + 4 <= p->kernel_break);
	/* the layout the table is written against */
	assert_int_equal(p->app_flash, p->flash_start + FAKE_PROTECTED);
	assert_int_equal(p->flash_end, p->flash_start + FAKE_FLASH_SIZE);

	for (size_t i = 0; i < ARRAY_LEN(claims); i++) {
		const struct claim *c = &claims[i];
		uintptr_t addr = resolve(p, q, c->at, c->off);

		for (size_t a = 0; a < ARRAY_LEN(accs); a++) {
			enum kerr want = accs[a] == PBUF_RW ? c->rw : c->ro;
			struct pbuf out = { 0x1234, 0x5678, { .gen = 99, .slot = 7 } };
			uintptr_t hwm = p->allow_hwm;
			enum kerr rc;
			bool in_ram;

			rc = pbuf_from_user(p, addr, c->len, accs[a], &out);
			if (rc != want)
				fail_msg("%s (%s): got %d, want %d", c->what,
					 accs[a] == PBUF_RW ? "RW" : "RO", rc,
					 want);
			if (rc != KERR_OK) {
				/* nothing written, mark untouched */
				assert_int_equal(out.addr, 0x1234);
				assert_int_equal(out.len, 0x5678);
				assert_int_equal(out.owner.gen, 99);
				assert_int_equal(p->allow_hwm, hwm);
				continue;
			}
			assert_int_equal(out.addr, addr);
			assert_int_equal(out.len, c->len);
			assert_int_equal(out.owner.gen, p->gen);
			assert_int_equal(out.owner.slot, p->slot);
			in_ram = c->len != 0 && addr >= p->mem_start &&
				 addr < p->mem_end;
			if (in_ram)
				assert_int_equal(p->allow_hwm,
						 hwm > addr + c->len ?
							 hwm :
							 addr + c->len);
			else
				assert_int_equal(p->allow_hwm, hwm);
		}
	}
}

static void a_wrapped_end_that_lands_below_the_break_is_refused(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	/*
	 * addr is above mem_start and addr + len, computed modulo 2^XLEN,
	 * lands 4 bytes above mem_start, inside [mem_start, app_break]: a
	 * check that forgot the wrap would accept most of the address space.
	 */
	uintptr_t addr = UINTPTR_MAX - 15;
	size_t len = 16 + p->mem_start + 4;
	struct pbuf out;

	(void)st;
	assert_true(addr >= p->mem_start);
	assert_true(addr + len == p->mem_start + 4);
	assert_int_equal(pbuf_from_user(p, addr, len, PBUF_RW, &out),
			 KERR_INVAL);
	assert_int_equal(pbuf_from_user(p, addr, len, PBUF_RO, &out),
			 KERR_INVAL);
	assert_int_equal(p->allow_hwm, p->mem_start);
}

static void high_water_mark_only_rises_and_blocks_brk_below_it(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uintptr_t ms = p->mem_start;

	(void)st;
	assert_int_equal(p->allow_hwm, ms);
	make(p, ms + 100, 28, PBUF_RW);
	assert_int_equal(p->allow_hwm, ms + 128);
	make(p, ms, 8, PBUF_RO); /* lower end: mark stays */
	assert_int_equal(p->allow_hwm, ms + 128);
	make(p, ms + 1000, 0, PBUF_RW); /* empty: never raises */
	assert_int_equal(p->allow_hwm, ms + 128);
	make(p, p->app_flash, 64, PBUF_RO); /* flash: never raises */
	assert_int_equal(p->allow_hwm, ms + 128);

	assert_int_equal(proc_brk(p, ms + 127), KERR_NOMEM);
	assert_int_equal(p->app_break, ms + BRK);
	assert_int_equal(proc_brk(p, ms + 128), KERR_OK);
	assert_int_equal(p->app_break, ms + 128);
}

/* ---- len / ptr ---- */

static void zero_length_keeps_its_address_but_never_exposes_it(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf b = make(p, 0xDEADBEEF, 0, PBUF_RW);
	struct pbuf_rw rw = rw_of(b);
	struct pbuf_ro ro = ro_of(b);
	struct seen c = { 0 };
	unsigned count = host_mpu.user_access_count;

	(void)st;
	assert_int_equal(b.addr, 0xDEADBEEF); /* verbatim, for the swap */
	assert_int_equal(pbuf_rw_ptr(&rw), 0);
	assert_int_equal(pbuf_rw_mut_ptr(&rw), 0);
	assert_int_equal(pbuf_ro_ptr(&ro), 0);
	assert_int_equal(pbuf_rw_len(&rw), 0);
	assert_int_equal(pbuf_ro_len(&ro), 0);

	/* the callback runs, with an empty view */
	c.base = 1;
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_OK);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.base, 0);
	assert_int_equal(c.len, 0);
	c.base = 1;
	assert_int_equal(pbuf_ro_enter(&ro, see, &c), KERR_OK);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_OK);
	assert_int_equal(c.calls, 3);
	assert_int_equal(c.base, 0);
	/* nothing of the process is touched, so no user-access bracket */
	assert_int_equal(host_mpu.user_access_count, count);
}

static void ptr_and_len_of_a_live_buffer_give_its_range(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->mem_start + 8, 24, PBUF_RW));
	struct pbuf_ro ro = ro_of(make(p, p->app_flash + 4, 12, PBUF_RO));

	(void)st;
	assert_int_equal(pbuf_rw_ptr(&rw), p->mem_start + 8);
	assert_int_equal(pbuf_rw_mut_ptr(&rw), p->mem_start + 8);
	assert_int_equal(pbuf_rw_len(&rw), 24);
	assert_int_equal(pbuf_ro_ptr(&ro), p->app_flash + 4);
	assert_int_equal(pbuf_ro_len(&ro), 12);
}

/* ---- enter / mut_enter ---- */

static void enter_shows_ram_and_flash_and_mut_enter_writes_ram(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uint8_t *ram = (uint8_t *)p->mem_start, *fl = (uint8_t *)p->app_flash;
	static const uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct pbuf_rw rw = rw_of(make(p, p->mem_start + 16, 8, PBUF_RW));
	struct pbuf_ro ro = ro_of(make(p, p->app_flash, 4, PBUF_RO));
	struct seen c = { .ret = KERR_OK, .fill = data };

	(void)st;
	memcpy(fl, "\x11\x22\x33\x44", 4);
	assert_int_equal(pbuf_ro_enter(&ro, see, &c), KERR_OK);
	assert_int_equal(c.base, p->app_flash);
	assert_int_equal(c.len, 4);
	assert_memory_equal(c.bytes, "\x11\x22\x33\x44", 4);

	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_OK);
	assert_int_equal(c.base, p->mem_start + 16);
	assert_int_equal(c.len, 8);
	assert_memory_equal(ram + 16, data, 8);
	assert_int_equal(ram[15], 0); /* brk zeroed it; untouched since */
	assert_int_equal(ram[24], 0);

	c.fill = NULL;
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_OK);
	assert_memory_equal(c.bytes, data, 8);
	assert_int_equal(c.calls, 3);
}

static void enter_returns_the_callbacks_result_and_brackets_user_access(
	void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->mem_start, 4, PBUF_RW));
	struct pbuf_ro ro = ro_of(make(p, p->app_flash, 4, PBUF_RO));
	struct seen c = { .ret = KERR_BUSY };
	unsigned count = host_mpu.user_access_count;

	(void)st;
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_BUSY);
	assert_int_equal(c.depth, 1);
	c.ret = KERR_SIZE;
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_SIZE);
	assert_int_equal(c.depth, 1);
	c.ret = KERR_NOACK;
	assert_int_equal(pbuf_ro_enter(&ro, see, &c), KERR_NOACK);
	assert_int_equal(c.depth, 1);
	assert_int_equal(host_mpu.user_access_count, count + 3);
	assert_int_equal(host_mpu.user_access_depth, 0);
}

static void a_default_descriptor_never_runs_the_callback(void **st)
{
	struct pbuf_rw rw = { { 0, 0, { .gen = 0 } } };
	struct pbuf_ro ro = { { 0, 0, { .gen = 0 } } };
	/* a default owner with a non-empty range must not resolve either */
	struct pbuf_rw rw2 = { { 0, 0, { .gen = 0 } } };
	struct seen c = { 0 };

	(void)st;
	/* slot 0 free (its generation is 0 too) */
	assert_int_equal(pbuf_rw_len(&rw), 0);
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_ro_enter(&ro, see, &c), KERR_NOSUCHAPP);
	assert_int_equal(c.calls, 0);

	fakes_proc_brk(0, BRK); /* slot 0 in use: gen 0 must still not match */
	rw2.raw.addr = proc_table[0].mem_start;
	rw2.raw.len = 4;
	assert_int_equal(pbuf_rw_len(&rw), 0);
	assert_int_equal(pbuf_rw_ptr(&rw), 0);
	assert_int_equal(pbuf_ro_len(&ro), 0);
	assert_int_equal(pbuf_ro_ptr(&ro), 0);
	assert_int_equal(pbuf_rw_len(&rw2), 0);
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_ro_enter(&ro, see, &c), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_rw_mut_enter(&rw2, see_mut, &c),
			 KERR_NOSUCHAPP);
	assert_int_equal(pbuf_rw_enter(&rw2, see, &c), KERR_NOSUCHAPP);
	assert_int_equal(c.calls, 0);
}

static void mut_enter_is_refused_once_the_ram_record_is_taken_away(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->mem_start + 32, 16, PBUF_RW));
	uint8_t *ram = (uint8_t *)p->mem_start;
	static const uint8_t junk[16] = { [0 ... 15] = 0xEE };
	struct seen c = { .fill = junk };
	struct mpu_region saved = p->regions[PROC_REGION_RAM];

	(void)st;
	/* no record at all */
	p->regions[PROC_REGION_RAM].size = 0;
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOACCESS);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_NOACCESS);
	/* the record ends inside the buffer, or one byte short of its end */
	p->regions[PROC_REGION_RAM].size = 40;
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOACCESS);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_NOACCESS);
	p->regions[PROC_REGION_RAM].size = 47;
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOACCESS);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_NOACCESS);
	/*
	 * A nonsense record that wraps past the top, starting above it, is
	 * not refused here: records never wrap (proc.h), and proc_check()
	 * catches one that does wherever records change.
	 */
	p->regions[PROC_REGION_RAM].base = p->mem_start + 64;
	p->regions[PROC_REGION_RAM].size = UINTPTR_MAX - 8;
	expect_assert_failure(proc_check(p));
	/* the record starts inside the buffer */
	p->regions[PROC_REGION_RAM] = saved;
	p->regions[PROC_REGION_RAM].base += 36;
	p->regions[PROC_REGION_RAM].size -= 36;
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOACCESS);
	/*
	 * A RAM record without R and W cannot exist either (proc.h): mut_enter
	 * does not test the permissions on every call, proc_check() catches
	 * such a record wherever records change.  Read-only enter, which may
	 * also use the flash record, still wants R.
	 */
	p->regions[PROC_REGION_RAM] = saved;
	p->regions[PROC_REGION_RAM].perm = MPU_R;
	expect_assert_failure(proc_check(p));
	assert_int_equal(c.calls, 0);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_OK);
	assert_int_equal(c.calls, 1);
	p->regions[PROC_REGION_RAM].perm = MPU_W;
	expect_assert_failure(proc_check(p));
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_NOACCESS);
	assert_int_equal(c.calls, 1);
	for (size_t i = 0; i < BRK; i++)
		if (ram[i] == 0xEE)
			fail_msg("byte %zu was written", i);
	/* the record exactly covering the buffer is enough */
	p->regions[PROC_REGION_RAM] =
		(struct mpu_region){ p->mem_start + 32, 16, MPU_R | MPU_W };
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_OK);
	assert_memory_equal(ram + 32, junk, 16);
	p->regions[PROC_REGION_RAM] = saved;
}

static void ro_enter_of_ram_is_refused_once_the_ram_record_is_taken_away(
	void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_ro ro = ro_of(make(p, p->mem_start, 8, PBUF_RO));
	struct seen c = { 0 };

	(void)st;
	p->regions[PROC_REGION_RAM].size = 0;
	assert_int_equal(pbuf_ro_enter(&ro, see, &c), KERR_NOACCESS);
	assert_int_equal(c.calls, 0);
}

static void a_flash_range_is_never_mut_entered(void **st)
{
	/* a descriptor over flash smuggled into the RW type */
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->app_flash, 8, PBUF_RO));
	struct seen c = { 0 };

	(void)st;
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOACCESS);
	assert_int_equal(c.calls, 0);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_OK);
	assert_int_equal(c.calls, 1);
}

static void a_descriptor_kept_across_restart_is_dead(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	static const uint8_t junk[64] = { [0 ... 63] = 0xEE };
	struct pbuf_rw rw = rw_of(make(p, p->mem_start, 64, PBUF_RW));
	struct pbuf_ro ro = ro_of(make(p, p->app_flash, 8, PBUF_RO));
	struct pbuf_rw empty = rw_of(make(p, 0xDEADBEEF, 0, PBUF_RW));
	struct seen c = { .fill = junk };
	uint8_t *ram = (uint8_t *)p->mem_start;

	(void)st;
	assert_int_equal(proc_restart(p), KERR_OK);
	/* the new incarnation grows to the same size and owns the bytes */
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	memset(ram, 0x5A, 64);

	assert_int_equal(pbuf_rw_len(&rw), 0);
	assert_int_equal(pbuf_ro_len(&ro), 0);
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_ro_enter(&ro, see, &c), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_rw_mut_enter(&empty, see_mut, &c),
			 KERR_NOSUCHAPP);
	assert_int_equal(c.calls, 0);
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(ram[i], 0x5A);
	/* ptr() has no liveness check (doc/abi.md §6.5) */
	assert_int_equal(pbuf_rw_ptr(&rw), p->mem_start);
}

static void a_terminated_process_still_resolves_until_its_slot_changes(
	void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->mem_start + 4, 4, PBUF_RW));
	static const uint8_t w[4] = { 9, 9, 9, 9 };
	struct seen c = { .fill = w };

	(void)st;
	proc_terminate(p, 3);
	/* doc/abi.md §6.7: the id is unchanged and the RAM still reserved */
	assert_int_equal(pbuf_rw_len(&rw), 4);
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_OK);
	assert_int_equal(c.calls, 1);
	assert_memory_equal((uint8_t *)p->mem_start + 4, w, 4);

	proc_free(p);
	assert_int_equal(pbuf_rw_len(&rw), 0);
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOSUCHAPP);
	assert_int_equal(c.calls, 1);
}

static void a_descriptor_does_not_resolve_to_a_new_process_in_its_slot(
	void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->mem_start, 4, PBUF_RW));
	struct seen c = { 0 };

	(void)st;
	proc_free(p);
	p = fakes_proc_brk(0, BRK); /* same slot, same memory, new process */
	assert_int_equal(rw.raw.owner.slot, p->slot);
	assert_int_equal(pbuf_rw_len(&rw), 0);
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOSUCHAPP);
	assert_int_equal(c.calls, 0);
}

static void generations_are_compared_in_all_their_bits(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->mem_start, 4, PBUF_RW));
	struct seen c = { 0 };
	proc_gen_t top = (proc_gen_t)1 << (CONFIG_PROC_GEN_BITS - 1);

	(void)st;
	/*
	 * the next generation differs from the old only in the top bit
	 * (bit 63: above bit 31 too, where a truncating compare would stop)
	 */
	proc_test_set_gen(p, top | (rw.raw.owner.gen - 1));
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(p->gen & ~top, rw.raw.owner.gen);
	assert_true(p->gen != rw.raw.owner.gen);
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	assert_int_equal(pbuf_rw_len(&rw), 0);
	assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_NOSUCHAPP);
	assert_int_equal(c.calls, 0);
}

static void an_owner_slot_out_of_range_never_resolves(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->mem_start, 4, PBUF_RW));
	static const uint32_t slots[] = { PROC_MAX, PROC_MAX + 1, 256,
					  UINT32_MAX };
	struct seen c = { 0 };

	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(slots); i++) {
		rw.raw.owner.slot = slots[i];
		assert_int_equal(pbuf_rw_len(&rw), 0);
		assert_int_equal(pbuf_rw_mut_enter(&rw, see_mut, &c),
				 KERR_NOSUCHAPP);
		assert_int_equal(pbuf_rw_enter(&rw, see, &c), KERR_NOSUCHAPP);
	}
	assert_int_equal(c.calls, 0);
}

/*
 * The enter paths look the owner up themselves (a short inline check);
 * it must agree with proc_get() in every lifecycle state.
 */
static void owner_lookup_agrees_with_proc_get_in_every_state(void **st)
{
	enum step { LIVE, STOPPED, TERMINATED, FAULTED, RESTARTED, FREED,
		    REUSED, NSTEPS };
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = rw_of(make(p, p->mem_start, 4, PBUF_RW));

	(void)st;
	for (int s = LIVE; s < NSTEPS; s++) {
		struct seen c = { 0 };
		bool live;
		enum kerr rc;

		switch (s) {
		case STOPPED: p->state = PROC_STOPPED; break;
		case TERMINATED: proc_terminate(p, 0); break;
		case FAULTED: proc_mark_faulted(p); break;
		case RESTARTED:
			assert_int_equal(proc_restart(p), KERR_OK);
			assert_int_equal(proc_brk(p, p->mem_start + BRK),
					 KERR_OK);
			break;
		case FREED: proc_free(p); break;
		case REUSED: p = fakes_proc_brk(0, BRK); break;
		}
		live = proc_get(rw.raw.owner) != NULL;
		assert_int_equal(live, s <= FAULTED);
		assert_int_equal(pbuf_rw_len(&rw), live ? 4 : 0);
		rc = pbuf_rw_mut_enter(&rw, see_mut, &c);
		assert_int_equal(rc, live ? KERR_OK : KERR_NOSUCHAPP);
		rc = pbuf_rw_enter(&rw, see, &c);
		assert_int_equal(rc, live ? KERR_OK : KERR_NOSUCHAPP);
		assert_int_equal(c.calls, live ? 2 : 0);
	}
}

/*
 * pbuf_from_user() never makes a non-empty descriptor without an owner,
 * but should one exist it must not run against a free slot, whose
 * generation is 0 too: the slot's records are empty (proc.h).
 */
static void a_non_empty_ownerless_descriptor_never_runs(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw rw = { { 0, 4, { .gen = 0 } } };
	struct seen c = { 0 };

	(void)st;
	rw.raw.addr = p->mem_start;
	proc_free(p);
	assert_int_not_equal(pbuf_rw_mut_enter(&rw, see_mut, &c), KERR_OK);
	assert_int_not_equal(pbuf_rw_enter(&rw, see, &c), KERR_OK);
	assert_int_equal(c.calls, 0);
}

/* ---- aliasing (doc/abi.md §6.4) ---- */

struct pair {
	const struct pbuf_rw *other;
	size_t idx;  /* where to write in the outer view */
	uint8_t val;
	uint8_t got; /* read through the other view */
	size_t got_idx;
};

static enum kerr read_other(const struct pslice *s, void *ctx)
{
	struct pair *pr = ctx;

	return pslice_get(s, pr->got_idx, &pr->got);
}

static enum kerr write_then_read_other(struct pslice_mut *s, void *ctx)
{
	struct pair *pr = ctx;

	assert_int_equal(pslice_mut_set(s, pr->idx, pr->val), KERR_OK);
	return pbuf_rw_enter(pr->other, read_other, ctx);
}

static void overlapping_rw_buffers_see_each_others_writes(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct pbuf_rw a = rw_of(make(p, p->mem_start + 100, 32, PBUF_RW));
	struct pbuf_rw b = rw_of(make(p, p->mem_start + 116, 32, PBUF_RW));
	struct pair pr = { .other = &b, .idx = 20, .val = 0xC3, .got_idx = 4 };

	(void)st;
	assert_int_equal(pbuf_rw_mut_enter(&a, write_then_read_other, &pr),
			 KERR_OK);
	assert_int_equal(pr.got, 0xC3);
	pr = (struct pair){ .other = &a, .idx = 0, .val = 0x3C, .got_idx = 16 };
	assert_int_equal(pbuf_rw_mut_enter(&b, write_then_read_other, &pr),
			 KERR_OK);
	assert_int_equal(pr.got, 0x3C);
	assert_int_equal(host_mpu.user_access_depth, 0);
}

struct mv {
	const struct pbuf_rw *src;
	struct pslice_mut *dst;
	enum kerr rc;
};

static enum kerr do_move(const struct pslice *s, void *ctx)
{
	struct mv *m = ctx;

	m->rc = pslice_move(m->dst, s);
	return m->rc;
}

static enum kerr move_into(struct pslice_mut *d, void *ctx)
{
	struct mv *m = ctx;

	m->dst = d;
	return pbuf_rw_enter(m->src, do_move, m);
}

static void move_between_overlapping_process_views_is_memmove(void **st)
{
	static const intptr_t shifts[] = { 5, -5, 1, -1, 31, -31 };
	struct proc *p = fakes_proc_brk(0, BRK);
	uint8_t *ram = (uint8_t *)p->mem_start;

	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(shifts); i++) {
		uintptr_t s0 = p->mem_start + 200;
		uintptr_t d0 = s0 + (uintptr_t)shifts[i];
		struct pbuf_rw src = rw_of(make(p, s0, 32, PBUF_RW));
		struct pbuf_rw dst = rw_of(make(p, d0, 32, PBUF_RW));
		uint8_t expect[320];
		struct mv m = { .src = &src };

		for (size_t j = 0; j < 320; j++)
			ram[j] = (uint8_t)(j * 7 + i);
		memcpy(expect, ram, sizeof(expect));
		memmove(expect + 200 + shifts[i], expect + 200, 32);
		assert_int_equal(pbuf_rw_mut_enter(&dst, move_into, &m),
				 KERR_OK);
		assert_int_equal(m.rc, KERR_OK);
		assert_memory_equal(ram, expect, sizeof(expect));
	}
}

/* ---- the callback-free copies ---- */

/*
 * copy_in / copy_out move exactly [off, off + n) of the buffer, at every
 * offset and length around the word size and the 32-byte round (both
 * alignments of kernel and process side), and nothing else; a part that
 * does not fit is KERR_SIZE with nothing moved.
 */
static void copies_move_exactly_the_part(bool direct)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uint8_t *ram = (uint8_t *)p->mem_start;
	static _Alignas(8) uint8_t kbuf[128 + 8];
	uint8_t expect[BRK];
	unsigned permits = host_mpu.user_permits;
	unsigned outs = host_mpu.user_access_count; /* brk's zeroing: 1 */

	mpu_user_direct = direct ? p : NULL;
	for (size_t start = 0; start < 9; start++) {
		struct pbuf_rw rw =
			rw_of(make(p, p->mem_start + 16 + start, 96,
				   PBUF_RW));
		struct pbuf_ro ro = ro_of(rw.raw);

		for (size_t off = 0; off <= 96; off += 7) {
			for (size_t n = 0; off + n <= 96; n += 5) {
				for (size_t k = 0; k < 2; k++) {
					uint8_t *kb = kbuf + k * 3;

					for (size_t i = 0; i < BRK; i++)
						ram[i] = (uint8_t)(i * 13 + n);
					for (size_t i = 0; i < 96; i++)
						kb[i] = (uint8_t)(i ^ 0xA5);
					memcpy(expect, ram, BRK);
					memcpy(expect + 16 + start + off, kb,
					       n);
					assert_int_equal(pbuf_rw_copy_in(
								 &rw, off, kb,
								 n),
							 KERR_OK);
					assert_memory_equal(ram, expect, BRK);
					memset(kb, 0, 96);
					assert_int_equal(pbuf_ro_copy_out(
								 &ro, off, kb,
								 n),
							 KERR_OK);
					assert_memory_equal(
						kb, ram + 16 + start + off, n);
					for (size_t i = n; i < 96; i++)
						assert_int_equal(kb[i], 0);
					memset(kb, 0, 96);
					assert_int_equal(pbuf_rw_copy_out(
								 &rw, off, kb,
								 n),
							 KERR_OK);
					assert_memory_equal(
						kb, ram + 16 + start + off, n);
				}
			}
		}
		/* parts that do not fit, sums that would wrap included */
		static const size_t bad[][2] = {
			{ 0, 97 }, { 96, 1 }, { 97, 0 }, { 1, 96 },
			{ SIZE_MAX, 2 }, { 2, SIZE_MAX }, { SIZE_MAX, 0 },
		};
		memset(ram, 0x11, BRK);
		memset(kbuf, 0x22, sizeof(kbuf));
		for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
			assert_int_equal(pbuf_rw_copy_in(&rw, bad[i][0], kbuf,
							 bad[i][1]),
					 KERR_SIZE);
			assert_int_equal(pbuf_ro_copy_out(&ro, bad[i][0],
							  kbuf, bad[i][1]),
					 KERR_SIZE);
			assert_int_equal(pbuf_rw_copy_out(&rw, bad[i][0],
							  kbuf, bad[i][1]),
					 KERR_SIZE);
		}
		for (size_t i = 0; i < BRK; i++)
			assert_int_equal(ram[i], 0x11);
		for (size_t i = 0; i < sizeof(kbuf); i++)
			assert_int_equal(kbuf[i], 0x22);
	}
	assert_int_equal(host_mpu.user_access_depth, 0);
	assert_false(host_mpu.user_permitted);
	/* the inline bracket was taken exactly when asked for */
	assert_true((host_mpu.user_permits != permits) == direct);
	assert_true((host_mpu.user_access_count != outs) == !direct);
}

/*
 * Both brackets (kernel/hw.h): the inline one, taken for mpu_user_direct,
 * and the out-of-line one, each with its own copy of the loop.
 */
static void copies_move_exactly_the_part_asked_for(void **st)
{
	(void)st;
	copies_move_exactly_the_part(false);
}

static void copies_move_exactly_the_part_asked_for_inline(void **st)
{
	(void)st;
	copies_move_exactly_the_part(true);
}

/* Bracket openings so far: inline ones if direct, else out-of-line. */
static unsigned brackets(bool direct)
{
	return direct ? host_mpu.user_permits : host_mpu.user_access_count;
}

/*
 * The copies validate as enter / mut_enter do, and bracket user access;
 * direct: with the inline bracket (the checks come first all the same).
 */
static void copies_validate(bool direct)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	uint8_t *ram = (uint8_t *)p->mem_start;
	struct pbuf_rw rw = rw_of(make(p, p->mem_start + 32, 16, PBUF_RW));
	struct pbuf_rw flash_rw = rw_of(make(p, p->app_flash, 8, PBUF_RO));
	struct pbuf_ro flash = ro_of(flash_rw.raw);
	struct pbuf_rw none = { 0 };
	struct pbuf_rw empty = rw_of(make(p, 0xDEADBEEF, 0, PBUF_RW));
	struct mpu_region saved = p->regions[PROC_REGION_RAM];
	static const uint8_t junk[16] = { [0 ... 15] = 0xEE };
	uint8_t out[16] = { 0 };
	unsigned before;

	mpu_user_direct = direct ? p : NULL;
	memset(ram, 0, BRK);
	/* a live one: the bracket opens once per non-empty copy */
	before = brackets(direct);
	assert_int_equal(pbuf_rw_copy_in(&rw, 0, junk, 16), KERR_OK);
	assert_int_equal(brackets(direct), before + 1);
	assert_int_equal(pbuf_ro_copy_out(&flash, 0, out, 8), KERR_OK);
	assert_memory_equal(out, (const void *)p->app_flash, 8);
	/* flash is never written, nor read as read-write */
	assert_int_equal(pbuf_rw_copy_in(&flash_rw, 0, junk, 8),
			 KERR_NOACCESS);
	assert_int_equal(pbuf_rw_copy_out(&flash_rw, 0, out, 8),
			 KERR_NOACCESS);
	/* no owner; an empty buffer copies nothing, and only 0 bytes */
	assert_int_equal(pbuf_rw_copy_in(&none, 0, junk, 0), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_rw_copy_in(&empty, 0, junk, 0), KERR_OK);
	assert_int_equal(pbuf_rw_copy_in(&empty, 0, junk, 1), KERR_SIZE);
	/* the RAM record no longer covers the buffer */
	memset(ram, 0, BRK);
	p->regions[PROC_REGION_RAM].size = 47;
	before = brackets(direct);
	assert_int_equal(pbuf_rw_copy_in(&rw, 0, junk, 1), KERR_NOACCESS);
	assert_int_equal(pbuf_rw_copy_out(&rw, 0, out, 1), KERR_NOACCESS);
	assert_int_equal(brackets(direct), before);
	p->regions[PROC_REGION_RAM] = saved;
	/*
	 * a restart kills it (the host's mpu_user_direct still names p:
	 * the generation is checked all the same)
	 */
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	before = brackets(direct);
	assert_int_equal(pbuf_rw_copy_in(&rw, 0, junk, 16), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_rw_copy_out(&rw, 0, out, 16), KERR_NOSUCHAPP);
	assert_int_equal(pbuf_ro_copy_out(&flash, 0, out, 8),
			 KERR_NOSUCHAPP);
	assert_int_equal(brackets(direct), before);
	for (size_t i = 0; i < BRK; i++)
		assert_int_equal(ram[i], 0);
	assert_int_equal(host_mpu.user_access_depth, 0);
	assert_false(host_mpu.user_permitted);
}

static void copies_validate_as_enter_does(void **st)
{
	(void)st;
	copies_validate(false);
}

static void copies_validate_as_enter_does_inline(void **st)
{
	(void)st;
	copies_validate(true);
}

/* ---- which bracket a copy takes (kernel/hw.h) ---- */

struct nested {
	const struct pbuf_rw *b;
	enum kerr rc;
	bool before, after; /* host_mpu.user_permitted around the copy */
};

static enum kerr copy_inside(struct pslice_mut *s, void *ctx)
{
	struct nested *n = ctx;
	static const uint8_t four[4] = { 4, 3, 2, 1 };

	(void)s;
	n->before = host_mpu.user_permitted;
	n->rc = pbuf_rw_copy_in(n->b, 0, four, 4);
	n->after = host_mpu.user_permitted;
	return KERR_OK;
}

/*
 * The inline bracket is the permission bit alone, so it is taken only for
 * the process the backend names in mpu_user_direct (its space loaded and
 * current): a copy to or from another process's buffer takes the
 * out-of-line bracket, which loads that space.  Inside an open bracket
 * (a mut_enter callback) the inline one leaves the bit set.
 */
static void copies_bracket_inline_only_for_the_direct_process(void **st)
{
	struct proc *p = fakes_proc_brk(0, BRK);
	struct proc *q = fakes_proc_brk(1, BRK);
	struct pbuf_rw bp = rw_of(make(p, p->mem_start + 8, 16, PBUF_RW));
	struct pbuf_rw bq = rw_of(make(q, q->mem_start + 8, 16, PBUF_RW));
	struct pbuf_ro rq = ro_of(bq.raw);
	static const uint8_t src[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
					 9, 10, 11, 12, 13, 14, 15, 16 };
	uint8_t out[16];
	struct nested n = { .b = &bp };
	unsigned outs = host_mpu.user_access_count; /* brk's zeroing */

	(void)st;
	memset((void *)p->mem_start, 0, BRK);
	memset((void *)q->mem_start, 0, BRK);
	mpu_user_direct = p;
	assert_int_equal(pbuf_rw_copy_in(&bp, 0, src, 16), KERR_OK);
	assert_int_equal(pbuf_rw_copy_out(&bp, 0, out, 16), KERR_OK);
	assert_memory_equal(out, src, 16);
	assert_int_equal(host_mpu.user_permits, 2);
	assert_int_equal(host_mpu.user_access_count, outs);
	assert_false(host_mpu.user_permitted);
	/* q's buffer while p is direct: out of line, into q's memory */
	assert_int_equal(pbuf_rw_copy_in(&bq, 0, src, 16), KERR_OK);
	memset(out, 0, sizeof(out));
	assert_int_equal(pbuf_ro_copy_out(&rq, 0, out, 16), KERR_OK);
	assert_memory_equal(out, src, 16);
	assert_memory_equal((const void *)(q->mem_start + 8), src, 16);
	assert_int_equal(host_mpu.user_permits, 2);
	assert_int_equal(host_mpu.user_access_count, outs + 2);
	/* and p's while q is direct, or no one */
	mpu_user_direct = q;
	assert_int_equal(pbuf_rw_copy_in(&bp, 0, src, 16), KERR_OK);
	mpu_user_direct = NULL;
	assert_int_equal(pbuf_rw_copy_out(&bp, 0, out, 16), KERR_OK);
	assert_int_equal(host_mpu.user_permits, 2);
	assert_int_equal(host_mpu.user_access_count, outs + 4);
	/* nested in p's own mut_enter: the bit stays for the callback */
	mpu_user_direct = p;
	assert_int_equal(pbuf_rw_mut_enter(&bp, copy_inside, &n), KERR_OK);
	assert_int_equal(n.rc, KERR_OK);
	assert_true(n.before && n.after);
	assert_int_equal(host_mpu.user_permits, 3);
	assert_false(host_mpu.user_permitted);
	assert_int_equal(host_mpu.user_access_depth, 0);
	assert_memory_equal((const void *)(p->mem_start + 8), "\4\3\2\1", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(from_user_follows_the_validation_predicate),
		T(a_wrapped_end_that_lands_below_the_break_is_refused),
		T(high_water_mark_only_rises_and_blocks_brk_below_it),
		T(zero_length_keeps_its_address_but_never_exposes_it),
		T(ptr_and_len_of_a_live_buffer_give_its_range),
		T(enter_shows_ram_and_flash_and_mut_enter_writes_ram),
		T(enter_returns_the_callbacks_result_and_brackets_user_access),
		T(a_default_descriptor_never_runs_the_callback),
		T(mut_enter_is_refused_once_the_ram_record_is_taken_away),
		T(ro_enter_of_ram_is_refused_once_the_ram_record_is_taken_away),
		T(a_flash_range_is_never_mut_entered),
		T(a_descriptor_kept_across_restart_is_dead),
		T(a_terminated_process_still_resolves_until_its_slot_changes),
		T(a_descriptor_does_not_resolve_to_a_new_process_in_its_slot),
		T(generations_are_compared_in_all_their_bits),
		T(an_owner_slot_out_of_range_never_resolves),
		T(owner_lookup_agrees_with_proc_get_in_every_state),
		T(a_non_empty_ownerless_descriptor_never_runs),
		T(overlapping_rw_buffers_see_each_others_writes),
		T(move_between_overlapping_process_views_is_memmove),
		T(copies_move_exactly_the_part_asked_for),
		T(copies_validate_as_enter_does),
		T(copies_validate_as_enter_does_inline),
		T(copies_move_exactly_the_part_asked_for_inline),
		T(copies_bracket_inline_only_for_the_direct_process),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
