// SPDX-License-Identifier: MIT
/*
 * Fuzz target "pmp": the PMP planner (platform/arch/riscv/pmp.c) against a
 * brute-force reference model.
 *
 * The input decodes into a set of 1-6 protection records (small aligned
 * ones, naturally aligned powers of two, records near the top of the
 * address space and raw bit patterns) and an entry budget of 8 or 16.
 * The model answers, for any address, what the records grant: the
 * permissions of the first record that contains it (pmp.h: the earlier
 * record wins an overlap), nothing if none does.  The planner's result is
 * decoded the way the hart reads the entries (the lowest-numbered matching
 * entry decides; OFF, TOR, NA4 and NAPOT as the privileged spec defines
 * them) and compared with the model at every record boundary +-1 and a few
 * other points.  Also checked: the error the planner returns against the
 * rules pmp.h writes down (what is invalid, what each record costs),
 * pmp_fits(), that a refusal leaves the plan untouched, that no entry has
 * L set, the packed cfg words at XLEN 32 and 64, and pmp_image_build()
 * against the plan.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "platform/arch/riscv/pmp.h"
#include "tests/fuzz/fuzz.h"

#define MAX_RECORDS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mpu_region rec[MAX_RECORDS];
static unsigned nrec;

/* What the records grant at a: perm | 8 when some record covers it. */
static unsigned model(uintptr_t a)
{
	for (unsigned i = 0; i < nrec; i++)
		if (rec[i].size != 0 && a >= rec[i].base &&
		    a - rec[i].base < rec[i].size)
			return (rec[i].perm & 7) | 8;
	return 0;
}

/* What the hart does with plan p at a: perm | 8 on a match. */
static unsigned hart(const struct pmp_plan *p, uintptr_t a)
{
	for (unsigned i = 0; i < p->n; i++) {
		uintptr_t y = p->e[i].addr;
		unsigned cfg = p->e[i].cfg;
		uint64_t lo, hi;

		switch (cfg & PMP_A_MASK) {
		case PMP_A_OFF:
			continue;
		case PMP_A_TOR:
			lo = i == 0 ? 0 : (uint64_t)p->e[i - 1].addr << 2;
			hi = (uint64_t)y << 2;
			break;
		case PMP_A_NA4:
			lo = (uint64_t)y << 2;
			hi = lo + 4;
			break;
		default: { /* NAPOT: t trailing ones, 2^(t+3) bytes */
			unsigned t = (unsigned)__builtin_ctzll(~(uint64_t)y);

			FUZZ_CHECK(t < 54);
			lo = ((uint64_t)y & ~(((uint64_t)1 << t) - 1)) << 2;
			hi = lo + ((uint64_t)1 << (t + 3));
			break;
		}
		}
		if (a >= lo && a < hi)
			return (cfg & 7) | 8;
	}
	return 0;
}

static bool napot_ok(const struct mpu_region *r)
{
	return r->size >= 8 && (r->size & (r->size - 1)) == 0 &&
	       r->base % r->size == 0;
}

/* The result pmp.h promises for these records and this budget. */
static enum kerr expected(unsigned max, unsigned *entries)
{
	unsigned n = 0;
	bool prev_tor = false;
	uintptr_t prev_end = 0;

	for (unsigned i = 0; i < nrec; i++) {
		const struct mpu_region *r = &rec[i];
		unsigned cost;

		if (r->size == 0)
			continue;
		if ((r->perm & ~7u) || ((r->perm & MPU_W) && !(r->perm & MPU_R)))
			return KERR_INVAL;
		if (r->base % 4 || r->size % 4)
			return KERR_INVAL;
		if (r->base > UINTPTR_MAX - r->size)
			return KERR_INVAL;
		if ((uint64_t)r->base + r->size >= ((uint64_t)1 << 56))
			return KERR_INVAL;
		if (napot_ok(r) || r->size == 4) {
			cost = 1;
			prev_tor = false;
		} else {
			bool shared = n == 0 ? r->base == 0
					     : prev_tor && prev_end == r->base;
			cost = shared ? 1 : 2;
			prev_tor = true;
			prev_end = r->base + r->size;
		}
		if (n + cost > max)
			return KERR_SIZE;
		n += cost;
	}
	*entries = n;
	return KERR_OK;
}

static void compare_at(const struct pmp_plan *p, uintptr_t a)
{
	for (int d = -1; d <= 1; d++) {
		uintptr_t x = a + (uintptr_t)(intptr_t)d;

		FUZZ_CHECK(hart(p, x) == model(x));
	}
}

