/* SPDX-License-Identifier: MIT */
/*
 * Round-robin scheduler.
 *
 * Two bit masks over process slots keep the choice O(1) in the number of
 * processes: `ready` holds processes in PROC_RUNNABLE, `pending` holds
 * processes that were blocked (unstarted; yielded ones are resumed when
 * their task arrives) and have had something queued since.  A pending
 * process is resumed, or found still blocked and dropped from the mask,
 * when its turn comes.  Stale bits are harmless: sched_next() always
 * checks the real state.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/syscall.h"

struct proc;

/*
 * The scheduler's state (sched.c owns it): `ready` holds processes in
 * PROC_RUNNABLE (may be stale), `pending` blocked ones that have had
 * something queued since, `after` the slots after the one picked last,
 * where the round-robin search begins (~0 before the first, 0 after slot
 * 31).  Outside sched.c only sched_ready() writes it.
 */
struct sched_masks {
	uint32_t ready, pending, after;
};
extern struct sched_masks sched_masks;

void sched_init(void);

#if CONFIG_PROCESS_CONSOLE
/* Timeslices started since boot (the run loop counts them; display only). */
extern uint32_t sched_slices;

/*
 * Suspend p (alive, not PROC_STOPPED): state PROC_STOPPED, the state it
 * had kept for sched_start().  Upcalls still queue for it meanwhile.
 * Requires: p is not in the middle of a system call (the run loop only).
 */
void sched_stop(struct proc *p);

/* Undo sched_stop(p) (p is PROC_STOPPED), and let it take what queued. */
void sched_start(struct proc *p);
#endif

/*
 * p may have become runnable (task queued, created, restarted).  A process
 * blocked in a yield is resumed at once if the task lets it
 * (syscall_resume()); one that is unstarted, at its turn.
 */
void sched_notify(struct proc *p);

/*
 * t is for p, whose queue is empty: what queueing t and sched_notify(p)
 * would do when that resumes p with t at once (syscall_take_now()),
 * done without the queue; false (nothing done) otherwise.  Saves an IPC
 * notification, or any upcall to a process that waits for it, a push and
 * a pop.  Kernels with IPC only (CONFIG_IPC).
 */
bool sched_take_now(struct proc *p, const struct task *t);

/*
 * The process in slot `slot`, blocked with nothing queued, has just taken
 * a task at once (syscall_take_values()): mark it ready, as
 * sched_take_now() does.  Kernels with IPC only (CONFIG_IPC).
 */
static inline void sched_ready(unsigned slot)
{
	sched_masks.ready |= 1u << slot;
}

/*
 * The next process to run, resumed and in PROC_RUNNABLE, in round-robin
 * order after the last one returned; NULL when none can run now.
 */
struct proc *sched_next(void);

/* Is any process alive (runnable or blocked), i.e. could anything run later? */
bool sched_any_alive(void);

/*
 * from has just blocked in a system call: do what the run loop does
 * between two processes, from inside the call, so that the trap path can
 * switch straight to the next one (the fast path, kernel/fastpath.c).
 * That is: let the console make progress (its idle test is one load),
 * pick the next process with sched_next() and give it a timeslice
 * (timer_slice_renew(): no clock read).  Its protection is loaded by
 * the trap path (kernel/hw.h), which saves this function a frame, where
 * SCHED_SWITCH_LINE is on; else here.
 * Returns the blocking call's outcome (kernel/syscall.h): SYSCALL_SWITCH
 * to that process (PROC_RUNNABLE, ready to run from its ctx),
 * SYSCALL_UPCALL to from itself if it was resumed meanwhile (its pc may
 * have moved), or SYSCALL_BLOCKED (from) when nothing can run and the run
 * loop must decide (sleep, power off).
 *
 * Pending interrupts need no look here: the kernel runs them masked, and
 * the next process traps on the first of them as soon as it runs, which
 * takes the trap to the run loop.
 */
struct syscall_outcome sched_switch(struct proc *from);
