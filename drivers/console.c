// SPDX-License-Identifier: MIT
/*
 * Console driver (doc/abi.md §10.1); see console.h.
 *
 * Design.  At most one write and one read are active system-wide; their
 * owner and progress live here, in static state, as a process id that may go
 * stale at any moment.  Everything else lives in the owners' grants: a
 * process whose write is waiting has write_pending set in its grant record,
 * with a sequence number that orders the waiting writers.
 *
 * A write moves through a small kernel buffer: copy up to CONSOLE_TX_CHUNK
 * bytes from the process (one pbuf_ro_copy_out()), feed them to the UART with
 * board_uart_try_tx() until it refuses one, then wait for the transmit
 * interrupt (or the next console_service()) and go on.  A chunk is only
 * refilled once the previous one has gone out, so bytes copied are bytes
 * sent, and the write-done count is exact.
 *
 * A read collects bytes from board_uart_try_rx() into a kernel buffer and
 * copies them into the process once, on completion or abort.
 */
#include "drivers/console.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/pbuf.h"
#include "kernel/board.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "tern_config.h"
#if CONFIG_PROCESS_CONSOLE
#include "drivers/pconsole.h"
#endif

enum {
	UPCALL_WRITE_DONE = 1,
	UPCALL_READ_DONE = 2,
	ALLOW_WRITE = 1, /* read-only slot: text to write */
	ALLOW_READ = 1,	 /* read-write slot: receive buffer */
};

/* Per-process record, in the grant. */
struct console_rec {
	uint32_t write_want; /* min(a2, buffer length) at command 1 */
	uint32_t write_seq;  /* order among waiting writers */
	bool write_pending;  /* command 1 issued, write-done not queued yet */
};

/* The active write.  id.gen == 0: none. */
static struct {
	struct proc_id id;
	uint32_t want; /* upper bound on the bytes to send */
	uint32_t sent; /* bytes copied out of the process (and so sent) */
	uint8_t buf[CONSOLE_TX_CHUNK];
	uint8_t pos, len; /* buf[pos..len) not yet taken by the UART */
} tx;

/* The active read.  id.gen == 0: none. */
static struct {
	struct proc_id id;
	uint32_t want;
	uint32_t len;
	uint8_t buf[CONSOLE_RX_MAX];
} rx;

static uint32_t next_seq;
static bool tx_irq_on, rx_irq_on;

#if CONFIG_PROCESS_CONSOLE
/*
 * With the process console the UART is read all the time (the escape key
 * may come at any moment): bytes for the apps wait here until a read takes
 * them.  When it is full the UART is left alone, so nothing is lost.
 */
static struct {
	uint8_t buf[CONSOLE_RX_MAX];
	uint8_t head, len;
} ring;
static bool tx_held; /* the process console is about to print */
static bool tx_midline; /* the last byte a process wrote was not '\n' */
#endif
/*
 * There may be console work to poll for: set by every command that starts
 * a write or a read, cleared by console_service() once no write is active
 * or waiting, no read is active and no UART interrupt is enabled.  While
 * it is clear, console_service() returns at once.
 */
static bool work_maybe = CONFIG_PROCESS_CONSOLE; /* turn the RX IRQ on */

/* Work to poll for from now on: ours, and the core's walk (driver.h). */
static void work_begins(void)
{
	work_maybe = true;
	driver_service_request();
}

typedef enum kerr grant_fn(struct grant *g, void *ctx);

/*
 * grant_enter() on this driver's grant, for a process id or for p: one call
 * sequence instead of one per use (doc/design.md#footprint).
 */
static __attribute__((noinline)) enum kerr enter(const struct proc_id *id,
						 grant_fn *fn, void *ctx)
{
	return grant_enter_id(id, &console_driver, fn, ctx);
}

static __attribute__((noinline)) enum kerr enter_own(struct proc *p,
						     grant_fn *fn, void *ctx)
{
	return grant_enter_own(p, &console_driver, fn, ctx);
}

static uint32_t min_u32(uint32_t a, size_t b)
{
	return b < a ? (uint32_t)b : a;
}

/* Ask for the UART interrupts the active operations need, on change only. */
static void irqs_update(void)
{
	bool want_tx = tx.pos < tx.len; /* the UART refused a byte */
	bool want_rx = rx.id.gen != 0;

#if CONFIG_PROCESS_CONSOLE
	want_rx = pconsole_active() ? pconsole_room()
				    : ring.len < sizeof(ring.buf);
#endif

	if (want_tx != tx_irq_on || want_rx != rx_irq_on) {
		board_uart_irq_enable(want_tx, want_rx);
		tx_irq_on = want_tx;
		rx_irq_on = want_rx;
	}
}

