// SPDX-License-Identifier: MIT
/*
 * Page-table protection for an S-mode kernel: the mpu_* functions of
 * kernel/hw.h, and the only code that writes satp or runs sfence.vma.  The
 * design (what each address space maps, and why) is at the top of sv39.c;
 * this file decides which space the hart uses and keeps them current.
 *
 * Tables live in static pools: the kernel space's, and one pool per
 * process slot.  A process space depends on the protection records of every
 * process (it maps the kernel-owned top of each RAM block), so each is
 * keyed on a layout signature: a count of mpu_configure() calls.  proc.c
 * calls it (and bumps the slot's mpu_epoch) on every change of a slot's
 * records, create and restart included, so the count changes with every
 * change anywhere.  mpu_load(p) is then
 *   - nothing, when p's space is loaded and the signature is unchanged
 *     (a syscall returning to the same process: two compares);
 *   - otherwise: rebuild p's space if it was built for another signature
 *     (and fence its ASID), then write satp (and, on a hart without
 *     enough ASID bits, fence all spaces).
 * A space is never rebuilt while the hart uses it: the kernel space is
 * loaded for the rebuild (it maps all the kernel touches meanwhile).
 *
 * Between a change of records and the next mpu_load() the loaded space
 * lags behind: pages a process gave back to the kernel (brk down, restart)
 * are still U in its own space and unmapped in the others, and pages it
 * gained are still kernel pages.  That is safe because the only kernel
 * memory on those pages is grant memory allocated afterwards, and grants
 * are allocated from the owner's own system calls, which run after the
 * scheduler's (or the fast path's) mpu_load().  Process-buffer access
 * (mpu_user_access_begin) always rebuilds a stale space first.
 *
 * The kernel runs with sstatus.SUM clear; mpu_user_access_begin(p) sets it
 * (and loads p's space if another is loaded) until the matching end, which
 * puts back the space that was loaded before.  Brackets nest (a driver
 * copying from one process's buffer into another's) up to ACCESS_DEPTH.
 *
 * Paging is off (satp Bare) from boot until the first mpu_load(): the
 * loader reads the app flash and sets up process RAM untranslated.
 */
#include "platform/arch/riscv/sv39_hw.h"

#include <stdint.h>

#include "kernel/board.h"
#include "kernel/kassert.h"
#include "kernel/proc/expo.h"
#include "kernel/proc/proc.h"
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/sv39.h"

/* Tables of the kernel space: root, L1s and L0s of the image and devices. */
#define KERNEL_TABLES 8
/*
 * Tables one process space may take: the root, an L1 and two L0s are what
 * the qemu-virt-rv64 map needs (sv39.c); mpu_fits() refuses layouts that
 * could need more.
 */
#define PROC_TABLES 4
#define ACCESS_DEPTH 4
#define KERNEL_MAPS 8

/* What satp selects besides a process slot. */
#define SLOT_BARE 0xFFu	  /* paging off (boot) */
#define SLOT_KERNEL 0xFEu /* the kernel space (while rebuilding) */
_Static_assert(PROC_MAX < SLOT_KERNEL, "slot numbers");

/* Provided by the board's linker script (sv39_hw.h). */
extern char _ktext_start[], _ktext_end[], _kdata_start[], _kdata_end[];

static struct sv39_table kernel_pool[KERNEL_TABLES];
static struct sv39_table proc_pool[PROC_MAX][PROC_TABLES];
static struct sv39_space kernel_space, spaces[PROC_MAX];
static struct sv39_map kernel_maps[KERNEL_MAPS];
static unsigned kernel_map_count;

/*
 * Each slot's space as built: the satp that selects it (with its ASID),
 * 0 while never built, the layout signature it was built for, and how
 * many times mpu_load() switched to it.  One entry per slot: a switch
 * reads and writes one line.
 */
static struct {
	uint64_t satp;
	uint32_t sig;
	uint32_t loads;
} built[PROC_MAX];

/* What satp holds now. */
static struct {
	unsigned long slot; /* a process slot, SLOT_BARE or SLOT_KERNEL */
} loaded = { SLOT_BARE };

/* Slots loaded before each open mpu_user_access_begin(). */
static uint32_t saved[ACCESS_DEPTH];
static unsigned depth;


/*
 * Address-space identifiers (privileged spec, "satp"): where the hart
 * implements enough ASID bits, slot i's space runs under ASID i + 1 and the
 * kernel space under 0, the hart keeps each space's translations apart,
 * and a switch is a satp write alone.  A space's translations are then
 * forgotten where its tables change, in rebuild(), by a fence for its ASID
 * only.  No mapping is global (SV39_PTE_G is never set), so no
 * translation is shared between ASIDs.  Without enough bits every satp
 * write is followed by a fence of all spaces, as set_satp() does.
 */
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK ((uint64_t)0xFFFF << SATP_ASID_SHIFT)

static bool use_asids;

