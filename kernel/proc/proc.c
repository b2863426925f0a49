// SPDX-License-Identifier: MIT
/*
 * The process table: creation, identity, memory layout and lifecycle of every
 * process (doc/abi.md §7.2, §8).
 *
 * This file owns the layout fields of struct proc and is the only code that
 * moves app_break, kernel_break or allow_hwm, or rewrites regions[].  Every
 * mutator checks first and commits only when nothing can fail any more, then
 * ends with proc_check().  It never touches a driver's grant contents
 * (grant.c) or the queue's entries (upcall.c); it only tells them to forget
 * everything on terminate and restart.
 *
 * Design notes:
 *   - Generations live in slot_gen[], apart from the table, so that freeing a
 *     slot (which wipes its struct proc) cannot rewind them.  slot_gen[s] is
 *     the last generation handed out in slot s; PROC_GEN_MAX there means the
 *     slot is retired.
 *   - mpu_epoch is never reset by create or free either: the scheduler may
 *     compare (proc, epoch) with what it loaded last, and a new process in the
 *     same slot must not look like the old one.
 *   - The kernel-owned top of the RAM block is, from mem_end down: the grant
 *     pointer table, the upcall queue, then the protection backend's
 *     state (mpu_state_size() bytes, maybe none), each starting 8-aligned;
 *     the lowest is kernel_break_init.  Every change of regions[] is
 *     followed at once by mpu_configure(), which derives that state.
 */
#include "kernel/proc/proc.h"

#include <string.h>

#include "kernel/driver.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "kernel/proc/expo.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/upcall.h"

struct proc proc_table[PROC_MAX];

/* Last generation handed out per slot; PROC_GEN_MAX: slot retired. */
static proc_gen_t slot_gen[PROC_MAX];

/*
 * The kernel RAM one process slot costs on a PMP board, its "fixed kernel
 * RAM per process": its struct proc and its generation counter, the only
 * per-slot state there is (the process's name stays in its TBF, its PMP
 * register values in the kernel-owned top of its RAM block; an Sv39 board
 * adds its page tables).  Held to 256 bytes on rv32.
 */
#if UINTPTR_MAX == UINT32_MAX
_Static_assert(sizeof(struct proc) + sizeof(slot_gen[0]) <= 256,
	       "fixed kernel RAM per process over its 256-byte budget");
#endif

/* The next struct proc.app_id (doc/abi.md §8.1 identifier). */
static uint32_t next_app_id;

/* Alignment of every object in the kernel-owned top of the RAM block. */
#define TOP_ALIGN 8u
/* GCC's spelling of _Alignof: Frama-C 25 (./tern prove) parses only it */
_Static_assert(__alignof__(struct upcall_queue) <= TOP_ALIGN,
	       "queue alignment");
_Static_assert(__alignof__(void *) <= TOP_ALIGN, "grant table alignment");

/*
 * x rounded down (up) to a multiple of a, a power of two.  Written as a
 * division and product rather than a mask, whose order facts the provers
 * cannot see (doc/proofs.md); a is a constant on every board, and the
 * compiler makes them the same mask.
 */
/*@ requires a >= 1;
    assigns \nothing;
    ensures \result == x / a * a;
    ensures \result <= x && x - \result < a; */
static inline uintptr_t align_down(uintptr_t x, size_t a)
{
	return x / a * a;
}

/*@ requires a >= 1 && x + (a - 1) <= UINTPTR_MAX;
    assigns \nothing;
    ensures \result == (x + (a - 1)) / a * a;
    ensures x <= \result < x + a; */
static inline uintptr_t align_up(uintptr_t x, size_t a)
{
	return align_down(x + (a - 1), a);
}

/*
 * An aligned x is its own round-up: restart puts the break back at
 * mem_start, which is granule-aligned (proved on the @lemma line).
 */
/*@ lemma align_up_exact: \forall integer x, a;
      0 <= x && 0 < a && x % a == 0 ==> (x + (a - 1)) / a * a == x; */

/*
 * The table's invariant, procs_ok (proc.h), across a function that writes
 * only slot s: every other slot reads the same, so it is enough that s
 * has its layout again, and its block keeps the others apart if it is
 * unchanged.  Proved on the @lemma line; each function proves
 * others_same{Pre, Here}(p->slot) (restart step by step: others_same is
 * transitive).
 */
