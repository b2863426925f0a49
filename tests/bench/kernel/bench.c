// SPDX-License-Identifier: MIT
/*
 * Benchmark driver (see bench.h): the kernel half of `./tern bench`.
 *
 * Linked only into the bench kernel.  Each command does one piece of
 * kernel work a benchmark app times from user space with instret, or
 * times it itself (command 2) where user space cannot see the piece alone.
 * Nothing here is on any path of a product kernel, so it may read
 * instret directly; under QEMU -icount shift=0 every count repeats exactly.
 */
#include "tests/bench/kernel/bench.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/pbuf.h"
#include "kernel/allow/slice.h"
#include "kernel/board.h"
#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "platform/arch/riscv/csr.h"
#if defined(RISCV_PMP_ENTRIES)
#include "platform/arch/riscv/pmp_hw.h"
#elif defined(RISCV_MMU_SV39)
#include "platform/arch/riscv/sv39_hw.h"
#endif

enum {
	CMD_NULL = 0,
	CMD_COPY64 = 1,
	CMD_TIME_MUT_ENTER = 2,
	CMD_NOTIFY = 3,
	CMD_INFO = 4,
	CMD_POWEROFF = 5,
	CMD_OPEN_INSTRET = 6,
	CMD_COPY = 7,
};

enum { COPY_LEN = 64 };

static const uint8_t pattern[COPY_LEN] = "0123456789abcdef0123456789abcdef"
					 "0123456789abcdef0123456789abcdef";

/* ---- commands 1 and 7: copies through the callback-free API ---- */

/*
 * The kernel side of the copies: a word-aligned buffer, as a driver's own
 * buffers are.  BENCH_COPY_MAX comes from tests/bench/meson.build (smaller
 * on a board with little kernel RAM).
 */
static _Alignas(8) uint8_t copy_buf[BENCH_COPY_MAX];

/*
 * A driver's data command: read-write allow slot 0 as a descriptor (no
 * grant_enter()), then validate and copy 64 bytes into its start.
 */
static __attribute__((noinline)) cmdret_t copy64(struct proc *p)
{
	const struct pbuf_rw *b;
	enum kerr rc = grant_peek_rw(p, &bench_driver, 0, &b);

	if (rc == KERR_OK)
		rc = pbuf_rw_copy_in(b, 0, pattern, COPY_LEN);
	return cmdret_status(rc);
}

/* n bytes between copy_buf and the start of slot 0: in (rw) or out (ro). */
static cmdret_t copy_n(struct proc *p, size_t n, bool out)
{
	const struct pbuf_rw *w;
	const struct pbuf_ro *r;
	enum kerr rc;

	if (out) {
		rc = grant_peek_ro(p, &bench_driver, 0, &r);
		if (rc == KERR_OK)
			rc = pbuf_ro_copy_out(r, 0, copy_buf, n);
	} else {
		rc = grant_peek_rw(p, &bench_driver, 0, &w);
		if (rc == KERR_OK)
			rc = pbuf_rw_copy_in(w, 0, copy_buf, n);
	}
	return cmdret_status(rc);
}

/* ---- command 2: the validation inside pbuf_rw_mut_enter() ---- */

static enum kerr stamp(struct pslice_mut *s, void *ctx)
{
	(void)s;
	*(unsigned long *)ctx = csr_read(instret);
	return KERR_OK;
}

/*
 * pbuf_rw_mut_enter() with its validation taken out and everything else
 * kept (the fn check, the empty-buffer case, the view, the user-access
 * bracket and the owner it is given), so that the two timings differ by
 * the validation only.  Where the bracket is empty and inline (M-mode,
 * kernel/hw.h) nothing would use the owner, and the compiler would drop
 * its lookup: the empty asm keeps it, as pbuf.c's function has it.
 * noipa: the compiler must not specialise it for the one callback it is
 * given (pbuf.c's function is not).
 */
static __attribute__((noipa)) enum kerr
enter_unchecked(const struct pbuf_rw *b, pbuf_mut_fn fn, void *ctx)
{
	struct pslice_mut s = { NULL, 0 };
	struct proc *p = &proc_table[b->raw.owner.slot % PROC_MAX];
	enum kerr rc;

	KASSERT(fn != NULL);
	__asm__("" : : "r"(p));
	if (b->raw.len == 0)
		return fn(&s, ctx);
	s.base = (volatile uint8_t *)b->raw.addr;
	s.len = b->raw.len;
	mpu_user_access_begin(p);
	rc = fn(&s, ctx);
	mpu_user_access_end();
	return rc;
}

struct timing {
	unsigned long with, without;
};

typedef enum kerr (*enter_fn)(const struct pbuf_rw *b, pbuf_mut_fn fn,
			      void *ctx);

/*
 * Instructions from just before e(b, stamp, ...) to stamp's instret read.
 * One function times both, so that the instructions between the two reads
 * outside e are the same ones for each (noipa: not specialised for
 * either).
 */