static uint64_t slot_satp(unsigned slot)
{
	return sv39_satp(&spaces[slot]) |
	       ((uint64_t)(slot + 1) << SATP_ASID_SHIFT);
}

/* Forget every translation of slot's ASID (after its tables changed). */
static void fence_slot(unsigned slot)
{
	uint64_t asid = slot + 1;

	__asm__ __volatile__("sfence.vma zero, %0" ::"r"(asid) : "memory");
}

/* Switch spaces: the fence only where ASIDs do not keep spaces apart. */
static void switch_satp(uint64_t satp)
{
	csr_write(satp, satp);
	if (!use_asids)
		__asm__ __volatile__("sfence.vma zero, zero" ::: "memory");
}

static void set_satp(uint64_t satp)
{
	/*
	 * The fence after the write makes the hart forget translations of
	 * the previous space and orders the table stores before it against
	 * the walks after it (privileged spec, "Supervisor Memory-Management
	 * Fence Instruction").
	 */
	csr_write(satp, satp);
	__asm__ __volatile__("sfence.vma zero, zero" ::: "memory");
}

static void add_kernel_map(uintptr_t start, uintptr_t end, uint32_t perm)
{
	if (kernel_map_count == KERNEL_MAPS)
		kpanic("sv39: more than %u kernel ranges", KERNEL_MAPS);
	kernel_maps[kernel_map_count++] =
		(struct sv39_map){ start, end - start, perm, false };
}

void sv39_hw_init(void)
{
	enum kerr rc;

	add_kernel_map((uintptr_t)_ktext_start, (uintptr_t)_ktext_end,
		       MPU_R | MPU_X);
	add_kernel_map((uintptr_t)_kdata_start, (uintptr_t)_kdata_end,
		       MPU_R | MPU_W);
	for (unsigned i = 0; i < sv39_board_mmio_count; i++)
		add_kernel_map(sv39_board_mmio[i].base,
			       sv39_board_mmio[i].base +
				       sv39_board_mmio[i].size,
			       sv39_board_mmio[i].perm);

	sv39_init(&kernel_space, kernel_pool, KERNEL_TABLES, NULL);
	for (unsigned i = 0; i < kernel_map_count; i++) {
		rc = sv39_map(&kernel_space, &kernel_maps[i]);
		if (rc != KERR_OK)
			kpanic("sv39: kernel range 0x%lx+0x%lx: error %d",
			       (unsigned long)kernel_maps[i].base,
			       (unsigned long)kernel_maps[i].size, (int)rc);
	}
	/* mpu_fits() counts tables over the RAM pool: it must be pages */
	if (board.app_ram_start % SV39_PAGE_SIZE ||
	    board.app_ram_end % SV39_PAGE_SIZE)
		kpanic("sv39: process RAM pool is not page-aligned");
	csr_clear(sstatus, SSTATUS_SUM);
	/*
	 * How many ASID bits the hart has: write all ones under the kernel
	 * space (it maps everything this code touches) and read back; the
	 * unimplemented bits read as zero.  Every slot needs its own.
	 */
	csr_write(satp, sv39_satp(&kernel_space) | SATP_ASID_MASK);
	use_asids = (csr_read(satp) & SATP_ASID_MASK) >> SATP_ASID_SHIFT >=
		    PROC_MAX;
	set_satp(0);
	loaded.slot = SLOT_BARE;
}

/*
 * Bumped by mpu_configure(), which proc.c calls on every change of any
 * process's records (each bump of a slot's mpu_epoch), so it changes with
 * every change anywhere, as the sum of the epochs would, without a loop
 * over the slots on every mpu_load().
 */
static uint32_t layout_gen;

static inline uint32_t layout_sig(void)
{
	return layout_gen;
}

/*
 * Rebuild slot's space for the current records (signature sig).  Out of
 * line: its frame (a map array, callee-saved registers) would otherwise
 * be set up on every switch.
 */
static __attribute__((noinline)) void rebuild(unsigned slot, uint32_t sig)
{
	struct sv39_map m[PROC_REGIONS + PROC_EXPOS + PROC_MAX];
	struct sv39_space *s = &spaces[slot];
	unsigned n;

	/*
	 * First, while the space loaded (a process's, or none) still maps
	 * every kernel-owned top: the exposure records lie there, and the
	 * kernel space does not map them.
	 */
	n = sv39_proc_maps(&proc_table[slot], proc_table, PROC_MAX, m);
	if (loaded.slot == slot) {
		/* never rewrite the tables the hart is walking */
		switch_satp(sv39_satp(&kernel_space));
		loaded.slot = SLOT_KERNEL;
	}
	sv39_init(s, proc_pool[slot], PROC_TABLES, &kernel_pool[0]);
	for (unsigned i = 0; i < n; i++) {
		enum kerr rc = sv39_map(s, &m[i]);

		/* mpu_fits() accepted these records: a kernel bug */
		if (rc != KERR_OK)
			kpanic("sv39: cannot map 0x%lx+0x%lx for slot %u (%d)",
			       (unsigned long)m[i].base,
			       (unsigned long)m[i].size, slot, (int)rc);
	}
	/* the slot's old translations go; orders the table stores too */
	if (use_asids)
		fence_slot(slot);
	built[slot].sig = sig;
	built[slot].satp = slot_satp(slot);
}

