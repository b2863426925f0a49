/* SPDX-License-Identifier: MIT */
/*
 * The process table: every process's identity, state and memory.
 *
 * The table is a static array of PROC_MAX slots; there is no kernel heap.  A
 * process is named by a struct proc_id = (slot, generation).  Each start and
 * each restart of a slot gives it a new generation, so an id kept by a driver
 * (inside a process-buffer descriptor, say) stops resolving the moment the
 * incarnation it named is gone.
 *
 * Why a stale id can never name a later incarnation: the generation is a
 * per-slot counter that only ever increases, 64 bits wide by default (at
 * one restart per microsecond it would take 584,000 years to run out) or
 * 32 bits where the cross file says so (proc_gen_bits; the HiFive1, where
 * the narrower ids save flash: at one restart per millisecond a slot lasts
 * 49 days).  Should it ever reach PROC_GEN_MAX the slot is retired (restart
 * refused, never reused) rather than wrapped, so no generation value is
 * ever handed out twice in one slot.  Generation 0 is never handed out, so
 * a zeroed id resolves to nothing.
 *
 * Memory of one process (addresses grow upwards):
 *
 *   flash_start ┬───────────────────────────┐
 *               │ TBF header + protected     │ readable by the process,
 *               │ trailer (protected_size)   │ never allowable
 *   app_flash ──┼───────────────────────────┤
 *               │ code, rodata, data image   │ R+X region
 *   flash_end ──┴───────────────────────────┘
 *
 *   mem_end ──────────┬───────────────────────────┐
 *                     │ grant pointer table        │ kernel-owned,
 *                     │ upcall queue               │ fixed at load
 *                     │ protection state (hw.h)    │
 *   kernel_break_init ┼───────────────────────────┤
 *                     │ grants (grow down)         │ kernel-owned
 *   kernel_break ─────┼───────────────────────────┤  (memop 6)
 *                     │ unused                     │ nobody
 *   app_break ────────┼───────────────────────────┤  (brk/sbrk move it)
 *                     │ heap / data / bss / stack  │ R+W region
 *   mem_start ────────┴───────────────────────────┘
 *
 * Invariants (checked by proc_check() in debug builds):
 *   mem_start <= allow_hwm <= app_break
 *   align_up(app_break, mpu_granule()) <= kernel_break <= kernel_break_init
 *   kernel_break_init <= mem_end
 *   mem_start is mpu_granule()-aligned
 *   regions[] is exactly what proc.c derives from the above: the whole TBF
 *   R+X, and [mem_start, align_up(app_break, mpu_granule())) R+W; so the
 *   RAM record always grants exactly R and W, and no record wraps past the
 *   top of the address space
 *   gen == 0 exactly when state == PROC_FREE; a free slot's records are all
 *   zero (it grants nothing)
 *
 * Memory is zero until the process writes it: every byte of the block a
 * process can reach (its RAM record, granule rounding included) is zero
 * the first time an incarnation can reach it.  Nothing is reachable at
 * create or restart (the record is empty); brk zeroes from the old break
 * to the end of the new record; grants come zeroed (proc_kernel_alloc);
 * and terminate, fault and restart wipe all of [mem_start,
 * kernel_break_init) as well, so no incarnation's data outlives it.
 *
 * The first keeps allowed memory from ever becoming grant memory; the second
 * keeps the last user-accessible protection unit clear of grant memory.  The
 * last three let the process-buffer check (pbuf.c) skip a permission test
 * and a separate "is the slot free" test.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/hw.h"
#include "kernel/kerr.h"
#include "tern_config.h"

#define PROC_MAX CONFIG_MAX_PROCS

/* CONFIG_PROC_GEN_BITS: a command-line define (kernel/meson.build) */
#if CONFIG_PROC_GEN_BITS == 32
typedef uint32_t proc_gen_t;
#define PROC_GEN_MAX UINT32_MAX
#elif CONFIG_PROC_GEN_BITS == 64
typedef uint64_t proc_gen_t;
#define PROC_GEN_MAX UINT64_MAX
#else
#error "CONFIG_PROC_GEN_BITS: kernel executables take kernel_c_args (kernel/meson.build)"
#endif

