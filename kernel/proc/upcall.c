// SPDX-License-Identifier: MIT
/*
 * The per-process task queue (doc/abi.md §4.1): a ring of UPCALL_QUEUE_LEN
 * tasks in the kernel-owned top of the process's RAM block (proc.c places it).
 *
 * Order is the contract: pop returns the oldest task, and removing tasks from
 * the middle (take, cancel) keeps the others in their order.  Nothing here
 * blocks or allocates; a full queue drops the newcomer and counts it.
 */
#include "kernel/proc/upcall.h"

#include <stddef.h>

#include "kernel/kassert.h"
#include "kernel/proc/proc.h"
#include "kernel/sched.h"

/* Ring index of the i-th oldest task. */
static unsigned at(const struct upcall_queue *q, unsigned i)
{
	return (q->head + i) % UPCALL_QUEUE_LEN;
}

/* Remove the i-th oldest task, closing the gap from behind. */
static void remove_nth(struct upcall_queue *q, unsigned i)
{
	KASSERT(i < q->count);
	for (unsigned j = i; j + 1 < q->count; j++)
		q->t[at(q, j)] = q->t[at(q, j + 1)];
	q->count--;
	if (q->count == 0)
		q->head = 0;
}

void upcall_clear(struct proc *p)
{
	struct upcall_queue *q = p->queue;

	KASSERT(q != NULL);
	q->head = 0;
	q->count = 0;
	q->dropped = 0;
}

enum kerr upcall_push(struct proc *p, const struct task *t)
{
	struct upcall_queue *q = p->queue;

	if (!proc_alive(p))
		return KERR_INACTIVE;
	if (q->count >= UPCALL_QUEUE_LEN) {
		q->dropped++;
		return KERR_NOMEM;
	}
#if CONFIG_IPC
	/*
	 * A process that waits for just this takes it at once.  Only in
	 * kernels with IPC, whose notifications are what it speeds up: the
	 * HiFive1's product kernel keeps the flash.
	 */
	if (q->count == 0 && sched_take_now(p, t))
		return KERR_OK;
#endif
	q->t[at(q, q->count)] = *t;
	q->count++;
	sched_notify(p); /* a blocked process may be able to run now */
	return KERR_OK;
}

bool upcall_pop(struct proc *p, struct task *out)
{
	struct upcall_queue *q = p->queue;

	if (q == NULL || q->count == 0)
		return false;
	*out = q->t[q->head];
	q->head = (uint8_t)((q->head + 1) % UPCALL_QUEUE_LEN);
	q->count--;
	return true;
}

/*
 * The entry call is excluded: it names no driver, and its (0, 0) must not be
 * mistaken for driver 0's subscribe number 0.
 */
bool upcall_take(struct proc *p, uint32_t drv, uint32_t sub, struct task *out)
{
	struct upcall_queue *q = p->queue;

	if (q == NULL)
		return false;
	for (unsigned i = 0; i < q->count; i++) {
		const struct task *t = &q->t[at(q, i)];

		if (upcall_is_from(t, drv, sub)) {
			*out = *t;
			remove_nth(q, i);
			return true;
		}
	}
	return false;
}

void upcall_cancel(struct proc *p, uint32_t drv, uint32_t sub)
{
	struct upcall_queue *q = p->queue;
	unsigned i = 0;

	if (q == NULL)
		return;
	/* return-value records stay: only Yield-WaitFor consumes them */
	while (i < q->count) {
		const struct task *t = &q->t[at(q, i)];

		if (t->kind == TASK_UPCALL && upcall_is_from(t, drv, sub))
			remove_nth(q, i);
		else
			i++;
	}
}

unsigned upcall_count(const struct proc *p, unsigned kind_mask)
{
	const struct upcall_queue *q = p->queue;
	unsigned n = 0;

	if (q == NULL)
		return 0;
	for (unsigned i = 0; i < q->count; i++) {
		unsigned kind = q->t[at(q, i)].kind;

		if (kind < 32 && (kind_mask & (1u << kind)))
			n++;
	}
	return n;
}
