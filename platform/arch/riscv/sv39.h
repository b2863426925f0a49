/* SPDX-License-Identifier: MIT */
/*
 * Sv39 page tables built from protection records: the pure half of the
 * page-table protection backend (S-mode boards).
 *
 * This module is arithmetic on tables in ordinary memory and is tested on
 * the host.  It never touches satp and never fences: sv39_hw.c decides
 * which tables the hart uses and when.  Every mapping is an identity map
 * (virtual address = physical address), so the kernel's pointers, the
 * process's pointers and the addresses in protection records are the same
 * numbers in every address space.  The design is written at the top of
 * sv39.c.
 *
 * Encoding facts used (RISC-V privileged spec, "Sv39: Page-Based
 * 39-bit Virtual-Memory System"):
 *   - three levels of 512 eight-byte PTEs; a table is one 4 KiB page; the
 *     virtual address bits 38:30, 29:21 and 20:12 index levels 2, 1, 0;
 *   - PTE: V = bit 0, R = 1, W = 2, X = 3, U = 4, G = 5, A = 6, D = 7,
 *     PPN = bits 53:10; R = W = X = 0 points to the next level, W without R
 *     is reserved;
 *   - a leaf at level 2 (1 GiB) or 1 (2 MiB) is a superpage and must be
 *     aligned to its size; U, A and D of a non-leaf PTE must be 0;
 *   - satp = MODE (8 = Sv39) << 60 | ASID << 44 | root PPN;
 *   - addresses 38 and up must be sign-extended copies of bit 38, so an
 *     identity map can only reach physical addresses below 2^38.
 * A and D are set in every leaf (D only when writable), so the hart never
 * has to update a PTE itself.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/hw.h"
#include "kernel/kerr.h"

struct proc;

#define SV39_PAGE_SHIFT 12
#define SV39_PAGE_SIZE ((uint64_t)1 << SV39_PAGE_SHIFT)
#define SV39_PTES 512
#define SV39_LEVELS 3
/* First address an identity map cannot reach (bit 38 must stay 0). */
#define SV39_VA_LIMIT ((uint64_t)1 << 38)

/* clang-format off */
#define SV39_PTE_V (1u << 0)
#define SV39_PTE_R (1u << 1)
#define SV39_PTE_W (1u << 2)
#define SV39_PTE_X (1u << 3)
#define SV39_PTE_U (1u << 4)
#define SV39_PTE_G (1u << 5)
#define SV39_PTE_A (1u << 6)
#define SV39_PTE_D (1u << 7)
#define SV39_PTE_PPN_SHIFT 10
#define SV39_PPN_MASK (((uint64_t)1 << 44) - 1)
#define SV39_SATP_MODE ((uint64_t)8 << 60)
/* clang-format on */

/* One page table (any level). */
struct sv39_table {
	uint64_t pte[SV39_PTES];
} __attribute__((aligned(4096)));

/*
 * One identity mapping: [base, base + size) with MPU_R/MPU_W/MPU_X
 * permissions, reachable from U-mode when user is true (and then from
 * S-mode only with sstatus.SUM set), from S-mode only otherwise.
 */
struct sv39_map {
	uint64_t base, size;
	uint32_t perm;
	bool user;
};

/*
 * An address space under construction: its root table and the tables it
 * may take for lower levels.  pool[0] is the root; tables are handed out in
 * order.  Tables reached from the root that lie outside the pool are
 * shared (another space's, typically the kernel's) and are never written:
 * mapping through one copies it into the pool first.
 */
struct sv39_space {
	struct sv39_table *pool;
	unsigned cap;  /* tables in pool, root included */
	unsigned used; /* tables taken, root included */
};

/*
 * Start a space in pool[0..cap) (cap >= 1): the root is a copy of base's
 * root (sharing every table below it), or empty when base is NULL.
 */
void sv39_init(struct sv39_space *s, struct sv39_table *pool, unsigned cap,
	       const struct sv39_table *base);

/*
 * True when m can be mapped at all: size > 0; base and size multiples of
 * 4 KiB; base + size neither wraps nor passes SV39_VA_LIMIT; perm is a
 * non-empty combination of MPU_R/MPU_W/MPU_X without W-only (reserved).
 */
bool sv39_map_ok(const struct sv39_map *m);

/*
 * Map m into s, with the largest pages that fit: a 1 GiB or 2 MiB leaf
 * where the range covers a whole aligned slot that holds nothing yet,
 * 4 KiB pages otherwise.
 *
 * KERR_INVAL  !sv39_map_ok(m), or part of the range is mapped already;
 * KERR_NOMEM  the pool has no table left.
 * On error s may hold part of m: callers build a space from scratch and
 * discard it when any mapping fails.
 */
__attribute__((warn_unused_result)) enum kerr
sv39_map(struct sv39_space *s, const struct sv39_map *m);