/* ---- write ---- */

struct fill_ctx {
	uint32_t want, sent;
	uint8_t *dst;
	size_t n; /* out: bytes copied */
};

/* The writer's next chunk out of its buffer b into f->dst. */
static void fill_from(const struct pbuf_ro *b, struct fill_ctx *f)
{
	uint32_t end = min_u32(f->want, pbuf_ro_len(b));
	size_t n;

	/* the buffer may have shrunk below what was already sent */
	if (f->sent >= end)
		return;
	n = end - f->sent;
	if (n > CONSOLE_TX_CHUNK)
		n = CONSOLE_TX_CHUNK;
	if (pbuf_ro_copy_out(b, f->sent, f->dst, n) == KERR_OK)
		f->n = n;
}

/*
 * Copy the writer's next chunk; when there is none, the write is complete:
 * queue write-done and clear the pending flag.
 */
static enum kerr fill_in_grant(struct grant *g, void *v)
{
	struct fill_ctx *f = v;
	struct console_rec *r = grant_data(g);
	struct pbuf_ro b;

	f->n = 0;
	/* nothing allowed, or no longer accessible: nothing more to send */
	if (grant_ro(g, ALLOW_WRITE, &b) == KERR_OK)
		fill_from(&b, f);
	if (f->n > 0)
		return KERR_OK;
	r->write_pending = false;
	/* a full queue drops the upcall; the write is over regardless */
	(void)grant_upcall(g, UPCALL_WRITE_DONE, f->sent, 0, 0);
	return KERR_OK;
}

struct peek_ctx {
	bool pending;
	uint32_t seq, want;
};

static enum kerr peek_in_grant(struct grant *g, void *v)
{
	struct peek_ctx *k = v;
	const struct console_rec *r = grant_data(g);

	k->pending = r->write_pending;
	k->seq = r->write_seq;
	k->want = r->write_want;
	return KERR_OK;
}

/* Make the longest-waiting writer the active one; false if none waits. */
static bool tx_pick_next(void)
{
	struct proc *best = NULL;
	uint32_t best_seq = 0, best_want = 0;

#if CONFIG_PROCESS_CONSOLE
	if (tx_held)
		return false; /* between two writes: the console's turn */
#endif

	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct proc *p = &proc_table[i];
		struct peek_ctx k = { .pending = false };

		if (!proc_alive(p) || !grant_allocated(p, &console_driver))
			continue;
		if (enter_own(p, peek_in_grant, &k) != KERR_OK || !k.pending)
			continue;
		/* sequence numbers wrap; compare by signed distance */
		if (best == NULL || (int32_t)(k.seq - best_seq) < 0) {
			best = p;
			best_seq = k.seq;
			best_want = k.want;
		}
	}
	if (best == NULL)
		return false;
	tx.id = proc_id(best);
	tx.want = best_want;
	tx.sent = 0;
	return true;
}

/* Feed the UART until it refuses a byte or no write is left. */
static void tx_pump(void)
{
	/*
	 * Each round sends the buffered bytes, then refills from the active
	 * writer or completes it.  A completed writer has its pending flag
	 * cleared, so the picks are bounded; the bound only guards against a
	 * writer that can never be entered.
	 */
	for (unsigned picks = 0; picks <= PROC_MAX;) {
		struct fill_ctx f;

		while (tx.pos < tx.len) {
			if (!board_uart_try_tx(tx.buf[tx.pos]))
				return;
#if CONFIG_PROCESS_CONSOLE
			tx_midline = tx.buf[tx.pos] != '\n';
#endif
			tx.pos++;
		}
		if (tx.id.gen == 0) {
			if (!tx_pick_next())
				return;
#if CONFIG_PROCESS_CONSOLE
			/* its bytes start a line of their own */
			pconsole_writer_starts();
#endif
			picks++;
		}
		f = (struct fill_ctx){ .want = tx.want, .sent = tx.sent,
				       .dst = tx.buf };
		if (enter(&tx.id, fill_in_grant, &f) == KERR_OK && f.n > 0) {
			tx.pos = 0;
			tx.len = (uint8_t)f.n;
			tx.sent += (uint32_t)f.n;
			continue;
		}
		/* completed (upcall queued), or the writer is gone */
		tx.id = (struct proc_id){ 0 };
	}
}

struct write_req {
	uint32_t a2;
	bool again; /* the writer's write is the one on the UART */
};

static enum kerr request_write(struct grant *g, void *v)
{
	const struct write_req *w = v;
	struct console_rec *r = grant_data(g);
	struct pbuf_ro b;
	size_t len = 0;