/* Index of each protection record in struct proc.regions. */
enum {
	PROC_REGION_FLASH = 0, /* whole TBF, R+X */
	PROC_REGION_RAM = 1,   /* [mem_start, align_up(app_break)), R+W */
	PROC_REGIONS = 2,
};

/*
 * Each record's permissions, fixed by its index (the PMP loader writes
 * them as constants; proc_check() holds the records to them).
 */
#define PROC_REGION_FLASH_PERM (MPU_R | MPU_X)
#define PROC_REGION_RAM_PERM (MPU_R | MPU_W)

enum proc_state {
	PROC_FREE = 0,	   /* slot holds no process */
	PROC_UNSTARTED,	   /* loaded, entry call queued, never ran */
	PROC_RUNNABLE,	   /* has code to run (incl. just back from a syscall) */
	PROC_YIELDED,	   /* blocked in Yield-Wait / Yield-NoWait */
	PROC_YIELDED_FOR,  /* blocked in Yield-WaitFor(ctx a1, ctx a2) */
	PROC_STOPPED,	   /* suspended by the kernel */
	PROC_FAULTED,	   /* stopped after a fault; never scheduled */
	PROC_TERMINATED,   /* exited; never scheduled */
};

struct proc_id {
	proc_gen_t gen; /* 0: no process */
	uint32_t slot;
#if CONFIG_PROC_GEN_BITS == 64
	/*
	 * Always 0.  Named so that the tail padding a 64-bit generation
	 * forces is an ordinary member: every way of building an id writes
	 * it, and ids (and the descriptors that embed them) stored in grant
	 * memory have no indeterminate bytes.
	 */
	uint32_t zero;
#endif
};
_Static_assert(sizeof(struct proc_id) == sizeof(proc_gen_t) * 2,
	       "struct proc_id has no padding");

struct upcall_queue;

/*
 * A process's name is not copied: it stays in the TBF header, in flash,
 * where it has no NUL after it.  name_len says how many of its bytes to
 * show (PROC_NAME_LEN bits; the loader keeps only printable ones) and
 * whether the name went on (PROC_NAME_CUT, shown as "~").  Print one with
 * the PROC_NAME_FMT conversion and the PROC_NAME_ARGS arguments.
 */
#define PROC_NAME_LEN 0x7fu
#define PROC_NAME_CUT 0x80u
#define PROC_NAME_FMT "%.*s%s"
#define PROC_NAME_ARGS(name, name_len)                                      \
	(int)((name) != NULL ? (name_len) & PROC_NAME_LEN : 1u),            \
		(name) != NULL ? (name) : "?",                              \
		(name) != NULL && ((name_len) & PROC_NAME_CUT) ? "~" : ""

/* What the loader found in flash for one app. */
struct proc_image {
	uintptr_t flash_start;	/* TBF header address */
	size_t flash_size;	/* TBF total_size */
	size_t protected_size;	/* header + protected trailer */
	uintptr_t entry;	/* first instruction */
	const char *name;	/* in flash, not NUL-ended; may be NULL */
	uint8_t name_len;	/* see PROC_NAME_LEN */
};

/*
 * One process.  Field ownership:
 *   ctx             trap entry/exit code and the syscall layer
 *   gen, slot       proc.c only (read through proc_id())
 *   app_id          proc.c only; anyone may read it
 *   state           proc.c and the scheduler/syscall layer
 *   layout fields   proc.c only; everyone else reads
 *   regions         proc.c only (derived); mpu_load() and pbuf read
 *   queue, grants   point into the kernel-owned top of the RAM block;
 *                   set by proc.c, used by upcall.c and grant.c
 */
struct proc {
	struct arch_ctx ctx;
	proc_gen_t gen;
	uint8_t slot;
	uint8_t state; /* enum proc_state */
	uint16_t restart_count;
#if CONFIG_PROCESS_CONSOLE
	uint8_t stopped_from; /* PROC_STOPPED: the state to go back to */
	/*
	 * System calls the slot has made since boot, every incarnation
	 * (display; the process console's total is the sum over slots, so
	 * that a call pays for one count, not two).
	 */
	uint32_t syscalls;
#endif
	uint32_t mpu_epoch; /* bumped whenever regions[] changes */
	/*
	 * Tock's process identifier (doc/abi.md §8.1): a kernel-wide
	 * counter from 0, new at every create and restart, so no two processes
	 * or incarnations share one until it wraps.  What LowLevelDebug prints
	 * as "App"; for display only: ids held by drivers use (slot, gen).
	 */
	uint32_t app_id;

