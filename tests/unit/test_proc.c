// SPDX-License-Identifier: MIT
/*
 * Unit tests for kernel/proc/proc.c: process creation and the layout of the
 * RAM block (doc/abi.md §7.2, §8.5), identities and generations (§8.1),
 * brk/sbrk and the allow high-water mark (§6.2, §8.6), the kernel allocator
 * behind grants (§7.3), terminate/restart/fault (§8.4), and proc_check() firing
 * on each broken invariant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ALL_KINDS ((1u << TASK_UPCALL) | (1u << TASK_NULL) | (1u << TASK_ENTRY))

static uintptr_t ram(unsigned i)
{
	return (uintptr_t)fake_ram[i];
}

static struct proc_image image(unsigned i)
{
	struct proc_image img = {
		.flash_start = (uintptr_t)fake_flash[i],
		.flash_size = FAKE_FLASH_SIZE,
		.protected_size = FAKE_PROTECTED,
		.entry = (uintptr_t)fake_flash[i] + FAKE_PROTECTED + 0x10,
		.name = "t",
	};
	return img;
}

static struct proc *fresh(void)
{
	fakes_reset();
	return fakes_proc(0, 0);
}

/* Everything brk and friends may change, to show a refusal changed none. */
struct snap {
	uintptr_t app_break, kernel_break, allow_hwm;
	uint32_t epoch;
	struct mpu_region regions[PROC_REGIONS];
};

static struct snap snap(const struct proc *p)
{
	struct snap s;

	memset(&s, 0, sizeof(s));
	s.app_break = p->app_break;
	s.kernel_break = p->kernel_break;
	s.allow_hwm = p->allow_hwm;
	s.epoch = p->mpu_epoch;
	memcpy(s.regions, p->regions, sizeof(s.regions));
	return s;
}

static void assert_unchanged(const struct proc *p, const struct snap *s)
{
	struct snap now = snap(p);

	assert_memory_equal(&now, s, sizeof(now));
}

/* ---- creation and layout ---- */

static void create_lays_out_the_ram_block_as_documented(void **st)
{
	struct proc *p = fresh();
	uintptr_t end = ram(0) + FAKE_RAM_SIZE;

	(void)st;
	assert_ptr_equal(p, &proc_table[0]);
	assert_int_equal(p->state, PROC_UNSTARTED);
	assert_int_equal(p->mem_start, ram(0));
	assert_int_equal(p->mem_end, end);
	assert_int_equal(p->app_break, ram(0));
	assert_int_equal(p->allow_hwm, ram(0));
	assert_int_equal(p->kernel_break, p->kernel_break_init);
	assert_int_equal(end - p->kernel_break_init, proc_kernel_overhead());
	assert_int_equal(p->kernel_break_init % 8, 0);
	/* the backend's state sits at kernel_break_init, the queue above it,
	 * the table above that, all inside the block and apart */
	assert_ptr_equal(proc_mpu_state(p), (void *)p->kernel_break_init);
	assert_true(mpu_state_size() > 0); /* the host board keeps some */
	assert_true(p->kernel_break_init + mpu_state_size() <=
		    (uintptr_t)p->queue);
	assert_true((uintptr_t)p->queue + sizeof(*p->queue) <=
		    (uintptr_t)p->grants);
	assert_true((uintptr_t)(p->grants + driver_count) <= end);
	assert_int_equal((uintptr_t)p->grants % sizeof(void *), 0);
	for (unsigned i = 0; i < driver_count; i++)
		assert_null(p->grants[i]);
	assert_int_equal(p->flash_start, (uintptr_t)fake_flash[0]);
	assert_int_equal(p->flash_end, p->flash_start + FAKE_FLASH_SIZE);
	assert_int_equal(p->app_flash, p->flash_start + FAKE_PROTECTED);
	assert_string_equal(p->name, "fake");
}

static void create_sets_flash_rx_and_an_empty_ram_region(void **st)
{
	struct proc *p = fresh();
	const struct mpu_region *f = &p->regions[PROC_REGION_FLASH];
	const struct mpu_region *r = &p->regions[PROC_REGION_RAM];

	(void)st;
	assert_int_equal(f->base, (uintptr_t)fake_flash[0]);
	assert_int_equal(f->size, FAKE_FLASH_SIZE);
	assert_int_equal(f->perm, MPU_R | MPU_X);
	assert_int_equal(r->base, ram(0));
	assert_int_equal(r->size, 0);
	assert_int_equal(r->perm, MPU_R | MPU_W);
	assert_false(proc_region_allows(p, ram(0), 1, MPU_R));
	assert_true(proc_region_allows(p, p->app_flash, 4, MPU_R | MPU_X));
}

static void create_queues_the_entry_call_with_spec_arguments(void **st)
{
	struct proc *p = fresh();
	struct task t;

	(void)st;
	assert_int_equal(upcall_count(p, ALL_KINDS), 1);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.kind, TASK_ENTRY);
	assert_int_equal(t.fn, (uintptr_t)fake_flash[0] + FAKE_PROTECTED);
	assert_int_equal(t.arg[0], (uint32_t)p->app_flash);
	assert_int_equal(t.arg[1], (uint32_t)ram(0));
	assert_int_equal(t.arg[2], FAKE_RAM_SIZE);
	assert_int_equal(t.userdata, ram(0));
}

