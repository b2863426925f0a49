// SPDX-License-Identifier: MIT
/*
 * Unit tests for the PMP planner (platform/arch/riscv/pmp.c).
 *
 * Expected pmpaddr/pmpcfg values are computed by hand in the comments from
 * the privileged spec's encoding, not by calling the code under test.  A
 * small independent decoder (match()) then checks what a plan would let
 * U-mode touch, byte by byte at the region edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/arch/riscv/pmp.h"

#define R MPU_R
#define RW (MPU_R | MPU_W)
#define RX (MPU_R | MPU_X)
#define RWX (MPU_R | MPU_W | MPU_X)

/* cfg bytes, spelled out: A in bits 3-4, X bit 2, W bit 1, R bit 0 */
#define CFG_NAPOT_RW 0x1B  /* 3 << 3 | 0b011 = 0x18 | 0x3 */
#define CFG_NAPOT_RX 0x1D  /* 0x18 | 0b101 */
#define CFG_NAPOT_RWX 0x1F /* 0x18 | 0b111 */
#define CFG_NAPOT_R 0x19   /* 0x18 | 0b001 */
#define CFG_NA4_RW 0x13	   /* 2 << 3 | 0b011 = 0x10 | 0x3 */
#define CFG_TOR_RX 0x0D	   /* 1 << 3 | 0b101 = 0x08 | 0x5 */
#define CFG_TOR_RW 0x0B	   /* 0x08 | 0b011 */
#define CFG_OFF 0x00

static struct pmp_plan plan_of(const struct mpu_region *r, unsigned nr,
			       unsigned max)
{
	struct pmp_plan p;

	memset(&p, 0xA5, sizeof(p));
	assert_int_equal(pmp_plan_regions(r, nr, max, &p), KERR_OK);
	return p;
}

static void assert_entry(const struct pmp_plan *p, unsigned i, uintptr_t addr,
			 uint8_t cfg)
{
	assert_true(i < p->n);
	assert_int_equal(p->e[i].addr, addr);
	assert_int_equal(p->e[i].cfg, cfg);
}

/*
 * Independent model of the hardware match (privileged spec): the cfg of the
 * lowest-numbered entry whose range holds addr, or -1 when none does.
 */
static int match(const struct pmp_plan *p, uint64_t addr)
{
	for (unsigned i = 0; i < p->n; i++) {
		uint64_t a = p->e[i].addr, lo, hi;
		unsigned t = 0;

		switch (p->e[i].cfg & PMP_A_MASK) {
		case PMP_A_OFF:
			continue;
		case PMP_A_TOR:
			lo = i == 0 ? 0 : (uint64_t)p->e[i - 1].addr << 2;
			hi = a << 2;
			break;
		case PMP_A_NA4:
			lo = a << 2;
			hi = lo + 4;
			break;
		default: /* NAPOT: t trailing ones give 2^(t+3) bytes */
			while (t < 60 && (a & (1ull << t)))
				t++;
			lo = (a & ~((1ull << t) - 1)) << 2;
			hi = lo + (1ull << (t + 3));
			break;
		}
		if (addr >= lo && addr < hi)
			return p->e[i].cfg;
	}
	return -1;
}

/* Every byte of [base, base+size) matches cfg; the bytes just outside don't. */
static void assert_covers_exactly(const struct pmp_plan *p, uint64_t base,
				  uint64_t size, int cfg)
{
	assert_int_equal(match(p, base), cfg);
	assert_int_equal(match(p, base + size - 1), cfg);
	assert_int_equal(match(p, base + size / 2), cfg);
	assert_int_equal(match(p, base - 1), -1);
	assert_int_equal(match(p, base + size), -1);
}

static void napot_4k_region_at_0x80300000_encodes_0x200C01FF(void **state)
{
	struct mpu_region r = { 0x80300000, 0x1000, RW };
	struct pmp_plan p = plan_of(&r, 1, 8);

	(void)state;
	assert_int_equal(p.n, 1);
	/* 0x80300000 >> 2 = 0x200C0000; (0x1000 >> 3) - 1 = 0x1FF; OR them */
	assert_entry(&p, 0, 0x200C01FF, CFG_NAPOT_RW);
	assert_covers_exactly(&p, 0x80300000, 0x1000, CFG_NAPOT_RW);
}