/*@ lemma slot_layout_frame{L1, L2}: \forall integer i;
      same_layout{L1, L2}(i) ==> slot_layout{L1}(i) ==> slot_layout{L2}(i);

    lemma slot_layout_kept{L1, L2}: \forall integer s, i; 0 <= i < PROC_MAX ==>
      procs_layout{L1} ==> others_same{L1, L2}(s) ==> slot_layout{L2}(s) ==>
      slot_layout{L2}(i);

    lemma procs_layout_frame{L1, L2}: \forall integer s;
      procs_layout{L1} ==> others_same{L1, L2}(s) ==> slot_layout{L2}(s) ==>
      procs_layout{L2};

    lemma slots_apart_kept{L1, L2}: \forall integer i, j;
      same_block{L1, L2}(i) ==> same_block{L1, L2}(j) ==>
      slots_apart{L1}(i, j) ==> slots_apart{L2}(i, j);

    lemma procs_apart_kept{L1, L2}: procs_apart{L1} ==>
      (\forall integer i; 0 <= i < PROC_MAX ==> same_block{L1, L2}(i)) ==>
      procs_apart{L2};

    lemma blocks_kept{L1, L2}: \forall integer s, i; 0 <= i < PROC_MAX ==>
      others_same{L1, L2}(s) ==> same_block{L1, L2}(s) ==>
      same_block{L1, L2}(i);

    lemma others_same_trans{L1, L2, L3}: \forall integer s;
      others_same{L1, L2}(s) ==> others_same{L2, L3}(s) ==>
      others_same{L1, L3}(s);

    // The two together, for a function that keeps slot s's block.
    lemma procs_ok_kept{L1, L2}: \forall integer s;
      procs_ok{L1} ==> others_same{L1, L2}(s) ==> same_block{L1, L2}(s) ==>
      slot_layout{L2}(s) ==> procs_ok{L2}; */

/*@ assigns \nothing; */
static size_t table_bytes(void)
{
	return align_up(driver_count * sizeof(void *), TOP_ALIGN);
}

/*@ assigns \nothing; */
static size_t queue_bytes(void)
{
	return align_up(sizeof(struct upcall_queue), TOP_ALIGN);
}

/* The backend's state, then (CONFIG_IPC) the exposure records. */
static size_t state_bytes(void)
{
#if CONFIG_IPC
	return align_up(mpu_state_size(), TOP_ALIGN) +
	       align_up(sizeof(struct proc_expos), TOP_ALIGN);
#else
	return align_up(mpu_state_size(), TOP_ALIGN);
#endif
}

#if CONFIG_IPC
struct proc_expos *proc_expos(const struct proc *p)
{
	return (struct proc_expos *)(p->kernel_break_init +
				     align_up(mpu_state_size(), TOP_ALIGN));
}
#endif

size_t proc_kernel_overhead(void)
{
	/* exact for an 8-aligned mem_end; up to 7 bytes more otherwise */
	return table_bytes() + queue_bytes() + state_bytes();
}

/*
 * The protection records of a process with flash [flash_start, flash_end),
 * RAM from mem_start and this break.  The RAM record ends at the break
 * rounded up to the protection granule; proc_check() keeps that rounded
 * end at or below kernel_break.
 */
/*@ requires \valid(r + (0 .. PROC_REGIONS - 1));
    requires app_break + (granule - 1) <= UINTPTR_MAX;
    assigns r[0 .. PROC_REGIONS - 1]; */
static void regions_derive(uintptr_t flash_start, uintptr_t flash_end,
			   uintptr_t mem_start, uintptr_t app_break,
			   struct mpu_region r[PROC_REGIONS])
{
	r[PROC_REGION_FLASH] = (struct mpu_region){
		.base = flash_start,
		.size = flash_end - flash_start,
		.perm = PROC_REGION_FLASH_PERM,
	};
	r[PROC_REGION_RAM] = (struct mpu_region){
		.base = mem_start,
		.size = align_up(app_break, mpu_granule()) - mem_start,
		.perm = PROC_REGION_RAM_PERM,
	};
}

/* The records p gets with this break. */
/*@ requires \valid_read(p) && \valid(r + (0 .. PROC_REGIONS - 1));
    requires app_break + (granule - 1) <= UINTPTR_MAX;
    assigns r[0 .. PROC_REGIONS - 1]; */