static void create_rejects_bad_images_and_ram_blocks(void **st)
{
	static const struct {
		const char *what;
		intptr_t mem_off;     /* added to fake_ram[0] */
		size_t mem_len;
		size_t protected_size;
		intptr_t entry_off;   /* added to flash_start + 0x90 */
		int wrap_flash;
		enum kerr want;
	} cases[] = {
		{ "misaligned mem_start", 2, 4096, 0x80, 0, 0, KERR_INVAL },
		{ "mem block wraps", 0, SIZE_MAX - 8, 0x80, 0, 0, KERR_INVAL },
		{ "too small for kernel part", 0, 64, 0x80, 0, 0, KERR_NOMEM },
		{ "empty mem block", 0, 0, 0x80, 0, 0, KERR_NOMEM },
		{ "protected beyond flash", 0, 4096, FAKE_FLASH_SIZE + 1, 0, 0,
		  KERR_INVAL },
		{ "entry in the header", 0, 4096, 0x80, -0x20, 0, KERR_INVAL },
		{ "entry past the TBF", 0, 4096, 0x80, FAKE_FLASH_SIZE, 0,
		  KERR_INVAL },
		{ "flash wraps", 0, 4096, 0x80, 0, 1, KERR_INVAL },
	};

	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct proc_image img = image(0);
		struct proc *p = (struct proc *)0x1;

		fakes_reset();
		img.protected_size = cases[i].protected_size;
		img.entry = img.flash_start + 0x90 + cases[i].entry_off;
		if (cases[i].wrap_flash)
			img.flash_size = SIZE_MAX;
		print_message("# case: %s\n", cases[i].what);
		assert_int_equal(proc_create(&img, ram(0) + cases[i].mem_off,
					     cases[i].mem_len, &p),
				 cases[i].want);
		assert_ptr_equal(p, (struct proc *)0x1);
		assert_int_equal(proc_table[0].state, PROC_FREE);
	}
}

static void create_accepts_a_block_just_big_enough_for_the_kernel(void **st)
{
	struct proc_image img = image(0);
	struct proc *p = NULL;

	(void)st;
	fakes_reset();
	assert_int_equal(proc_create(&img, ram(0), proc_kernel_overhead(), &p),
			 KERR_OK);
	assert_int_equal(p->kernel_break_init, ram(0));
	/* no byte left for the heap, and none for a grant */
	assert_int_equal(proc_brk(p, ram(0) + 1), KERR_NOMEM);
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_NOMEM);
}

static void create_refuses_a_layout_the_mpu_cannot_express(void **st)
{
	struct proc_image img = image(0);
	struct proc *p = NULL;

	(void)st;
	fakes_reset();
	host_mpu.refuse = true;
	assert_int_equal(proc_create(&img, ram(0), FAKE_RAM_SIZE, &p),
			 KERR_SIZE);
	assert_null(p);
	assert_int_equal(proc_table[0].state, PROC_FREE);
}

static void create_fails_with_nomem_when_every_slot_is_taken(void **st)
{
	/* a block of its own: every fake_ram[] block is in use */
	static uint8_t spare[FAKE_RAM_SIZE] __attribute__((aligned(4096)));
	struct proc_image img = image(0);
	struct proc *p = NULL;

	(void)st;
	fakes_reset();
	for (unsigned i = 0; i < PROC_MAX; i++)
		assert_ptr_equal(fakes_proc(i, 0), &proc_table[i]);
	assert_int_equal(proc_create(&img, (uintptr_t)spare, sizeof(spare),
				     &p),
			 KERR_NOMEM);
	assert_null(p);
}

/*
 * proc_create()'s precondition (doc/proofs.md): the caller (the loader)
 * never hands it RAM a live process holds, which a KASSERT checks.  A
 * terminated process still holds its block; a freed slot does not.
 */
static void create_kasserts_that_no_two_blocks_overlap(void **st)
{
	struct proc_image img = image(1);
	struct proc *p = NULL;
	enum kerr rc;

	(void)st;
	fakes_reset();
	fakes_proc(0, 0);
	expect_assert_failure(rc = proc_create(&img,
					       ram(0) + FAKE_RAM_SIZE / 2,
					       FAKE_RAM_SIZE, &p));
	proc_terminate(&proc_table[0], 0);
	expect_assert_failure(rc = proc_create(&img, ram(0), FAKE_RAM_SIZE,
					       &p));
	(void)rc;
	proc_free(&proc_table[0]);
	assert_int_equal(proc_create(&img, ram(0), FAKE_RAM_SIZE, &p),
			 KERR_OK);
}

static void create_honours_the_configured_ram_limit(void **st)
{
	(void)st;
#if CONFIG_PROC_RAM_MAX != 0
	struct proc_image img = image(0);
	struct proc *p = NULL;
	size_t max = CONFIG_PROC_RAM_MAX;

	fakes_reset();
	assert_true(max + 4096 <= sizeof(fake_ram));
	assert_int_equal(proc_create(&img, ram(0), max + 4, &p), KERR_NOMEM);
	assert_null(p);
	assert_int_equal(proc_create(&img, ram(0), max, &p), KERR_OK);
	assert_int_equal(p->mem_end - p->mem_start, max);
#else
	/* 0 means no limit: the whole pool in one block is fine.  (Set up a
	 * build with -Dproc_ram_max=16384 to see the limit bite.) */
	struct proc_image img = image(0);
	struct proc *p = NULL;

	fakes_reset();
	assert_int_equal(proc_create(&img, ram(0), sizeof(fake_ram), &p),
			 KERR_OK);
	assert_int_equal(p->mem_end, ram(0) + sizeof(fake_ram));
#endif
}

/* ---- identity and generations ---- */

