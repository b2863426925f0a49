// SPDX-License-Identifier: MIT
/*
 * Unit tests for the Sv39 table builder (platform/arch/riscv/sv39.c).
 *
 * Expectations come from the privileged spec, not from the code under
 * test: lookup() below is an independent walk (index arithmetic and PTE
 * fields written out here), and the PTE flag values are spelled in the
 * comments.  sv39_walk() is checked against it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/proc/expo.h"
#include "kernel/proc/proc.h"
#include "platform/arch/riscv/sv39.h"

#define KiB 1024ull
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

#define RX (MPU_R | MPU_X)
#define RW (MPU_R | MPU_W)

/* PTE bits: V=1 R=2 W=4 X=8 U=0x10 G=0x20 A=0x40 D=0x80 */
#define F_USER_RX 0x5B	 /* V R X U A */
#define F_USER_RW 0xD7	 /* V R W U A D */
#define F_KERN_RW 0xC7	 /* V R W A D */
#define F_KERN_RX 0x4B	 /* V R X A */
#define F_LOW_BITS 0x3FF /* flags and RSW */

#define POOL 16
static struct sv39_table pool[POOL];
static struct sv39_table base_pool[POOL];

static int setup(void **state)
{
	(void)state;
	memset(pool, 0xA5, sizeof(pool)); /* fresh tables must be cleared */
	memset(base_pool, 0x5A, sizeof(base_pool));
	return 0;
}

/*
 * Independent model of the hardware walk: the leaf PTE mapping va and the
 * level it sits at (2 = 1 GiB, 1 = 2 MiB, 0 = 4 KiB), or -1 when none.
 */
static int lookup(const struct sv39_table *root, uint64_t va, uint64_t *leaf)
{
	const struct sv39_table *t = root;
	unsigned idx[3] = { (va >> 12) & 511, (va >> 21) & 511,
			    (va >> 30) & 511 };

	for (int level = 2; level >= 0; level--) {
		uint64_t e = t->pte[idx[level]];

		if (!(e & 1))
			return -1;
		if (e & 0xE) { /* R, W or X: a leaf */
			*leaf = e;
			return level;
		}
		t = (const struct sv39_table *)(uintptr_t)((e >> 10) << 12);
	}
	return -1;
}

static uint64_t pa_of(uint64_t leaf, int level, uint64_t va)
{
	uint64_t span = 1ull << (12 + 9 * level);

	return ((leaf >> 10) << 12) + (va & (span - 1));
}

/* Every byte of [a, b) in steps of a page: mapped identity with flags f. */
static void assert_mapped(const struct sv39_table *root, uint64_t a,
			  uint64_t b, uint64_t f)
{
	for (uint64_t va = a; va < b; va += 4 * KiB) {
		uint64_t leaf = 0, walked = 0;
		int level = lookup(root, va, &leaf);

		assert_true(level >= 0);
		assert_int_equal(pa_of(leaf, level, va), va);
		assert_int_equal(leaf & F_LOW_BITS, f);
		assert_true(sv39_walk(root, va, &walked));
		assert_int_equal(walked, leaf);
	}
}

static void assert_unmapped(const struct sv39_table *root, uint64_t va)
{
	uint64_t leaf;

	assert_int_equal(lookup(root, va, &leaf), -1);
	assert_false(sv39_walk(root, va, &leaf));
}

static void map_ok(struct sv39_space *s, uint64_t base, uint64_t size,
		   uint32_t perm, bool user)
{
	struct sv39_map m = { base, size, perm, user };

	assert_int_equal(sv39_map(s, &m), KERR_OK);
}

/* ---- what can be mapped ---- */

static void invalid_mappings_are_refused(void **st)
{
	static const struct {
		uint64_t base, size;
		uint32_t perm;
	} bad[] = {
		{ 0x80300000, 0, RW },		    /* empty */
		{ 0x80300800, 4 * KiB, RW },	    /* base not a page */
		{ 0x80300000, 6 * KiB, RW },	    /* size not pages */
		{ ~0ull - 4095, 8 * KiB, RW },	    /* wraps */
		{ (1ull << 38) - 4096, 8 * KiB, RW }, /* passes bit 38 */
		{ 1ull << 38, 4 * KiB, RW },	    /* starts past it */
		{ 0x80300000, 4 * KiB, 0 },	    /* no permission */
		{ 0x80300000, 4 * KiB, MPU_W },	    /* W without R */
		{ 0x80300000, 4 * KiB, MPU_W | MPU_X }, /* W without R */
		{ 0x80300000, 4 * KiB, 1u << 3 },   /* unknown bit */
	};
	struct sv39_space s;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sv39_map m = { bad[i].base, bad[i].size, bad[i].perm,
				      true };

		assert_false(sv39_map_ok(&m));
		assert_int_equal(sv39_map(&s, &m), KERR_INVAL);
	}
	assert_int_equal(s.used, 1); /* nothing was built */
	for (unsigned i = 0; i < SV39_PTES; i++)
		assert_int_equal(pool[0].pte[i], 0);
}