static void regions_compute(const struct proc *p, uintptr_t app_break,
			    struct mpu_region r[PROC_REGIONS])
{
	regions_derive(p->flash_start, p->flash_end, p->mem_start, app_break,
		       r);
}

/*@ requires \valid_read(a + (0 .. PROC_REGIONS - 1));
    requires \valid_read(b + (0 .. PROC_REGIONS - 1));
    assigns \nothing; */
static bool regions_equal(const struct mpu_region *a,
			  const struct mpu_region *b)
{
	/*@ loop invariant 0 <= i <= PROC_REGIONS;
	    loop assigns i;
	    loop variant PROC_REGIONS - i; */
	for (unsigned i = 0; i < PROC_REGIONS; i++)
		if (a[i].base != b[i].base || a[i].size != b[i].size ||
		    a[i].perm != b[i].perm)
			return false;
	return true;
}

/*
 * Install records mpu_fits() accepted: the one way regions[] changes.  The
 * epoch tells mpu_load() the hardware is behind; mpu_configure() brings
 * the backend's state up to date first.
 */
/*@ requires \valid(p) && \valid_read(r + (0 .. PROC_REGIONS - 1));
    assigns p->regions[0 .. PROC_REGIONS - 1], p->mpu_epoch; */
static void regions_install(struct proc *p, const struct mpu_region *r)
{
	memcpy(p->regions, r, sizeof(p->regions));
	p->mpu_epoch++;
	mpu_configure(p);
}

/* Commit new records (already accepted by mpu_fits()). */
/*@ requires \valid(p) && \valid_read(r + (0 .. PROC_REGIONS - 1));
    requires \separated(r + (0 .. PROC_REGIONS - 1), p);
    assigns p->regions[0 .. PROC_REGIONS - 1], p->mpu_epoch; */
static void regions_set(struct proc *p, const struct mpu_region *r)
{
	if (!regions_equal(p->regions, r))
		regions_install(p, r);
}

/*
 * Wipe a slot's struct proc, keeping what must survive reuse.  Its body is
 * a memset(), which WP cannot follow into the fields: the contract is
 * assumed (doc/proofs.md), test_proc.c checks it.
 */
/*@ requires \valid(p);
    assigns *p;
    ensures p->slot == \old(p->slot) && p->state == PROC_FREE; */
static void slot_wipe(struct proc *p)
{
	uint8_t slot = p->slot;
	uint32_t epoch = p->mpu_epoch;
#if CONFIG_PROCESS_CONSOLE
	uint32_t calls = p->syscalls; /* the slot's, since boot */
#endif

	memset(p, 0, sizeof(*p));
	p->slot = slot;
	p->mpu_epoch = epoch;
#if CONFIG_PROCESS_CONSOLE
	p->syscalls = calls;
#endif
}

void proc_table_init(void)
{
	memset(proc_table, 0, sizeof(proc_table));
	memset(slot_gen, 0, sizeof(slot_gen));
	next_app_id = 0;
	for (unsigned i = 0; i < PROC_MAX; i++)
		proc_table[i].slot = (uint8_t)i;
#if CONFIG_IPC
	proc_expo_live = 0;
#endif
}

/*
 * Queue the entry call (doc/abi.md §3.2).  The queue has just been emptied and
 * the process is alive, so the push cannot fail.  The 32-bit args hold
 * addresses: the boards' RAM and flash lie below 4 GiB.
 */
/*@ requires \valid(p);
    assigns \nothing; */
static void queue_entry(struct proc *p)
{
	struct task t = {
		.kind = TASK_ENTRY,
		.fn = p->entry,
		.userdata = p->app_break,
		.arg = { (uint32_t)p->app_flash, (uint32_t)p->mem_start,
			 (uint32_t)(p->mem_end - p->mem_start) },
	};
	enum kerr rc = upcall_push(p, &t);

	KASSERT(rc == KERR_OK);
	(void)rc;
}

/*@ requires \valid_read(img);
    assigns \nothing; */
static enum kerr image_check(const struct proc_image *img)
{
	if (img->flash_size == 0 ||
	    img->flash_start > UINTPTR_MAX - img->flash_size)
		return KERR_INVAL;
	if (img->protected_size > img->flash_size)
		return KERR_INVAL;
	/* the entry point must be code the process owns, past the header */
	if (img->entry < img->flash_start + img->protected_size ||
	    img->entry >= img->flash_start + img->flash_size)
		return KERR_INVAL;
	return KERR_OK;
}

