// SPDX-License-Identifier: MIT
/*
 * PMP programming: the only code that writes pmpaddrN and pmpcfgN.
 *
 * A process's plan is made when its records change, not at a switch:
 * mpu_configure() has the planner (pmp.h) encode each record as NAPOT
 * where its size and alignment allow and as TOR otherwise, and stores
 * the register values (struct pmp_image) in the process's per-process
 * state, in the kernel-owned top of its RAM block (proc_mpu_state()).
 * mpu_load() then only copies five words into pmpaddr0-3 and pmpcfg0.
 * The pmpcfg register is written last: until it is, the previous cfg
 * bytes still govern the entries, and QEMU 7.2 flushes its cached PMP
 * decisions only on a pmpcfg write.
 *
 * What a load writes, and why that leaves nothing of the previous process
 * (doc/abi.md H5):
 *   - Every load writes pmpaddr0-3 and all of pmpcfg0: entries 0-3 hold
 *     the plan, entries the plan leaves unused are OFF (pmpaddr 0), and
 *     the cfg bytes of the rest of pmpcfg0 (entries 4-7 on rv64) are
 *     written 0, OFF.  The cfg bytes of higher entries are 0 since
 *     pmp_hw_init() and no load ever writes them, so every entry from 4 up
 *     is OFF; with IPC exposures (below) a load writes the ones its
 *     plan uses and turns off the ones the last plan used.
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
#include "kernel/proc/expo.h"
#include "kernel/proc/proc.h"
#include "platform/arch/riscv/csr.h"

_Static_assert(RISCV_PMP_ENTRIES >= PMP_IMAGE_ENTRIES,
	       "the hart has the four entries a load writes");
_Static_assert(PMP_IMAGE_ENTRIES <= PMP_CFG_PER_REG,
	       "one pmpcfg register holds every cfg byte a plan uses");

/*
 * Exposures (kernel/proc/expo.h, CONFIG_IPC): the entries above the four
 * of the process's own records, PMP_XENTRIES of them, planned by the same
 * planner as a plan of their own.  A plan is position-independent there:
 * an exposure never starts at address 0, so its TOR pair always carries
 * its own bottom, and NAPOT and NA4 entries need none.  On rv32 those
 * entries' cfg bytes fill pmpcfg1 up (4 to a register), apart from
 * pmpcfg0.  A load writes them only when the process has exposures or
 * the one before had (hw.xdirty, hw.xn), so a switch between processes
 * without any costs what it did.  rv64 boards use Sv39: no exposures on
 * rv64 PMP.
 */
#if CONFIG_IPC && __riscv_xlen == 32
#define PMP_XENTRIES (RISCV_PMP_ENTRIES - PMP_IMAGE_ENTRIES)
#define PMP_XCFG ((PMP_XENTRIES + 3) / 4)

struct pmp_state {
	struct pmp_image own;
	unsigned long xaddr[PMP_XENTRIES];
	unsigned long xcfg[PMP_XCFG];
	unsigned xn; /* entries of the exposure plan; 0: none */
};
#else
#define PMP_XENTRIES 0
#endif

/*
 * Whose records the hardware holds (proc NULL: none), and, with
 * exposures, what else a switch reads or writes, in one struct, so that
 * one base address reaches all of it (yield-switch on qemu-virt-rv32 1
 * instruction fewer than with xdirty apart).  Not the load count: with
 * the HiFive1's gp-relative accesses a member costs an instruction more
 * than a variable of its own.
 *   xdirty  some exposure entries may be on, or some process has
 *           exposures: set by a plan with any, cleared by a load that
 *           turned them all off while no process had any
 *           (proc_expo_live).  Clear, a load writes none of them: one
 *           test on a switch.
 *   xn      exposure entries the hardware may have on: those of the
 *           last load's plan (st->xn); every entry above them is OFF
 *           (pmp_hw_init() turned them off, and each load turns off
 *           what the one before had on).
 */
static struct {
	const struct proc *proc;
	uint32_t epoch;
#if PMP_XENTRIES
	bool xdirty;
	unsigned xn;
#endif
} hw;

unsigned long pmp_hw_loads;

void pmp_hw_init(void)
{
	/*
	 * Every entry OFF; cfg last (register numbers: see pmp.h).  Fully
	 * unrolled (16 = PMP_MAX_ENTRIES), each index is a constant and
	 * each switch in csr.h folds to one csrw: 40 bytes on the HiFive1,
	 * where GCC threaded the loop through the switch in 92.
	 */
#pragma GCC unroll 16
	for (unsigned i = 0; i < RISCV_PMP_ENTRIES; i++)
		csr_write_pmpaddr(i, 0);
#pragma GCC unroll 4
	for (unsigned k = 0; k < PMP_CFG_REGS; k++)
		csr_write_pmpcfg(k * (__riscv_xlen / 32), 0);
	hw.proc = NULL;
#if PMP_XENTRIES
	/* every entry is off; a process holding exposures loads them */
	hw.xdirty = proc_expo_live != 0;
	hw.xn = 0;
#endif
}

#if PMP_XENTRIES
size_t mpu_state_size(void)
{
	return sizeof(struct pmp_state);
}

enum kerr mpu_expo_check(const struct mpu_region *ex, unsigned n)
{
	struct pmp_plan plan;
	enum kerr rc = pmp_plan_regions(ex, n, PMP_XENTRIES, &plan);