static void read_only_execute_only_and_last_page_below_bit_38_are_fine(
	void **st)
{
	struct sv39_map ok[] = {
		{ 0x80300000, 4 * KiB, MPU_R, true },
		{ 0x80301000, 4 * KiB, MPU_X, true },
		{ 0x80302000, 4 * KiB, MPU_R | MPU_W | MPU_X, false },
		{ (1ull << 38) - 4096, 4 * KiB, RW, false },
	};
	struct sv39_space s;
	uint64_t leaf;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(sv39_map(&s, &ok[i]), KERR_OK);
	assert_int_equal(lookup(pool, 0x80301000, &leaf), 0);
	assert_int_equal(leaf & F_LOW_BITS, 0x59); /* V X U A */
	assert_int_equal(lookup(pool, (1ull << 38) - 4096, &leaf), 0);
}

/* ---- PTE encoding ---- */

static void user_code_page_is_r_x_u_a_and_never_writable(void **st)
{
	struct sv39_space s;
	uint64_t leaf;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	map_ok(&s, 0x80100000, 4 * KiB, RX, true);
	assert_int_equal(lookup(pool, 0x80100000, &leaf), 0);
	assert_int_equal(leaf & F_LOW_BITS, F_USER_RX);
	/* PPN bits 53:10 hold 0x80100000 >> 12; bits 63:54 stay 0 */
	assert_int_equal(leaf >> 10, 0x80100);
	assert_unmapped(pool, 0x80101000);
	assert_unmapped(pool, 0x800FF000);
}

static void kernel_data_page_is_dirty_and_not_user(void **st)
{
	struct sv39_space s;
	uint64_t leaf;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	map_ok(&s, 0x80240000, 8 * KiB, RW, false);
	assert_int_equal(lookup(pool, 0x80241000, &leaf), 0);
	assert_int_equal(leaf & F_LOW_BITS, F_KERN_RW);
}

static void non_leaf_entries_carry_only_the_valid_bit(void **st)
{
	struct sv39_space s;
	uint64_t e;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	map_ok(&s, 0x80300000, 4 * KiB, RW, true);
	/* 0x80300000: VPN[2] = 2, VPN[1] = 1, VPN[0] = 256 */
	e = pool[0].pte[2];
	assert_int_equal(e & F_LOW_BITS, 1);
	assert_ptr_equal((void *)(uintptr_t)((e >> 10) << 12), &pool[1]);
	assert_int_equal(pool[1].pte[1] & F_LOW_BITS, 1);
	assert_ptr_equal((void *)(uintptr_t)((pool[1].pte[1] >> 10) << 12),
			 &pool[2]);
	assert_int_equal(pool[2].pte[256] & F_LOW_BITS, F_USER_RW);
	assert_int_equal(s.used, 3);
}

static void satp_selects_sv39_with_the_root_page_number(void **st)
{
	struct sv39_space s;
	uint64_t satp;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	satp = sv39_satp(&s);
	assert_int_equal(satp >> 60, 8); /* MODE = Sv39 */
	assert_int_equal((satp >> 44) & 0xFFFF, 0); /* ASID 0 */
	assert_int_equal(satp & ((1ull << 44) - 1),
			 (uint64_t)(uintptr_t)&pool[0] >> 12);
}

/* ---- page sizes ---- */

static void aligned_gigabyte_becomes_one_gigapage(void **st)
{
	struct sv39_space s;
	uint64_t leaf;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	map_ok(&s, 0x40000000, 1 * GiB, RW, false);
	assert_int_equal(s.used, 1); /* a leaf in the root */
	assert_int_equal(lookup(pool, 0x7FFFF000, &leaf), 2);
	assert_mapped(pool, 0x40000000, 0x40004000, F_KERN_RW);
	assert_mapped(pool, 0x7FFFC000, 0x80000000, F_KERN_RW);
	assert_unmapped(pool, 0x80000000);
	assert_unmapped(pool, 0x3FFFF000);
}

static void aligned_two_megabytes_become_one_megapage(void **st)
{
	struct sv39_space s;
	uint64_t leaf;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	map_ok(&s, 0x0C000000, 4 * MiB, RW, false); /* a PLIC-sized block */
	assert_int_equal(s.used, 2); /* root + one L1, no L0 */
	assert_int_equal(lookup(pool, 0x0C000000, &leaf), 1);
	assert_int_equal(lookup(pool, 0x0C3FF000, &leaf), 1);
	assert_mapped(pool, 0x0C000000, 0x0C400000, F_KERN_RW);
	assert_unmapped(pool, 0x0C400000);
}

static void unaligned_range_uses_pages_around_a_megapage(void **st)
{
	struct sv39_space s;
	uint64_t leaf;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	/* [2M - 8K, 4M + 4K): pages, one megapage, pages */
	map_ok(&s, 0x80200000 - 8 * KiB, 2 * MiB + 12 * KiB, RX, true);
	assert_int_equal(lookup(pool, 0x801FE000, &leaf), 0);
	assert_int_equal(lookup(pool, 0x80200000, &leaf), 1);
	assert_int_equal(lookup(pool, 0x80400000, &leaf), 0);
	assert_mapped(pool, 0x801FE000, 0x80401000, F_USER_RX);
	assert_unmapped(pool, 0x801FD000);
	assert_unmapped(pool, 0x80401000);
	assert_int_equal(s.used, 4); /* root, L1, two L0 */
}