/* Load slot's space, rebuilt first if stale for signature sig. */
static __attribute__((noinline)) void load_slot(unsigned slot, uint32_t sig)
{
	if (slot >= PROC_MAX)
		kpanic("sv39: process slot %u out of range", slot);
	if (built[slot].satp == 0 || built[slot].sig != sig)
		rebuild(slot, sig);
	if (loaded.slot != slot) {
		switch_satp(built[slot].satp);
		loaded.slot = slot;
		built[slot].loads++;
	}
}

/*
 * A space depends on every slot's records, so it is rebuilt when loaded
 * (see the top of this file), not per process when the records change:
 * no per-process state.
 */
size_t mpu_state_size(void)
{
	return 0;
}

void mpu_configure(struct proc *p)
{
	(void)p;
	layout_gen++;
}

/*
 * A leaf on both hot paths: p's space loaded and current (a system call
 * returning to the same process, a user-access bracket around its own
 * buffer) is two compares; a current space not loaded is a satp write
 * (and the count).  A stale or never built one, or a slot out of range,
 * goes to load_slot().  loaded.slot names a process slot only once that
 * slot's space was built, so the first test reads built[] in range.
 */
void mpu_load(const struct proc *p)
{
	size_t slot = p->slot;
	uint32_t sig = layout_sig();

	if (loaded.slot == slot && built[slot].sig == sig)
		return; /* p's space, current, is what the hart uses */
	if (__builtin_expect(slot >= PROC_MAX || built[slot].satp == 0 ||
				     built[slot].sig != sig,
			     0)) {
		load_slot((unsigned)slot, sig);
		return;
	}
	switch_satp(built[slot].satp);
	loaded.slot = slot;
	built[slot].loads++;
}

unsigned long sv39_hw_loads(void)
{
	unsigned long n = 0;

	for (unsigned i = 0; i < PROC_MAX; i++)
		n += built[i].loads;
	return n;
}

size_t mpu_granule(void)
{
	return (size_t)SV39_PAGE_SIZE;
}

static bool overlap(const struct sv39_map *a, const struct sv39_map *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

bool mpu_fits(const struct mpu_region *r, unsigned n)
{
	struct sv39_map m[PROC_REGIONS + 1];
	unsigned k = 0;

	if (n > PROC_REGIONS)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if (r[i].size == 0)
			continue;
		m[k] = (struct sv39_map){ r[i].base, r[i].size, r[i].perm,
					  true };
		/* whole pages only: "exactly its memory" (see sv39.c) */
		if (!sv39_map_ok(&m[k]))
			return false;
		for (unsigned j = 0; j < kernel_map_count; j++)
			if (overlap(&m[k], &kernel_maps[j]))
				return false;
		for (unsigned j = 0; j < k; j++)
			if (overlap(&m[k], &m[j]))
				return false;
		k++;
	}
	/* every process's kernel-owned top lies in the RAM pool */
	m[k++] = (struct sv39_map){ board.app_ram_start,
				    board.app_ram_end - board.app_ram_start,
				    MPU_R | MPU_W, false };
	return sv39_tables_bound(m, k) <= PROC_TABLES;
}

#if CONFIG_IPC
/*
 * An exposure is mapped page by page, so only whole pages can be exposed
 * without exposing the rest of a page (README, IPC).  The pages lie in the
 * RAM pool, whose tables mpu_fits() already counted.
 */
enum kerr mpu_expo_check(const struct mpu_region *ex, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct sv39_map m = { ex[i].base, ex[i].size, ex[i].perm,
				      true };

		if (ex[i].size == 0)
			continue;
		if (!sv39_map_ok(&m) || ex[i].base < board.app_ram_start ||
		    ex[i].base + ex[i].size > board.app_ram_end)
			return KERR_INVAL;
	}
	return KERR_OK;
}
#endif

void mpu_user_access_begin(const struct proc *p)
{
	if (depth == ACCESS_DEPTH)
		kpanic("sv39: user access nested deeper than %u", ACCESS_DEPTH);
	saved[depth++] = loaded.slot;
	mpu_load(p);
	csr_set(sstatus, SSTATUS_SUM);
}

void mpu_user_access_end(void)
{
	uint32_t slot;

	if (depth == 0)
		kpanic("sv39: user access end without begin");
	slot = saved[--depth];
	if (depth == 0)
		csr_clear(sstatus, SSTATUS_SUM);
	if (slot == loaded.slot)
		return;
	if (slot == SLOT_BARE) {
		set_satp(0);
		loaded.slot = SLOT_BARE;
	} else {
		load_slot(slot, layout_sig());
	}
}