static void proc_get_resolves_only_the_current_incarnation(void **st)
{
	struct proc *p = fresh();
	struct proc_id id = proc_id(p);
	struct proc_id empty = { 0 };
	struct proc_id out_of_range = { .gen = id.gen, .slot = PROC_MAX };
	struct proc_id huge_slot = { .gen = id.gen, .slot = UINT32_MAX };
	struct proc_id free_slot = { .gen = 1, .slot = 1 };
	struct proc_id wrong_gen = { .gen = id.gen + 1, .slot = 0 };

	(void)st;
	assert_ptr_equal(proc_get(id), p);
	assert_null(proc_get(empty));
	assert_null(proc_get(out_of_range));
	assert_null(proc_get(huge_slot));
	assert_null(proc_get(free_slot));
	assert_null(proc_get(wrong_gen));
	/* gen 0 on a live slot still names nothing */
	empty.slot = 0;
	assert_null(proc_get(empty));
}

static void restart_gives_a_new_generation_and_stales_the_old_id(void **st)
{
	struct proc *p = fresh();
	struct proc_id old = proc_id(p);

	(void)st;
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_true(p->gen > old.gen);
	assert_null(proc_get(old));
	assert_ptr_equal(proc_get(proc_id(p)), p);
}

static void app_ids_count_kernel_wide_over_creates_and_restarts(void **st)
{
	struct proc *a = fresh(), *b, *c;
	uint32_t first_b;

	(void)st;
	b = fakes_proc(1, 0);
	assert_int_equal(a->app_id, 0);
	assert_int_equal(b->app_id, 1);
	assert_int_equal(a->gen, b->gen); /* generations are per slot */
	first_b = b->app_id;
	assert_int_equal(proc_restart(a), KERR_OK);
	assert_int_equal(a->app_id, 2);
	assert_int_equal(b->app_id, first_b); /* others keep theirs */
	proc_terminate(b, 0);
	assert_int_equal(b->app_id, first_b); /* terminate keeps it */
	proc_free(b);
	c = fakes_proc(1, 0);
	assert_int_equal(c->app_id, 3);
	/* a fresh table starts again from 0 */
	a = fresh();
	assert_int_equal(a->app_id, 0);
}

static void a_freed_and_reused_slot_never_repeats_a_generation(void **st)
{
	struct proc *p = fresh();
	struct proc_id first = proc_id(p), second;
	struct proc *q;

	(void)st;
	proc_free(p);
	assert_int_equal(p->state, PROC_FREE);
	assert_null(proc_get(first));
	q = fakes_proc(0, 0);
	assert_ptr_equal(q, p); /* same slot */
	second = proc_id(q);
	assert_true(second.gen > first.gen);
	assert_null(proc_get(first));
	assert_ptr_equal(proc_get(second), q);
}

static void generations_run_to_the_maximum_then_retire_the_slot(void **st)
{
	struct proc *p = fresh();
	struct proc_id before, at_max;
	struct proc *q;

	(void)st;
	proc_test_set_gen(p, PROC_GEN_MAX - 1);
	before = proc_id(p);
	assert_ptr_equal(proc_get(before), p);

	/* the last generation is still handed out */
	assert_int_equal(proc_restart(p), KERR_OK);
	at_max = proc_id(p);
	assert_true(at_max.gen == PROC_GEN_MAX);
	assert_null(proc_get(before));

	/* no generation left: refused, left terminated, not wrapped to 1 */
	assert_int_equal(proc_restart(p), KERR_FAIL);
	assert_int_equal(p->state, PROC_TERMINATED);
	assert_true(p->gen == PROC_GEN_MAX);
	assert_false(proc_alive(p));
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);

	/* once freed, the retired slot is skipped and its ids stay stale */
	proc_free(p);
	assert_null(proc_get(at_max));
	q = fakes_proc(0, 0);
	assert_ptr_equal(q, &proc_table[1]);
	assert_null(proc_get(at_max));
	assert_null(proc_get(before));
	assert_int_equal(proc_table[0].state, PROC_FREE);
}

static void terminate_keeps_the_generation_and_stops_being_alive(void **st)
{
	struct proc *p = fresh();
	struct proc_id id = proc_id(p);

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 256), KERR_OK);
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_OK);
	proc_terminate(p, 42);
	assert_int_equal(p->state, PROC_TERMINATED);
	assert_int_equal(p->exit_code, 42);
	assert_ptr_equal(proc_get(id), p);
	assert_false(proc_alive(p));
	assert_false(grant_allocated(p, &fake_drv_a));
	assert_int_equal(p->kernel_break, p->kernel_break_init);
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);
	/* the RAM stays reserved: the break is untouched */
	assert_int_equal(p->app_break, ram(0) + 256);
}

static void alive_means_unstarted_running_yielded_or_stopped(void **st)
{
	static const struct {
		uint8_t state;
		bool alive;
	} cases[] = {
		{ PROC_FREE, false },	     { PROC_UNSTARTED, true },
		{ PROC_RUNNABLE, true },     { PROC_YIELDED, true },
		{ PROC_YIELDED_FOR, true },  { PROC_STOPPED, true },
		{ PROC_FAULTED, false },     { PROC_TERMINATED, false },
	};
	struct proc p;

	(void)st;
	memset(&p, 0, sizeof(p));
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		p.state = cases[i].state;
		assert_int_equal(proc_alive(&p), cases[i].alive);
	}
}