/*
 * The next generation of a slot: one more than any it has had, or 0 when
 * the slot is retired (its counter at PROC_GEN_MAX, which is never
 * wrapped).  The one place a generation is made.
 */
/*@ requires slot < PROC_MAX;
    assigns slot_gen[slot];
    behavior retired:
      assumes slot_gen[slot] == PROC_GEN_MAX;
      ensures \result == 0 && slot_gen[slot] == PROC_GEN_MAX;
    behavior fresh:
      assumes slot_gen[slot] < PROC_GEN_MAX;
      ensures \result == \old(slot_gen[slot]) + 1 && \result != 0;
      ensures slot_gen[slot] == \result;
    complete behaviors;
    disjoint behaviors; */
static proc_gen_t gen_next(unsigned slot)
{
	if (slot_gen[slot] == PROC_GEN_MAX)
		return 0;
	return ++slot_gen[slot];
}

/*@ assigns \nothing;
    ensures \result == \null ||
        (\exists integer i; 0 <= i < PROC_MAX && \result == &proc_table[i] &&
            proc_table[i].state == PROC_FREE &&
            slot_gen[i] < PROC_GEN_MAX); */
static struct proc *free_slot(void)
{
	/*@ loop invariant 0 <= i <= PROC_MAX;
	    loop assigns i;
	    loop variant PROC_MAX - i; */
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (proc_table[i].state == PROC_FREE &&
		    slot_gen[i] < PROC_GEN_MAX)
			return &proc_table[i];
	return NULL;
}

/*
 * Zero [from, to) of a RAM block's kernel-owned part.  Like user_zero(),
 * bytes of no C object of the kernel: to the prover this writes nothing.
 */
/*@ assigns \nothing; */
static void block_zero(uintptr_t from, uintptr_t to)
{
	memset((void *)from, 0, to - from);
}

/*
 * Does [lo, hi) share no byte with the block of any slot in use?  The
 * loader places blocks one after another (loader.c's cursor); proc_create()
 * KASSERTs this, its precondition.
 */
/*@ assigns \nothing;
    ensures \result <==> block_unused(lo, hi); */
static inline bool ram_unused(uintptr_t lo, uintptr_t hi)
{
	/*@ loop invariant 0 <= i <= PROC_MAX;
	    loop invariant \forall integer k; 0 <= k < i &&
	        proc_table[k].state != PROC_FREE ==>
	        hi <= proc_table[k].mem_start || proc_table[k].mem_end <= lo;
	    loop assigns i;
	    loop variant PROC_MAX - i; */
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (proc_table[i].state != PROC_FREE &&
		    hi > proc_table[i].mem_start && proc_table[i].mem_end > lo)
			return false;
	return true;
}

/*
 * Fill a wiped slot with a new process: its image, its RAM block
 * [mem_start, mem_end) with the kernel-owned top from state_at (the grant
 * table at table_at, the queue at queue_at), the break and the allow mark
 * at mem_start, and the records r, which mpu_fits() accepted.  A function
 * of its own so that the proof of the layout sees only p (doc/proofs.md).
 */
/*@ requires \valid(p) && \valid_read(img);
    requires \valid_read(r + (0 .. PROC_REGIONS - 1));
    requires 0 < granule && mem_start % granule == 0;
    requires mem_start <= state_at <= mem_end;
    requires mem_end <= UINTPTR_MAX - (granule - 1);
    assigns p->flash_start, p->flash_end, p->app_flash, p->entry, p->name,
            p->name_len, p->mem_start, p->mem_end, p->app_break,
            p->allow_hwm, p->kernel_break_init, p->kernel_break, p->grants,
            p->queue, p->regions[0 .. PROC_REGIONS - 1], p->mpu_epoch,
            p->state;
    ensures proc_layout(p) && p->state == PROC_UNSTARTED;
    ensures p->mem_start == mem_start && p->mem_end == mem_end; */