static void napot_8_byte_region_has_no_trailing_ones(void **state)
{
	struct mpu_region r = { 0x80000010, 8, RX };
	struct pmp_plan p = plan_of(&r, 1, 8);

	(void)state;
	assert_int_equal(p.n, 1);
	/* 0x80000010 >> 2 = 0x20000004; (8 >> 3) - 1 = 0 */
	assert_entry(&p, 0, 0x20000004, CFG_NAPOT_RX);
	assert_covers_exactly(&p, 0x80000010, 8, CFG_NAPOT_RX);
}

static void napot_permissions_map_each_mpu_bit(void **state)
{
	static const struct {
		uint32_t perm;
		uint8_t cfg;
	} cases[] = {
		{ R, CFG_NAPOT_R },	/* 0x18 | 1 */
		{ RW, CFG_NAPOT_RW },	/* 0x18 | 3 */
		{ RX, CFG_NAPOT_RX },	/* 0x18 | 5 */
		{ RWX, CFG_NAPOT_RWX }, /* 0x18 | 7 */
		{ MPU_X, 0x1C },	/* 0x18 | 4: execute-only is legal */
		{ 0, 0x18 },		/* no access: entry still shadows */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mpu_region r = { 0x20000000, 0x100, cases[i].perm };
		struct pmp_plan p = plan_of(&r, 1, 8);

		/* 0x20000000 >> 2 = 0x08000000; (0x100 >> 3) - 1 = 0x1F */
		assert_entry(&p, 0, 0x0800001F, cases[i].cfg);
	}
}

static void na4_region_uses_one_entry(void **state)
{
	struct mpu_region r = { 0x80300004, 4, RW };
	struct pmp_plan p = plan_of(&r, 1, 8);

	(void)state;
	assert_int_equal(p.n, 1);
	/* 0x80300004 >> 2 = 0x200C0001 */
	assert_entry(&p, 0, 0x200C0001, CFG_NA4_RW);
	assert_covers_exactly(&p, 0x80300004, 4, CFG_NA4_RW);
}

static void odd_sized_region_uses_off_bottom_and_tor_top(void **state)
{
	/* a TBF of 0x1234 bytes (already a multiple of 4) */
	struct mpu_region r = { 0x80100000, 0x1234, RX };
	struct pmp_plan p = plan_of(&r, 1, 8);

	(void)state;
	assert_int_equal(p.n, 2);
	/* bottom: 0x80100000 >> 2 = 0x20040000, OFF */
	assert_entry(&p, 0, 0x20040000, CFG_OFF);
	/* top: (0x80100000 + 0x1234) >> 2 = 0x80101234 >> 2 = 0x2004048D */
	assert_entry(&p, 1, 0x2004048D, CFG_TOR_RX);
	assert_covers_exactly(&p, 0x80100000, 0x1234, CFG_TOR_RX);
}

static void power_of_two_size_on_unaligned_base_falls_back_to_tor(void **state)
{
	/* 0x1000 bytes at 0x80100800: 0x80100800 % 0x1000 = 0x800 != 0 */
	struct mpu_region r = { 0x80100800, 0x1000, RW };
	struct pmp_plan p = plan_of(&r, 1, 8);

	(void)state;
	assert_int_equal(p.n, 2);
	/* 0x80100800 >> 2 = 0x20040200 */
	assert_entry(&p, 0, 0x20040200, CFG_OFF);
	/* 0x80101800 >> 2 = 0x20040600 */
	assert_entry(&p, 1, 0x20040600, CFG_TOR_RW);
	assert_covers_exactly(&p, 0x80100800, 0x1000, CFG_TOR_RW);
}

static void four_byte_region_needs_only_4_alignment(void **state)
{
	/* size 4 at an address that is not 8-aligned still takes NA4 */
	struct mpu_region r = { 0x8000000C, 4, R };
	struct pmp_plan p = plan_of(&r, 1, 8);

	(void)state;
	/* 0x8000000C >> 2 = 0x20000003; cfg 0x10 | 1 = 0x11 */
	assert_int_equal(p.n, 1);
	assert_entry(&p, 0, 0x20000003, 0x11);
}

