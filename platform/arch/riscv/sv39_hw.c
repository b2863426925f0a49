// SPDX-License-Identifier: MIT
/*
 * Page-table protection for an S-mode kernel: the mpu_* functions of
 * kernel/hw.h, and the only code that writes satp or runs sfence.vma.  The
 * design (what each address space maps, and why) is at the top of sv39.c;
 * this file decides which space the hart uses and keeps them current.
 *
 * Tables live in static pools: the kernel space's (root, L1s and L0s,
 * shared by every space) and PROC_L0S last-level tables per process slot
 * (8 KiB on qemu-virt-rv64).  A process's tables depend on the protection
 * records of every process (they map the kernel-owned top of each RAM
 * block), so each slot's are keyed on a layout signature: a count of
 * mpu_configure() calls.  proc.c calls it (and bumps the slot's
 * mpu_epoch) on every change of a slot's records, create and restart
 * included, so the count changes with every change anywhere.
 * mpu_load(p) is then
 *   - nothing, when p's space is loaded and the signature is unchanged
 *     (a syscall returning to the same process: one compare, with
 *     hw.direct, which says just that);
 *   - otherwise: rebuild p's tables if they were built for another
 *     signature, then point(): the windows' shared L1 entries to p's
 *     tables, satp to the shared root with p's ASID, and a fence of that
 *     ASID (why that fence is enough: at point()).
 * A rebuild may rewrite the tables the hart is using (p's space loaded
 * and stale): see rebuild() for why that is safe.
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

/*
 * Tables of the kernel space: root, L1s and L0s of the image and devices.
 * qemu-virt-rv64 takes four: the root, the L1 of the device gigabyte
 * (PLIC megapages), the L0 of the UART and virtio pages, and the L1 of
 * 0x80000000 (the image's two megapages; the windows' entries).  Fewer
 * than the board needs stops the boot (sv39_hw_init).
 */
#define KERNEL_TABLES 4
/*
 * The board's windows: the 2 MiB ranges of the shared tables that hold
 * app flash or the process RAM pool, at most SV39_WINDOWS (sv39_hw_init()
 * finds them and stops if there are more, or if the kernel maps anything
 * in one).  qemu-virt-rv64: 0x80000000 (app flash) and 0x80200000
 * (process RAM).
 */
#define WINDOWS SV39_WINDOWS
/*
 * L0 tables one process slot owns: one per window its records and the
 * RAM pool touch (every space maps the kernel-owned top of every block,
 * all in the pool); mpu_fits() refuses layouts that need more.  Two on
 * qemu-virt-rv64, one on a board whose app flash and RAM pool share a
 * window.
 */
#define PROC_L0S 2
#define ACCESS_DEPTH 4
#define KERNEL_MAPS 8

/* Provided by the board's linker script (sv39_hw.h). */
extern char _ktext_start[], _ktext_end[], _kdata_start[], _kdata_end[];

static struct sv39_table kernel_pool[KERNEL_TABLES];
static struct sv39_table proc_l0[PROC_MAX][PROC_L0S];
static struct sv39_space kernel_space;
static struct sv39_map kernel_maps[KERNEL_MAPS];
static unsigned kernel_map_count;
static struct sv39_window windows[WINDOWS];
static unsigned window_count;
/* What entry[] of a window the board lacks points to: written, never walked. */
static uint64_t spare_entry;

/*
 * Each slot's space as built: the shared L1 entries of the board's windows
 * and what the slot's space puts there, the satp that selects it (kernel
 * root and the slot's ASID) and the ASID to fence; the layout signature it
 * was built for (0: never) and how many times mpu_load() switched to it.
 * The last entry, NONE, is no process: the kernel's own entries, paging
 * off (boot).  A switch reads one entry, one cache line.
 */
struct space {
	struct sv39_patch w;
	uint64_t satp;
	uint64_t asid;
	uint32_t sig;
	uint32_t loads;
} __attribute__((aligned(64)));

