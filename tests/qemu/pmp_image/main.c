// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "pmp_image" (PMP boards, kernel-test kernel): the PMP
 * entries the hart holds while this process runs encode its records NAPOT
 * where a record's size is a power of two and its base is aligned to it,
 * and as an OFF/TOR pair otherwise.  The kernel reads the entries back for
 * us (tests/qemu/ktest/ktest.c, command 3); what they must hold is worked
 * out here from the privileged spec's encoding, not by the kernel's
 * planner.
 *
 *   1. break at mem_start + S, S a power of two the RAM block's alignment
 *      allows: the RAM record is one NAPOT entry;
 *   2. break at mem_start + S - 4: the RAM record becomes an OFF/TOR pair;
 *   3. break at mem_start + S again: NAPOT again; the last word below the
 *      break reads;
 *   4. the word at mem_start + S, just past the NAPOT range, is read and
 *      must fault ("crossing napot_end at <address>" names it for
 *      pmp_image.toml, which matches the fault report).
 * The flash record's entries are checked against the same rule each time,
 * and every entry the plan leaves unused must be OFF.  Asking the kernel
 * for an entry the hart lacks is refused with INVAL.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define KTEST_DRIVER 0x90057u
#define KTEST_PMP_ENTRY 3u

#ifndef PMP_ENTRIES
#error "build with -DPMP_ENTRIES=<the hart's PMP entries>"
#endif

/* pmpcfg byte fields (privileged spec) */
#define CFG_R 0x01u
#define CFG_W 0x02u
#define CFG_X 0x04u
#define CFG_A_MASK 0x18u
#define CFG_TOR 0x08u
#define CFG_NAPOT 0x18u

/* Entries a load writes (platform/arch/riscv/pmp.h, PMP_IMAGE_ENTRIES). */
#define IMAGE_ENTRIES 4u
/* Entries read back: the image, and the rest of pmpcfg0/pmpcfg1. */
#define READ_ENTRIES 8u

struct entry {
	uint32_t addr, cfg;
};

static volatile uint32_t sink;

/*
 * What one record takes.  This process's flash and RAM are never
 * adjacent, so a TOR entry always needs its own OFF bottom.
 */
static unsigned expect_record(struct entry *e, unsigned n, uintptr_t base,
			      uintptr_t size, uint32_t perm)
{
	if (size == 0)
		return n;
	if (size >= 8 && (size & (size - 1)) == 0 && (base & (size - 1)) == 0) {
		e[n++] = (struct entry){ (uint32_t)((base >> 2) |
						    ((size >> 3) - 1)),
					 CFG_NAPOT | perm };
		return n;
	}
	e[n++] = (struct entry){ (uint32_t)(base >> 2), 0 };
	e[n++] = (struct entry){ (uint32_t)((base + size) >> 2),
				 CFG_TOR | perm };
	return n;
}

static bool read_entry(unsigned i, struct entry *out)
{
	struct sys_return r = sys_command(KTEST_DRIVER, KTEST_PMP_ENTRY, i, 0);

	if (r.variant != SYS_SUCCESS_2U32)
		return false;
	out->addr = (uint32_t)r.v[0];
	out->cfg = (uint32_t)r.v[1];
	return true;
}

