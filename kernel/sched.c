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

#ifndef SCHED_SWITCH_LINE
#define SCHED_SWITCH_LINE 1 /* kernel/meson.build sets it for the kernels */
#endif

_Static_assert(PROC_MAX <= 32, "scheduler masks are 32 bits wide");

/* One struct, so that the code reaches all three from one base address. */
struct sched_masks sched_masks;

/* sched_masks.after once the slot of `bit` (one bit set) was returned. */
static inline uint32_t after(uint32_t bit)
{
	return -(bit << 1); /* bits above bit's; 0 for bit 31 */
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
 * The process in the slot of bit, which has exactly one bit set (a
 * slot's, so below PROC_MAX).  Up to 4 slots (the default, and the
 * HiFive1) two shifts tell them apart.  Beyond, without a
 * count-trailing-zeros instruction (rv32imac has none) GCC calls a libgcc
 * loop; multiplying by a de Bruijn sequence puts a distinct 5-bit pattern
 * in the top bits for each of the 32 positions instead, and a table turns
 * the pattern into the slot's struct proc at once (a load instead of a
 * byte load and the multiply by sizeof(struct proc): yield-switch on
 * qemu-virt-rv32, 8 slots, 5 instructions fewer).
 */
static inline struct proc *bit_proc(uint32_t bit)
{
#if PROC_MAX <= 4
	/* 1, 2, 4, 8 -> 0, 1, 2, 3: three instructions, no table */
	return &proc_table[(bit >> 1) - (bit >> 3)];
#elif defined(__riscv_zbb) || !defined(__riscv)
	return &proc_table[__builtin_ctz(bit)];
#else
	/* the slot at each pattern; the patterns of absent slots never occur */
#define P(i) ((i) < PROC_MAX ? &proc_table[(i) % PROC_MAX] : NULL)
	static struct proc *const at[32] = {
		P(0),  P(1),  P(28), P(2),  P(29), P(14), P(24), P(3),
		P(30), P(22), P(20), P(15), P(25), P(17), P(4),  P(8),
		P(31), P(27), P(13), P(23), P(21), P(19), P(16), P(7),
		P(26), P(12), P(18), P(6),  P(11), P(5),  P(10), P(9),
	};
#undef P

	return at[(bit * 0x077cb531u) >> 27];
#endif
}

void sched_init(void)
{
	sched_masks.ready = 0;
	sched_masks.pending = 0;
	sched_masks.after = ~0u;
	/* the table, where there is one, names every slot right */
	for (unsigned i = 0; i < PROC_MAX; i++)
		KASSERT(bit_proc(1u << i) == &proc_table[i]);
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
	p = bit_proc(bit);
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
 * The end of a switch to q, another process than the one that blocked:
 * its timeslice.  Its protection is the trap path's (kernel/hw.h), so
 * that nothing here keeps q across a call.
 */
static inline struct syscall_outcome switch_to(struct proc *q)
{
	timer_slice_renew(CONFIG_TIMESLICE_US);
#if !SCHED_SWITCH_LINE
	mpu_load(q); /* q is kept across calls anyway: here it costs less */
#endif
	return syscall_out(SYSCALL_SWITCH, q);
}

#if SCHED_SWITCH_LINE
/* switch_to(q) with no live slice to renew: out of the straight line */
static __attribute__((noinline)) struct syscall_outcome
switch_arm(struct proc *q)
{
	timer_slice_arm(CONFIG_TIMESLICE_US);
	return syscall_out(SYSCALL_SWITCH, q);
}
#endif

/* sched_switch() in full: the run loop's choice, from inside the call. */
static inline struct syscall_outcome switch_any(struct proc *from)
{
	struct proc *q;

	driver_service_all();
	q = pick();
	if (q == NULL)
		return syscall_out(SYSCALL_BLOCKED, from);
	if (q == from)
		return syscall_out(SYSCALL_UPCALL, from);
	return switch_to(q);
}

#if SCHED_SWITCH_LINE
/* Out of line: the straight line below stays a leaf. */
static __attribute__((noinline)) struct syscall_outcome
switch_other(struct proc *from)
{
	return switch_any(from);
}

/*
 * SCHED_SWITCH_LINE (kernel/meson.build, cross-file property
 * sched_switch_line): the commonest case, no polled work and a runnable
 * candidate, on a straight line of its own: a leaf, which calls nothing
 * and keeps nothing on the stack (yield-switch on qemu-virt-rv32 190 ->
 * 178); every other case goes to switch_other(), with nothing changed
 * yet, or, when no slice is live to renew, to switch_arm().
 */
struct syscall_outcome sched_switch(struct proc *from)
{
	uint32_t cand = sched_masks.ready | sched_masks.pending;
	uint32_t m = cand & sched_masks.after;
	struct proc *q;
	uint32_t bit;

	if (driver_service_wanted || cand == 0)
		return switch_other(from);
	if (m == 0)
		m = cand; /* wrap */
	bit = m & -m;
	q = bit_proc(bit);
	if (q->state != PROC_RUNNABLE)
		return switch_other(from); /* pick() meets q again there */
	sched_masks.pending &= ~bit;
	sched_masks.ready |= bit;
	sched_masks.after = after(bit);
	if (q == from)
		return syscall_out(SYSCALL_UPCALL, from);
	if (!timer_slice_renew_live(CONFIG_TIMESLICE_US))
		return switch_arm(q);
	return syscall_out(SYSCALL_SWITCH, q);
}
#else
/*
 * The one function, where flash is tighter than switches are hot (the
 * HiFive1: the straight line is 172 bytes there).  Never inlined into
 * its caller (the fast path's yield, with link-time optimisation on the
 * HiFive1): there the caller would have to keep from in a saved register
 * for every yield, not only the blocking ones.
 */
__attribute__((noinline)) struct syscall_outcome
sched_switch(struct proc *from)
{
	return switch_any(from);
}
#endif