static void range_across_a_gigabyte_boundary_is_split(void **st)
{
	struct sv39_space s;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	map_ok(&s, 0x7FFFE000, 16 * KiB, RW, true);
	assert_mapped(pool, 0x7FFFE000, 0x80002000, F_USER_RW);
	assert_unmapped(pool, 0x80002000);
	assert_unmapped(pool, 0x7FFFD000);
}

/* ---- conflicts and limits ---- */

static void mapping_over_an_existing_mapping_is_refused(void **st)
{
	static const struct {
		uint64_t base, size;
	} clash[] = {
		{ 0x80300000, 4 * KiB },	  /* the same page */
		{ 0x802FF000, 8 * KiB },	  /* overlaps its first page */
		{ 0x80200000, 2 * MiB },	  /* megapage over a table */
		{ 0x80000000, 1 * GiB },	  /* gigapage over a table */
		{ 0x0C100000, 4 * KiB },	  /* page inside a megapage */
		{ 0x0C000000, 2 * MiB },	  /* the megapage again */
	};
	struct sv39_space s;

	(void)st;
	sv39_init(&s, pool, POOL, NULL);
	map_ok(&s, 0x80300000, 4 * KiB, RW, true);
	map_ok(&s, 0x0C000000, 2 * MiB, RW, false);
	for (unsigned i = 0; i < sizeof(clash) / sizeof(clash[0]); i++) {
		struct sv39_map m = { clash[i].base, clash[i].size, RX, true };

		assert_int_equal(sv39_map(&s, &m), KERR_INVAL);
	}
	/* the originals are intact */
	assert_mapped(pool, 0x80300000, 0x80301000, F_USER_RW);
	assert_mapped(pool, 0x0C000000, 0x0C200000, F_KERN_RW);
}

static void running_out_of_tables_is_nomem(void **st)
{
	struct sv39_space s;
	struct sv39_map m = { 0x80300000, 4 * KiB, RW, true };

	(void)st;
	sv39_init(&s, pool, 2, NULL); /* root + one: no room for the L0 */
	assert_int_equal(sv39_map(&s, &m), KERR_NOMEM);
	sv39_init(&s, pool, 3, NULL);
	assert_int_equal(sv39_map(&s, &m), KERR_OK);
}

static void a_reserved_or_misaligned_leaf_translates_nothing(void **st)
{
	uint64_t leaf;

	(void)st;
	memset(pool, 0, sizeof(pool));
	/* W without R, valid: reserved */
	pool[0].pte[0] = (0x0ull << 10) | 0x1 | 0x4;
	assert_false(sv39_walk(pool, 0x1000, &leaf));
	/* a gigapage whose PPN is not 1 GiB aligned (PPN 0x80001) */
	pool[0].pte[2] = (0x80001ull << 10) | 0x1 | 0x2;
	assert_false(sv39_walk(pool, 0x80000000, &leaf));
	/* the aligned one is fine */
	pool[0].pte[2] = (0x80000ull << 10) | 0x1 | 0x2;
	assert_true(sv39_walk(pool, 0x80001000, &leaf));
}

/* ---- shared kernel tables ---- */

/* The kernel space of qemu-virt-rv64, in miniature. */
static void build_base(struct sv39_space *b)
{
	sv39_init(b, base_pool, POOL, NULL);
	map_ok(b, 0x00100000, 4 * KiB, RW, false);   /* test device */
	map_ok(b, 0x0C000000, 4 * MiB, RW, false);   /* PLIC */
	map_ok(b, 0x10000000, 4 * KiB, RW, false);   /* UART */
	map_ok(b, 0x80400000, 2 * MiB, RX, false);   /* kernel text */
	map_ok(b, 0x80600000, 2 * MiB, RW, false);   /* kernel data */
}

static void process_space_copies_shared_tables_instead_of_writing_them(
	void **st)
{
	static struct sv39_table before[POOL];
	struct sv39_space b, s;

	(void)st;
	build_base(&b);
	memcpy(before, base_pool, sizeof(before));
	sv39_init(&s, pool, POOL, &base_pool[0]);
	/* same gigabyte as the kernel's megapages, two 2 MiB slots below */
	map_ok(&s, 0x80300000, 8 * KiB, RW, true);
	map_ok(&s, 0x80100000, 4 * KiB, RX, true);
	assert_memory_equal(before, base_pool, sizeof(before));

	/* the process space sees the kernel and its own pages */
	assert_mapped(pool, 0x80400000, 0x80600000, F_KERN_RX);
	assert_mapped(pool, 0x80600000, 0x80800000, F_KERN_RW);
	assert_mapped(pool, 0x80300000, 0x80302000, F_USER_RW);
	assert_mapped(pool, 0x80100000, 0x80101000, F_USER_RX);
	assert_mapped(pool, 0x10000000, 0x10001000, F_KERN_RW);
	/* the kernel space does not see the process */
	assert_unmapped(base_pool, 0x80300000);
	assert_unmapped(base_pool, 0x80100000);
	/* the device gigabyte is still the kernel's table, shared */
	assert_int_equal(pool[0].pte[0], base_pool[0].pte[0]);
	/* private: root, L1 of 0x80000000, two L0 */
	assert_int_equal(s.used, 4);
}