/* satp value selecting s (Sv39, ASID 0); the root's address is physical. */
uint64_t sv39_satp(const struct sv39_space *s);

/*
 * Translate va the way the hart does from the root: true and the leaf PTE
 * in *pte when a valid leaf maps it (a reserved encoding or a misaligned
 * superpage counts as no mapping).  For tests and diagnostics.
 */
bool sv39_walk(const struct sv39_table *root, uint64_t va, uint64_t *pte);

/*
 * Most tables (root included) a space may take from its pool to map any
 * part of the n ranges m[0..n), whatever it shares with a base: the root,
 * one table per 1 GiB slot and one per 2 MiB slot the ranges touch.
 */
unsigned sv39_tables_bound(const struct sv39_map *m, unsigned n);

/*
 * Shared tables (sv39.c, "Design"): one set of kernel tables for every
 * address space; a process owns only the last-level (L0) tables of the
 * 2 MiB windows that hold its memory.  A window is one entry of a shared
 * L1 table where the kernel maps nothing (the entry is 0 in the kernel's
 * own tables): it points to the process's table while that process's
 * space is in use, and is 0 again in the kernel's own space.
 */
#define SV39_WINDOW_SHIFT 21
#define SV39_WINDOW_SIZE ((uint64_t)1 << SV39_WINDOW_SHIFT)

struct sv39_window {
	uint64_t base;	 /* first address, SV39_WINDOW_SIZE aligned */
	uint64_t *entry; /* the L1 entry of the shared tables for it */
};

/*
 * The window holding va in the kernel space k, into *w: an empty L1 table
 * is taken from k's pool when no table covers va's gigabyte yet.
 * KERR_INVAL  va past SV39_VA_LIMIT, or the kernel maps something in
 *             va's 2 MiB (a superpage over it, or a table of its own):
 *             a window holds no kernel mapping, so that no process table
 *             ever has to repeat one;
 * KERR_NOMEM  k's pool has no table left.
 */
__attribute__((warn_unused_result)) enum kerr
sv39_window_at(struct sv39_space *k, uint64_t va, struct sv39_window *w);

/*
 * How many of the windows win[0..nwin) the ranges m[0..n) touch (ranges
 * failing sv39_map_ok() count for nothing), or UINT32_MAX when some part
 * of a valid range lies in none of them.
 */
unsigned sv39_windows_touched(const struct sv39_window *win, unsigned nwin,
			      const struct sv39_map *m, unsigned n);

/*
 * Build one process's tables: for each window i, pte[i] becomes the value
 * its L1 entry holds while the process's space is in use.  A window that
 * m[0..n) touches gets its own L0 table from l0[0..cap), cleared, with
 * m's pages, each a 4 KiB leaf, and nothing else; every other window keeps
 * the kernel's value, 0 (nothing).  The kernel's tables are only read.
 *
 * KERR_INVAL  a range fails sv39_map_ok(), lies partly outside every
 *             window, or overlaps an earlier range;
 * KERR_NOMEM  more windows touched than cap.
 * On error pte[] and l0[] hold part of the work: build afresh.
 */
__attribute__((warn_unused_result)) enum kerr
sv39_windows_build(const struct sv39_window *win, unsigned nwin,
		   struct sv39_table *l0, unsigned cap,
		   const struct sv39_map *m, unsigned n, uint64_t *pte);

/*
 * Most windows a board may have (the 2 MiB ranges holding app flash or the
 * process RAM pool; sv39_hw.c): qemu-virt-rv64 has two.
 */
#define SV39_WINDOWS 2

/*
 * What a switch of address space writes: entry[i] (a shared L1 entry, or
 * a spare word for a window the board lacks) gets pte[i].
 */
struct sv39_patch {
	uint64_t *entry[SV39_WINDOWS];
	uint64_t pte[SV39_WINDOWS];
};

/*
 * Point the board's windows at one space's tables (the caller then writes
 * satp and fences, see sv39_hw.c).  The kernel's own translations (image,
 * devices) are the same before, during and after: none lies under a window
 * entry.  The kernel-owned tops of process blocks, which do, are mapped
 * alike in every process's tables built for the same records (sv39.c).
 */
static inline void sv39_windows_point(const struct sv39_patch *p)
{
	for (unsigned i = 0; i < SV39_WINDOWS; i++)
		*p->entry[i] = p->pte[i];
}

/*
 * The mappings of p's address space besides the kernel's own (see sv39.c):
 * p's records with the U bit, then (CONFIG_IPC) the buffers other
 * processes expose to p with it, then the kernel-owned top of every live
 * process's RAM block in table[0..n) (p's own included) without it.
 * Writes at most 2 + PROC_EXPOS + n entries to out and returns how many.
 */
unsigned sv39_proc_maps(const struct proc *p, const struct proc *table,
			unsigned n, struct sv39_map *out);
