// SPDX-License-Identifier: MIT
/*
 * PMP planning: protection records in, pmpaddr/pmpcfg values out.
 *
 * Pure C, host-tested; no CSR is read or written here (pmp_hw.c does that).
 * The plan is built in a local copy and only copied out once every record
 * has been encoded, so a refused set of records leaves the caller's plan
 * as it was.  See pmp.h for the encoding rules.
 */
#include "platform/arch/riscv/pmp.h"

#include <limits.h>
#include <stddef.h>

#include "kernel/kassert.h"

#ifdef __riscv_xlen
#define PMP_XLEN __riscv_xlen
#else
#define PMP_XLEN (sizeof(unsigned long) * CHAR_BIT)
#endif

static unsigned clamp_entries(unsigned max_entries)
{
	return max_entries > PMP_MAX_ENTRIES ? PMP_MAX_ENTRIES : max_entries;
}

static bool is_pow2(size_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Check one record and derive its permission bits; changes nothing. */
static enum kerr check_region(const struct mpu_region *r, uint8_t *perm)
{
	if (r->perm & ~(uint32_t)(MPU_R | MPU_W | MPU_X))
		return KERR_INVAL;
	/* R = 0, W = 1 is a reserved pmpcfg encoding */
	if ((r->perm & MPU_W) && !(r->perm & MPU_R))
		return KERR_INVAL;
	/* pmpaddr drops address bits 1:0, so nothing finer than 4 bytes */
	if ((r->base & 3) != 0 || (r->size & 3) != 0)
		return KERR_INVAL;
	/* the end (base + size) must be representable: no wrap past 0 */
	if (r->base > UINTPTR_MAX - r->size)
		return KERR_INVAL;
#if UINTPTR_MAX > 0xFFFFFFFFu
	/* rv64 pmpaddr holds bits 55:2: a TOR top of 2^56 does not fit */
	if (r->base + r->size >= ((uintptr_t)1 << 56))
		return KERR_INVAL;
#endif
	/* MPU_R/W/X are the pmpcfg bits (pmp.h), and nothing else is set */
	*perm = (uint8_t)r->perm;
	return KERR_OK;
}

static void put(struct pmp_plan *p, uintptr_t addr, unsigned cfg)
{
	p->e[p->n].addr = addr;
	p->e[p->n].cfg = (uint8_t)cfg;
	p->n++;
}

/*
 * Append the entries for one checked, non-empty record to p, refusing with
 * KERR_SIZE (p then partly written) when max entries would be exceeded.
 */
static enum kerr encode(struct pmp_plan *p, const struct mpu_region *r,
			uint8_t perm, unsigned max)
{
	uintptr_t base = r->base;
	uintptr_t end = r->base + r->size;
	bool need_bottom;

	if (is_pow2(r->size) && r->size >= 8 && (base & (r->size - 1)) == 0) {
		if (p->n + 1u > max)
			return KERR_SIZE;
		put(p, (base >> 2) | ((r->size >> 3) - 1), PMP_A_NAPOT | perm);
		return KERR_OK;
	}
	if (r->size == 4) {
		if (p->n + 1u > max)
			return KERR_SIZE;
		put(p, base >> 2, PMP_A_NA4 | perm);
		return KERR_OK;
	}

	/*
	 * TOR takes its bottom from the entry below.  That entry already holds
	 * base when it is a TOR entry ending here; entry 0's bottom is 0.
	 */
	if (p->n == 0)
		need_bottom = base != 0;
	else
		need_bottom = (p->e[p->n - 1].cfg & PMP_A_MASK) != PMP_A_TOR ||
			      p->e[p->n - 1].addr != (base >> 2);
	if (p->n + (need_bottom ? 2u : 1u) > max)
		return KERR_SIZE;
	if (need_bottom)
		put(p, base >> 2, PMP_A_OFF);
	put(p, end >> 2, PMP_A_TOR | perm);
	return KERR_OK;
}

/*
 * pmp_plan_regions()'s work, straight into *p, which a refusal leaves
 * partly written.  Entries past p->n are never written (nor read).
 */
static enum kerr plan_into(const struct mpu_region *r, unsigned nr,
			   unsigned max_entries, struct pmp_plan *p)
{
	unsigned max = clamp_entries(max_entries);

	p->n = 0;
	for (unsigned i = 0; i < nr; i++) {
		uint8_t perm;
		enum kerr rc;

		if (r[i].size == 0)
			continue;
		rc = check_region(&r[i], &perm);
		if (rc == KERR_OK)
			rc = encode(p, &r[i], perm, max);
		if (rc != KERR_OK)
			return rc;
	}
	return KERR_OK;
}

enum kerr pmp_plan_regions(const struct mpu_region *r, unsigned nr,
			   unsigned max_entries, struct pmp_plan *out)
{
	struct pmp_plan plan;
	enum kerr rc = plan_into(r, nr, max_entries, &plan);

	if (rc == KERR_OK)
		*out = plan; /* commit */
	return rc;
}

bool pmp_fits(const struct mpu_region *r, unsigned nr, unsigned max_entries)
{
	struct pmp_plan scratch;

	return plan_into(r, nr, max_entries, &scratch) == KERR_OK;
}

void pmp_plan_cfg_words_xlen(const struct pmp_plan *p, unsigned max_entries,
			     unsigned xlen, unsigned long *cfg)
{
	unsigned max = clamp_entries(max_entries);
	unsigned per_reg = xlen / 8;
	unsigned words = (max + per_reg - 1) / per_reg;

	KASSERT(xlen == 32 || xlen == 64);
	KASSERT(xlen <= sizeof(unsigned long) * CHAR_BIT);
	KASSERT(p->n <= max);

	for (unsigned k = 0; k < words; k++)
		cfg[k] = 0;
	for (unsigned i = 0; i < p->n && i < max; i++)
		cfg[i / per_reg] |= (unsigned long)p->e[i].cfg
				    << (8 * (i % per_reg));
}

void pmp_plan_cfg_words(const struct pmp_plan *p, unsigned max_entries,
			unsigned long *cfg)
{
	pmp_plan_cfg_words_xlen(p, max_entries, PMP_XLEN, cfg);
}

enum kerr pmp_image_build(const struct mpu_region *r, unsigned nr,
			  struct pmp_image *out)
{
	struct pmp_plan plan;
	enum kerr rc;

	rc = plan_into(r, nr, PMP_IMAGE_ENTRIES, &plan);
	if (rc != KERR_OK)
		return rc; /* *out untouched */
	/* entries 0-3 have their cfg bytes in pmpcfg0 at either XLEN */
	_Static_assert(PMP_IMAGE_ENTRIES <= 4, "one pmpcfg word");
	pmp_plan_cfg_words(&plan, PMP_IMAGE_ENTRIES, &out->cfg);
	for (unsigned i = 0; i < PMP_IMAGE_ENTRIES; i++)
		out->addr[i] = i < plan.n ? plan.e[i].addr : 0;
	return KERR_OK;
}