static void bound_counts_each_slot_once(void **st)
{
	const struct sv39_map m[] = {
		{ 0x80110000, 64 * KiB, RX, true },   /* flash, slot 0x80000000 */
		{ 0x80310000, 8 * KiB, RW, true },    /* RAM, slot 0x80200000 */
		{ 0x80300000, 1 * MiB, RW, false },   /* the RAM pool */
		{ 0x80312000, 56 * KiB, RW, false },  /* inside the pool */
	};
	const struct sv39_map wide[] = {
		{ 0x801FF000, 2 * MiB + 8 * KiB, RW, true }, /* 3 slots */
		{ 0x7FFFF000, 8 * KiB, RW, true },	   /* 2 gigabytes */
	};
	const struct sv39_map none[] = { { 0x80300000, 0, RW, true } };

	(void)st;
	/* root + 1 gigabyte + 2 megabyte slots */
	assert_int_equal(sv39_tables_bound(m, 4), 4);
	/* root + gigabytes {1, 2} + 2 MiB slots at 0x7FE00000, 0x80000000
	 * (touched by both), 0x80200000 and 0x80400000 */
	assert_int_equal(sv39_tables_bound(wide, 2), 1 + 2 + 4);
	assert_int_equal(sv39_tables_bound(none, 1), 1);
}

static void bound_is_enough_for_any_layout_sharing_the_kernel(void **st)
{
	static const struct sv39_map layouts[][3] = {
		{ { 0x80100000, 64 * KiB, RX, true },
		  { 0x80300000, 4 * KiB, RW, true },
		  { 0x80301000, 12 * KiB, RW, false } },
		{ { 0x80180000, 512 * KiB, RX, true },
		  { 0x80380000, 256 * KiB, RW, true },
		  { 0x803C0000, 256 * KiB, RW, false } },
		{ { 0x40000000, 1 * GiB, RX, true },
		  { 0x80800000, 2 * MiB, RW, true },
		  { 0x80A00000, 4 * KiB, RW, false } },
	};
	struct sv39_space b, s;

	(void)st;
	build_base(&b);
	for (unsigned i = 0; i < 3; i++) {
		unsigned n = sv39_tables_bound(layouts[i], 3);

		sv39_init(&s, pool, n, &base_pool[0]);
		for (unsigned j = 0; j < 3; j++)
			assert_int_equal(sv39_map(&s, &layouts[i][j]), KERR_OK);
		assert_true(s.used <= n);
	}
}

/* ---- a process's mappings ---- */

/* Kernel-owned tops of the fake processes: only their records are read. */
static _Alignas(8) uint8_t fake_top[3][1024];

static void fake_proc(struct proc *p, unsigned slot, uint64_t flash,
		      uint64_t flash_size, uint64_t ram, uint64_t brk_page_end,
		      uint64_t mem_end)
{
	memset(p, 0, sizeof(*p));
	/* no exposures (CONFIG_IPC): zeroed records */
	memset(fake_top[slot], 0, sizeof(fake_top[slot]));
	p->kernel_break_init = (uintptr_t)fake_top[slot];
	p->slot = (uint8_t)slot;
	p->state = PROC_RUNNABLE;
	p->flash_start = flash;
	p->flash_end = flash + flash_size;
	p->mem_start = ram;
	p->mem_end = mem_end;
	p->regions[PROC_REGION_FLASH] =
		(struct mpu_region){ flash, flash_size, RX };
	p->regions[PROC_REGION_RAM] =
		(struct mpu_region){ ram, brk_page_end - ram, RW };
}

static struct proc procs[3];

static void three_processes(void)
{
	fake_proc(&procs[0], 0, 0x80100000, 0x10000, 0x80300000, 0x80302000,
		  0x80304000);
	fake_proc(&procs[1], 1, 0x80110000, 0x20000, 0x80310000, 0x80311000,
		  0x80314000);
	fake_proc(&procs[2], 2, 0, 0, 0, 0, 0);
	procs[2].state = PROC_FREE;
}

static void proc_maps_are_own_records_then_every_kernel_owned_top(void **st)
{
	struct sv39_map m[2 + 3];
	unsigned n;

	(void)st;
	three_processes();
	n = sv39_proc_maps(&procs[0], procs, 3, m);
	assert_int_equal(n, 4); /* 2 records + 2 live tops; free slot skipped */
	assert_int_equal(m[0].base, 0x80100000);
	assert_int_equal(m[0].size, 0x10000);
	assert_int_equal(m[0].perm, RX);
	assert_true(m[0].user);
	assert_int_equal(m[1].base, 0x80300000);
	assert_int_equal(m[1].size, 0x2000);
	assert_int_equal(m[1].perm, RW);
	assert_true(m[1].user);
	assert_int_equal(m[2].base, 0x80302000); /* own top */
	assert_int_equal(m[2].size, 0x2000);
	assert_false(m[2].user);
	assert_int_equal(m[3].base, 0x80311000); /* the peer's top */
	assert_int_equal(m[3].size, 0x3000);
	assert_int_equal(m[3].perm, RW);
	assert_false(m[3].user);
}

