// SPDX-License-Identifier: MIT
/*
 * Round-robin scheduling over the process table; see sched.h.  This file
 * decides who runs next; syscall.c decides what a blocked process needs to
 * run again (syscall_resume()).
 */
#include "kernel/sched.h"

#include <stdint.h>

#include "kernel/driver.h"
#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/proc/proc.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "tern_config.h"

_Static_assert(PROC_MAX <= 32, "scheduler masks are 32 bits wide");

/* One struct, so that the code reaches all three from one base address. */
struct sched_masks sched_masks;

/* sched_masks.after once the slot of `bit` (one bit set) was returned. */
static inline uint32_t after(uint32_t bit)
{
	return -(bit << 1); /* bits above bit's; 0 for bit 31 */
}

void sched_init(void)
{
	sched_masks.ready = 0;
	sched_masks.pending = 0;
	sched_masks.after = ~0u;
}

#if CONFIG_PROCESS_CONSOLE
uint32_t sched_slices;

void sched_stop(struct proc *p)
{
	p->stopped_from = p->state;
	p->state = PROC_STOPPED;
}

void sched_start(struct proc *p)
{
	p->state = p->stopped_from;
	sched_notify(p);
}
#endif

void sched_notify(struct proc *p)
{
	uint32_t bit = 1u << p->slot;

	/*
	 * A process blocked in a yield takes what just arrived at once,
	 * while it is at hand: its upcall starts, or its Yield-WaitFor
	 * returns, exactly as if the scheduler resumed it when its turn came
	 * (nothing the process could see happens in between: only the
	 * process itself can subscribe again, and it is blocked).  A switch
	 * to it then only picks it.  If what arrived is not what it waits
	 * for, it stays blocked, as it would at its turn.  An unstarted
	 * process is left to its turn: a restart from its own exit call must
	 * stay PROC_UNSTARTED until then (kernel/syscall.h).
	 */
	if (p->state == PROC_YIELDED || p->state == PROC_YIELDED_FOR) {
		if (syscall_resume(p))
			sched_masks.ready |= bit;
		return;
	}
	sched_masks.pending |= bit;
}

#if CONFIG_IPC
bool sched_take_now(struct proc *p, const struct task *t)
{
	/* ready, as sched_notify() after a resume */
	return syscall_take_now(p, t, &sched_masks.ready);
}
#endif

/*
 * Index of bit, which has exactly one bit set (a slot's, so below
 * PROC_MAX).  Up to 4 slots (the default, and the HiFive1) two shifts tell
 * them apart.  Beyond, without a count-trailing-zeros instruction (rv32imac
 * has none) GCC calls a libgcc loop; multiplying by a de Bruijn sequence
 * puts a distinct 5-bit pattern in the top bits for each of the 32
 * positions instead.
 */
static unsigned bit_index(uint32_t bit)
{
#if PROC_MAX <= 4
	/* 1, 2, 4, 8 -> 0, 1, 2, 3: three instructions, no table */
	return (bit >> 1) - (bit >> 3);
#elif defined(__riscv_zbb) || !defined(__riscv)
	return (unsigned)__builtin_ctz(bit);
#else
	static const uint8_t pos[32] = {
		0,  1,  28, 2,  29, 14, 24, 3,  30, 22, 20,
		15, 25, 17, 4,  8,  31, 27, 13, 23, 21, 19,
		16, 7,  26, 12, 18, 6,  11, 5,  10, 9,
	};

	return pos[(bit * 0x077cb531u) >> 27];
#endif
}

/*
 * The candidate p (slot bit) is not runnable: resume it if something was
 * queued for it since it blocked, else drop it from the masks and go on.
 * sched_next() and this call each other in tail position, so neither needs
 * a loop that keeps registers across syscall_resume(); every round clears
 * p's pending bit or returns, so the rounds end.
 */
static __attribute__((noinline)) struct proc *resume_or_skip(struct proc *p,
							     uint32_t bit)
{
	if (sched_masks.pending & bit)
		syscall_resume(p);
	sched_masks.pending &= ~bit;
	if (p->state == PROC_RUNNABLE) {
		sched_masks.ready |= bit;
		sched_masks.after = after(bit);
		return p;
	}
	sched_masks.ready &= ~bit;
	return sched_next();
}

/* sched_next()'s body, inline in sched_switch() too. */
static inline struct proc *pick(void)
{
	uint32_t cand = sched_masks.ready | sched_masks.pending;
	/* round robin: after the last one */
	uint32_t m = cand & sched_masks.after;
	struct proc *p;
	uint32_t bit;

	if (cand == 0)
		return NULL;
	if (m == 0)
		m = cand; /* wrap */
	bit = m & -m;
	p = &proc_table[bit_index(bit)];
	if (p->state != PROC_RUNNABLE)
		return resume_or_skip(p, bit);
	sched_masks.pending &= ~bit;
	sched_masks.ready |= bit;
	sched_masks.after = after(bit);
	return p;
}

struct proc *sched_next(void)
{
	return pick();
}

bool sched_any_alive(void)
{
	for (unsigned i = 0; i < PROC_MAX; i++)
		if (proc_alive(&proc_table[i]))
			return true;
	return false;
}

/*
 * Never inlined into its caller (the fast path's yield, with link-time
 * optimisation on the HiFive1): there the caller would have to keep from
 * in a saved register for every yield, not only the blocking ones.
 */
__attribute__((noinline)) struct syscall_outcome
sched_switch(struct proc *from)
{
	struct proc *q;

	driver_service_all();
	q = pick();
	if (q == NULL)
		return syscall_out(SYSCALL_BLOCKED, from);
	if (q == from)
		return syscall_out(SYSCALL_UPCALL, from);
	timer_slice_renew(CONFIG_TIMESLICE_US);
	mpu_load(q);
	return syscall_out(SYSCALL_SWITCH, q);
}