static void slot_fill(struct proc *p, const struct proc_image *img,
		      uintptr_t mem_start, uintptr_t mem_end,
		      uintptr_t state_at, uintptr_t table_at,
		      uintptr_t queue_at, const struct mpu_region *r)
{
	/* img is read first: to the prover it might share p's memory */
	p->flash_start = img->flash_start;
	p->flash_end = img->flash_start + img->flash_size;
	p->app_flash = img->flash_start + img->protected_size;
	p->entry = img->entry;
	p->name = img->name;
	p->name_len = img->name_len;
	p->mem_start = mem_start;
	p->mem_end = mem_end;
	p->app_break = mem_start;
	p->allow_hwm = mem_start;
	p->kernel_break_init = state_at;
	p->kernel_break = state_at;
	p->grants = (void **)table_at;
	block_zero(table_at, table_at + driver_count * sizeof(void *));
	p->queue = (struct upcall_queue *)queue_at;
#if CONFIG_IPC
	memset(proc_expos(p), 0, sizeof(struct proc_expos));
#endif
	regions_install(p, r);
	p->state = PROC_UNSTARTED;
}

/*
 * The contract is here, not on the prototype: it names proc.c's statics.
 * The new block must meet no block in use (the loader's duty, checked by
 * a KASSERT); the new process has the layout invariant, and its block is
 * apart from that of every other slot in use.
 */
/*@ requires \valid_read(img) && \valid(out);
    requires procs_named;
    requires block_unused(mem_start, mem_start + mem_len);
    assigns proc_table[0 .. PROC_MAX - 1], slot_gen[0 .. PROC_MAX - 1],
            next_app_id, *out;
    ensures \result == KERR_OK ==> \valid(*out) && in_table(*out) &&
        proc_layout(*out) && (*out)->state == PROC_UNSTARTED &&
        (*out)->mem_start % granule == 0 &&
        (*out)->mem_start == mem_start &&
        (*out)->mem_end == mem_start + mem_len;
    ensures \result == KERR_OK ==> \forall integer i; 0 <= i < PROC_MAX &&
        &proc_table[i] != *out && \old(proc_table[i].state) != PROC_FREE ==>
        (*out)->mem_end <= \old(proc_table[i].mem_start) ||
        \old(proc_table[i].mem_end) <= (*out)->mem_start; */
enum kerr proc_create(const struct proc_image *img, uintptr_t mem_start,
		      size_t mem_len, struct proc **out)
{
	size_t gran = mpu_granule();
	uintptr_t mem_end, top, queue_at, table_at, state_at;
	size_t over;
	struct mpu_region r[PROC_REGIONS];
	struct proc *p;
	enum kerr rc;

	/* check */
	rc = image_check(img);
	if (rc != KERR_OK)
		return rc;
	if (mem_start % gran != 0)
		return KERR_INVAL;
	/* mem_end and its granule round-up must both be representable */
	if (mem_start > UINTPTR_MAX - mem_len ||
	    mem_start + mem_len > UINTPTR_MAX - (gran - 1))
		return KERR_INVAL;
	if (CONFIG_PROC_RAM_MAX != 0 && mem_len > (size_t)CONFIG_PROC_RAM_MAX)
		return KERR_NOMEM;
	mem_end = mem_start + mem_len;
	KASSERT(ram_unused(mem_start, mem_end));
	top = align_down(mem_end, TOP_ALIGN);
	over = proc_kernel_overhead();
	if (top < mem_start || top - mem_start < over)
		return KERR_NOMEM;
	table_at = top - table_bytes();
	queue_at = table_at - queue_bytes();
	state_at = top - over; /* = queue_at - state_bytes() */

	regions_derive(img->flash_start, img->flash_start + img->flash_size,
		       mem_start, mem_start, r);
	if (!mpu_fits(r, PROC_REGIONS))
		return KERR_SIZE;

	p = free_slot();
	if (p == NULL)
		return KERR_NOMEM;

	/* commit: nothing below can fail */
	slot_wipe(p);
	p->gen = gen_next(p->slot); /* free_slot(): not retired, never 0 */
	p->app_id = next_app_id++;
	slot_fill(p, img, mem_start, mem_end, state_at, table_at, queue_at, r);
	upcall_clear(p);
	queue_entry(p);
	proc_check(p);
	*out = p;
	return KERR_OK;
}

void proc_print_name(const struct proc *p)
{
	mpu_user_access_begin(p);
	kprintf(PROC_NAME_FMT, PROC_NAME_ARGS(p->name, p->name_len));
	mpu_user_access_end();
}

struct proc *proc_get(struct proc_id id)
{
	struct proc *p;

	if (id.gen == 0 || id.slot >= PROC_MAX)
		return NULL;
	p = &proc_table[id.slot];
	if (p->state == PROC_FREE || p->gen != id.gen)
		return NULL;
	return p;
}