	uintptr_t flash_start, flash_end, app_flash;
	uintptr_t mem_start, mem_end;
	uintptr_t app_break, kernel_break, kernel_break_init;
	uintptr_t allow_hwm;
	struct mpu_region regions[PROC_REGIONS];

	struct upcall_queue *queue;
	void **grants;

	uint32_t exit_code;
	uintptr_t entry;
	uintptr_t hint_stack, hint_heap; /* memop 10 / 11, diagnostics */
	const char *name; /* in the TBF header: see PROC_NAME_LEN */
	uint8_t name_len;
};

#if CONFIG_IPC
/*
 * A process's exposures (kernel/proc/expo.h): r[i] is the buffer of the
 * process in slot i this one may reach, owner[i] that process's id when
 * it was exposed (gen 0: none), gone[i] the last one revoked, for the
 * fault report.  They are records of the process like regions[], but
 * kept in the kernel-owned top of its RAM block, just above the
 * backend's state (proc_expos()): a struct proc has no room for them in
 * its 256 bytes (proc.c), and there the process's own memory pays.
 * Zeroed at create.
 */
struct proc_expos {
	struct mpu_region r[PROC_MAX];
	struct proc_id owner[PROC_MAX];
	struct mpu_region gone[PROC_MAX];
};

struct proc_expos *proc_expos(const struct proc *p);
#endif

/*@
  // ---- what ./tern prove shows here (doc/proofs.md) ----

  // The layout invariant (above), as far as brk/sbrk and grant
  // allocation change it: the break between the allow high-water mark and
  // kernel_break (rounded up to the granule, too), the grant region
  // [kernel_break, kernel_break_init) below the kernel-owned top, all
  // inside [mem_start, mem_end), whose granule round-up does not wrap.
  // (layout_of: the same of the six values, so that the table's
  // predicates below can say it of a slot without a pointer.)
  predicate layout_of(integer mem_start, integer allow_hwm,
                      integer app_break, integer kernel_break,
                      integer kernel_break_init, integer mem_end) =
      mem_start <= allow_hwm <= app_break &&
      app_break <= kernel_break &&
      (app_break + granule - 1) / granule * granule <= kernel_break &&
      kernel_break <= kernel_break_init <= mem_end &&
      mem_end <= UINTPTR_MAX - (granule - 1);

  predicate proc_layout(struct proc *p) =
      layout_of(p->mem_start, p->allow_hwm, p->app_break, p->kernel_break,
                p->kernel_break_init, p->mem_end);
*/

/* The table itself; index = slot.  Read-only outside kernel/proc/. */
extern struct proc proc_table[PROC_MAX];