static __attribute__((noipa)) enum kerr
time_enter(enter_fn e, const struct pbuf_rw *b, unsigned long *n)
{
	unsigned long t0, t1 = 0;
	enum kerr rc;

	t0 = csr_read(instret);
	rc = e(b, stamp, &t1);
	*n = t1 - t0;
	return rc;
}

static enum kerr time_in_grant(struct grant *g, void *ctx)
{
	struct timing *t = ctx;
	struct pbuf_rw b;
	enum kerr rc;

	rc = grant_rw(g, 0, &b);
	if (rc == KERR_OK)
		rc = time_enter(pbuf_rw_mut_enter, &b, &t->with);
	if (rc == KERR_OK)
		rc = time_enter(enter_unchecked, &b, &t->without);
	return rc;
}

/* ---- command 3: queue an upcall to another process ---- */

static enum kerr notify_in_grant(struct grant *g, void *ctx)
{
	return grant_upcall(g, 0, *(const uint32_t *)ctx, 0, 0);
}

static cmdret_t notify(uintptr_t slot, uintptr_t value)
{
	uint32_t v = (uint32_t)value;
	struct proc *q;
	enum kerr rc;

	if (slot >= PROC_MAX)
		return cmdret_err(KERR_INVAL);
	q = &proc_table[slot];
	if (!proc_alive(q))
		return cmdret_err(KERR_INVAL);
	rc = grant_enter(proc_id(q), &bench_driver, notify_in_grant, &v);
	return cmdret_status(rc);
}

/* ---- command 4 ---- */

static cmdret_t info(uintptr_t which)
{
	switch (which) {
	case 0:
		return cmdret_u32(sizeof(struct proc));
	case 1:
		return cmdret_u32((uint32_t)proc_kernel_overhead());
	case 2:
		return cmdret_u32(PROC_MAX);
	case 3:
#if defined(RISCV_PMP_ENTRIES)
		return cmdret_u32(pmp_hw_loads);
#elif defined(RISCV_MMU_SV39)
		return cmdret_u32(sv39_hw_loads()); /* satp switches */
#else
		return cmdret_err(KERR_NOSUPPORT);
#endif
	default:
		return cmdret_err(KERR_INVAL);
	}
}

/* ---- command 6 ---- */

/*
 * xcounteren.IR for U-mode: in M-mode mcounteren, and scounteren too
 * where S-mode exists (U-mode's check then consults both); in S-mode
 * scounteren alone (the firmware, OpenSBI, already passes instret on).
 */
static cmdret_t open_instret(void)
{
#if KERNEL_MODE_M
	csr_set(mcounteren, COUNTEREN_IR);
	if (csr_read(misa) & (1ul << ('S' - 'A')))
		csr_set(scounteren, COUNTEREN_IR);
#else
	csr_set(scounteren, COUNTEREN_IR);
#endif
	return cmdret_ok();
}

/* Everything but the null command, out of line so that it stays lean. */
static __attribute__((noinline)) cmdret_t
other_command(struct proc *p, uint32_t cmd, uintptr_t arg0, uintptr_t arg1,
	      uintptr_t *more)
{
	struct timing t;
	enum kerr rc;

	switch (cmd) {
	case CMD_TIME_MUT_ENTER:
		t = (struct timing){ 0, 0 };
		rc = grant_enter(proc_id(p), &bench_driver, time_in_grant, &t);
		if (rc != KERR_OK)
			return cmdret_err(rc);
		return cmdret_2u32(more, (uint32_t)t.with,
				   (uint32_t)t.without);
	case CMD_NOTIFY:
		return notify(arg0, arg1);
	case CMD_INFO:
		return info(arg0);
	case CMD_COPY:
		if (arg0 > sizeof(copy_buf) || arg1 > 1)
			return cmdret_err(KERR_INVAL);
		return copy_n(p, arg0, arg1 == 1);
	case CMD_POWEROFF:
		board_poweroff(0);
	default:
		/*
		 * Out of the switch, which stays as it was before this command
		 * came: the other commands' counts do not move.
		 */
		if (cmd == CMD_OPEN_INSTRET)
			return open_instret();
		return cmdret_err(KERR_NOSUPPORT);
	}
}

static cmdret_t bench_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			      uintptr_t arg1, uintptr_t *more)
{
	if (cmd == CMD_NULL)
		return cmdret_ok();
	/* as a driver's data command would be: straight to its work */
	if (cmd == CMD_COPY64)
		return copy64(p);
	return other_command(p, cmd, arg0, arg1, more);
}

const struct driver bench_driver = {
	.num = BENCH_DRIVER_NUM,
	.has_grant = true,
	.upcalls = 1,
	.ro_allows = 1,
	.rw_allows = BENCH_RW_SLOTS,
	.data_size = 0,
	.command = bench_command,
};