static void empty_ram_record_maps_the_whole_block_to_the_kernel(void **st)
{
	struct sv39_map m[2 + 3];
	unsigned n;

	(void)st;
	three_processes();
	/* just restarted: break at mem_start, RAM record empty */
	procs[0].regions[PROC_REGION_RAM].size = 0;
	n = sv39_proc_maps(&procs[0], procs, 3, m);
	assert_int_equal(n, 3);
	assert_true(m[0].user); /* flash */
	assert_int_equal(m[1].base, 0x80300000);
	assert_int_equal(m[1].size, 0x4000);
	assert_false(m[1].user);
}

static void process_space_isolates_peers_and_keeps_grants_kernel_only(
	void **st)
{
	struct sv39_map m[2 + 3];
	struct sv39_space b, s;
	unsigned n;

	(void)st;
	three_processes();
	build_base(&b);
	n = sv39_proc_maps(&procs[0], procs, 3, m);
	sv39_init(&s, pool, POOL, &base_pool[0]);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(sv39_map(&s, &m[i]), KERR_OK);

	assert_mapped(pool, 0x80100000, 0x80110000, F_USER_RX);
	assert_mapped(pool, 0x80300000, 0x80302000, F_USER_RW);
	assert_mapped(pool, 0x80302000, 0x80304000, F_KERN_RW); /* grants */
	assert_mapped(pool, 0x80311000, 0x80314000, F_KERN_RW); /* peer's */
	assert_unmapped(pool, 0x80110000); /* peer's flash */
	assert_unmapped(pool, 0x80310000); /* peer's RAM */
	assert_unmapped(pool, 0x80304000); /* between blocks */
	assert_unmapped(pool, 0x80000000); /* OpenSBI */
	assert_unmapped(pool, 0x800FF000);
}

/* ---- shared tables: one kernel set, per process only its L0 tables ---- */

#define FLASH_WIN 0x80000000ull /* app flash: 0x80100000-0x801FFFFF */
#define RAM_WIN 0x80200000ull	/* RAM pool: 0x80300000-0x803FFFFF */

static struct sv39_table l0[2][2]; /* two slots, two L0 tables each */
static struct sv39_window win[SV39_WINDOWS];
static struct sv39_patch patch[3]; /* A, B, and the kernel's own (none) */

/* Leaves of the kernel's text, where no process table may have one. */
static void fill_with_kernel_leaves(struct sv39_table *t, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		for (unsigned i = 0; i < SV39_PTES; i++)
			t[k].pte[i] = ((0x80400000ull >> 12) + i) << 10 |
				      F_KERN_RX;
}

/*
 * The kernel space, its windows, and A's and B's tables (slots 0, 1),
 * built in tables that held kernel leaves before: a build must clear them.
 */
static void build_shared(struct sv39_space *b)
{
	build_base(b);
	assert_int_equal(sv39_window_at(b, 0x80100000, &win[0]), KERR_OK);
	assert_int_equal(sv39_window_at(b, 0x80300000, &win[1]), KERR_OK);
	three_processes();
	fill_with_kernel_leaves(&l0[0][0], 4);
	for (unsigned p = 0; p < 3; p++)
		for (unsigned i = 0; i < SV39_WINDOWS; i++) {
			patch[p].entry[i] = win[i].entry;
			patch[p].pte[i] = 0; /* the kernel's own: nothing */
		}
	for (unsigned p = 0; p < 2; p++) {
		struct sv39_map m[2 + PROC_EXPOS + 3];
		unsigned n = sv39_proc_maps(&procs[p], procs, 3, m);

		assert_int_equal(sv39_windows_build(win, SV39_WINDOWS, l0[p],
						    2, m, n, patch[p].pte),
				 KERR_OK);
	}
}

/*
 * True when every user-accessible page in the windows, reached from the
 * shared root as the tables stand, lies in p's own records, and every
 * page of p's records is reachable with U.
 */
static bool user_pages_are_exactly(const struct proc *p)
{
	for (unsigned w = 0; w < SV39_WINDOWS; w++)
		for (uint64_t va = win[w].base;
		     va < win[w].base + SV39_WINDOW_SIZE; va += 4 * KiB) {
			bool own = false, user;
			uint64_t leaf = 0;

			for (unsigned r = 0; r < PROC_REGIONS; r++) {
				const struct mpu_region *g = &p->regions[r];

				own |= va - g->base < g->size;
			}
			user = lookup(base_pool, va, &leaf) >= 0 &&
			       (leaf & 0x10);
			if (user != own)
				return false;
		}
	return true;
}