/*
 * Everything a switch reads, in one object so that one address serves
 * all (one auipc on rv64 medany):
 *   direct  the process whose space is loaded, while that space is
 *           current (its sig is gen); else NULL (paging off, or the
 *           loaded space stale).  point() loads only current spaces
 *           (load_slot() rebuilds a stale one first) and sets it;
 *           mpu_configure(), which makes every space stale, clears it.
 *           So one compare with it is mpu_load()'s test for "nothing to
 *           do", and kernel/hw.h's inline bracket's for "SUM is enough":
 *           the kernel reads it as mpu_user_direct (below);
 *   loaded  while direct is NULL, the space satp and the windows select
 *           now; while direct is a process, its slot's space is, and
 *           loaded is not kept (loaded_space()), so that a switch writes
 *           one word, not two;
 *   gen     bumped by mpu_configure(), which proc.c calls on every change
 *           of any process's records (each bump of a slot's mpu_epoch), so
 *           it changes with every change anywhere, as the sum of the
 *           epochs would, without a loop over the slots on every
 *           mpu_load(); never 0, which marks a space never built.
 */
static struct {
	const struct proc *direct; /* first: it is mpu_user_direct too */
	struct space built[PROC_MAX + 1];
	struct space *loaded;
	uint32_t gen;
} hw = { .loaded = &hw.built[PROC_MAX], .gen = 1 };

/*
 * hw.direct under the name kernel/hw.h gives it (GCC's alias attribute:
 * the same address), so that the switch path writes it from hw's address
 * rather than forming another.  Read and written here only as hw.direct.
 */
extern const struct proc *mpu_user_direct __attribute__((alias("hw")));
#define NONE (&hw.built[PROC_MAX])

/* The space satp and the windows select now. */
static struct space *loaded_space(void)
{
	return hw.direct != NULL ? &hw.built[hw.direct->slot] : hw.loaded;
}

/*
 * The open mpu_user_access_begin()s: how many, and the space loaded before
 * each.  One object, its count a full word: the bracket, on every
 * process-buffer copy, reaches both from one address and indexes without
 * widening.
 */
static struct {
	unsigned long depth;
	struct space *saved[ACCESS_DEPTH];
} access;

/*
 * Address-space identifiers (privileged spec, "satp"): where the hart
 * implements enough ASID bits, slot i's space runs under ASID i + 1, so
 * the hart never mixes two spaces' translations; otherwise every space
 * runs under ASID 0.  No mapping is global (SV39_PTE_G is never set).
 */
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK ((uint64_t)0xFFFF << SATP_ASID_SHIFT)

/*
 * Make s the space in use: its tables into the windows, its satp, then
 * the fence the privileged spec asks for after a change of non-leaf
 * entries ("Supervisor Memory-Management Fence Instruction": rs1 = x0
 * for every address, rs2 = the ASID whose translations changed).  Why
 * the incoming ASID is enough:
 *   - translations are cached under the ASID in satp only; while the
 *     windows are rewritten the outgoing ASID may cache a mix of the two
 *     spaces, and that ASID is fenced the same way, after its own windows
 *     are back, before its space is used again;
 *   - the incoming ASID's translations from before (its previous run, the
 *     mix of its last switch away, its tables before a rebuild) all go
 *     here, before anything runs under it but the rest of this function;
 *   - no mapping is global, so rs2 != x0 leaves none behind; without
 *     ASIDs every space is ASID 0 and the fence covers them all.
 * The kernel's own translations are the same in every space and at
 * every moment of the patch (sv39_windows_point()).  The fence also
 * orders the stores to the entries before the walks after it.
 */
static inline void point(struct space *s, const struct proc *p)
{
	sv39_windows_point(&s->w);
	csr_write(satp, s->satp);
	__asm__ __volatile__("sfence.vma zero, %0" ::"r"(s->asid) : "memory");
	if (p == NULL)
		hw.loaded = s; /* NONE; a process's space is hw.direct's */
	hw.direct = p; /* s is current: every caller made it so */
	s->loads++;
}

static void add_kernel_map(uintptr_t start, uintptr_t end, uint32_t perm)
{
	if (kernel_map_count == KERNEL_MAPS)
		kpanic("sv39: more than %u kernel ranges", KERNEL_MAPS);
	kernel_maps[kernel_map_count++] =
		(struct sv39_map){ start, end - start, perm, false };
}