	return rc == KERR_SIZE ? KERR_NOMEM : rc;
}

/* p's exposure plan as register values, after its own image. */
static void configure_expo(struct proc *p)
{
	struct pmp_state *st = proc_mpu_state(p);
	struct pmp_plan plan;

	/* proc_expose() had mpu_expo_check() accept these */
	if (pmp_plan_regions(proc_expos(p)->r, PROC_MAX, PMP_XENTRIES, &plan) !=
	    KERR_OK)
		kpanic("PMP exposure plan refused");
	for (unsigned i = 0; i < PMP_XENTRIES; i++)
		st->xaddr[i] = i < plan.n ? plan.e[i].addr : 0;
	pmp_plan_cfg_words(&plan, PMP_XENTRIES, st->xcfg);
	st->xn = plan.n;
	if (plan.n != 0)
		hw.xdirty = true;
}

/*
 * Write p's exposure entries when p or the last loaded had any: the
 * addresses of p's plan, and the cfg words that hold a cfg byte of p's
 * plan or of the last one (p's cfg words hold OFF bytes past its plan),
 * nothing more: every other entry is OFF already, and the address of an
 * OFF entry is no TOR entry's bottom (see above).  A switch between a
 * process holding one buffer and one holding none writes 2 and 1 of
 * them instead of all (12 addresses and 3 cfg words on qemu-virt-rv32).
 * The writes go through a switch that falls through to the lower
 * entries: one indirect jump, then one write each.
 */
#define XADDR(i)                                                             \
	case (i) + 1:                                                        \
		if ((i) < PMP_XENTRIES)                                      \
			csr_write_pmpaddr(PMP_IMAGE_ENTRIES + (i),           \
					  st->xaddr[(i) < PMP_XENTRIES ? (i) \
								       : 0]); \
		__attribute__((fallthrough))
#define XCFG(k)                                                              \
	case (k) + 1:                                                        \
		if ((k) < PMP_XCFG)                                          \
			csr_write_pmpcfg(1 + (k),                            \
					 st->xcfg[(k) < PMP_XCFG ? (k) : 0]); \
		__attribute__((fallthrough))

_Static_assert(PMP_XENTRIES <= 12 && PMP_XCFG <= 3,
	       "XADDR(11) .. XADDR(0), XCFG(2) .. XCFG(0) below");

static void load_expo(const struct proc *p)
{
	const struct pmp_state *st = proc_mpu_state(p);
	unsigned on; /* entries on in the last plan or p's */

	if (!hw.xdirty)
		return;
	on = st->xn > hw.xn ? st->xn : hw.xn;
	switch (st->xn) {
		XADDR(11); XADDR(10); XADDR(9); XADDR(8); XADDR(7); XADDR(6);
		XADDR(5); XADDR(4); XADDR(3); XADDR(2); XADDR(1); XADDR(0);
	default:
		break;
	}
	switch ((on + 3) / 4) {
		XCFG(2); XCFG(1); XCFG(0);
	default:
		break;
	}
	hw.xn = st->xn;
	if (st->xn == 0 && proc_expo_live == 0)
		hw.xdirty = false;
}
#else
size_t mpu_state_size(void)
{
	return sizeof(struct pmp_image);
}

#if CONFIG_IPC
/* rv64 PMP (no board): no exposures. */
enum kerr mpu_expo_check(const struct mpu_region *ex, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (ex[i].size != 0)
			return KERR_NOMEM;
	return KERR_OK;
}
#endif
#endif

void mpu_configure(struct proc *p)
{
	/* proc.c installs only records mpu_fits() accepted */
	if (pmp_image_build(p->regions, PROC_REGIONS, proc_mpu_state(p)) !=
	    KERR_OK)
		kpanic("PMP plan refused");
#if PMP_XENTRIES
	configure_expo(p);
#endif
}

void mpu_load(const struct proc *p)
{
	const struct pmp_image *im;
	uint32_t epoch = p->mpu_epoch;

	if (p == hw.proc && epoch == hw.epoch)
		return; /* the hardware holds p's current records */
#if PMP_XENTRIES
	load_expo(p);
#endif
	im = proc_mpu_state(p);
	csr_write(pmpaddr0, im->addr[0]);
	csr_write(pmpaddr1, im->addr[1]);
	csr_write(pmpaddr2, im->addr[2]);
	csr_write(pmpaddr3, im->addr[3]);
	csr_write(pmpcfg0, im->cfg);
	hw.proc = p;
	hw.epoch = epoch;
	pmp_hw_loads++;
}

size_t mpu_granule(void)
{
	return 4;
}

bool mpu_fits(const struct mpu_region *r, unsigned n)
{
	/* what mpu_configure() can make an image of */
	return n <= PROC_REGIONS && pmp_fits(r, n, PMP_IMAGE_ENTRIES);
}

/*
 * mpu_user_access_begin()/end(): M-mode ignores unlocked PMP entries, so
 * the kernel reaches user memory as is; kernel/hw.h makes the bracket
 * empty and inline for an M-mode kernel.
 */
#if !KERNEL_MODE_M && !HOST_TEST
#error "an S-mode PMP kernel needs mpu_user_access_begin()/end() here"
#endif
