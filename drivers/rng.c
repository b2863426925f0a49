// SPDX-License-Identifier: MIT
/*
 * RNG driver (Tock's driver 0x40001); see rng.h.
 *
 * Design.  One fill of the device is in flight at a time, into st.buf, a
 * kernel buffer: the device never writes process memory, so a process
 * that changes its buffer, exits or restarts meanwhile cannot be hurt by
 * it.  Each request lives in its process's grant (bytes still wanted,
 * bytes written, a sequence number ordering the waiting requests); the
 * request being served is named by a process id that may go stale at any
 * moment.  A completed fill is copied into the request being served, or,
 * if that one is gone, into the oldest waiting one; bytes left over are
 * dropped (never given to two processes).
 */
#include "drivers/rng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/pbuf.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"

enum {
	UPCALL_DONE = 0,
	ALLOW_DEST = 0, /* read-write slot: where the bytes go */
};

/* Per-process record, in the grant. */
struct rng_rec {
	size_t want;	/* bytes still wanted */
	size_t written; /* bytes written so far */
	uint32_t seq;	/* order among waiting requests */
	bool pending;	/* command 1 taken, upcall not queued yet */
};

static const struct rng_source *source;

static struct {
	struct proc_id id; /* request being served; gen 0: none */
	size_t asked;	   /* bytes of the fill in flight; 0: none */
	uint8_t buf[RNG_CHUNK];
} st;

static uint32_t next_seq;
/*
 * Requests made and not yet answered, as far as this driver saw: a process
 * that dies with one pending leaves it counted, so 0 means "none", and a
 * scan that finds none sets it back to 0.  Spares the scan of every
 * process when nothing waits.
 */
static unsigned waiting;

typedef enum kerr grant_fn(struct grant *g, void *ctx);

static enum kerr enter(const struct proc_id *id, grant_fn *fn, void *ctx)
{
	return grant_enter_id(id, &rng_driver, fn, ctx);
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* ---- choosing the request to serve ---- */

struct peek {
	bool pending;
	uint32_t seq;
	size_t want;
};

static enum kerr peek_in_grant(struct grant *g, void *v)
{
	struct peek *k = v;
	const struct rng_rec *r = grant_data(g);

	k->pending = r->pending;
	k->seq = r->seq;
	k->want = r->want;
	return KERR_OK;
}

/* Serve the oldest waiting request; false (and none served) if none. */
static bool pick_next(size_t *want)
{
	struct proc *best = NULL;
	struct peek b = { .pending = false };

	st.id = (struct proc_id){ 0 };
	if (waiting == 0)
		return false;
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct proc *p = &proc_table[i];
		struct proc_id id;
		struct peek k = { .pending = false };

		if (!proc_alive(p) || !grant_allocated(p, &rng_driver))
			continue;
		id = proc_id(p);
		if (enter(&id, peek_in_grant, &k) != KERR_OK || !k.pending)
			continue;
		/* sequence numbers wrap; compare by signed distance */
		if (best == NULL || (int32_t)(k.seq - b.seq) < 0) {
			best = p;
			b = k;
		}
	}
	if (best == NULL) {
		waiting = 0; /* those counted have died */
		return false;
	}
	st.id = proc_id(best);
	*want = b.want;
	return true;
}

/* Bytes the request being served still wants; false if it is gone. */
static bool served_want(size_t *want)
{
	struct peek k = { .pending = false };

	if (st.id.gen == 0 || enter(&st.id, peek_in_grant, &k) != KERR_OK ||
	    !k.pending)
		return false;
	*want = k.want;
	return true;
}

/* Start a fill if none is in flight and a request waits. */
static void kick(void)
{
	size_t want;

	if (source == NULL || st.asked != 0)
		return;
	if (!served_want(&want) && !pick_next(&want))
		return;
	st.asked = min_size(want, RNG_CHUNK);
	if (source->fill(st.buf, st.asked) != KERR_OK)
		st.asked = 0; /* retried at the next request */
}