	if (grant_ro(g, ALLOW_WRITE, &b) == KERR_OK)
		len = pbuf_ro_len(&b);
	r->write_want = min_u32(w->a2, len);
	/*
	 * A waiting writer asking again keeps its place.  The active one
	 * asking again starts over behind every writer already waiting:
	 * keeping the UART would let one writer that always asks again shut
	 * the others out.
	 */
	if (!r->write_pending || w->again)
		r->write_seq = next_seq++;
	r->write_pending = true;
	work_begins();
	return KERR_OK;
}

static bool same_id(struct proc_id a, struct proc_id b)
{
	return a.gen == b.gen && a.slot == b.slot;
}

static cmdret_t cmd_write(struct proc *p, uint32_t a2)
{
	struct write_req w = { a2, tx.id.gen != 0 &&
					   same_id(tx.id, proc_id(p)) };
	enum kerr rc;

	rc = enter_own(p, request_write, &w);
	if (rc != KERR_OK)
		return cmdret_err(rc);
	if (w.again)
		tx.id = (struct proc_id){ 0 }; /* back in the line (above) */
	tx_pump();
	irqs_update();
	return cmdret_ok();
}

/* ---- read ---- */

struct rx_done {
	enum kerr status;
	uint32_t count;
};

/* What arrived, into the reader's buffer b (as much as fits). */
static enum kerr copy_rx_to(const struct pbuf_rw *b, struct rx_done *d)
{
	size_t n = rx.len, len = pbuf_rw_len(b);
	enum kerr rc;

	if (n > len) {
		/* the buffer shrank below what arrived: keep what fits */
		n = len;
		d->status = KERR_SIZE;
	}
	rc = pbuf_rw_copy_in(b, 0, rx.buf, n);
	if (rc == KERR_OK)
		d->count = (uint32_t)n;
	return rc;
}

static enum kerr finish_read_in_grant(struct grant *g, void *v)
{
	struct rx_done *d = v;
	struct pbuf_rw b;

	if (grant_rw(g, ALLOW_READ, &b) != KERR_OK ||
	    copy_rx_to(&b, d) != KERR_OK) {
		/* the buffer vanished (unallowed, or no longer accessible) */
		d->status = KERR_NOMEM;
		d->count = 0;
	}
	(void)grant_upcall(g, UPCALL_READ_DONE, (uint32_t)d->status, d->count,
			   0);
	return KERR_OK;
}

/* No read is active any more. */
static void rx_forget(void)
{
	rx.id = (struct proc_id){ 0 };
	rx.len = 0;
	rx.want = 0;
}

/*
 * End the active read with status (an owner that is gone gets nothing).
 * Out of line: two callers (doc/design.md#footprint).
 */
static __attribute__((noinline)) void rx_finish(enum kerr status)
{
	struct rx_done d = { status, 0 };

	/* the upcall it queues runs no console code: rx stays as it is */
	(void)enter(&rx.id, finish_read_in_grant, &d);
	rx_forget();
}

/* A reader that exited or restarted must not block everybody else. */
static void rx_drop_stale(void)
{
	struct proc *p;

	if (rx.id.gen == 0)
		return;
	p = proc_get(rx.id);
	if (p == NULL || !proc_alive(p))
		rx_forget();
}

#if CONFIG_PROCESS_CONSOLE
/* Move buffered app input into the active read; true if it is complete. */
static bool ring_to_read(void)
{
	while (rx.len < rx.want && ring.len > 0) {
		rx.buf[rx.len++] = ring.buf[ring.head];
		ring.head = (uint8_t)((ring.head + 1) % sizeof(ring.buf));
		ring.len--;
	}
	return rx.len >= rx.want;
}

/*
 * Read the UART while the byte's destination has room: the escape key
 * switches the input, other bytes go to the process console or to the
 * apps' buffer.  Then feed the active read.
 */
static void rx_pump(void)
{
	uint8_t c;

	if (rx.id.gen != 0)
		(void)ring_to_read();
	for (;;) {
		if (pconsole_active() ? !pconsole_room()
				      : ring.len >= sizeof(ring.buf))
			break;
		if (!board_uart_try_rx(&c))
			break;
		if (c == PCONSOLE_ESCAPE)
			pconsole_toggle();
		else if (pconsole_active())
			pconsole_key(c);
		else
			ring.buf[(ring.head + ring.len++) % sizeof(ring.buf)] =
				c;
		if (rx.id.gen != 0 && !pconsole_active())
			(void)ring_to_read();
	}
	if (rx.id.gen != 0 && ring_to_read())
		rx_finish(KERR_OK);
}

void console_tx_hold(bool on)
{
	tx_held = on;
	work_begins();
}

bool console_tx_idle(void)
{
	return tx.id.gen == 0 && tx.pos >= tx.len;
}