/* Compare the hardware with the plan for these flash and RAM records. */
static void check_entries(const char *when, uintptr_t flash,
			  uintptr_t flash_end, uintptr_t ram, uintptr_t brk,
			  uint32_t ram_mode)
{
	struct entry want[READ_ENTRIES] = { { 0, 0 } }, got = { 0, 0 };
	unsigned n = 0;

	n = expect_record(want, n, flash, flash_end - flash, CFG_R | CFG_X);
	n = expect_record(want, n, ram, brk - ram, CFG_R | CFG_W);
	ktest_check(n <= IMAGE_ENTRIES, "%s: the plan needs %u entries", when,
		    n);
	/* the RAM record's entry is the last planned one */
	ktest_check(n > 0 && (want[n - 1].cfg & CFG_A_MASK) == ram_mode,
		    "%s: RAM is %s", when,
		    ram_mode == CFG_NAPOT ? "NAPOT" : "TOR");
	for (unsigned i = 0; i < READ_ENTRIES; i++) {
		if (!ktest_check(read_entry(i, &got), "%s: entry %u read", when,
				 i))
			continue;
		if (i >= n) {
			/* unused: OFF; pmpaddr is 0 where a load wrote it */
			ktest_check((got.cfg & CFG_A_MASK) == 0 &&
					    (i >= IMAGE_ENTRIES ||
					     got.addr == 0),
				    "%s: entry %u OFF (0x%lx, cfg 0x%lx)", when,
				    i, (unsigned long)got.addr,
				    (unsigned long)got.cfg);
			continue;
		}
		ktest_check(got.addr == want[i].addr && got.cfg == want[i].cfg,
			    "%s: entry %u 0x%lx cfg 0x%lx (want 0x%lx 0x%lx)",
			    when, i, (unsigned long)got.addr,
			    (unsigned long)got.cfg,
			    (unsigned long)want[i].addr,
			    (unsigned long)want[i].cfg);
	}
}

/* Entries the hart lacks: the first past the board's, and huge indices. */
static void check_hostile_indices(void)
{
	static const uintptr_t bad[] = { PMP_ENTRIES, 16, UINT32_MAX,
					 UINTPTR_MAX };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sys_return r = sys_command(KTEST_DRIVER, KTEST_PMP_ENTRY,
						  bad[i], 0);

		ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_EINVAL,
			    "entry %lu: INVAL (variant %lu, %lu)",
			    (unsigned long)bad[i], (unsigned long)r.variant,
			    (unsigned long)r.v[0]);
	}
}

int main(void)
{
	uintptr_t ram = sys_memop(MEMOP_MEM_START, 0).v[0];
	uintptr_t flash = sys_memop(MEMOP_FLASH_START, 0).v[0];
	uintptr_t flash_end = sys_memop(MEMOP_FLASH_END, 0).v[0];
	uintptr_t grants = sys_memop(MEMOP_GRANT_START, 0).v[0];
	uintptr_t used = (uintptr_t)sys_sbrk(0) - ram, s = 8;

	/*
	 * The largest power of two that the block's alignment and its grant
	 * region leave room for: it must hold what is in use plus a word,
	 * so that step 2's break stays above it.
	 */
	while ((ram & (2 * s - 1)) == 0 && ram + 2 * s <= grants)
		s *= 2;
	if (!ktest_check(s >= used + 8, "room for a NAPOT break: %lu bytes "
			 "(%lu in use)", (unsigned long)s,
			 (unsigned long)used))
		return ktest_done("pmp_image");

	check_hostile_indices();
	ktest_check(sys_brk((void *)(ram + s)) == SYS_OK, "brk to +%lu",
		    (unsigned long)s);
	check_entries("napot", flash, flash_end, ram, ram + s, CFG_NAPOT);
	ktest_check(sys_brk((void *)(ram + s - 4)) == SYS_OK, "brk to +%lu",
		    (unsigned long)(s - 4));
	check_entries("tor", flash, flash_end, ram, ram + s - 4, CFG_TOR);
	ktest_check(sys_brk((void *)(ram + s)) == SYS_OK, "brk back");
	check_entries("napot again", flash, flash_end, ram, ram + s,
		      CFG_NAPOT);
	sink = *(volatile uint32_t *)(ram + s - 4);
	if (ktest_failures() != 0)
		return ktest_done("pmp_image");
	tern_printf("pmp_image: every entry as planned\n");
	tern_printf("crosser: crossing napot_end at %lx\n",
		    (unsigned long)(ram + s));
	sink = *(volatile uint32_t *)(ram + s);
	ktest_check(false, "read past the NAPOT range did not fault");
	return ktest_done("pmp_image");
}