static void adjacent_tor_regions_share_the_boundary_entry(void **state)
{
	struct mpu_region r[] = {
		{ 0x80100000, 0x1234, RX }, /* ends at 0x80101234 */
		{ 0x80101234, 0x0100, RW }, /* starts there */
	};
	struct pmp_plan p = plan_of(r, 2, 8);

	(void)state;
	/* 3 entries, not 4: the first TOR top is the second's bottom */
	assert_int_equal(p.n, 3);
	assert_entry(&p, 0, 0x20040000, CFG_OFF);    /* 0x80100000 >> 2 */
	assert_entry(&p, 1, 0x2004048D, CFG_TOR_RX); /* 0x80101234 >> 2 */
	/* 0x80101334 >> 2 = 0x200404CD */
	assert_entry(&p, 2, 0x200404CD, CFG_TOR_RW);
	assert_int_equal(match(&p, 0x800FFFFF), -1);
	assert_int_equal(match(&p, 0x80100000), CFG_TOR_RX);
	assert_int_equal(match(&p, 0x80101233), CFG_TOR_RX);
	assert_int_equal(match(&p, 0x80101234), CFG_TOR_RW);
	assert_int_equal(match(&p, 0x80101333), CFG_TOR_RW);
	assert_int_equal(match(&p, 0x80101334), -1);
}

static void tor_after_napot_gets_its_own_bottom(void **state)
{
	/* a NAPOT pmpaddr is not a top address, so it can't be shared */
	struct mpu_region r[] = {
		{ 0x80300000, 0x1000, RW }, /* NAPOT, ends at 0x80301000 */
		{ 0x80301000, 0x0104, RX }, /* TOR from there */
	};
	struct pmp_plan p = plan_of(r, 2, 8);

	(void)state;
	assert_int_equal(p.n, 3);
	assert_entry(&p, 0, 0x200C01FF, CFG_NAPOT_RW);
	assert_entry(&p, 1, 0x200C0400, CFG_OFF); /* 0x80301000 >> 2 */
	/* 0x80301104 >> 2 = 0x200C0441 */
	assert_entry(&p, 2, 0x200C0441, CFG_TOR_RX);
	assert_int_equal(match(&p, 0x80300FFF), CFG_NAPOT_RW);
	assert_int_equal(match(&p, 0x80301000), CFG_TOR_RX);
	assert_int_equal(match(&p, 0x80301103), CFG_TOR_RX);
	assert_int_equal(match(&p, 0x80301104), -1);
}

static void tor_from_address_zero_in_entry_0_needs_no_bottom(void **state)
{
	/* entry 0's TOR bottom is 0 by definition */
	struct mpu_region r = { 0, 0x1234, R };
	struct pmp_plan p = plan_of(&r, 1, 8);

	(void)state;
	assert_int_equal(p.n, 1);
	/* 0x1234 >> 2 = 0x48D; cfg 0x08 | 1 = 0x09 */
	assert_entry(&p, 0, 0x48D, 0x09);
	assert_int_equal(match(&p, 0), 0x09);
	assert_int_equal(match(&p, 0x1233), 0x09);
	assert_int_equal(match(&p, 0x1234), -1);
}

static void typical_process_fits_hifive1_with_room_to_spare(void **state)
{
	struct mpu_region r[] = {
		[0] = { 0x20040000, 0x2A3C, RX }, /* TBF: TOR, 2 entries */
		[1] = { 0x80002800, 0x0800, RW }, /* RAM: NAPOT, 1 entry */
	};
	struct pmp_plan p = plan_of(r, 2, 8);

	(void)state;
	assert_int_equal(p.n, 3);
	assert_entry(&p, 0, 0x08010000, CFG_OFF);    /* 0x20040000 >> 2 */
	assert_entry(&p, 1, 0x08010A8F, CFG_TOR_RX); /* 0x20042A3C >> 2 */
	/* 0x80002800 >> 2 = 0x20000A00; (0x800 >> 3) - 1 = 0xFF */
	assert_entry(&p, 2, 0x20000AFF, CFG_NAPOT_RW);
}

/*
 * A process has two records (its flash, R+X, and its RAM, R+W), and each
 * costs at most two entries, so no process layout can need more than 4 of
 * the HiFive1's 8: a process load never fails for want of PMP entries
 * there.  The table covers each shape of each record.
 */
static void any_two_process_records_fit_in_four_of_eight_entries(void **state)
{
	static const struct mpu_region layouts[][2] = {
		/* both NAPOT */
		{ { 0x20040000, 0x1000, RX }, { 0x80002800, 0x800, RW } },
		/* both TOR, apart: the worst case, 2 + 2 */
		{ { 0x20040000, 0x13e4, RX }, { 0x80002800, 0x750, RW } },
		/* both TOR, RAM right after flash: 2 + 1 */
		{ { 0x80001000, 0x0c, RX }, { 0x8000100c, 0x34, RW } },
		/* TOR flash from address 0, NA4 RAM */
		{ { 0x0, 0x1c, RX }, { 0x80003ffc, 4, RW } },
		/* power-of-two sizes on unaligned bases: TOR */
		{ { 0x20040080, 0x1000, RX }, { 0x80002c00, 0x800, RW } },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		struct pmp_plan p;

		assert_int_equal(pmp_plan_regions(layouts[i], 2, 8, &p),
				 KERR_OK);
		assert_true(p.n <= 4);
		assert_true(pmp_fits(layouts[i], 2, 4));
	}
}

