// SPDX-License-Identifier: MIT
/*
 * PMP programming: the only code that writes pmpaddrN and pmpcfgN.
 *
 * mpu_load() turns a process's records into a plan with the pure planner
 * (pmp.c) and writes it.  Every entry the hart has is written on every
 * load, unused ones as OFF, so nothing of the previous process survives a
 * switch (spec §10 pitfall 6).  The pmpcfg registers are written last:
 * until they are, the previous cfg bytes still govern the entries, and QEMU
 * 7.2 flushes its cached PMP decisions only on a pmpcfg write.
 *
 * Two caches keep a switch cheap.  Each slot keeps its last plan, keyed by
 * (generation, mpu_epoch), so switching back to an unchanged process copies
 * registers without planning; and the (slot, generation, epoch) whose plan
 * is in the hardware is remembered, so resuming the same process after a
 * syscall writes nothing.
 * Both keys change whenever the records can change: proc.c bumps mpu_epoch
 * on every change of regions[], and a restart or a new process in the slot
 * brings a new generation (never 0, so a zeroed cache entry matches none).
 *
 * M-mode ignores unlocked entries and this file never locks one, so the
 * kernel's own accesses are never affected.
 */
#include "platform/arch/riscv/pmp_hw.h"

#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/proc/proc.h"
#include "platform/arch/riscv/csr.h"

struct pmp_image {
	uint64_t gen;	/* 0: empty */
	uint32_t epoch;
	unsigned long addr[RISCV_PMP_ENTRIES];
	unsigned long cfg[PMP_CFG_REGS];
};

static struct pmp_image cache[PROC_MAX];

#if defined(TERN_BENCH)
unsigned long pmp_hw_loads;
#endif

/*
 * Whose plan the hardware holds: slot, gen and epoch of the process last
 * loaded (gen 0: none), kept apart from the cache so that the common "same
 * process again" test is a few loads and compares.
 */
static struct {
	uint64_t gen;
	uint32_t epoch;
	uint32_t slot;
} hw;

/* Write addr[] then cfg[] of img into every entry the hart has. */
static void write_image(const struct pmp_image *img)
{
	const unsigned long *a = img->addr;
	const unsigned long *c = img->cfg;

	/* a constant switch with fall-through: straight-line csrw's */
	switch (RISCV_PMP_ENTRIES) {
	case 16: csr_write(pmpaddr15, a[15]); __attribute__((fallthrough));
	case 15: csr_write(pmpaddr14, a[14]); __attribute__((fallthrough));
	case 14: csr_write(pmpaddr13, a[13]); __attribute__((fallthrough));
	case 13: csr_write(pmpaddr12, a[12]); __attribute__((fallthrough));
	case 12: csr_write(pmpaddr11, a[11]); __attribute__((fallthrough));
	case 11: csr_write(pmpaddr10, a[10]); __attribute__((fallthrough));
	case 10: csr_write(pmpaddr9, a[9]); __attribute__((fallthrough));
	case 9: csr_write(pmpaddr8, a[8]); __attribute__((fallthrough));
	case 8: csr_write(pmpaddr7, a[7]); __attribute__((fallthrough));
	case 7: csr_write(pmpaddr6, a[6]); __attribute__((fallthrough));
	case 6: csr_write(pmpaddr5, a[5]); __attribute__((fallthrough));
	case 5: csr_write(pmpaddr4, a[4]); __attribute__((fallthrough));
	case 4: csr_write(pmpaddr3, a[3]); __attribute__((fallthrough));
	case 3: csr_write(pmpaddr2, a[2]); __attribute__((fallthrough));
	case 2: csr_write(pmpaddr1, a[1]); __attribute__((fallthrough));
	case 1: csr_write(pmpaddr0, a[0]);
	}
#if __riscv_xlen == 32
	switch (PMP_CFG_REGS) {
	case 4: csr_write(pmpcfg3, c[3]); __attribute__((fallthrough));
	case 3: csr_write(pmpcfg2, c[2]); __attribute__((fallthrough));
	case 2: csr_write(pmpcfg1, c[1]); __attribute__((fallthrough));
	case 1: csr_write(pmpcfg0, c[0]);
	}
#else
	/* rv64: only even-numbered pmpcfg registers exist */
	switch (PMP_CFG_REGS) {
	case 2: csr_write(pmpcfg2, c[1]); __attribute__((fallthrough));
	case 1: csr_write(pmpcfg0, c[0]);
	}
#endif
}

void pmp_hw_init(void)
{
	static const struct pmp_image off; /* all 0: every entry OFF */

	write_image(&off);
	hw.gen = 0;
}

/*
 * Plan p's current records into img (may kpanic).  Out of line: it needs a
 * large frame (the plan) that the cache-hit path should not pay for.
 */
static __attribute__((noinline)) void plan_into(struct pmp_image *img, const struct proc *p)
{
	struct pmp_plan plan;
	enum kerr rc;

	rc = pmp_plan_regions(p->regions, PROC_REGIONS, RISCV_PMP_ENTRIES,
			      &plan);
	if (rc != KERR_OK) {
		/*
		 * proc.c only accepts records mpu_fits() accepted, so this is
		 * a kernel bug; running the process unprotected is not an
		 * option.
		 */
		kpanic("pmp: cannot express the regions of process %u (%d)",
		       (unsigned)p->slot, (int)rc);
	}
	for (unsigned i = 0; i < RISCV_PMP_ENTRIES; i++)
		img->addr[i] = i < plan.n ? plan.e[i].addr : 0;
	pmp_plan_cfg_words(&plan, RISCV_PMP_ENTRIES, img->cfg);
	img->gen = p->gen;
	img->epoch = p->mpu_epoch;
}

/*
 * The part of mpu_load() that writes the hardware; out of line so that the
 * common "already loaded" case costs a few instructions.
 */
static __attribute__((noinline)) void load_slow(const struct proc *p)
{
	struct pmp_image *img;

	if (p->slot >= PROC_MAX)
		kpanic("pmp: process slot %u out of range", (unsigned)p->slot);
	img = &cache[p->slot];
	if (img->gen != p->gen || img->epoch != p->mpu_epoch)
		plan_into(img, p);
	write_image(img);
#if defined(TERN_BENCH)
	pmp_hw_loads++;
#endif
	hw.gen = p->gen;
	hw.epoch = p->mpu_epoch;
	hw.slot = p->slot;
}

void mpu_load(const struct proc *p)
{
	if (p->gen == hw.gen && p->mpu_epoch == hw.epoch && p->slot == hw.slot)
		return; /* the hardware holds p's current plan */
	load_slow(p);
}

size_t mpu_granule(void)
{
	return 4;
}

bool mpu_fits(const struct mpu_region *r, unsigned n)
{
	return pmp_fits(r, n, RISCV_PMP_ENTRIES);
}

/* M-mode ignores unlocked PMP entries: the kernel reaches user memory as is. */
void mpu_user_access_begin(const struct proc *p)
{
	(void)p;
}

void mpu_user_access_end(void)
{
}
