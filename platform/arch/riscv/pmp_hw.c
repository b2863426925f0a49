// SPDX-License-Identifier: MIT
/*
 * PMP programming: the only code that writes pmpaddrN and pmpcfgN.
 *
 * mpu_load() writes a process's two records as two TOR pairs
 * (pmp_tor_pairs(), pure and host-tested in pmp.h): pmpaddr0-3, then
 * pmpcfg0.  Any layout mpu_fits() accepts (pmp_fits() with four entries)
 * is expressible that way, so the plan needs no search and no cache: it
 * is a few shifts of the records, cheaper than fetching a cached one.
 * The pmpcfg register is written last: until it is, the previous cfg
 * bytes still govern the entries, and QEMU 7.2 flushes its cached PMP
 * decisions only on a pmpcfg write.
 *
 * What a load writes, and why that leaves nothing of the previous process
 * (spec §10 pitfall 6):
 *   - Every load writes pmpaddr0-3 and all of pmpcfg0: entries 0-3 are the
 *     two pairs, and the cfg bytes of the rest of pmpcfg0 (entries 4-7 on
 *     rv64) are written 0, OFF.  The cfg bytes of higher entries are 0
 *     since pmp_hw_init() and no load ever writes them, so every entry
 *     from 4 up is OFF.
 *   - The pmpaddr of a higher entry keeps whatever it held, which is
 *     harmless: an OFF entry matches nothing, and the only other use of a
 *     pmpaddr is as the bottom of the TOR entry just above it, which is
 *     OFF too.
 *
 * Resuming the process whose plan the hardware holds writes nothing: the
 * (process, mpu_epoch) last loaded is remembered.  proc.c bumps a slot's
 * mpu_epoch on every change of its records, on create and on restart, and
 * never resets it (freeing a slot keeps it), so the pair names one set of
 * records; it could only come round again after 2^32 changes to one slot
 * without a load in between, and every change is followed by a load
 * before the process runs (a brk loads at once, a new incarnation is
 * loaded when it is first scheduled).
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

/* Entries a load writes: two TOR pairs, one per record. */
#define PMP_IMAGE_ENTRIES (2 * PROC_REGIONS)
_Static_assert(PROC_REGIONS == 2, "pmp_tor_pairs() takes two records");
_Static_assert(RISCV_PMP_ENTRIES >= PMP_IMAGE_ENTRIES,
	       "the hart has the four entries a load writes");
_Static_assert(PMP_IMAGE_ENTRIES <= PMP_CFG_PER_REG,
	       "one pmpcfg register holds every cfg byte a plan uses");

/*
 * pmpcfg0 for every process: the records' permissions are fixed by their
 * index (proc.h), and so, as a constant, is the cfg word.
 */
#define PAIR_CFG PMP_TOR_PAIRS_CFG(PROC_REGION_FLASH_PERM, PROC_REGION_RAM_PERM)

/* Whose records the hardware holds (proc NULL: none). */
static struct {
	const struct proc *proc;
	uint32_t epoch;
#if defined(TERN_BENCH)
	unsigned long loads; /* pmp_hw_loads() */
#endif
} hw;

#if defined(TERN_BENCH)
unsigned long pmp_hw_loads(void)
{
	return hw.loads;
}
#endif

void pmp_hw_init(void)
{
	/* every entry OFF; cfg last (register numbers: see pmp.h) */
	for (unsigned i = 0; i < RISCV_PMP_ENTRIES; i++)
		csr_write_pmpaddr(i, 0);
	for (unsigned k = 0; k < PMP_CFG_REGS; k++)
		csr_write_pmpcfg(k * (__riscv_xlen / 32), 0);
	hw.proc = NULL;
}

void mpu_load(const struct proc *p)
{
	unsigned long a[4], cfg;
	uint32_t epoch = p->mpu_epoch;

	if (p == hw.proc && epoch == hw.epoch)
		return; /* the hardware holds p's current records */
	/*
	 * proc.c only ever holds records mpu_fits() accepted, with the
	 * permissions of their index (proc_check() re-derives them after
	 * every change), so the pairs and PAIR_CFG express them.
	 */
	pmp_tor_pairs(p->regions, a, &cfg);
	(void)cfg; /* the same as PAIR_CFG, which needs no loads */
	csr_write(pmpaddr0, a[0]);
	csr_write(pmpaddr1, a[1]);
	csr_write(pmpaddr2, a[2]);
	csr_write(pmpaddr3, a[3]);
	csr_write(pmpcfg0, PAIR_CFG);
	hw.proc = p;
	hw.epoch = epoch;
#if defined(TERN_BENCH)
	hw.loads++;
#endif
}

size_t mpu_granule(void)
{
	return 4;
}

bool mpu_fits(const struct mpu_region *r, unsigned n)
{
	/* what the planner fits in four entries, TOR pairs express */
	return n <= PROC_REGIONS && pmp_fits(r, n, PMP_IMAGE_ENTRIES);
}

/* M-mode ignores unlocked PMP entries: the kernel reaches user memory as is. */
void mpu_user_access_begin(const struct proc *p)
{
	(void)p;
}

void mpu_user_access_end(void)
{
}