/*@
  // Two RAM blocks [mem_start, mem_end) that share no byte.
  predicate blocks_apart(struct proc *a, struct proc *b) =
      a->mem_end <= b->mem_start || b->mem_end <= a->mem_start;

  // [lo, hi) shares no byte with the block of any slot in use.
  predicate block_unused(integer lo, integer hi) =
      \forall integer i; 0 <= i < PROC_MAX &&
          proc_table[i].state != PROC_FREE ==>
          hi <= proc_table[i].mem_start || proc_table[i].mem_end <= lo;

  // Slot i knows its index, and keeps its layout if it is in use
  // (proc_layout(&proc_table[i]), said of the slot's fields).
  predicate slot_layout(integer i) =
      proc_table[i].slot == i &&
      (proc_table[i].state != PROC_FREE ==>
          layout_of(proc_table[i].mem_start, proc_table[i].allow_hwm,
                    proc_table[i].app_break, proc_table[i].kernel_break,
                    proc_table[i].kernel_break_init,
                    proc_table[i].mem_end));

  // Every slot knows its index, and every slot in use keeps its layout.
  predicate procs_layout =
      \forall integer i; 0 <= i < PROC_MAX ==> slot_layout(i);

  // Slots i and j are not both in use, or their blocks share no byte.
  predicate slots_apart(integer i, integer j) =
      proc_table[i].state == PROC_FREE || proc_table[j].state == PROC_FREE ||
      proc_table[i].mem_end <= proc_table[j].mem_start ||
      proc_table[j].mem_end <= proc_table[i].mem_start;

  // No two slots in use share a byte of RAM.
  predicate procs_apart =
      \forall integer i, j; 0 <= i < PROC_MAX && 0 <= j < PROC_MAX &&
          i != j ==> slots_apart(i, j);

  // The process table's invariant.
  predicate procs_ok = procs_layout && procs_apart;

  // Every slot knows its index.
  predicate procs_named =
      \forall integer i; 0 <= i < PROC_MAX ==> proc_table[i].slot == i;


  // p is the slot of the table its slot number says.
  predicate in_table(struct proc *p) =
      p->slot < PROC_MAX && p == &proc_table[p->slot];

  // What procs_layout reads of slot i is the same at L1 and at L2.
  predicate same_layout{L1, L2}(integer i) =
      \at(proc_table[i].slot, L1) == \at(proc_table[i].slot, L2) &&
      \at(proc_table[i].state, L1) == \at(proc_table[i].state, L2) &&
      \at(proc_table[i].mem_start, L1) == \at(proc_table[i].mem_start, L2) &&
      \at(proc_table[i].mem_end, L1) == \at(proc_table[i].mem_end, L2) &&
      \at(proc_table[i].allow_hwm, L1) == \at(proc_table[i].allow_hwm, L2) &&
      \at(proc_table[i].app_break, L1) == \at(proc_table[i].app_break, L2) &&
      \at(proc_table[i].kernel_break, L1) ==
          \at(proc_table[i].kernel_break, L2) &&
      \at(proc_table[i].kernel_break_init, L1) ==
          \at(proc_table[i].kernel_break_init, L2);

  // Every slot but s reads the same at L1 and at L2 (s wrote only itself).
  predicate others_same{L1, L2}(integer s) =
      \forall integer i; 0 <= i < PROC_MAX && i != s ==>
          same_layout{L1, L2}(i);

  // Slot i's block at L2 is its block at L1, and it was in use at L1 if
  // it is at L2: what procs_apart reads, kept.
  predicate same_block{L1, L2}(integer i) =
      \at(proc_table[i].mem_start, L1) == \at(proc_table[i].mem_start, L2) &&
      \at(proc_table[i].mem_end, L1) == \at(proc_table[i].mem_end, L2) &&
      (\at(proc_table[i].state, L2) != PROC_FREE ==>
          \at(proc_table[i].state, L1) != PROC_FREE);
*/

/*
 * The protection backend's state for p: mpu_state_size() bytes (hw.h) at
 * the bottom of the kernel-owned top, written by mpu_configure(), read by
 * mpu_load().
 */
static inline void *proc_mpu_state(const struct proc *p)
{
	return (void *)p->kernel_break_init;
}

/*
 * Print p's name on the console (as PROC_NAME_FMT does).  The name lies
 * in p's flash, so it is read the way the kernel reads any process
 * memory, between mpu_user_access_begin() and _end(): an S-mode kernel
 * may not touch user pages otherwise.
 */
void proc_print_name(const struct proc *p);

/* Return every slot to PROC_FREE (boot, and between unit tests). */
void proc_table_init(void);

/*
 * Create a process in a free slot: flash from img, RAM block
 * [mem_start, mem_start + mem_len).  Carves the grant pointer table and the
 * upcall queue from the top of the RAM block, sets app_break = mem_start,
 * gives the slot a new generation and queues the entry call (state
 * PROC_UNSTARTED).
 * Errors: KERR_NOMEM no free slot, the RAM block cannot hold the kernel-
 * owned part, or mem_len exceeds CONFIG_PROC_RAM_MAX (when non-zero);
 * KERR_INVAL misaligned (mem_start not mpu_granule()-aligned) or wrapping
 * ranges, protected_size > flash_size, or entry outside
 * [flash_start + protected_size, flash_end); KERR_SIZE the protection
 * hardware cannot express the layout (mpu_fits() said no).  Nothing changes
 * on error.  Retired slots (generations exhausted) are never reused.
 */
enum kerr proc_create(const struct proc_image *img, uintptr_t mem_start,
		      size_t mem_len, struct proc **out)
	__attribute__((warn_unused_result));