bool proc_alive(const struct proc *p)
{
	switch (p->state) {
	case PROC_UNSTARTED:
	case PROC_RUNNABLE:
	case PROC_YIELDED:
	case PROC_YIELDED_FOR:
	case PROC_STOPPED:
		return true;
	default:
		return false;
	}
}

/*
 * Zero [from, to) of p's memory, reached the way the kernel reaches
 * process memory (between mpu_user_access_begin() and _end()).  Those
 * bytes belong to the process, not to any object of the kernel's: to the
 * prover this writes nothing (an assumption, doc/proofs.md).
 */
/*@ assigns \nothing; */
static void user_zero(const struct proc *p, uintptr_t from, uintptr_t to)
{
	mpu_user_access_begin(p);
	memset((void *)from, 0, to - from);
	mpu_user_access_end();
}

enum kerr proc_brk(struct proc *p, uintptr_t new_break)
{
	struct mpu_region r[PROC_REGIONS];
	uintptr_t old = p->app_break;

	/* check; new_break <= kernel_break < mem_end keeps align_up exact */
	if (!proc_alive(p))
		return KERR_NOMEM;
	if (new_break < p->allow_hwm || new_break >= p->mem_end)
		return KERR_NOMEM;
	if (new_break > p->kernel_break ||
	    align_up(new_break, mpu_granule()) > p->kernel_break)
		return KERR_NOMEM;
	regions_compute(p, new_break, r);
	if (!mpu_fits(r, PROC_REGIONS))
		return KERR_NOMEM;

	/*
	 * commit: memory the process regains reads as zero (doc/abi.md §8.6), up
	 * to where its record now ends: the granule's rounding (a page on
	 * Sv39) is as reachable as the bytes below the break.  The rounding
	 * stays below kernel_break (checked above).
	 */
	if (new_break > old)
		user_zero(p, old, align_up(new_break, mpu_granule()));
	p->app_break = new_break;
	regions_set(p, r);
	proc_check(p);
	//@ assert others_same{Pre, Here}(p->slot);
	//@ assert same_block{Pre, Here}(p->slot);
	//@ assert slot_layout(p->slot);
	return KERR_OK;
}

enum kerr proc_sbrk(struct proc *p, intptr_t inc, uintptr_t *old)
{
	uintptr_t prev = p->app_break;
	uintptr_t nb = prev + (uintptr_t)inc; /* may wrap; caught below */
	enum kerr rc;

	/* a wrapped sum would look like a small (or huge) absolute break */
	if ((inc > 0 && nb < prev) || (inc < 0 && nb > prev))
		return KERR_NOMEM;
	rc = proc_brk(p, nb);
	if (rc == KERR_OK)
		*old = prev;
	return rc;
}

void proc_raise_allow_mark(struct proc *p, uintptr_t end)
{
	/* every allow comes here: a mark already high enough changes nothing */
	if (end > p->allow_hwm) {
		p->allow_hwm = end;
		proc_check(p);
	}
	/*@ for table: assert others_same{Pre, Here}(p->slot) &&
	      same_block{Pre, Here}(p->slot) && slot_layout(p->slot); */
}

enum kerr proc_kernel_alloc(struct proc *p, size_t size, size_t align,
			    void **out)
{
	uintptr_t floor, nb;

	KASSERT(align != 0 && (align & (align - 1)) == 0);
	/* invariant: floor <= kernel_break, so the subtraction cannot wrap */
	floor = align_up(p->app_break, mpu_granule());
	if (size > p->kernel_break - floor)
		return KERR_NOMEM;
	nb = align_down(p->kernel_break - size, align);
	if (nb < floor)
		return KERR_NOMEM;

	/* commit */
	block_zero(nb, p->kernel_break);
	p->kernel_break = nb;
	*out = (void *)nb;
	proc_check(p);
	/*@ for table: assert others_same{Pre, Here}(p->slot) &&
	      same_block{Pre, Here}(p->slot) && slot_layout(p->slot); */
	return KERR_OK;
}

/*
 * What terminate, fault and restart share: tell the drivers, first, while
 * p's grants still say what it held (driver.h, proc_gone); forget all
 * kernel state of p, and wipe all of the block p could ever reach,
 * [mem_start, kernel_break_init): its data and, once the grants are
 * dropped, theirs, whatever the break is now.  Nothing of an incarnation outlives it in
 * RAM, whether the next one brk()s its way up or the slot is reused.
 */