/* Record the board's windows over [start, end). */
static void add_windows(uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end;
	     va = (va & ~(SV39_WINDOW_SIZE - 1)) + SV39_WINDOW_SIZE) {
		struct sv39_window w;
		unsigned i;
		enum kerr rc = sv39_window_at(&kernel_space, va, &w);

		if (rc != KERR_OK)
			kpanic("sv39: no window for 0x%lx (%d)",
			       (unsigned long)va, (int)rc);
		for (i = 0; i < window_count; i++)
			if (windows[i].base == w.base)
				break;
		if (i < window_count)
			continue;
		if (window_count == WINDOWS)
			kpanic("sv39: app memory spans more than %u windows",
			       WINDOWS);
		windows[window_count++] = w;
	}
}

void sv39_hw_init(void)
{
	uint64_t kernel_satp;
	bool use_asids;
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
	/* mpu_fits() counts windows over the RAM pool: it must be pages */
	if (board.app_ram_start % SV39_PAGE_SIZE ||
	    board.app_ram_end % SV39_PAGE_SIZE)
		kpanic("sv39: process RAM pool is not page-aligned");
	add_windows(board.app_flash_start, board.app_flash_end);
	add_windows(board.app_ram_start, board.app_ram_end);
	kernel_satp = sv39_satp(&kernel_space);

	csr_clear(sstatus, SSTATUS_SUM);
	/*
	 * How many ASID bits the hart has: write all ones under the kernel
	 * space (it maps everything this code touches) and read back; the
	 * unimplemented bits read as zero.  Every slot needs its own.
	 */
	csr_write(satp, kernel_satp | SATP_ASID_MASK);
	use_asids = (csr_read(satp) & SATP_ASID_MASK) >> SATP_ASID_SHIFT >=
		    PROC_MAX;
	csr_write(satp, 0);
	__asm__ __volatile__("sfence.vma zero, zero" ::: "memory");

	for (unsigned s = 0; s <= PROC_MAX; s++) {
		struct space *sp = &hw.built[s];

		for (unsigned i = 0; i < WINDOWS; i++) {
			sp->w.entry[i] = i < window_count ? windows[i].entry
							  : &spare_entry;
			sp->w.pte[i] = 0; /* the kernel's: nothing */
		}
		sp->asid = use_asids && s < PROC_MAX ? s + 1 : 0;
		sp->satp = s < PROC_MAX ? kernel_satp |
						  sp->asid << SATP_ASID_SHIFT
					: 0;
	}
	hw.loaded = NONE;
}

/*
 * Rebuild slot's tables for the current records (signature sig).  Out of
 * line: its frame (a map array, callee-saved registers) would otherwise
 * be set up on every switch.
 *
 * The slot's tables may be the ones in use: rebuilding them in place is
 * safe because they hold no kernel image or device leaf (the kernel's
 * code, data, stack and these tables lie in its own megapages, outside
 * the windows), the rebuild reaches nothing under the windows but the
 * tables it writes (the maps are made first, see below), and U-mode does
 * not run until point() has fenced the slot's ASID.
 */
static __attribute__((noinline)) void rebuild(unsigned slot, uint32_t sig)
{
	struct sv39_map m[PROC_REGIONS + PROC_EXPOS + PROC_MAX];
	struct space *s = &hw.built[slot];
	enum kerr rc;
	unsigned n;

	/*
	 * The maps first: the exposure records lie in kernel-owned tops,
	 * which the tables in use map; the rebuild may unmap them meanwhile.
	 */
	n = sv39_proc_maps(&proc_table[slot], proc_table, PROC_MAX, m);
	rc = sv39_windows_build(windows, window_count, proc_l0[slot],
				PROC_L0S, m, n, s->w.pte);
	/* mpu_fits() and mpu_expo_check() accepted these: a kernel bug */
	if (rc != KERR_OK)
		kpanic("sv39: cannot build the tables of slot %u (%d)", slot,
		       (int)rc);
	s->sig = sig;
}