static void mark_faulted_drops_kernel_state_and_keeps_the_id(void **st)
{
	struct proc *p = fresh();
	struct proc_id id = proc_id(p);

	(void)st;
	assert_int_equal(grant_alloc(p, &fake_drv_b), KERR_OK);
	proc_mark_faulted(p);
	assert_int_equal(p->state, PROC_FAULTED);
	assert_false(proc_alive(p));
	assert_ptr_equal(proc_get(id), p);
	assert_false(grant_allocated(p, &fake_drv_b));
	assert_int_equal(p->kernel_break, p->kernel_break_init);
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);
}

/* ---- brk / sbrk ---- */

static void brk_growing_zeroes_the_new_memory_inside_user_access(void **st)
{
	struct proc *p = fresh();
	uint8_t *m = fake_ram[0];

	(void)st;
	assert_int_equal(m[0], 0xAA);
	assert_int_equal(proc_brk(p, ram(0) + 100), KERR_OK);
	for (int i = 0; i < 100; i++)
		assert_int_equal(m[i], 0);
	assert_int_equal(m[100], 0xAA);
	assert_int_equal(host_mpu.user_access_count, 1);
	assert_int_equal(host_mpu.user_access_depth, 0);

	/* shrink, dirty, grow again: regained memory is zero again */
	assert_int_equal(proc_brk(p, ram(0) + 40), KERR_OK);
	m[50] = 0x55;
	assert_int_equal(proc_brk(p, ram(0) + 60), KERR_OK);
	assert_int_equal(m[50], 0);
	assert_int_equal(host_mpu.user_access_count, 2);
}

static void brk_shrinking_touches_no_memory(void **st)
{
	struct proc *p = fresh();

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 64), KERR_OK);
	fake_ram[0][10] = 0x77;
	assert_int_equal(proc_brk(p, ram(0) + 8), KERR_OK);
	assert_int_equal(p->app_break, ram(0) + 8);
	assert_int_equal(fake_ram[0][10], 0x77);
	assert_int_equal(host_mpu.user_access_count, 1);
	assert_int_equal(p->regions[PROC_REGION_RAM].size, 8);
}

static void brk_updates_the_ram_region_and_bumps_the_epoch(void **st)
{
	struct proc *p = fresh();
	uint32_t e = p->mpu_epoch;

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 1001), KERR_OK);
	/* granule 4: the region ends at the break rounded up to 4 */
	assert_int_equal(p->regions[PROC_REGION_RAM].base, ram(0));
	assert_int_equal(p->regions[PROC_REGION_RAM].size, 1004);
	assert_int_equal(p->mpu_epoch, e + 1);
	assert_true(proc_region_allows(p, ram(0) + 1000, 4, MPU_R | MPU_W));
	assert_false(proc_region_allows(p, ram(0) + 1000, 5, MPU_R));
	/* same rounded region: nothing for the scheduler to reload */
	assert_int_equal(proc_brk(p, ram(0) + 1003), KERR_OK);
	assert_int_equal(p->mpu_epoch, e + 1);
	assert_int_equal(proc_brk(p, ram(0) + 2000), KERR_OK);
	assert_int_equal(p->mpu_epoch, e + 2);
}

/* What mpu_configure() last left in p's state (the host keeps records). */
static void assert_backend_state_is_current(const struct proc *p)
{
	assert_memory_equal(proc_mpu_state(p), p->regions,
			    sizeof(p->regions));
}

static void every_change_of_records_reaches_the_backend_state(void **st)
{
	struct proc *p = fresh();
	unsigned n = host_mpu.configures;
	void *g;

	(void)st;
	assert_true(n >= 1); /* create configured it */
	assert_backend_state_is_current(p);
	assert_int_equal(proc_brk(p, ram(0) + 1000), KERR_OK);
	assert_int_equal(host_mpu.configures, n + 1);
	assert_backend_state_is_current(p);
	/* unchanged records: nothing to derive */
	assert_int_equal(proc_brk(p, ram(0) + 999), KERR_OK);
	assert_int_equal(host_mpu.configures, n + 1);
	/* refused: nothing changed */
	assert_int_equal(proc_brk(p, p->mem_end), KERR_NOMEM);
	assert_int_equal(host_mpu.configures, n + 1);
	assert_int_equal(proc_brk(p, ram(0) + 500), KERR_OK);
	assert_int_equal(host_mpu.configures, n + 2);
	assert_backend_state_is_current(p);
	/* grants come from below the state and never overwrite it */
	while (proc_kernel_alloc(p, 64, 8, &g) == KERR_OK)
		assert_true((uintptr_t)g + 64 <= p->kernel_break_init);
	assert_backend_state_is_current(p);
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(host_mpu.configures, n + 3);
	assert_backend_state_is_current(p);
	/* and what a load hands the hardware is that state */
	mpu_load(p);
	assert_memory_equal(host_mpu.regions, p->regions, sizeof(p->regions));
}

static void brk_refuses_out_of_bounds_breaks_changing_nothing(
	void **st)
{
	struct {
		const char *what;
		uintptr_t brk;
	} cases[6];
	struct proc *p = fresh();
	struct snap s;
	size_t n = 0;

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 512), KERR_OK);
	proc_raise_allow_mark(p, ram(0) + 256);
	cases[n].what = "below the high-water mark";
	cases[n++].brk = ram(0) + 255;
	cases[n].what = "below mem_start";
	cases[n++].brk = ram(0) - 4;
	cases[n].what = "at mem_end";
	cases[n++].brk = p->mem_end;
	cases[n].what = "past mem_end";
	cases[n++].brk = p->mem_end + 4096;
	cases[n].what = "into the grant region";
	cases[n++].brk = p->kernel_break + 1;
	cases[n].what = "zero";
	cases[n++].brk = 0;

	s = snap(p);
	memset(fake_ram[0] + 512, 0xAA, 64);
	for (size_t i = 0; i < n; i++) {
		print_message("# case: %s\n", cases[i].what);
		assert_int_equal(proc_brk(p, cases[i].brk), KERR_NOMEM);
		assert_unchanged(p, &s);
	}
	assert_int_equal(fake_ram[0][600], 0xAA);
	/* the boundaries themselves are fine */
	assert_int_equal(proc_brk(p, ram(0) + 256), KERR_OK);
	assert_int_equal(proc_brk(p, p->kernel_break), KERR_OK);
}