static void windows_are_entries_of_the_kernels_own_l1(void **st)
{
	struct sv39_space b;
	struct sv39_window w;
	unsigned used;

	(void)st;
	build_base(&b);
	used = b.used;
	assert_int_equal(sv39_window_at(&b, 0x801FF000, &win[0]), KERR_OK);
	assert_int_equal(sv39_window_at(&b, 0x80200000, &win[1]), KERR_OK);
	assert_int_equal(win[0].base, FLASH_WIN);
	assert_int_equal(win[1].base, RAM_WIN);
	/* entries 0 and 1 of the kernel's L1 of 0x80000000 */
	assert_ptr_equal(win[1].entry, win[0].entry + 1);
	assert_int_equal((uintptr_t)win[0].entry % 4096, 0);
	/* nothing of the kernel there */
	assert_int_equal(*win[0].entry, 0);
	assert_int_equal(*win[1].entry, 0);
	assert_int_equal(b.used, used); /* existing tables, none taken */
	/* a gigabyte without tables gets an empty L1 from the kernel pool */
	assert_int_equal(sv39_window_at(&b, 0x40000000, &w), KERR_OK);
	assert_int_equal(b.used, used + 1);
	assert_int_equal(*w.entry, 0);
	/*
	 * No window where the kernel maps anything: under a kernel
	 * megapage (PLIC, kernel text and data), over the kernel's own L0
	 * (UART), nor past bit 38.
	 */
	assert_int_equal(sv39_window_at(&b, 0x0C000000, &w), KERR_INVAL);
	assert_int_equal(sv39_window_at(&b, 0x80400000, &w), KERR_INVAL);
	assert_int_equal(sv39_window_at(&b, 0x807FF000, &w), KERR_INVAL);
	assert_int_equal(sv39_window_at(&b, 0x10100000, &w), KERR_INVAL);
	assert_int_equal(sv39_window_at(&b, 0x00000000, &w), KERR_INVAL);
	assert_int_equal(sv39_window_at(&b, SV39_VA_LIMIT, &w), KERR_INVAL);
	assert_int_equal(b.used, used + 1);
}

static void a_process_owns_two_l0_tables_and_never_writes_the_kernels(
	void **st)
{
	static struct sv39_table before[POOL];
	struct sv39_space b;

	(void)st;
	build_base(&b);
	assert_int_equal(sv39_window_at(&b, 0x80100000, &win[0]), KERR_OK);
	assert_int_equal(sv39_window_at(&b, 0x80300000, &win[1]), KERR_OK);
	memcpy(before, base_pool, sizeof(before));
	build_shared(&b);
	assert_memory_equal(before, base_pool, sizeof(before));
	for (unsigned p = 0; p < 2; p++)
		for (unsigned i = 0; i < SV39_WINDOWS; i++)
			assert_ptr_equal(
				(void *)(uintptr_t)((patch[p].pte[i] >> 10)
						    << 12),
				&l0[p][i]);
	/* a third table is never needed: one table too few is NOMEM */
	{
		struct sv39_map m[2 + PROC_EXPOS + 3];
		uint64_t pte[SV39_WINDOWS];
		unsigned n = sv39_proc_maps(&procs[0], procs, 3, m);

		assert_int_equal(sv39_windows_build(win, SV39_WINDOWS, l0[0],
						    1, m, n, pte),
				 KERR_NOMEM);
	}
}

static void one_table_when_flash_and_ram_share_a_window(void **st)
{
	const struct sv39_map m[] = {
		{ 0x80310000, 64 * KiB, RX, true },  /* flash */
		{ 0x80320000, 8 * KiB, RW, true },   /* RAM */
		{ 0x80300000, 1 * MiB, RW, false },  /* the RAM pool */
	};
	struct sv39_space b;
	uint64_t pte[SV39_WINDOWS];

	(void)st;
	build_base(&b);
	assert_int_equal(sv39_window_at(&b, 0x80100000, &win[0]), KERR_OK);
	assert_int_equal(sv39_window_at(&b, 0x80300000, &win[1]), KERR_OK);
	assert_int_equal(sv39_windows_touched(win, 2, m, 2), 1);
	assert_int_equal(sv39_windows_touched(win, 2, m, 3), 1);
	assert_int_equal(sv39_windows_build(win, 2, l0[0], 1, m, 2, pte),
			 KERR_OK);
	assert_int_equal(pte[0], 0); /* the kernel's: no table */
	assert_int_not_equal(pte[1], 0);
	/* outside every window: never fits, never built */
	{
		const struct sv39_map out = { 0x80400000, 4 * KiB, RW, true };

		assert_int_equal(sv39_windows_touched(win, 2, &out, 1),
				 UINT32_MAX);
		assert_int_equal(sv39_windows_build(win, 2, l0[0], 2, &out,
						    1, pte),
				 KERR_INVAL);
	}
	/* the kernel's pages lie in no window: a range over them fails */
	{
		const struct sv39_map over = { 0x803FF000, 8 * KiB, RW, true };

		assert_int_equal(sv39_windows_touched(win, 2, &over, 1),
				 UINT32_MAX);
		assert_int_equal(sv39_windows_build(win, 2, l0[0], 2, &over,
						    1, pte),
				 KERR_INVAL);
	}
	/* nor over an earlier range */
	{
		const struct sv39_map twice[] = {
			{ 0x80320000, 8 * KiB, RW, true },
			{ 0x80321000, 4 * KiB, RW, false },
		};

		assert_int_equal(sv39_windows_build(win, 2, l0[0], 2, twice,
						    2, pte),
				 KERR_INVAL);
	}
}