/* Load slot's space, rebuilt first if stale for signature sig. */
static __attribute__((noinline)) void load_slot(size_t slot, uint32_t sig)
{
	if (slot >= PROC_MAX)
		kpanic("sv39: process slot %u out of range", (unsigned)slot);
	if (hw.built[slot].sig != sig)
		rebuild((unsigned)slot, sig);
	point(&hw.built[slot], &proc_table[slot]);
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
	/* the loaded space is stale now: direct no longer says which it is */
	if (hw.direct != NULL)
		hw.loaded = &hw.built[hw.direct->slot];
	hw.direct = NULL;
	if (++hw.gen == 0)
		hw.gen = 1;
}

/*
 * A leaf on both hot paths: p's space loaded and current (a system call
 * returning to the same process) is one compare; a current space not
 * loaded is one more compare and point(): the windows, satp and the
 * fence.  A stale or never
 * built one goes to load_slot().  p is an entry of proc_table, whose
 * slot numbers proc.c writes once at boot (proc_table_init()) and keeps: the
 * switch does not check p->slot again (load_slot() does, off the hot
 * path).
 */
void mpu_load(const struct proc *p)
{
	struct space *s;
	uint32_t sig;

	if (hw.direct == p)
		return; /* p's space, current, is what the hart uses */
	s = &hw.built[p->slot];
	sig = hw.gen;
	if (__builtin_expect(s->sig != sig, 0)) {
		load_slot(p->slot, sig);
		return;
	}
	point(s, p);
}

unsigned long sv39_hw_loads(void)
{
	unsigned long n = 0;

	for (unsigned i = 0; i < PROC_MAX; i++)
		n += hw.built[i].loads;
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
	/*
	 * Every space maps the kernel-owned top of every block, all in the
	 * RAM pool: its windows count for every process.  A record outside
	 * the board's windows makes the count UINT32_MAX.
	 */
	m[k++] = (struct sv39_map){ board.app_ram_start,
				    board.app_ram_end - board.app_ram_start,
				    MPU_R | MPU_W, false };
	return sv39_windows_touched(windows, window_count, m, k) <= PROC_L0S;
}

#if CONFIG_IPC
/*
 * An exposure is mapped page by page, so only whole pages can be exposed
 * without exposing the rest of a page (README, IPC).  The pages must lie
 * in the RAM pool, whose windows every process space has tables for
 * (mpu_fits()): an exposure never needs another table.
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

/* The bracket's begin when p's space is not the current one loaded. */
static __attribute__((noinline)) void access_begin_load(const struct proc *p)
{
	mpu_load(p);
	csr_set(sstatus, SSTATUS_SUM);
}

/*
 * The common case is a driver reaching the buffer of the process whose
 * system call it serves: that space, current, is loaded, so begin only
 * records it and sets SUM (mpu_load()'s first test, written here so that
 * the case is a leaf), and end only clears SUM.  (The copies of
 * kernel/allow/pbuf.c do not come here in that case: they set SUM
 * themselves, mpu_user_permit() in kernel/hw.h.)
 */
void mpu_user_access_begin(const struct proc *p)
{
	unsigned long d = access.depth;

	if (d == ACCESS_DEPTH)
		kpanic("sv39: user access nested deeper than %u", ACCESS_DEPTH);
	access.saved[d] = loaded_space();
	access.depth = d + 1;
	if (__builtin_expect(hw.direct != p, 0)) {
		access_begin_load(p);
		return;
	}
	csr_set(sstatus, SSTATUS_SUM);
}

void mpu_user_access_end(void)
{
	unsigned long d = access.depth;
	struct space *s;

	if (d == 0)
		kpanic("sv39: user access end without begin");
	access.depth = --d;
	s = access.saved[d];
	if (d == 0)
		csr_clear(sstatus, SSTATUS_SUM);
	if (s == loaded_space())
		return;
	if (s == NONE)
		point(NONE, NULL); /* back to paging off, as at boot */
	else
		load_slot((size_t)(s - hw.built), hw.gen);
}