static void brk_refuses_when_the_mpu_cannot_express_the_region(void **st)
{
	struct proc *p = fresh();
	struct snap s = snap(p);

	(void)st;
	host_mpu.refuse = true;
	assert_int_equal(proc_brk(p, ram(0) + 128), KERR_NOMEM);
	assert_unchanged(p, &s);
	assert_int_equal(fake_ram[0][0], 0xAA); /* nothing zeroed */
	host_mpu.refuse = false;
	assert_int_equal(proc_brk(p, ram(0) + 128), KERR_OK);
}

static void brk_refuses_a_process_that_is_not_alive(void **st)
{
	struct proc *p = fresh();
	struct snap s;

	(void)st;
	proc_terminate(p, 0);
	s = snap(p);
	assert_int_equal(proc_brk(p, ram(0) + 128), KERR_NOMEM);
	assert_unchanged(p, &s);
}

static void sbrk_moves_by_signed_steps_and_returns_the_old_break(
	void **st)
{
	struct proc *p = fresh();
	uintptr_t old = 0;

	(void)st;
	assert_int_equal(proc_sbrk(p, 64, &old), KERR_OK);
	assert_int_equal(old, ram(0));
	assert_int_equal(p->app_break, ram(0) + 64);
	assert_int_equal(proc_sbrk(p, -24, &old), KERR_OK);
	assert_int_equal(old, ram(0) + 64);
	assert_int_equal(p->app_break, ram(0) + 40);
	assert_int_equal(proc_sbrk(p, 0, &old), KERR_OK);
	assert_int_equal(old, ram(0) + 40);
}

static void sbrk_refuses_increments_that_wrap_or_cross_a_bound(void **st)
{
	struct proc *p = fresh();
	uintptr_t old = 12345;
	struct snap s;

	(void)st;
	assert_int_equal(proc_sbrk(p, 32, &old), KERR_OK);
	s = snap(p);
	old = 12345;
	/* below address 0: break + inc wraps to the top of the space */
	assert_int_equal(proc_sbrk(p, -(intptr_t)p->app_break - 16, &old),
			 KERR_NOMEM);
	assert_int_equal(proc_sbrk(p, INTPTR_MIN, &old), KERR_NOMEM);
	assert_int_equal(proc_sbrk(p, INTPTR_MAX, &old), KERR_NOMEM);
	assert_int_equal(proc_sbrk(p, -33, &old), KERR_NOMEM);
	assert_int_equal(proc_sbrk(p, FAKE_RAM_SIZE, &old), KERR_NOMEM);
	assert_int_equal(old, 12345);
	assert_unchanged(p, &s);
}

static void the_allow_mark_only_rises_and_holds_the_break_up(void **st)
{
	struct proc *p = fresh();

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 400), KERR_OK);
	proc_raise_allow_mark(p, ram(0) + 300);
	proc_raise_allow_mark(p, ram(0) + 100); /* lower: ignored */
	assert_int_equal(p->allow_hwm, ram(0) + 300);
	assert_int_equal(proc_brk(p, ram(0) + 299), KERR_NOMEM);
	assert_int_equal(proc_brk(p, ram(0) + 300), KERR_OK);
	/* restart puts it back */
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(p->allow_hwm, ram(0));
}

static void page_granule_keeps_break_and_grants_a_page_apart(void **st)
{
	struct proc *p;
	uintptr_t page3 = ram(0) + 3 * 4096;
	void *mem = NULL;

	(void)st;
	fakes_reset();
	host_mpu.granule = 4096;
	p = fakes_proc(0, 0);
	/* the last page holds the kernel part, so the break stops at 3 */
	assert_int_equal(proc_brk(p, page3 + 1), KERR_NOMEM);
	assert_int_equal(proc_brk(p, p->kernel_break - 8), KERR_NOMEM);
	assert_int_equal(proc_brk(p, page3 - 100), KERR_OK);
	assert_int_equal(p->regions[PROC_REGION_RAM].size, 3 * 4096);
	assert_int_equal(proc_brk(p, page3), KERR_OK);

	/* a grant may not reach down into the break's last page either,
	 * although it would stay above the break itself */
	assert_int_equal(proc_brk(p, page3 - 100), KERR_OK);
	assert_int_equal(proc_kernel_alloc(p, p->kernel_break - page3 + 8, 8,
					   &mem),
			 KERR_NOMEM);
	assert_int_equal(proc_kernel_alloc(p, p->kernel_break - page3, 8,
					   &mem),
			 KERR_OK);
	assert_int_equal((uintptr_t)mem, page3);
	/* and now the break cannot enter the grant's page */
	assert_int_equal(proc_brk(p, page3 + 1), KERR_NOMEM);
}

/* ---- kernel allocator ---- */