/* ---- handing a fill over ---- */

struct give_ctx {
	size_t got;
	bool served; /* out: the request took the bytes */
};

/*
 * The fill's bytes (got of them) into the request's buffer b.  False when
 * the request must end with nothing: the buffer was revoked, swapped for
 * one shorter than what was written (as Tock), or is no longer
 * accessible.
 */
static bool fill(const struct pbuf_rw *b, struct rng_rec *r, size_t got)
{
	size_t len = pbuf_rw_len(b), n;

	if (len < r->written)
		return false;
	if (len - r->written < r->want)
		r->want = len - r->written; /* fill the buffer to its end */
	n = min_size(got, r->want);
	if (pbuf_rw_copy_in(b, r->written, st.buf, n) != KERR_OK)
		return false;
	r->written += n;
	r->want -= n;
	return true;
}

static enum kerr give_in_grant(struct grant *g, void *v)
{
	struct give_ctx *c = v;
	struct rng_rec *r = grant_data(g);
	struct pbuf_rw b;

	if (!r->pending)
		return KERR_OK;
	c->served = true;
	if (grant_rw(g, ALLOW_DEST, &b) != KERR_OK || !fill(&b, r, c->got)) {
		/* revoked, or no longer accessible: nothing more to write */
		r->written = 0;
		r->want = 0;
	}
	if (r->want != 0)
		return KERR_OK;
	r->pending = false;
	waiting--;
	/* a full queue drops the upcall; the request is over regardless */
	(void)grant_upcall(g, UPCALL_DONE, 0, (uint32_t)r->written, 0);
	st.id = (struct proc_id){ 0 };
	return KERR_OK;
}

void rng_source_done(size_t len)
{
	struct give_ctx c = { 0, false };
	size_t want;

	if (st.asked == 0)
		return; /* nothing asked: a spurious completion */
	c.got = min_size(len, st.asked);
	st.asked = 0;
	/* the request served, or if it is gone, the oldest waiting one */
	if (st.id.gen == 0 || enter(&st.id, give_in_grant, &c) != KERR_OK ||
	    !c.served) {
		if (pick_next(&want))
			(void)enter(&st.id, give_in_grant, &c);
	}
	kick();
}

/* ---- system calls ---- */

static enum kerr request(struct grant *g, void *v)
{
	const uintptr_t *n = v;
	struct rng_rec *r = grant_data(g);

	if (r->pending)
		return KERR_BUSY;
	if (*n == 0) {
		(void)grant_upcall(g, UPCALL_DONE, 0, 0, 0);
		return KERR_OK;
	}
	r->want = *n;
	r->written = 0;
	r->seq = next_seq++;
	r->pending = true;
	waiting++;
	return KERR_OK;
}

static cmdret_t rng_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			    uintptr_t arg1, uintptr_t *more)
{
	enum kerr rc;

	(void)arg1;
	(void)more;
	if (source == NULL)
		return cmdret_err(KERR_NODEVICE);
	if (cmd > 1)
		return cmdret_err(KERR_NOSUPPORT);
	if (cmd == 0)
		return cmdret_ok();
	rc = grant_enter_own(p, &rng_driver, request, &arg0);
	if (rc == KERR_OK)
		kick();
	return cmdret_status(rc);
}

static void rng_irq(unsigned line)
{
	if (source != NULL)
		source->irq(line);
}

void rng_attach(const struct rng_source *src)
{
	source = src;
}

void rng_reset(void)
{
	source = NULL;
	st.id = (struct proc_id){ 0 };
	st.asked = 0;
	next_seq = 0;
	waiting = 0;
}

const struct driver rng_driver = {
	.num = RNG_DRIVER_NUM,
	.has_grant = true,
	.upcalls = 1,
	.ro_allows = 0,
	.rw_allows = 1,
	.data_size = sizeof(struct rng_rec),
	.command = rng_command,
	.irq = rng_irq,
};