static void a_process_l0_never_maps_another_processs_pages(void **st)
{
	struct sv39_space b;

	(void)st;
	build_shared(&b);
	sv39_windows_point(&patch[0]);
	assert_true(user_pages_are_exactly(&procs[0]));
	assert_mapped(base_pool, 0x80302000, 0x80304000, F_KERN_RW);
	assert_mapped(base_pool, 0x80311000, 0x80314000, F_KERN_RW);
	assert_unmapped(base_pool, 0x80110000); /* B's flash */
	assert_unmapped(base_pool, 0x80310000); /* B's RAM */
	assert_unmapped(base_pool, 0x80304000); /* between blocks */
	assert_unmapped(base_pool, 0x80000000); /* OpenSBI */
	sv39_windows_point(&patch[1]);
	assert_true(user_pages_are_exactly(&procs[1]));
	assert_unmapped(base_pool, 0x80100000); /* A's flash */
	assert_unmapped(base_pool, 0x80300000); /* A's RAM */
	assert_mapped(base_pool, 0x80302000, 0x80304000, F_KERN_RW);
}

static void after_a_switch_no_user_page_of_the_previous_process_is_left(
	void **st)
{
	static const unsigned order[] = { 0, 1, 0, 2, 1, 1, 0 };
	struct sv39_space b;

	(void)st;
	build_shared(&b);
	for (unsigned k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		unsigned p = order[k];

		sv39_windows_point(&patch[p]);
		if (p == 2) { /* the kernel's own entries: no user page */
			assert_int_equal(*win[0].entry, 0);
			assert_int_equal(*win[1].entry, 0);
			assert_unmapped(base_pool, 0x80100000);
			assert_unmapped(base_pool, 0x80300000);
			assert_unmapped(base_pool, 0x80310000);
			continue;
		}
		assert_true(user_pages_are_exactly(&procs[p]));
	}
}

static void a_switch_that_skips_a_window_leaves_the_previous_process(
	void **st)
{
	struct sv39_space b;
	struct sv39_patch half;

	(void)st;
	build_shared(&b);
	sv39_windows_point(&patch[0]);
	/* a switch to B that points only the RAM window: stale flash */
	half = patch[1];
	half.entry[0] = &half.pte[0]; /* the write goes nowhere */
	sv39_windows_point(&half);
	assert_false(user_pages_are_exactly(&procs[1]));
	assert_mapped(base_pool, 0x80100000, 0x80110000, F_USER_RX);
	/* the whole switch leaves nothing of A */
	sv39_windows_point(&patch[1]);
	assert_true(user_pages_are_exactly(&procs[1]));
}

/* The kernel's own ranges in build_base(), with their leaf flags. */
static const uint64_t kernel_ranges[][3] = {
	{ 0x80400000, 0x80600000, F_KERN_RX }, /* text */
	{ 0x80600000, 0x80800000, F_KERN_RW }, /* data */
	{ 0x10000000, 0x10001000, F_KERN_RW }, /* UART */
	{ 0x00100000, 0x00101000, F_KERN_RW }, /* test device */
	{ 0x0C000000, 0x0C400000, F_KERN_RW }, /* PLIC */
};
#define KERNEL_RANGES (sizeof(kernel_ranges) / sizeof(kernel_ranges[0]))

static bool in_kernel_range(uint64_t va)
{
	for (unsigned r = 0; r < KERNEL_RANGES; r++)
		if (va >= kernel_ranges[r][0] && va < kernel_ranges[r][1])
			return true;
	return false;
}

/*
 * Independent walk that returns where the leaf mapping va sits: the
 * address of the PTE word itself, so that two spaces can be told to share
 * one mapping or to hold two.  NULL when nothing maps va.
 */
static const uint64_t *leaf_word(const struct sv39_table *root, uint64_t va)
{
	const struct sv39_table *t = root;

	for (int level = 2; level >= 0; level--) {
		const uint64_t *e = &t->pte[(va >> (12 + 9 * level)) & 511];

		if (!(*e & 1))
			return NULL;
		if (*e & 0xE)
			return e;
		t = (const struct sv39_table *)(uintptr_t)((*e >> 10) << 12);
	}
	return NULL;
}

static bool in_kernel_pool(const uint64_t *e)
{
	return (uintptr_t)e - (uintptr_t)base_pool < sizeof(base_pool);
}

/*
 * Each kernel page is mapped by one PTE word, in the kernel's tables, the
 * same in every space: never by a second entry in a process's table.
 */