static void kernel_alloc_carves_zeroed_aligned_memory_downwards(void **st)
{
	struct proc *p = fresh();
	uintptr_t kb = p->kernel_break;
	void *a = NULL, *b = NULL;

	(void)st;
	assert_int_equal(proc_kernel_alloc(p, 20, 8, &a), KERR_OK);
	assert_int_equal((uintptr_t)a % 8, 0);
	assert_true((uintptr_t)a + 20 <= kb);
	assert_int_equal(p->kernel_break, (uintptr_t)a);
	for (int i = 0; i < 20; i++)
		assert_int_equal(((uint8_t *)a)[i], 0);
	assert_int_equal(proc_kernel_alloc(p, 100, 64, &b), KERR_OK);
	assert_int_equal((uintptr_t)b % 64, 0);
	assert_true((uintptr_t)b + 100 <= (uintptr_t)a);
	assert_int_equal(((uint8_t *)b)[99], 0);
}

static void kernel_alloc_refuses_to_cross_the_break_or_wrap(void **st)
{
	struct proc *p = fresh();
	void *out = (void *)0x1;
	struct snap s;

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 1000), KERR_OK);
	s = snap(p);
	assert_int_equal(proc_kernel_alloc(p, p->kernel_break - ram(0) - 999,
					   4, &out),
			 KERR_NOMEM);
	assert_int_equal(proc_kernel_alloc(p, SIZE_MAX, 8, &out), KERR_NOMEM);
	assert_int_equal(proc_kernel_alloc(p, p->kernel_break, 8, &out),
			 KERR_NOMEM);
	/* alignment pushing it below the break also counts */
	assert_int_equal(proc_kernel_alloc(p, p->kernel_break - ram(0) - 1000,
					   4096, &out),
			 KERR_NOMEM);
	assert_ptr_equal(out, (void *)0x1);
	assert_unchanged(p, &s);
	/* exactly down to the break is fine */
	assert_int_equal(proc_kernel_alloc(p, p->kernel_break - ram(0) - 1000,
					   4, &out),
			 KERR_OK);
	assert_int_equal((uintptr_t)out, ram(0) + 1000);
}

/* ---- restart ---- */

static void restart_resets_memory_registers_and_queues_the_entry(void **st)
{
	struct proc *p = fresh();
	uint32_t e;
	struct task t = { .kind = TASK_UPCALL, .drv = 1 };

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 2048), KERR_OK);
	proc_raise_allow_mark(p, ram(0) + 1024);
	assert_int_equal(grant_alloc(p, &fake_drv_a), KERR_OK);
	assert_int_equal(upcall_push(p, &t), KERR_OK);
	p->ctx.x[CTX_PC] = 0x1234;
	p->ctx.x[CTX_SP] = 0x5678;
	p->state = PROC_YIELDED;
	e = p->mpu_epoch;

	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(p->state, PROC_UNSTARTED);
	assert_int_equal(p->restart_count, 1);
	assert_int_equal(p->app_break, ram(0));
	assert_int_equal(p->allow_hwm, ram(0));
	assert_int_equal(p->kernel_break, p->kernel_break_init);
	assert_false(grant_allocated(p, &fake_drv_a));
	assert_int_equal(p->regions[PROC_REGION_RAM].size, 0);
	assert_true(p->mpu_epoch > e);
	for (int i = 0; i < 32; i++)
		assert_int_equal(p->ctx.x[i], 0);
	/* only the entry call is queued: the old upcall is gone */
	assert_int_equal(upcall_count(p, ALL_KINDS), 1);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(t.kind, TASK_ENTRY);
	assert_int_equal(t.userdata, ram(0));
	assert_int_equal(proc_restart(p), KERR_OK);
	assert_int_equal(p->restart_count, 2);
}

/* ---- memory is zero until the process writes it ---- */

/* Every byte of [from, to) is zero. */
static void assert_zero(uintptr_t from, uintptr_t to)
{
	for (uintptr_t a = from; a < to; a++)
		if (*(const uint8_t *)a != 0)
			fail_msg("byte at offset %lu is 0x%02x, not 0",
				 (unsigned long)(a - ram(0)),
				 *(const uint8_t *)a);
}

/* End of what p's RAM record reaches. */
static uintptr_t reach(const struct proc *p)
{
	return p->regions[PROC_REGION_RAM].base +
	       p->regions[PROC_REGION_RAM].size;
}

static void brk_zeroes_up_to_the_end_of_the_record_on_pages(void **st)
{
	struct proc *p;
	uint8_t *m = fake_ram[0];

	(void)st;
	fakes_reset();
	host_mpu.granule = 4096;
	p = fakes_proc(0, 0);
	assert_int_equal(proc_brk(p, ram(0) + 100), KERR_OK);
	assert_int_equal(reach(p), ram(0) + 4096);
	/* the page past the break is reachable: zero too */
	assert_zero(ram(0), ram(0) + 4096);
	assert_int_equal(m[4096], 0xAA);

	/* shrink, write a secret where the record still reaches, grow */
	memset(m, 0x5e, 4096);
	assert_int_equal(proc_brk(p, ram(0) + 8), KERR_OK);
	assert_int_equal(proc_brk(p, ram(0) + 4096 + 1), KERR_OK);
	assert_zero(ram(0) + 8, ram(0) + 2 * 4096);
	assert_int_equal(m[7], 0x5e);
}

static void brk_zeroes_the_word_rounding_on_pmp_granules(void **st)
{
	struct proc *p = fresh();
	uint8_t *m = fake_ram[0];

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 13), KERR_OK);
	assert_int_equal(reach(p), ram(0) + 16);
	assert_zero(ram(0), ram(0) + 16);
	assert_int_equal(m[16], 0xAA);
}