/*
 * Bytes of the RAM block the kernel keeps for itself at load time: exact
 * when mem_start + mem_len is 8-aligned, up to 7 bytes more otherwise.
 */
/*@ assigns \nothing; */
size_t proc_kernel_overhead(void);

static inline struct proc_id proc_id(const struct proc *p)
{
	struct proc_id id = { .gen = p->gen, .slot = p->slot };
	return id;
}

/*
 * The process an id names, or NULL when the id is empty, out of range, or
 * stale (the slot was freed, reused or restarted since).  Faulted and
 * terminated processes still resolve while they hold their slot.
 */
struct proc *proc_get(struct proc_id id);

/*
 * Unstarted, runnable, yielded (incl. waiting-for) or stopped: may receive
 * upcalls, grants, allows.  Faulted, terminated and free slots are not.
 */
/*@ requires \valid_read(p);
    assigns \nothing; */
bool proc_alive(const struct proc *p);

/* proc_alive(), inline: for a hot path (IPC's notification). */
static inline bool proc_alive_inline(const struct proc *p)
{
	_Static_assert(PROC_UNSTARTED == 1 && PROC_RUNNABLE == 2 &&
			       PROC_YIELDED == 3 && PROC_YIELDED_FOR == 4 &&
			       PROC_STOPPED == 5,
		       "the alive states are 1-5");
	return (unsigned)p->state - PROC_UNSTARTED <= PROC_STOPPED - 1u;
}

/*
 * Memop brk: move app_break to new_break.  Refused with KERR_NOMEM when the
 * process is not alive, new_break < allow_hwm, new_break >= mem_end,
 * align_up(new_break) > kernel_break, or the hardware cannot express the new
 * RAM region.  Growing zeroes [old break, align_up(new break)), all the
 * new record reaches.  Updates regions[].
 */
/*@ requires \valid(p) && proc_layout(p);
    requires in_table(p) && procs_ok;
    assigns p->app_break, p->regions[0 .. PROC_REGIONS - 1], p->mpu_epoch;
    ensures proc_layout(p);
    ensures procs_ok;
    ensures \result == KERR_OK ==> p->app_break == new_break;
    ensures \result != KERR_OK ==> p->app_break == \old(p->app_break); */
enum kerr proc_brk(struct proc *p, uintptr_t new_break)
	__attribute__((warn_unused_result));

/* Memop sbrk: brk(app_break + inc) (wrapping), *old = previous break. */
/*@ requires \valid(p) && proc_layout(p);
    requires in_table(p) && procs_ok;
    requires \valid(old) && \separated(old, p);
    assigns p->app_break, p->regions[0 .. PROC_REGIONS - 1], p->mpu_epoch,
            *old;
    ensures proc_layout(p);
    ensures \result == KERR_OK ==> *old == \old(p->app_break); */
enum kerr proc_sbrk(struct proc *p, intptr_t inc, uintptr_t *old)
	__attribute__((warn_unused_result));

/*
 * Raise the allow high-water mark to at least end (doc/abi.md §6.2), the
 * end of a buffer below the break.
 */
/*@ requires \valid(p) && proc_layout(p) && end <= p->app_break;
    assigns p->allow_hwm;
    ensures proc_layout(p);
    ensures p->allow_hwm == (end > \old(p->allow_hwm) ?
                             end : \old(p->allow_hwm));
    behavior table: // check_claim() (pbuf.c) needs no more than the above
      assumes in_table(p) && procs_ok;
      ensures procs_ok; */
void proc_raise_allow_mark(struct proc *p, uintptr_t end);

/*
 * Carve size bytes, aligned to align (a power of two), from the grant region
 * by lowering kernel_break.  KERR_NOMEM when it would cross
 * align_up(app_break) or wrap.  The memory is zeroed.
 */
/*@ requires \valid(p) && proc_layout(p);
    requires align != 0 && (align & (align - 1)) == 0;
    requires \valid(out) && \separated(out, p);
    assigns p->kernel_break, *out;
    ensures proc_layout(p);
    ensures \result == KERR_OK ==>
        p->kernel_break + size <= \old(p->kernel_break);
    ensures \result == KERR_OK ==> *out == (void *)p->kernel_break;
    ensures \result != KERR_OK ==>
        p->kernel_break == \old(p->kernel_break);
    behavior table: // alloc_at() (grant.c) needs no more than the above
      assumes in_table(p) && procs_ok;
      ensures procs_ok; */