static void the_kernels_entries_are_the_shared_set_in_every_space(void **st)
{
	static struct sv39_table before[POOL];
	static const uint64_t *word[4096];
	struct sv39_space b;

	(void)st;
	build_shared(&b);
	memcpy(before, base_pool, sizeof(before));
	/* where the kernel's own space maps each kernel page */
	sv39_windows_point(&patch[2]);
	{
		unsigned k = 0;

		for (unsigned r = 0; r < KERNEL_RANGES; r++)
			for (uint64_t va = kernel_ranges[r][0];
			     va < kernel_ranges[r][1]; va += 4 * KiB) {
				assert_true(k < 4096);
				word[k] = leaf_word(base_pool, va);
				assert_non_null(word[k]);
				assert_true(in_kernel_pool(word[k]));
				k++;
			}
	}
	for (unsigned p = 0; p < 3; p++) {
		unsigned k = 0;

		sv39_windows_point(&patch[p]);
		/* the same leaf word for every kernel page, whichever space */
		for (unsigned r = 0; r < KERNEL_RANGES; r++)
			for (uint64_t va = kernel_ranges[r][0];
			     va < kernel_ranges[r][1]; va += 4 * KiB) {
				uint64_t got = 0;
				int lg = lookup(base_pool, va, &got);

				assert_ptr_equal(leaf_word(base_pool, va),
						 word[k++]);
				assert_true(lg >= 0);
				assert_int_equal(got & F_LOW_BITS,
						 kernel_ranges[r][2]);
				assert_int_equal(pa_of(got, lg, va), va);
			}
		/* the shared tables differ from the kernel's only in the
		 * window entries */
		for (unsigned t = 0; t < POOL; t++)
			for (unsigned i = 0; i < SV39_PTES; i++) {
				uint64_t *e = &base_pool[t].pte[i];

				if (e == win[0].entry || e == win[1].entry)
					continue;
				assert_int_equal(*e, before[t].pte[i]);
			}
	}
	/* the kernel uses megapages for its text and data */
	assert_int_equal(lookup(base_pool, 0x80400000, &(uint64_t){ 0 }), 1);
	assert_int_equal(lookup(base_pool, 0x80600000, &(uint64_t){ 0 }), 1);
}

/*
 * What a process's L0 table holds, entry by entry, in every table a slot
 * owns (used or not, so that a leaf left from an earlier build counts):
 * identity leaves of its own records with U, and S-only leaves of
 * kernel-owned tops of live processes' blocks; never a leaf of a kernel
 * range, never anything else.  build_shared() built them in tables full
 * of kernel leaves.
 */
static void no_process_table_holds_a_kernel_leaf(void **st)
{
	struct sv39_space b;

	(void)st;
	build_shared(&b);
	for (unsigned p = 0; p < 2; p++)
		for (unsigned w = 0; w < SV39_WINDOWS; w++) {
			const struct sv39_table *t =
				(const struct sv39_table *)(uintptr_t)(
					(patch[p].pte[w] >> 10) << 12);

			assert_ptr_equal(t, &l0[p][w]);
			for (unsigned i = 0; i < SV39_PTES; i++) {
				uint64_t e = t->pte[i];
				uint64_t va = win[w].base + i * 4 * KiB;
				bool own = false, top = false;

				if (!(e & 1))
					continue;
				assert_true(e & 0xE); /* a leaf */
				assert_int_equal((e >> 10) << 12, va);
				assert_false(in_kernel_range(va));
				for (unsigned r = 0; r < PROC_REGIONS; r++) {
					const struct mpu_region *g =
						&procs[p].regions[r];

					own |= va - g->base < g->size;
				}
				for (unsigned q = 0; q < 3; q++) {
					const struct proc *o = &procs[q];
					const struct mpu_region *g =
						&o->regions[PROC_REGION_RAM];

					top |= o->state != PROC_FREE &&
					       va >= g->base + g->size &&
					       va < o->mem_end;
				}
				assert_true(own != top);
				assert_int_equal(!!(e & 0x10), own);
			}
		}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(invalid_mappings_are_refused),
		T(read_only_execute_only_and_last_page_below_bit_38_are_fine),
		T(user_code_page_is_r_x_u_a_and_never_writable),
		T(kernel_data_page_is_dirty_and_not_user),
		T(non_leaf_entries_carry_only_the_valid_bit),
		T(satp_selects_sv39_with_the_root_page_number),
		T(aligned_gigabyte_becomes_one_gigapage),
		T(aligned_two_megabytes_become_one_megapage),
		T(unaligned_range_uses_pages_around_a_megapage),
		T(range_across_a_gigabyte_boundary_is_split),
		T(mapping_over_an_existing_mapping_is_refused),
		T(running_out_of_tables_is_nomem),
		T(a_reserved_or_misaligned_leaf_translates_nothing),
		T(process_space_copies_shared_tables_instead_of_writing_them),
		T(bound_counts_each_slot_once),
		T(bound_is_enough_for_any_layout_sharing_the_kernel),
		T(proc_maps_are_own_records_then_every_kernel_owned_top),
		T(empty_ram_record_maps_the_whole_block_to_the_kernel),
		T(process_space_isolates_peers_and_keeps_grants_kernel_only),
		T(windows_are_entries_of_the_kernels_own_l1),
		T(a_process_owns_two_l0_tables_and_never_writes_the_kernels),
		T(one_table_when_flash_and_ram_share_a_window),
		T(a_process_l0_never_maps_another_processs_pages),
		T(after_a_switch_no_user_page_of_the_previous_process_is_left),
		T(a_switch_that_skips_a_window_leaves_the_previous_process),
		T(the_kernels_entries_are_the_shared_set_in_every_space),
		T(no_process_table_holds_a_kernel_leaf),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