/* Fill what p can reach and its grants with a secret, then end it. */
static void dirty_everything(struct proc *p)
{
	void *g = NULL;

	assert_int_equal(proc_brk(p, p->kernel_break - 4096), KERR_OK);
	memset((void *)p->mem_start, 0x5e, reach(p) - p->mem_start);
	assert_int_equal(proc_kernel_alloc(p, 256, 8, &g), KERR_OK);
	memset(g, 0x5e, 256);
}

static void ending_an_incarnation_wipes_all_it_could_reach(void **st)
{
	static const char *const how[] = { "restart", "terminate", "fault",
					   "free" };

	(void)st;
	for (unsigned i = 0; i < ARRAY_LEN(how); i++) {
		struct proc *p;
		uintptr_t top;

		fakes_reset();
		host_mpu.granule = 4096;
		p = fakes_proc(0, 0);
		dirty_everything(p);
		/* a break far below what was reached must not limit it */
		assert_int_equal(proc_brk(p, ram(0) + 4), KERR_OK);
		top = p->kernel_break_init;
		print_message("# case: %s\n", how[i]);
		if (i == 0)
			assert_int_equal(proc_restart(p), KERR_OK);
		else if (i == 1)
			proc_terminate(p, 0);
		else if (i == 2)
			proc_mark_faulted(p);
		else
			proc_free(p);
		assert_zero(ram(0), top);
		assert_int_equal(host_mpu.user_access_depth, 0);
	}
}

/* xorshift32: a reproducible sequence for the random walk below */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * A random walk of brk, sbrk, grants and restarts on both granules: after
 * every step, each byte the record newly reaches is zero; the process then
 * writes a secret over everything it reaches, so that any byte it could see
 * again without a wipe would show it.
 */
static void a_random_walk_never_shows_a_byte_not_written_here(void **st)
{
	static const size_t granules[] = { 4, 4096 };

	(void)st;
	for (unsigned gi = 0; gi < ARRAY_LEN(granules); gi++) {
		uint32_t seed = 0x9e3779b9u + gi;
		uintptr_t was;
		struct proc *p;

		fakes_reset();
		host_mpu.granule = granules[gi];
		p = fakes_proc(0, 0);
		was = reach(p);
		for (unsigned step = 0; step < 3000; step++) {
			uint32_t r = rnd(&seed);
			uintptr_t span = p->kernel_break - p->mem_start;
			void *g;
			enum kerr rc;

			switch (r % 8) {
			case 0:
				if (proc_restart(p) != KERR_OK)
					fail();
				assert_zero(p->mem_start,
					    p->kernel_break_init);
				was = reach(p);
				break;
			case 1:
				rc = proc_kernel_alloc(p, (r >> 8) % 512 + 1, 8,
						       &g);
				(void)rc; /* NOMEM when full: also a step */
				break;
			default:
				rc = proc_brk(p, p->mem_start +
							 (r >> 8) % (span + 1));
				(void)rc; /* refusals change nothing */
				break;
			}
			if (reach(p) > was)
				assert_zero(was, reach(p));
			memset((void *)p->mem_start, 0x5e,
			       reach(p) - p->mem_start);
			was = reach(p);
		}
	}
}

/* ---- proc_check ---- */

static void corrupt_hwm_above_break(struct proc *p)
{
	p->allow_hwm = p->app_break + 1;
}
static void corrupt_hwm_below_mem(struct proc *p)
{
	p->allow_hwm = p->mem_start - 1;
}
static void corrupt_break_into_grants(struct proc *p)
{
	p->app_break = p->kernel_break + 1;
}
static void corrupt_kbreak_above_init(struct proc *p)
{
	p->kernel_break = p->kernel_break_init + 8;
}
static void corrupt_kbreak_init_past_end(struct proc *p)
{
	p->kernel_break_init = p->mem_end + 8;
	p->kernel_break = p->kernel_break_init;
}
static void corrupt_mem_start_alignment(struct proc *p)
{
	p->mem_start += 2;
}
static void corrupt_ram_region(struct proc *p)
{
	p->regions[PROC_REGION_RAM].size += 4;
}
static void corrupt_flash_region(struct proc *p)
{
	p->regions[PROC_REGION_FLASH].perm |= MPU_W;
}
static void corrupt_queue_count(struct proc *p)
{
	p->queue->count = UPCALL_QUEUE_LEN + 1;
}
static void corrupt_grant_pointer(struct proc *p)
{
	p->grants[1] = (void *)p->mem_start;
}
static void corrupt_gen(struct proc *p)
{
	p->gen = 0;
}

static void proc_check_fires_on_each_broken_invariant(void **st)
{
	static const struct {
		const char *what;
		void (*corrupt)(struct proc *p);
	} cases[] = {
		{ "allow_hwm > app_break", corrupt_hwm_above_break },
		{ "allow_hwm < mem_start", corrupt_hwm_below_mem },
		{ "app_break in grant region", corrupt_break_into_grants },
		{ "kernel_break > init", corrupt_kbreak_above_init },
		{ "kernel_break_init > mem_end", corrupt_kbreak_init_past_end },
		{ "mem_start misaligned", corrupt_mem_start_alignment },
		{ "RAM region not derived", corrupt_ram_region },
		{ "flash region not derived", corrupt_flash_region },
		{ "queue count", corrupt_queue_count },
		{ "grant outside grant region", corrupt_grant_pointer },
		{ "generation 0", corrupt_gen },
	};

	(void)st;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct proc *p = fresh();

		assert_int_equal(proc_brk(p, ram(0) + 64), KERR_OK);
		proc_check(p); /* sound before */
		print_message("# case: %s\n", cases[i].what);
		cases[i].corrupt(p);
		expect_assert_failure(proc_check(p));
	}
	fakes_reset();
}