bool console_tx_take_midline(void)
{
	bool was = tx_midline;

	tx_midline = false;
	return was;
}
#else
static void rx_pump(void)
{
	uint8_t c;

	if (rx.id.gen == 0)
		return;
	while (rx.len < rx.want && board_uart_try_rx(&c))
		rx.buf[rx.len++] = c;
	if (rx.len >= rx.want)
		rx_finish(KERR_OK);
}
#endif

struct read_req {
	uint32_t a2;
	uint32_t n; /* out */
};

static enum kerr request_read(struct grant *g, void *v)
{
	struct read_req *q = v;
	struct pbuf_rw b;
	size_t len = 0;

	if (grant_rw(g, ALLOW_READ, &b) == KERR_OK)
		len = pbuf_rw_len(&b);
	q->n = min_u32(q->a2, len);
	return KERR_OK;
}

static cmdret_t cmd_read(struct proc *p, uint32_t a2)
{
	struct read_req q = { .a2 = a2 };
	enum kerr rc;

	rc = enter_own(p, request_read, &q);
	if (rc != KERR_OK)
		return cmdret_err(rc);
	rx_drop_stale();
	if (rx.id.gen != 0)
		return cmdret_err(KERR_BUSY);
	if (q.n > CONSOLE_RX_MAX)
		return cmdret_err(KERR_INVAL);
	rx.id = proc_id(p);
	work_begins();
	rx.want = q.n;
	rx.len = 0;
	rx_pump(); /* bytes may be waiting already; a 0-byte read ends now */
	irqs_update();
	return cmdret_ok();
}

static cmdret_t cmd_abort(void)
{
	rx_drop_stale();
	if (rx.id.gen != 0) {
		rx_pump(); /* take what has arrived */
		if (rx.id.gen != 0)
			rx_finish(KERR_CANCEL);
	}
	irqs_update();
	return cmdret_ok();
}

/* ---- entry points ---- */

static cmdret_t console_command(struct proc *p, uint32_t cmd,
				uintptr_t arg0, uintptr_t arg1, uintptr_t *more)
{
	(void)arg1;
	(void)more;
	switch (cmd) {
	case 0:
		return cmdret_status(grant_alloc(p, &console_driver));
	case 1: /* a length: at most the buffer's, so a wider one clamps */
		return cmd_write(p, driver_arg_clamp_u32(arg0));
	case 2:
		return cmd_read(p, driver_arg_clamp_u32(arg0));
	case 3:
		return cmd_abort();
	default:
		return cmdret_err(KERR_NOSUPPORT);
	}
}

/* The irq hook: the console UART's interrupt, routed by the board. */
static void console_irq(unsigned line)
{
	(void)line; /* one UART, one route */
	rx_drop_stale();
	rx_pump();
	tx_pump();
	irqs_update();
}

void console_uart_event(void)
{
	console_irq(0);
}

void console_service(void)
{
	/* called whenever any driver asked: idle must be cheap */
	if (!work_maybe)
		return;
	console_irq(0);
	/*
	 * Idle now?  tx_pump() has just looked for a waiting writer if none
	 * was active, so an inactive write here means nobody waits.  After
	 * irqs_update(), tx_irq_on says bytes are buffered; a read is active
	 * while rx.id is set (with the process console the receive interrupt
	 * stays on for the escape key: that alone is no work to poll for).
	 * Busy: poll again on the next pass.
	 */
#if CONFIG_PROCESS_CONSOLE
	if (tx.id.gen == 0 && !tx_irq_on && rx.id.gen == 0)
#else
	if (tx.id.gen == 0 && !tx_irq_on && !rx_irq_on)
#endif
		work_maybe = false;
	else
		driver_service_request();
}


#if defined(HOST_TEST)
void console_reset(void)
{
	tx.id = (struct proc_id){ 0 };
	tx.want = tx.sent = 0;
	tx.pos = tx.len = 0;
	rx.id = (struct proc_id){ 0 };
	rx.want = rx.len = 0;
	next_seq = 0;
	tx_irq_on = rx_irq_on = false;
	work_maybe = CONFIG_PROCESS_CONSOLE;
#if CONFIG_PROCESS_CONSOLE
	ring.head = ring.len = 0;
	tx_held = tx_midline = false;
#endif
}
#endif

const struct driver console_driver = {
	.num = CONSOLE_DRIVER_NUM,
	.has_grant = true,
	.upcalls = 3,
	.ro_allows = 2,
	.rw_allows = 2,
	.data_size = sizeof(struct console_rec),
	.command = console_command,
	.service = console_service,
	.irq = console_irq,
#if CONFIG_PROCESS_CONSOLE
	.loop = pconsole_service,
#endif
};