enum kerr proc_kernel_alloc(struct proc *p, size_t size, size_t align,
			    void **out) __attribute__((warn_unused_result));

/*
 * Exit-terminate: drop queued upcalls and every grant (and with them every
 * upcall and allow slot), reclaim the grant region, zero [mem_start,
 * kernel_break_init), store code, state PROC_TERMINATED.  The generation
 * is kept (doc/abi.md §6.7): the RAM stays
 * reserved for this slot.
 */
/*@ requires \valid(p) && in_table(p) && proc_layout(p);
    requires p->state != PROC_FREE;
    requires procs_ok;
    assigns p->kernel_break, p->exit_code, p->state;
    ensures proc_layout(p);
    ensures procs_ok;
    ensures p->state == PROC_TERMINATED;
    ensures p->kernel_break == p->kernel_break_init; */
void proc_terminate(struct proc *p, uint32_t code);

/*
 * Terminate then reset as a new incarnation: new generation, app_break =
 * allow_hwm = mem_start, kernel_break = kernel_break_init, regions rebuilt,
 * registers cleared, entry call queued, restart_count + 1.
 * KERR_FAIL if the slot's generations are exhausted (slot retired, process
 * left terminated).
 */
enum kerr proc_restart(struct proc *p) __attribute__((warn_unused_result));

/*
 * The Stop fault policy: terminate's clean-up (queue, grants, grant region,
 * the wipe; the generation is kept), then state PROC_FAULTED.
 */
/*@ requires \valid(p) && in_table(p) && proc_layout(p);
    requires p->state != PROC_FREE;
    requires procs_ok;
    assigns p->kernel_break, p->state;
    ensures proc_layout(p);
    ensures procs_ok;
    ensures p->state == PROC_FAULTED;
    ensures p->kernel_break == p->kernel_break_init; */
void proc_mark_faulted(struct proc *p);

/*
 * Does [addr, addr + len) lie inside one of p's current protection records
 * that grants every bit of perm?  len 0 is never "inside".  Overflow-safe.
 */
/*@ // record r grants every bit of perm and holds [addr, addr + len)
    predicate rec_allows(struct mpu_region r, integer addr, integer len,
                         integer perm) =
        (r.perm & perm) == perm &&
        r.base <= addr && addr + len <= r.base + r.size;

    predicate region_allows{L}(struct proc *p, integer addr, integer len,
                               integer perm) =
        len >= 1 && \exists integer i; 0 <= i < PROC_REGIONS &&
            rec_allows(p->regions[i], addr, len, perm);
*/
/*@ requires \valid_read(p);
    assigns \nothing;
    ensures \result <==> region_allows(p, addr, len, perm); */
static inline bool proc_region_allows(const struct proc *p, uintptr_t addr,
				      size_t len, uint32_t perm)
{
	if (len == 0)
		return false;
	/*@ loop invariant 0 <= i <= PROC_REGIONS;
	    loop invariant \forall integer j; 0 <= j < i ==>
	        !rec_allows(p->regions[j], addr, len, perm);
	    loop assigns i;
	    loop variant PROC_REGIONS - i; */
	for (unsigned i = 0; i < PROC_REGIONS; i++) {
		const struct mpu_region *r = &p->regions[i];

		if ((r->perm & perm) != perm || addr < r->base)
			continue;
		/* addr >= base, so addr - base cannot wrap */
		if (len <= r->size && addr - r->base <= r->size - len)
			return true;
	}
	return false;
}

/* Debug builds: KASSERT every invariant listed above. */
/*@ requires \valid_read(p) && proc_layout(p);
    assigns \nothing; */
void proc_check(const struct proc *p);

#if defined(HOST_TEST)
/*
 * Tests only: free the slot (its RAM may be reused afterwards).  Every id
 * of the slot goes stale: the next process there gets a higher
 * generation.  The kernel never frees a slot: a process that ends keeps
 * its slot, and its RAM, until it restarts.
 */
void proc_free(struct proc *p);

/*
 * Tests only: pretend the slot has already used this many generations (the
 * current incarnation, if any, takes gen as its id).  gen != 0.
 */
void proc_test_set_gen(struct proc *p, proc_gen_t gen);
#endif
