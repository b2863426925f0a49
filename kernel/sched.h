/* SPDX-License-Identifier: MIT */
/*
 * Round-robin scheduler.
 *
 * Two bit masks over process slots keep the choice O(1) in the number of
 * processes: `ready` holds processes in PROC_RUNNABLE, `pending` holds
 * processes that were blocked (unstarted, yielded, yielded-for) and have had
 * something queued since.  A pending process is resumed, or found still
 * blocked and dropped from the mask, when its turn comes.  Stale bits are
 * harmless: sched_next() always checks the real state.
 */
#pragma once

#include <stdbool.h>

struct proc;

void sched_init(void);

/* p may have become runnable (task queued, created, restarted). */
void sched_notify(struct proc *p);

/*
 * The next process to run, resumed and in PROC_RUNNABLE, in round-robin
 * order after the last one returned; NULL when none can run now.
 */
struct proc *sched_next(void);

/* Is any process alive (runnable or blocked), i.e. could anything run later? */
bool sched_any_alive(void);