/*@ requires \valid(p) && proc_layout(p) && p->state != PROC_FREE;
    assigns p->kernel_break;
    ensures proc_layout(p) && p->kernel_break == p->kernel_break_init; */
static void drop_kernel_state(struct proc *p)
{
	KASSERT(p->state != PROC_FREE);
	proc_expo_owner_gone(p);
	driver_proc_gone_all(p);
	upcall_clear(p);
	grant_drop_all(p);
	p->kernel_break = p->kernel_break_init;
	user_zero(p, p->mem_start, p->kernel_break_init);
}

void proc_terminate(struct proc *p, uint32_t code)
{
	drop_kernel_state(p);
	p->exit_code = code;
	p->state = PROC_TERMINATED;
	proc_check(p);
	//@ assert others_same{Pre, Here}(p->slot);
	//@ assert same_block{Pre, Here}(p->slot);
	//@ assert slot_layout(p->slot);
}

/*
 * Restart's layout: break and allow mark back at mem_start, and the
 * records rebuilt from scratch (doc/abi.md H3).  This is the layout
 * proc_create() had accepted, so the hardware can express it.  Its own
 * function, like regs_clear(), so that each proof step is small.
 */
/*@ requires \valid(p) && proc_layout(p) && in_table(p);
    requires 0 < granule && p->mem_start % granule == 0;
    assigns p->app_break, p->allow_hwm, p->regions[0 .. PROC_REGIONS - 1],
            p->mpu_epoch;
    ensures proc_layout(p);
    ensures others_same{Pre, Post}(p->slot);
    ensures p->app_break == p->mem_start && p->allow_hwm == p->mem_start; */
static void layout_reset(struct proc *p)
{
	struct mpu_region r[PROC_REGIONS];

	p->app_break = p->mem_start;
	p->allow_hwm = p->mem_start;
	/*@ assert (p->app_break + (granule - 1)) / granule * granule ==
	           p->app_break; */
	regions_compute(p, p->app_break, r);
	regions_install(p, r);
}

/* A new incarnation's registers: all zero. */
/*@ requires \valid(p) && proc_layout(p) && in_table(p);
    assigns p->ctx;
    ensures proc_layout(p);
    ensures others_same{Pre, Post}(p->slot); */
static void regs_clear(struct proc *p)
{
	p->ctx = (struct arch_ctx){ 0 };
}

/*
 * A new incarnation's identity, memop hints (zero) and state: ready for
 * its entry call.
 */
/*@ requires \valid(p) && in_table(p) && proc_layout(p);
    assigns p->gen, p->app_id, next_app_id, p->hint_stack, p->hint_heap,
            p->restart_count, p->state;
    ensures proc_layout(p);
    ensures others_same{Pre, Post}(p->slot);
    ensures p->state == PROC_UNSTARTED; */
static void incarnation_set(struct proc *p, proc_gen_t gen)
{
	p->gen = gen;
	p->app_id = next_app_id++;
	p->hint_stack = 0;
	p->hint_heap = 0;
	if (p->restart_count < UINT16_MAX)
		p->restart_count++;
	p->state = PROC_UNSTARTED;
}

/*
 * The contract is here, not on the prototype: it names proc.c's statics.
 * A restarted process has the layout create gave it: break and allow mark
 * back at mem_start, the whole grant region free.
 */
/*@ requires \valid(p) && in_table(p) && proc_layout(p) && procs_ok;
    requires p->state != PROC_FREE && p->mem_start % granule == 0;
    requires 4 <= granule <= 4096; // mpu_granule()'s, of its value
    assigns p->kernel_break, p->exit_code, p->state, p->app_break,
            p->allow_hwm, p->regions[0 .. PROC_REGIONS - 1], p->mpu_epoch,
            slot_gen[p->slot], p->gen, p->app_id, next_app_id, p->ctx,
            p->hint_stack, p->hint_heap, p->restart_count;
    ensures proc_layout(p);
    ensures p->kernel_break == p->kernel_break_init;
    ensures \result == KERR_OK ==> p->state == PROC_UNSTARTED &&
        p->app_break == p->mem_start && p->allow_hwm == p->mem_start;
    ensures \result != KERR_OK ==> p->state == PROC_TERMINATED;
    ensures procs_ok; */
