/* SPDX-License-Identifier: MIT */
/*
 * PMP planning: turn a process's protection records into the values of the
 * pmpaddrN and pmpcfgN registers.
 *
 * This module is pure arithmetic and is tested on the host.  It never touches
 * a CSR: pmp_hw.c writes the plan it produces.  It never sets the L (lock)
 * bit, so every entry it plans constrains U-mode only and M-mode keeps full
 * access.
 *
 * Encoding facts used (RISC-V privileged spec, "Physical Memory Protection"):
 *   - pmpcfg byte: R = bit 0, W = bit 1, X = bit 2, A = bits 3-4 (OFF = 0,
 *     TOR = 1, NA4 = 2, NAPOT = 3), L = bit 7.  R = 0 with W = 1 is reserved.
 *   - pmpaddr holds a physical address shifted right by 2.  rv32 pmpaddr
 *     holds address bits 33:2, rv64 bits 55:2.
 *   - NAPOT for a 2^k-byte region (k >= 3) whose base is 2^k-aligned:
 *     pmpaddr = (base >> 2) | ((size >> 3) - 1).
 *   - NA4: pmpaddr = base >> 2 covers exactly [base, base + 4).
 *   - TOR entry i covers [pmpaddr[i-1] << 2, pmpaddr[i] << 2); entry 0 uses
 *     0 as its bottom.  The entry below may be OFF and still give the bottom.
 *   - The lowest-numbered matching entry decides an access; a U-mode access
 *     that matches no entry fails.
 *
 * A plan always starts at hardware entry 0 (pmp_hw.c writes e[i] into
 * pmpaddr i / byte i of the cfg registers).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/hw.h"
#include "kernel/kerr.h"

/* Most entries a plan may use (hardware may have fewer, see max_entries). */
#define PMP_MAX_ENTRIES 16

/* pmpcfg byte fields. */
#define PMP_R (1u << 0)
#define PMP_W (1u << 1)
#define PMP_X (1u << 2)
#define PMP_A_SHIFT 3
#define PMP_A_MASK (3u << PMP_A_SHIFT)
#define PMP_A_OFF (0u << PMP_A_SHIFT)
#define PMP_A_TOR (1u << PMP_A_SHIFT)
#define PMP_A_NA4 (2u << PMP_A_SHIFT)
#define PMP_A_NAPOT (3u << PMP_A_SHIFT)
#define PMP_L (1u << 7)

/* One hardware entry: addr is the pmpaddr value (address >> 2, NAPOT bits). */
struct pmp_entry {
	uintptr_t addr;
	uint8_t cfg;
};

/* The entries for one process: e[0..n) are used, the rest are OFF. */
struct pmp_plan {
	struct pmp_entry e[PMP_MAX_ENTRIES];
	uint8_t n;
};

/*
 * cfg words pmp_plan_cfg_words() may write: 16 entries at 4 per register
 * on rv32.
 */
#define PMP_CFG_WORDS_MAX (PMP_MAX_ENTRIES / 4)

/*
 * Plan the entries for nr records r[0..nr) using at most max_entries
 * hardware entries (values above PMP_MAX_ENTRIES count as PMP_MAX_ENTRIES).
 *
 * Records are placed in order, so where two overlap the earlier one's
 * permissions apply to the overlap.  Records of size 0 are skipped.  Each
 * other record costs:
 *   - 1 entry, NAPOT, when size is a power of two >= 8 and base % size == 0;
 *   - 1 entry, NA4, when size == 4;
 *   - otherwise TOR: an OFF entry holding the base, then the TOR entry
 *     holding the end.  The OFF entry is left out when the entry before is a
 *     TOR entry that ends at this base, or when the TOR entry is entry 0 and
 *     base is 0.
 * The permissions come from MPU_R/MPU_W/MPU_X; L is never set.
 *
 * Returns KERR_OK and fills *out, or, leaving *out unchanged:
 *   KERR_INVAL  base or size not a multiple of 4 (rounding the size up is
 *               the caller's job); base + size wraps or reaches 2^XLEN; on
 *               rv64, base + size reaches 2^56 (pmpaddr holds bits
 *               55:2); perm has bits other than MPU_R/W/X; perm is W
 *               without R (reserved encoding).
 *   KERR_SIZE   the records need more than max_entries entries.
 */
__attribute__((warn_unused_result)) enum kerr
pmp_plan_regions(const struct mpu_region *r, unsigned nr, unsigned max_entries,
		 struct pmp_plan *out);

/* True when pmp_plan_regions() would succeed for these arguments. */
bool pmp_fits(const struct mpu_region *r, unsigned nr, unsigned max_entries);

/* MPU_R/W/X are the pmpcfg R/W/X bits, so a permission passes as it is. */
_Static_assert(MPU_R == PMP_R && MPU_W == PMP_W && MPU_X == PMP_X,
	       "mpu_perm bits are pmpcfg bits");

/*
 * What pmp_hw.c writes at every switch: entries 0 to PMP_IMAGE_ENTRIES - 1
 * as register values.  Two records never need more (a TOR record takes two
 * entries at most), and a fixed count lets a switch write the same
 * registers whatever the plan, which is what leaves nothing of the previous
 * process in them.
 */
#define PMP_IMAGE_ENTRIES 4

struct pmp_image {
	unsigned long addr[PMP_IMAGE_ENTRIES]; /* pmpaddr0 .. pmpaddr3 */
	unsigned long cfg; /* pmpcfg0: entries 0-3 (rv64: 4-7 too, OFF) */
};

/*
 * The plan pmp_plan_regions() makes for nr records in PMP_IMAGE_ENTRIES
 * entries, NAPOT where a record's alignment allows and TOR otherwise, as
 * register values: entries past the plan are OFF with pmpaddr 0.  Errors
 * as pmp_plan_regions() (KERR_SIZE: more than PMP_IMAGE_ENTRIES entries
 * needed), and then *out is left unchanged.
 */
__attribute__((warn_unused_result)) enum kerr
pmp_image_build(const struct mpu_region *r, unsigned nr,
		struct pmp_image *out);

/*
 * Pack the cfg bytes of p into pmpcfg register values for a hart with
 * max_entries PMP entries (values above PMP_MAX_ENTRIES count as
 * PMP_MAX_ENTRIES), for the XLEN this file is built for.  Entries at index
 * >= p->n are written as 0 (OFF), so entries left over from the previous
 * process are disabled when these words are written.
 *
 * Layout (privileged spec): entry i's cfg byte sits at bits 8*(i % B) .. +7
 * of register pmpcfg((i / B) * (XLEN / 32)), B = XLEN / 8 entries per
 * register:
 *   rv32: B = 4, cfg[0..3] are pmpcfg0..pmpcfg3 (entries 0-3, 4-7, ...);
 *   rv64: B = 8, only even-numbered registers exist; cfg[0] is pmpcfg0
 *         (entries 0-7), cfg[1] is pmpcfg2 (entries 8-15).
 * cfg[k] is therefore always register pmpcfg(k * XLEN / 32).  Writes
 * ceil(max_entries / B) words (at most PMP_CFG_WORDS_MAX).
 */
void pmp_plan_cfg_words(const struct pmp_plan *p, unsigned max_entries,
			unsigned long *cfg);

/*
 * pmp_plan_cfg_words() for an explicit xlen (32 or 64), so that the host
 * tests can check the rv32 layout too.  cfg words hold xlen-bit values.
 */
void pmp_plan_cfg_words_xlen(const struct pmp_plan *p, unsigned max_entries,
			     unsigned xlen, unsigned long *cfg);