static void decode(struct fuzz_in *in)
{
	nrec = 1 + fuzz_u8(in) % MAX_RECORDS;
	for (unsigned i = 0; i < nrec; i++) {
		struct mpu_region *r = &rec[i];
		uint8_t mode = fuzz_u8(in);
		unsigned k;

		switch (mode & 3) {
		case 0: /* small, 4-aligned, often touching each other */
			r->base = (uintptr_t)fuzz_bytes(in, 1) * 4;
			r->size = (size_t)fuzz_bytes(in, 1) * 4;
			break;
		case 1: /* a naturally aligned power of two */
			k = 2 + fuzz_u8(in) % 30;
			r->base = (uintptr_t)fuzz_bytes(in, 2) << k;
			r->size = (size_t)1 << k;
			break;
		case 2: /* near the top of what pmpaddr can hold */
			r->base = ((uintptr_t)1 << 56) -
				  (uintptr_t)fuzz_bytes(in, 2) * 4;
			r->size = (size_t)fuzz_bytes(in, 2) * 4;
			break;
		default: /* raw bits */
			r->base = (uintptr_t)fuzz_bytes(in, 8);
			r->size = (size_t)fuzz_bytes(in, (mode >> 2) & 7);
			break;
		}
		r->perm = mode & 0x80 ? fuzz_u8(in) : (mode >> 4) & 7;
		if (r->perm == 0 && !(mode & 0x80))
			r->perm = MPU_R;
	}
}

static void check_cfg_words(const struct pmp_plan *p, unsigned max)
{
	unsigned long w[PMP_CFG_WORDS_MAX];

	for (unsigned xlen = 32; xlen <= 64; xlen += 32) {
		unsigned per = xlen / 8;

		memset(w, 0xa5, sizeof(w));
		pmp_plan_cfg_words_xlen(p, max, xlen, w);
		for (unsigned i = 0; i < max; i++) {
			unsigned b = (unsigned)(w[i / per] >> (8 * (i % per))) &
				     0xff;

			FUZZ_CHECK(b == (i < p->n ? p->e[i].cfg : 0u));
		}
		if (xlen == 32)
			for (unsigned k = 0; k < (max + 3) / 4; k++)
				FUZZ_CHECK(w[k] <= 0xffffffffu);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct pmp_plan plan, before;
	struct pmp_image img, img_before;
	unsigned max, want_n = 0;
	enum kerr rc, want, img_rc;

	max = fuzz_u8(&in) & 1 ? 16 : 8;
	decode(&in);

	memset(&plan, 0x5a, sizeof(plan));
	before = plan;
	rc = pmp_plan_regions(rec, nrec, max, &plan);
	want = expected(max, &want_n);
	FUZZ_CHECK(rc == want);
	FUZZ_CHECK(pmp_fits(rec, nrec, max) == (rc == KERR_OK));

	/* the fixed four-entry image a switch writes */
	memset(&img, 0x5a, sizeof(img));
	img_before = img;
	img_rc = pmp_image_build(rec, nrec, &img);
	FUZZ_CHECK(img_rc == expected(PMP_IMAGE_ENTRIES, &want_n));
	if (img_rc != KERR_OK)
		FUZZ_CHECK(memcmp(&img, &img_before, sizeof(img)) == 0);

	if (rc != KERR_OK) {
		FUZZ_CHECK(memcmp(&plan, &before, sizeof(plan)) == 0);
		return 0;
	}
	(void)expected(max, &want_n);
	FUZZ_CHECK(plan.n == want_n);
	FUZZ_CHECK(plan.n <= max);
	for (unsigned i = 0; i < plan.n; i++)
		FUZZ_CHECK(!(plan.e[i].cfg & PMP_L));

	for (unsigned i = 0; i < nrec; i++) {
		compare_at(&plan, rec[i].base);
		compare_at(&plan, rec[i].base + rec[i].size);
	}
	compare_at(&plan, 1);
	compare_at(&plan, UINTPTR_MAX - 1);
	compare_at(&plan, (uintptr_t)1 << 56);
	check_cfg_words(&plan, max);

	if (img_rc == KERR_OK) {
		struct pmp_plan p4;

		FUZZ_CHECK(pmp_plan_regions(rec, nrec, PMP_IMAGE_ENTRIES,
					    &p4) == KERR_OK);
		for (unsigned i = 0; i < PMP_IMAGE_ENTRIES; i++) {
			FUZZ_CHECK(img.addr[i] ==
				   (i < p4.n ? p4.e[i].addr : 0u));
			FUZZ_CHECK(((img.cfg >> (8 * i)) & 0xff) ==
				   (i < p4.n ? p4.e[i].cfg : 0u));
		}
		FUZZ_CHECK((img.cfg >> 32) == 0);
	}
	return 0;
}