enum kerr proc_restart(struct proc *p)
{
	proc_gen_t gen;

	proc_terminate(p, p->exit_code);
	gen = gen_next(p->slot);
	if (gen == 0)
		return KERR_FAIL; /* retired: no unused generation left */

	//@ assert others_same{Pre, Here}(p->slot);
	layout_reset(p);
	//@ assert others_same{Pre, Here}(p->slot);
	regs_clear(p);
	//@ assert others_same{Pre, Here}(p->slot);
	incarnation_set(p, gen);
	//@ assert others_same{Pre, Here}(p->slot);
	queue_entry(p);
	proc_check(p);
	/*@ assert in_table(p) && p->mem_start == \at(p->mem_start, Pre) &&
	      p->mem_end == \at(p->mem_end, Pre); */
	//@ assert same_block{Pre, Here}(p->slot);
	//@ assert slot_layout(p->slot);
	//@ assert others_same{Pre, Here}(p->slot);
	return KERR_OK;
}

void proc_mark_faulted(struct proc *p)
{
	drop_kernel_state(p);
	p->state = PROC_FAULTED;
	proc_check(p);
	//@ assert others_same{Pre, Here}(p->slot);
	//@ assert same_block{Pre, Here}(p->slot);
	//@ assert slot_layout(p->slot);
}

void proc_check(const struct proc *p)
{
	struct mpu_region r[PROC_REGIONS];
	uintptr_t table, queue;

	KASSERT(p >= proc_table && p < proc_table + PROC_MAX);
	KASSERT(p->slot == (uint8_t)(p - proc_table));
	if (p->state == PROC_FREE) {
		/* slot_wipe(): generation 0, no records (pbuf.c needs it) */
		KASSERT(p->gen == 0);
		for (unsigned i = 0; i < PROC_REGIONS; i++)
			KASSERT(p->regions[i].size == 0);
		return;
	}

	KASSERT(p->gen != 0 && p->gen <= slot_gen[p->slot]);
	KASSERT(p->state <= PROC_TERMINATED);
	KASSERT(p->mem_start % mpu_granule() == 0);
	KASSERT(p->mem_start <= p->allow_hwm);
	KASSERT(p->allow_hwm <= p->app_break);
	KASSERT(align_up(p->app_break, mpu_granule()) <= p->kernel_break);
	KASSERT(p->kernel_break <= p->kernel_break_init);
	KASSERT(p->kernel_break_init <= p->mem_end);
	KASSERT(p->flash_start <= p->app_flash && p->app_flash <= p->flash_end);

	/* the backend's state, the queue and the grant table sit between
	 * kernel_break_init and mem_end, in that order, and do not overlap */
	queue = (uintptr_t)p->queue;
	table = (uintptr_t)p->grants;
	KASSERT(queue == p->kernel_break_init + state_bytes());
	KASSERT(queue + sizeof(struct upcall_queue) <= table);
	KASSERT(table + driver_count * sizeof(void *) <= p->mem_end);
	KASSERT(p->queue->count <= UPCALL_QUEUE_LEN);
	KASSERT(p->queue->head < UPCALL_QUEUE_LEN);

	/* every grant lies inside the grant region */
	for (unsigned i = 0; i < driver_count; i++) {
		uintptr_t g = (uintptr_t)p->grants[i];

		KASSERT(g == 0 || (g >= p->kernel_break &&
				   g < p->kernel_break_init));
	}

	regions_compute(p, p->app_break, r);
	KASSERT(regions_equal(p->regions, r));
	/* what pbuf.c's RAM check relies on */
	KASSERT(p->regions[PROC_REGION_RAM].perm == PROC_REGION_RAM_PERM);
	for (unsigned i = 0; i < PROC_REGIONS; i++)
		KASSERT(p->regions[i].base <=
			UINTPTR_MAX - p->regions[i].size);
	proc_expo_check(p);
}

#if defined(HOST_TEST)
void proc_free(struct proc *p)
{
	drop_kernel_state(p);
	/* slot_gen[] keeps counting, so every id of this slot is now stale */
	slot_wipe(p);
}

void proc_test_set_gen(struct proc *p, proc_gen_t gen)
{
	KASSERT(gen != 0);
	slot_gen[p->slot] = gen;
	if (p->state != PROC_FREE)
		p->gen = gen;
}
#endif
