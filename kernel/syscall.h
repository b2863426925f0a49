/* SPDX-License-Identifier: MIT */
/*
 * The Tock 2.x system-call layer (spec §1-§3): decode the class in a4,
 * validate, dispatch, and encode the result into the process's registers.
 * Also turns queued tasks into upcalls (spec §1.4) and the entry call
 * (spec §1.5).
 */
#pragma once

#include <stdbool.h>

#include "kernel/driver.h"

struct proc;
struct arch_trap;

/*
 * Handle the ecall p just made (ctx.x[0] = address of the ecall).  Advances
 * the pc, runs the call, and writes the result only if p is still the same
 * incarnation afterwards (spec decision 8).  An invalid class faults p.
 */
void syscall_handle(struct proc *p, const struct arch_trap *t);

/*
 * p is blocked (unstarted, yielded or yielded-for): if a task it can take
 * is queued, set its registers for it and make it PROC_RUNNABLE.  Returns
 * whether it did.
 */
bool syscall_resume(struct proc *p);

/* Write ret into p's a0..a3 per the variant; other registers untouched. */
void syscall_write_ret(struct proc *p, struct sysret ret);
