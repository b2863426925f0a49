// SPDX-License-Identifier: MIT
/*
 * PMP programming: the only code that writes pmpaddrN and pmpcfgN.
 *
 * mpu_load() turns a process's records into a plan with the pure planner
 * (pmp.c) and writes it.  The pmpcfg registers are written last: until they
 * are, the previous cfg bytes still govern the entries, and QEMU 7.2
 * flushes its cached PMP decisions only on a pmpcfg write.
 *
 * What a load writes, and why that leaves nothing of the previous process
 * (spec §10 pitfall 6):
 *   - A process has PROC_REGIONS records and each costs at most two entries
 *     (a TOR pair), so a plan uses at most PMP_IMAGE_ENTRIES entries, all at
 *     the bottom (0 .. n-1).  mpu_fits() and the planner are held to that
 *     bound, so every plan ever loaded fits it.
 *   - Every cfg byte of those PMP_IMAGE_ENTRIES entries is written on every
 *     load: entries n .. PMP_IMAGE_ENTRIES-1 as 0 (OFF).  The cfg bytes of
 *     higher entries are 0 since pmp_hw_init() and no load ever writes
 *     them, so all entries from n up are OFF.
 *   - Only pmpaddr 0 .. PMP_IMAGE_ENTRIES-1 are written (the plan's n
 *     values, then zeros; a typical process needs all of them: two TOR
 *     pairs).  The pmpaddr of a higher entry keeps whatever it held, which
 *     is harmless: an OFF entry matches nothing, and the only other use of
 *     a pmpaddr is as the bottom of the TOR entry just above it, which is
 *     OFF too.  (Entry n-1's own bottom is pmpaddr n-2, written.)
 *
 * Two caches keep a switch cheap.  Each slot keeps its last plan, keyed by
 * (generation, mpu_epoch), so switching back to an unchanged process copies
 * registers without planning; and the (slot, generation, epoch) whose plan
 * is in the hardware is remembered, so resuming the same process writes
 * nothing at all.
 * Both keys change whenever the records can change: proc.c bumps mpu_epoch
 * on every change of regions[], and a restart or a new process in the slot
 * brings a new generation (never 0, so a zeroed cache entry matches none).
 *
 * M-mode ignores unlocked entries and this file never locks one, so the
 * kernel's own accesses are never affected, whatever order the writes come
 * in; U-mode runs only after the last one.
 */
#include "platform/arch/riscv/pmp_hw.h"

#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/proc/proc.h"
#include "platform/arch/riscv/csr.h"

/* Entries one process's plan may use (see above), and its cfg words. */
#define PMP_IMAGE_ENTRIES                                                   \
	(RISCV_PMP_ENTRIES < 2 * PROC_REGIONS ? RISCV_PMP_ENTRIES           \
					      : 2 * PROC_REGIONS)
#define PMP_IMAGE_MAX 4
_Static_assert(PMP_IMAGE_ENTRIES <= PMP_IMAGE_MAX,
	       "write_image() writes at most pmpaddr0..3");
_Static_assert(PMP_IMAGE_ENTRIES <= PMP_CFG_PER_REG,
	       "one pmpcfg register holds every cfg byte a plan uses");

/* 32 bytes per slot on rv32: part of the kernel RAM a process costs. */
struct pmp_image {
	uint64_t gen; /* 0: empty */
	uint32_t epoch;
	unsigned long cfg; /* pmpcfg0: the plan's entries, the rest OFF */
	unsigned long addr[PMP_IMAGE_MAX]; /* the plan's, then 0 */
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

/* Write pmpaddr 0 .. PMP_IMAGE_ENTRIES-1 of img, then pmpcfg0 (see top). */
static inline __attribute__((always_inline)) void
write_image(const struct pmp_image *img)
{
	const unsigned long *a = img->addr;

	/* a constant switch with fall-through: straight-line csrw's */
	switch (PMP_IMAGE_ENTRIES) {
	case 4:
		csr_write(pmpaddr3, a[3]);
		__attribute__((fallthrough));
	case 3:
		csr_write(pmpaddr2, a[2]);
		__attribute__((fallthrough));
	case 2:
		csr_write(pmpaddr1, a[1]);
		__attribute__((fallthrough));
	default:
		csr_write(pmpaddr0, a[0]);
	}
	csr_write(pmpcfg0, img->cfg);
}

void pmp_hw_init(void)
{
	/* every entry OFF; cfg last (register numbers: see pmp.h) */
	for (unsigned i = 0; i < RISCV_PMP_ENTRIES; i++)
		csr_write_pmpaddr(i, 0);
	for (unsigned k = 0; k < PMP_CFG_REGS; k++)
		csr_write_pmpcfg(k * (__riscv_xlen / 32), 0);
	hw.gen = 0;
}

/* Write img and remember whose plan the hardware holds. */
static inline void load_image(const struct pmp_image *img,
			      const struct proc *p)
{
	/* read before the CSR writes, whose "memory" clobber forces reloads */
	uint64_t gen = p->gen;
	uint32_t epoch = p->mpu_epoch, slot = p->slot;

	write_image(img);
#if defined(TERN_BENCH)
	pmp_hw_loads++;
#endif
	hw.gen = gen;
	hw.epoch = epoch;
	hw.slot = slot;
}

/*
 * Plan p's current records into its cache entry, then load it.  Out of
 * line: it needs a large frame (the plan) that the cache-hit path should
 * not pay for.
 */
static __attribute__((noinline)) void plan_and_load(struct pmp_image *img,
						    const struct proc *p)
{
	struct pmp_plan plan;
	unsigned long cfg[PMP_CFG_WORDS_MAX];
	enum kerr rc;

	rc = pmp_plan_regions(p->regions, PROC_REGIONS, PMP_IMAGE_ENTRIES,
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
	KASSERT(plan.n <= PMP_IMAGE_ENTRIES);
	for (unsigned i = 0; i < PMP_IMAGE_MAX; i++)
		img->addr[i] = i < plan.n ? plan.e[i].addr : 0;
	/* one word: PMP_IMAGE_ENTRIES fit in pmpcfg0 (asserted above) */
	pmp_plan_cfg_words(&plan, PMP_IMAGE_ENTRIES, cfg);
	img->cfg = cfg[0];
	img->gen = p->gen;
	img->epoch = p->mpu_epoch;
	load_image(img, p);
}

void mpu_load(const struct proc *p)
{
	struct pmp_image *img;

	if (p->gen == hw.gen && p->mpu_epoch == hw.epoch && p->slot == hw.slot)
		return; /* the hardware holds p's current plan */
	if (p->slot >= PROC_MAX)
		kpanic("pmp: process slot %u out of range", (unsigned)p->slot);
	img = &cache[p->slot];
	if (img->gen != p->gen || img->epoch != p->mpu_epoch) {
		plan_and_load(img, p);
		return;
	}
	load_image(img, p);
}

size_t mpu_granule(void)
{
	return 4;
}

bool mpu_fits(const struct mpu_region *r, unsigned n)
{
	/* held to what a load writes (see the top) */
	return pmp_fits(r, n, PMP_IMAGE_ENTRIES);
}

/* M-mode ignores unlocked PMP entries: the kernel reaches user memory as is. */
void mpu_user_access_begin(const struct proc *p)
{
	(void)p;
}

void mpu_user_access_end(void)
{
}
