/* SPDX-License-Identifier: MIT */
/*
 * The per-process task queue (doc/abi.md §4.1).
 *
 * A bounded FIFO that lives in the kernel-owned top of the process's RAM
 * block.  Drivers push tasks through grant_upcall(); the yield paths consume
 * them.  A full queue drops the new task (the pusher gets KERR_NOMEM and the
 * queue's dropped counter rises); a driver is never blocked.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/kerr.h"

struct proc;

#define UPCALL_QUEUE_LEN 9

enum task_kind {
	TASK_UPCALL = 1, /* call fn(arg0, arg1, arg2, userdata) */
	TASK_NULL = 2,	 /* slot held the Null Upcall: only Yield-WaitFor sees it */
	TASK_ENTRY = 3,	 /* the process's first call (doc/abi.md §3.2) */
};

struct task {
	uint8_t kind; /* enum task_kind */
	uint32_t drv, sub;
	uintptr_t fn, userdata;
	uint32_t arg[3]; /* upcall values are 32 bits (doc/abi.md §3.1) */
};

struct upcall_queue {
	uint8_t head;  /* index of the oldest task */
	uint8_t count; /* tasks queued, <= UPCALL_QUEUE_LEN */
	uint32_t dropped;
	struct task t[UPCALL_QUEUE_LEN];
};

/*
 * Empty the queue and zero its dropped counter (load, terminate, restart).
 * The queue lies in the kernel-owned top of p's RAM block, no C object
 * of the kernel's: to ./tern prove these write nothing (doc/proofs.md).
 */
/*@ assigns \nothing; */
void upcall_clear(struct proc *p);

/*
 * Append a task.  KERR_INACTIVE if p is not alive; KERR_NOMEM if the queue
 * is full (task dropped, p->queue->dropped incremented).
 */
/*@ assigns \nothing; */
enum kerr upcall_push(struct proc *p, const struct task *t);

/* Remove and return the oldest task; false if empty. */
bool upcall_pop(struct proc *p, struct task *out);

/*
 * Is t from (drv, sub), a function call or a return-value record?  The
 * entry call belongs to no driver and never matches.
 */
static inline bool upcall_is_from(const struct task *t, uint32_t drv,
				  uint32_t sub)
{
	return t->kind != TASK_ENTRY && t->drv == drv && t->sub == sub;
}

/*
 * Remove and return the oldest task from (drv, sub) (upcall_is_from()),
 * keeping every other task in order; false if there is none.
 */
bool upcall_take(struct proc *p, uint32_t drv, uint32_t sub, struct task *out);

/* Remove queued TASK_UPCALL tasks of (drv, sub) (successful re-subscribe). */
void upcall_cancel(struct proc *p, uint32_t drv, uint32_t sub);

/* Number of queued tasks of the given kind mask (1u << kind). */
unsigned upcall_count(const struct proc *p, unsigned kind_mask);