static void records_needing_more_than_8_entries_are_refused(void **state)
{
	/* 5 disjoint TOR records need 5 * 2 = 10 entries > 8 (HiFive1) */
	struct mpu_region r[5];
	struct pmp_plan p, before;

	(void)state;
	for (unsigned i = 0; i < 5; i++)
		r[i] = (struct mpu_region){ 0x80000000 + i * 0x1000, 0x0C, R };
	memset(&p, 0x5A, sizeof(p));
	before = p;
	assert_int_equal(pmp_plan_regions(r, 5, 8, &p), KERR_SIZE);
	assert_memory_equal(&p, &before, sizeof(p));
	assert_false(pmp_fits(r, 5, 8));
	/* 4 of them need exactly 8 */
	assert_true(pmp_fits(r, 4, 8));
	/* and 16 entries hold all 5 */
	assert_true(pmp_fits(r, 5, 16));
}

static void a_tor_record_is_refused_when_only_one_entry_is_left(void **state)
{
	/* NAPOT x7 uses 7 entries; a TOR record then needs 2 > 8 - 7 */
	struct mpu_region r[8];

	(void)state;
	for (unsigned i = 0; i < 7; i++)
		r[i] = (struct mpu_region){ 0x80000000 + i * 0x100, 0x100, R };
	r[7] = (struct mpu_region){ 0x80010000, 0x0C, R };
	assert_false(pmp_fits(r, 8, 8));
	/* but an NA4 record takes the last entry */
	r[7].size = 4;
	assert_true(pmp_fits(r, 8, 8));
}

static void max_entries_above_16_counts_as_16(void **state)
{
	struct mpu_region r[9];

	(void)state;
	/* 9 TOR records need 18 entries: no hart setting makes that fit */
	for (unsigned i = 0; i < 9; i++)
		r[i] = (struct mpu_region){ 0x80000000 + i * 0x100, 0x0C, R };
	assert_false(pmp_fits(r, 9, 64));
	assert_true(pmp_fits(r, 8, 64)); /* 16 entries */
}

static void zero_size_records_are_skipped(void **state)
{
	struct mpu_region r[] = {
		{ 0x80300000, 0, RW },	    /* nothing */
		{ 0x00000003, 0, RW },	    /* nothing, alignment irrelevant */
		{ 0x80300000, 0x1000, RW }, /* one NAPOT */
		{ UINTPTR_MAX, 0, RW },	    /* nothing, can't wrap */
	};
	struct pmp_plan p = plan_of(r, 4, 8);

	(void)state;
	assert_int_equal(p.n, 1);
	assert_entry(&p, 0, 0x200C01FF, CFG_NAPOT_RW);
	/* all-empty gives an empty plan */
	p = plan_of(r, 2, 8);
	assert_int_equal(p.n, 0);
}

static void unaligned_base_or_size_is_refused(void **state)
{
	static const struct mpu_region cases[] = {
		{ 0x80300001, 0x1000, RW }, /* base % 4 = 1 */
		{ 0x80300002, 0x0008, RW }, /* base % 4 = 2 */
		{ 0x80300000, 0x1001, RW }, /* size % 4 = 1 */
		{ 0x80300000, 0x0006, RW }, /* size % 4 = 2 */
		{ 0x80300000, 0x0003, RW }, /* smaller than a granule */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pmp_plan p, before;

		memset(&p, 0x3C, sizeof(p));
		before = p;
		assert_int_equal(pmp_plan_regions(&cases[i], 1, 8, &p),
				 KERR_INVAL);
		assert_memory_equal(&p, &before, sizeof(p));
	}
}