static void a_mutator_runs_proc_check_on_the_way_out(void **st)
{
	struct proc *p = fresh();

	(void)st;
	assert_int_equal(proc_brk(p, ram(0) + 64), KERR_OK);
	/* a caller raising the mark past the break is a kernel bug */
	expect_assert_failure(proc_raise_allow_mark(p, ram(0) + 65));
	fakes_reset();
}

/*
 * pbuf.c's owner check leans on these: a free slot has generation 0 and
 * grants nothing, a live one has a generation, and the RAM record is
 * always exactly R+W and never wraps.
 */
static void a_free_slot_has_generation_zero_and_no_records(void **st)
{
	struct proc *p = fresh();

	(void)st;
	assert_true(p->gen != 0);
	assert_int_equal(p->regions[PROC_REGION_RAM].perm, MPU_R | MPU_W);
	proc_free(p);
	assert_int_equal(p->state, PROC_FREE);
	assert_int_equal(p->gen, 0);
	for (unsigned i = 0; i < PROC_REGIONS; i++)
		assert_int_equal(p->regions[i].size, 0);
	proc_check(p);
	/* a free slot with a generation or a record is caught */
	p->gen = 1;
	expect_assert_failure(proc_check(p));
	p->gen = 0;
	p->regions[PROC_REGION_RAM].size = 4;
	expect_assert_failure(proc_check(p));
	fakes_reset();
}

static void a_ram_record_without_read_and_write_is_caught(void **st)
{
	struct proc *p = fresh();

	(void)st;
	p->regions[PROC_REGION_RAM].perm = MPU_R;
	expect_assert_failure(proc_check(p));
	fakes_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_lays_out_the_ram_block_as_documented),
		cmocka_unit_test(create_sets_flash_rx_and_an_empty_ram_region),
		cmocka_unit_test(
			create_queues_the_entry_call_with_spec_arguments),
		cmocka_unit_test(create_rejects_bad_images_and_ram_blocks),
		cmocka_unit_test(
			create_accepts_a_block_just_big_enough_for_the_kernel),
		cmocka_unit_test(
			create_refuses_a_layout_the_mpu_cannot_express),
		cmocka_unit_test(
			create_fails_with_nomem_when_every_slot_is_taken),
		cmocka_unit_test(create_kasserts_that_no_two_blocks_overlap),
		cmocka_unit_test(create_honours_the_configured_ram_limit),
		cmocka_unit_test(
			proc_get_resolves_only_the_current_incarnation),
		cmocka_unit_test(
			restart_gives_a_new_generation_and_stales_the_old_id),
		cmocka_unit_test(
			app_ids_count_kernel_wide_over_creates_and_restarts),
		cmocka_unit_test(
			a_freed_and_reused_slot_never_repeats_a_generation),
		cmocka_unit_test(
			generations_run_to_the_maximum_then_retire_the_slot),
		cmocka_unit_test(
			terminate_keeps_the_generation_and_stops_being_alive),
		cmocka_unit_test(
			alive_means_unstarted_running_yielded_or_stopped),
		cmocka_unit_test(
			mark_faulted_drops_kernel_state_and_keeps_the_id),
		cmocka_unit_test(
			brk_growing_zeroes_the_new_memory_inside_user_access),
		cmocka_unit_test(brk_shrinking_touches_no_memory),
		cmocka_unit_test(
			brk_updates_the_ram_region_and_bumps_the_epoch),
		cmocka_unit_test(
			every_change_of_records_reaches_the_backend_state),
		cmocka_unit_test(
			brk_refuses_out_of_bounds_breaks_changing_nothing),
		cmocka_unit_test(
			brk_refuses_when_the_mpu_cannot_express_the_region),
		cmocka_unit_test(brk_refuses_a_process_that_is_not_alive),
		cmocka_unit_test(
			sbrk_moves_by_signed_steps_and_returns_the_old_break),
		cmocka_unit_test(
			sbrk_refuses_increments_that_wrap_or_cross_a_bound),
		cmocka_unit_test(
			the_allow_mark_only_rises_and_holds_the_break_up),
		cmocka_unit_test(
			page_granule_keeps_break_and_grants_a_page_apart),
		cmocka_unit_test(
			kernel_alloc_carves_zeroed_aligned_memory_downwards),
		cmocka_unit_test(
			kernel_alloc_refuses_to_cross_the_break_or_wrap),
		cmocka_unit_test(
			restart_resets_memory_registers_and_queues_the_entry),
		cmocka_unit_test(
			brk_zeroes_up_to_the_end_of_the_record_on_pages),
		cmocka_unit_test(brk_zeroes_the_word_rounding_on_pmp_granules),
		cmocka_unit_test(
			ending_an_incarnation_wipes_all_it_could_reach),
		cmocka_unit_test(
			a_random_walk_never_shows_a_byte_not_written_here),
		cmocka_unit_test(proc_check_fires_on_each_broken_invariant),
		cmocka_unit_test(a_mutator_runs_proc_check_on_the_way_out),
		cmocka_unit_test(a_free_slot_has_generation_zero_and_no_records),
		cmocka_unit_test(a_ram_record_without_read_and_write_is_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