static void ranges_that_wrap_or_reach_the_top_are_refused(void **state)
{
	static const struct mpu_region cases[] = {
		/* UINTPTR_MAX - 3 + 8 wraps past 0 */
		{ UINTPTR_MAX - 3, 8, R },
		/* (UINTPTR_MAX - 0xFFF) + 0x1000 = 2^XLEN: end too high */
		{ UINTPTR_MAX - 0xFFF, 0x1000, R },
		/* size alone reaches past the top */
		{ 0x1000, UINTPTR_MAX - 3, R },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(pmp_fits(&cases[i], 1, 16), false);
	/* just below the top is fine: [2^XLEN - 0x2000, 2^XLEN - 0x1000) */
#if UINTPTR_MAX == 0xFFFFFFFFu
	struct mpu_region ok = { UINTPTR_MAX - 0x1FFF, 0x1000, R };

	assert_true(pmp_fits(&ok, 1, 16));
#endif
}

static void rv64_ranges_beyond_56_address_bits_are_refused(void **state)
{
	(void)state;
#if UINTPTR_MAX > 0xFFFFFFFFu
	/* pmpaddr holds bits 55:2: the end must stay below 2^56 */
	struct mpu_region over = { ((uintptr_t)1 << 56) - 0x1000, 0x1000, R };
	struct mpu_region under = { ((uintptr_t)1 << 56) - 0x2000, 0x1000, R };
	struct pmp_plan p;

	assert_false(pmp_fits(&over, 1, 16));
	assert_int_equal(pmp_plan_regions(&under, 1, 16, &p), KERR_OK);
	/* (2^56 - 0x2000) >> 2 = 2^54 - 0x800; (0x1000 >> 3) - 1 = 0x1FF */
	assert_entry(&p, 0, ((uintptr_t)1 << 54) - 0x800 + 0x1FF, 0x19);
#else
	skip();
#endif
}

static void reserved_or_unknown_permissions_are_refused(void **state)
{
	static const uint32_t bad[] = {
		MPU_W,		/* R = 0, W = 1 is reserved */
		MPU_W | MPU_X,	/* same */
		RW | (1u << 3), /* not an MPU permission bit */
		1u << 7,	/* would be L */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mpu_region r = { 0x80300000, 0x1000, bad[i] };
		struct pmp_plan p;

		assert_int_equal(pmp_plan_regions(&r, 1, 8, &p), KERR_INVAL);
	}
}

static void lock_bit_is_never_set(void **state)
{
	struct mpu_region r[] = {
		{ 0x80100000, 0x1234, RWX }, /* OFF + TOR */
		{ 0x80300000, 0x1000, RWX }, /* NAPOT */
		{ 0x80400000, 4, RWX },	     /* NA4 */
	};
	struct pmp_plan p = plan_of(r, 3, 8);

	(void)state;
	assert_int_equal(p.n, 4);
	for (unsigned i = 0; i < p.n; i++)
		assert_int_equal(p.e[i].cfg & PMP_L, 0);
}

static void earlier_record_wins_where_records_overlap(void **state)
{
	/* an RW page inside an R region: order decides the overlap */
	struct mpu_region r[] = {
		{ 0x80001000, 0x1000, RW },
		{ 0x80000000, 0x4000, R },
	};
	struct pmp_plan p = plan_of(r, 2, 8);

	(void)state;
	assert_int_equal(match(&p, 0x80001800), CFG_NAPOT_RW);
	assert_int_equal(match(&p, 0x80000800), CFG_NAPOT_R);
	assert_int_equal(match(&p, 0x80003FFC), CFG_NAPOT_R);
}

static void cfg_words_use_the_rv32_layout(void **state)
{
	/* 6 entries: NAPOT, OFF, TOR, NA4, NAPOT, NA4 */
	struct mpu_region r[] = {
		{ 0x80300000, 0x1000, RW },  /* e0 NAPOT RW  = 0x1B */
		{ 0x80100000, 0x1234, RX },  /* e1 OFF = 0x00, e2 TOR RX = 0x0D */
		{ 0x80400000, 4, RW },	     /* e3 NA4 RW = 0x13 */
		{ 0x80500000, 0x100, RWX },  /* e4 NAPOT RWX = 0x1F */
		{ 0x80600000, 4, R },	     /* e5 NA4 R = 0x11 */
	};
	struct pmp_plan p = plan_of(r, 5, 8);
	unsigned long cfg[PMP_CFG_WORDS_MAX];

	(void)state;
	assert_int_equal(p.n, 6);
	memset(cfg, 0xEE, sizeof(cfg));
	pmp_plan_cfg_words_xlen(&p, 8, 32, cfg);
	/* pmpcfg0 = e3 e2 e1 e0 (byte 0 = entry 0) = 0x13 0D 00 1B */
	assert_int_equal(cfg[0], 0x130D001Bul);
	/* pmpcfg1 = e7 e6 e5 e4 = 0x00 00 11 1F (e6, e7 unused: OFF) */
	assert_int_equal(cfg[1], 0x0000111Ful);
	/* 8 entries take 2 registers: cfg[2], cfg[3] untouched */
	assert_int_equal(cfg[2], (unsigned long)-1 / 0xFF * 0xEE);
}

static void cfg_words_use_the_rv64_layout(void **state)
{
	struct mpu_region r[] = {
		{ 0x80300000, 0x1000, RW },  /* e0 0x1B */
		{ 0x80100000, 0x1234, RX },  /* e1 0x00, e2 0x0D */
		{ 0x80400000, 4, RW },	     /* e3 0x13 */
		{ 0x80500000, 0x100, RWX },  /* e4 0x1F */
		{ 0x80600000, 4, R },	     /* e5 0x11 */
	};
	struct pmp_plan p = plan_of(r, 5, 16);
	unsigned long cfg[PMP_CFG_WORDS_MAX];

	(void)state;
	if (sizeof(unsigned long) < 8)
		skip();
	memset(cfg, 0xEE, sizeof(cfg));
	pmp_plan_cfg_words_xlen(&p, 16, 64, cfg);
	/* pmpcfg0 = e7..e0 = 00 00 11 1F 13 0D 00 1B */
	assert_int_equal(cfg[0], (unsigned long)0x0000111F130D001Bull);
	/* pmpcfg2 = e15..e8, all OFF */
	assert_int_equal(cfg[1], 0);
	/* the native call on this (64-bit) host gives the same words */
	memset(cfg, 0xEE, sizeof(cfg));
	pmp_plan_cfg_words(&p, 16, cfg);
	assert_int_equal(cfg[0], (unsigned long)0x0000111F130D001Bull);
	assert_int_equal(cfg[1], 0);
}

static void unused_entries_are_written_as_off(void **state)
{
	/* the previous process used 16 entries; the next uses 1 */
	struct mpu_region big[8], small = { 0x80300000, 0x1000, RW };
	struct pmp_plan p;
	unsigned long cfg[PMP_CFG_WORDS_MAX];

	(void)state;
	for (unsigned i = 0; i < 8; i++)
		big[i] = (struct mpu_region){ 0x80000000 + i * 0x100, 0x0C,
					      RWX };
	p = plan_of(big, 8, 16);
	assert_int_equal(p.n, 16);
	pmp_plan_cfg_words_xlen(&p, 16, 32, cfg);
	/* OFF, TOR RWX (0x08 | 7 = 0x0F), repeated: 0x0F000F00 */
	for (unsigned k = 0; k < 4; k++)
		assert_int_equal(cfg[k], 0x0F000F00ul);

	assert_int_equal(pmp_plan_regions(&small, 1, 16, &p), KERR_OK);
	pmp_plan_cfg_words_xlen(&p, 16, 32, cfg);
	/* only byte 0 of pmpcfg0 is left: 0x1B; entries 1..15 OFF */
	assert_int_equal(cfg[0], 0x1Bul);
	assert_int_equal(cfg[1], 0);
	assert_int_equal(cfg[2], 0);
	assert_int_equal(cfg[3], 0);
}

/* The plan a struct pmp_image's register values describe, for match(). */
static struct pmp_plan image_plan(const struct pmp_image *im)
{
	struct pmp_plan p = { .n = PMP_IMAGE_ENTRIES };

	for (unsigned i = 0; i < PMP_IMAGE_ENTRIES; i++) {
		p.e[i].addr = im->addr[i];
		p.e[i].cfg = (uint8_t)(im->cfg >> (8 * i));
	}
	/* entries 4-7 of pmpcfg0 (rv64) are OFF */
	assert_int_equal(im->cfg >> 31 >> 1, 0);
	return p;
}

static struct pmp_plan image_of(const struct mpu_region r[2])
{
	struct pmp_image im;

	memset(&im, 0xA5, sizeof(im));
	assert_int_equal(pmp_image_build(r, 2, &im), KERR_OK);
	return image_plan(&im);
}

/*
 * Switch-time images (pmp_hw.c): NAPOT for each record whose size is a
 * power of two and whose base is aligned to it, an OFF/TOR pair for any
 * other, then OFF entries with pmpaddr 0.
 */
static void image_uses_napot_for_aligned_power_of_two_records(void **state)
{
	/* HiFive1 slot A: a 4 KiB TBF, 2 KiB of RAM at 0x80002800 */
	struct mpu_region r[2] = { { 0x20040000, 0x1000, RX },
				   { 0x80002800, 0x800, RW } };
	struct pmp_plan p = image_of(r);

	(void)state;
	/* 0x20040000 >> 2 = 0x08010000, | (0x1000 >> 3) - 1 = 0x1FF */
	assert_entry(&p, 0, 0x080101FF, CFG_NAPOT_RX);
	/* 0x80002800 >> 2 = 0x20000A00, | (0x800 >> 3) - 1 = 0xFF */
	assert_entry(&p, 1, 0x20000AFF, CFG_NAPOT_RW);
	assert_entry(&p, 2, 0, CFG_OFF);
	assert_entry(&p, 3, 0, CFG_OFF);
	assert_covers_exactly(&p, 0x20040000, 0x1000, CFG_NAPOT_RX);
	assert_covers_exactly(&p, 0x80002800, 0x800, CFG_NAPOT_RW);
}

static void image_mixes_napot_and_tor_record_by_record(void **state)
{
	/* an 8 KiB TBF at 0x80100000, a break 0xae0 above 0x80300000 */
	struct mpu_region r[2] = { { 0x80100000, 0x2000, RX },
				   { 0x80300000, 0xae0, RW } };
	/* and the other way round: an odd TBF, a 4 KiB break */
	struct mpu_region q[2] = { { 0x80100080, 0x1a4c, RX },
				   { 0x80300000, 0x1000, RW } };
	struct pmp_plan p = image_of(r);

	(void)state;
	/* 0x80100000 >> 2 = 0x20040000, | 0x2000 / 8 - 1 = 0x3FF */
	assert_entry(&p, 0, 0x200403FF, CFG_NAPOT_RX);
	/* a NAPOT entry gives no TOR bottom: OFF 0x80300000 >> 2 first */
	assert_entry(&p, 1, 0x200C0000, CFG_OFF);
	assert_entry(&p, 2, 0x200C02B8, CFG_TOR_RW); /* 0x80300ae0 >> 2 */
	assert_entry(&p, 3, 0, CFG_OFF);
	assert_covers_exactly(&p, 0x80100000, 0x2000, CFG_NAPOT_RX);
	assert_covers_exactly(&p, 0x80300000, 0xae0, CFG_TOR_RW);

	p = image_of(q);
	assert_entry(&p, 0, 0x20040020, CFG_OFF);    /* 0x80100080 >> 2 */
	assert_entry(&p, 1, 0x200406B3, CFG_TOR_RX); /* 0x80101acc >> 2 */
	assert_entry(&p, 2, 0x200C01FF, CFG_NAPOT_RW);
	assert_entry(&p, 3, 0, CFG_OFF);
	assert_covers_exactly(&p, 0x80100080, 0x1a4c, CFG_TOR_RX);
	assert_covers_exactly(&p, 0x80300000, 0x1000, CFG_NAPOT_RW);
}

static void image_of_two_tor_records_takes_all_four_entries(void **state)
{
	static const struct mpu_region layouts[][2] = {
		{ { 0x20040000, 0x13e4, RX }, { 0x80002800, 0x750, RW } },
		{ { 0x80001000, 0x0c, RX }, { 0x80001010, 0x34, RW } },
		{ { 0x80100080, 0x1a4c, RX }, { 0x80300000, 0xae0, RW } },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		const struct mpu_region *r = layouts[i];
		struct pmp_plan p = image_of(r);

		/* 0x08 | R X = 0x0D, 0x08 | R W = 0x0B; OFF below each */
		assert_entry(&p, 0, r[0].base >> 2, CFG_OFF);
		assert_entry(&p, 1, (r[0].base + r[0].size) >> 2, CFG_TOR_RX);
		assert_entry(&p, 2, r[1].base >> 2, CFG_OFF);
		assert_entry(&p, 3, (r[1].base + r[1].size) >> 2, CFG_TOR_RW);
		assert_covers_exactly(&p, r[0].base, r[0].size, CFG_TOR_RX);
		assert_covers_exactly(&p, r[1].base, r[1].size, CFG_TOR_RW);
	}
}

static void image_of_an_empty_ram_record_grants_no_ram(void **state)
{
	/* a process before its first brk: the RAM record is empty */
	struct mpu_region r[2] = { { 0x20040000, 0x1000, RX },
				   { 0x80002800, 0, RW } };
	struct pmp_plan p = image_of(r);

	(void)state;
	assert_entry(&p, 0, 0x080101FF, CFG_NAPOT_RX);
	for (unsigned i = 1; i < PMP_IMAGE_ENTRIES; i++)
		assert_entry(&p, i, 0, CFG_OFF);
	assert_int_equal(match(&p, 0x80002800), -1);
	assert_int_equal(match(&p, 0x800027fc), -1);
	assert_covers_exactly(&p, 0x20040000, 0x1000, CFG_NAPOT_RX);
}

static void image_refusals_leave_the_image_unchanged(void **state)
{
	/* three TOR records need six entries; misaligned; W without R */
	struct mpu_region three[3] = { { 0x80000004, 0x0c, RX },
				       { 0x80000100, 0x0c, RW },
				       { 0x80000200, 0x0c, R } };
	struct mpu_region odd[2] = { { 0x80000002, 0x10, RX },
				     { 0x80001000, 0x100, RW } };
	struct mpu_region wo[2] = { { 0x80000000, 0x100, MPU_W },
				    { 0x80001000, 0x100, RW } };
	struct pmp_image im, before;

	(void)state;
	memset(&im, 0x5A, sizeof(im));
	before = im;
	assert_int_equal(pmp_image_build(three, 3, &im), KERR_SIZE);
	assert_memory_equal(&im, &before, sizeof(im));
	assert_int_equal(pmp_image_build(odd, 2, &im), KERR_INVAL);
	assert_memory_equal(&im, &before, sizeof(im));
	assert_int_equal(pmp_image_build(wo, 2, &im), KERR_INVAL);
	assert_memory_equal(&im, &before, sizeof(im));
	/* what pmp_fits() says about four entries agrees */
	assert_false(pmp_fits(three, 3, PMP_IMAGE_ENTRIES));
	assert_true(pmp_fits(three, 2, PMP_IMAGE_ENTRIES));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			napot_4k_region_at_0x80300000_encodes_0x200C01FF),
		cmocka_unit_test(napot_8_byte_region_has_no_trailing_ones),
		cmocka_unit_test(napot_permissions_map_each_mpu_bit),
		cmocka_unit_test(na4_region_uses_one_entry),
		cmocka_unit_test(odd_sized_region_uses_off_bottom_and_tor_top),
		cmocka_unit_test(
			power_of_two_size_on_unaligned_base_falls_back_to_tor),
		cmocka_unit_test(four_byte_region_needs_only_4_alignment),
		cmocka_unit_test(adjacent_tor_regions_share_the_boundary_entry),
		cmocka_unit_test(tor_after_napot_gets_its_own_bottom),
		cmocka_unit_test(
			tor_from_address_zero_in_entry_0_needs_no_bottom),
		cmocka_unit_test(
			typical_process_fits_hifive1_with_room_to_spare),
		cmocka_unit_test(
			any_two_process_records_fit_in_four_of_eight_entries),
		cmocka_unit_test(
			records_needing_more_than_8_entries_are_refused),
		cmocka_unit_test(
			a_tor_record_is_refused_when_only_one_entry_is_left),
		cmocka_unit_test(max_entries_above_16_counts_as_16),
		cmocka_unit_test(zero_size_records_are_skipped),
		cmocka_unit_test(unaligned_base_or_size_is_refused),
		cmocka_unit_test(ranges_that_wrap_or_reach_the_top_are_refused),
		cmocka_unit_test(
			rv64_ranges_beyond_56_address_bits_are_refused),
		cmocka_unit_test(reserved_or_unknown_permissions_are_refused),
		cmocka_unit_test(lock_bit_is_never_set),
		cmocka_unit_test(earlier_record_wins_where_records_overlap),
		cmocka_unit_test(cfg_words_use_the_rv32_layout),
		cmocka_unit_test(cfg_words_use_the_rv64_layout),
		cmocka_unit_test(unused_entries_are_written_as_off),
		cmocka_unit_test(
			image_uses_napot_for_aligned_power_of_two_records),
		cmocka_unit_test(image_mixes_napot_and_tor_record_by_record),
		cmocka_unit_test(
			image_of_two_tor_records_takes_all_four_entries),
		cmocka_unit_test(image_of_an_empty_ram_record_grants_no_ram),
		cmocka_unit_test(image_refusals_leave_the_image_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
