// SPDX-License-Identifier: MIT
/*
 * System-call dispatch and upcall delivery (spec §1-§3, §7.6).
 *
 * Every argument register is hostile: each class validates before it acts,
 * and no path dereferences a process pointer except through a process-buffer
 * descriptor.  The class is the low 8 bits of a4; only the registers the
 * return variant names are written.
 */
#include "kernel/syscall.h"

#include <stdint.h>

#include "abi/tock.h"
#include "kernel/allow/allow.h"
#include "kernel/allow/pbuf.h"
#include "kernel/fault.h"
#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"

#define A(p, n) ((p)->ctx.x[CTX_A0 + (n)])

/* Width of the registers results are encoded into: the build's XLEN. */
#define SYSCALL_XLEN ((unsigned)(sizeof(uintptr_t) * 8))

/* The TRD104 variant standing for v in 32-bit registers (decision 11). */
static inline uint32_t narrow_variant(uint32_t v)
{
	switch (v) {
	case SYS_FAILURE_FNPTR:
	case SYS_FAILURE_PTR_LEN:
		return SYS_FAILURE_2U32;
	case SYS_SUCCESS_FNPTR:
	case SYS_SUCCESS_PTR_LEN:
		return SYS_SUCCESS_2U32;
	case SYS_SUCCESS_PTR:
	case SYS_SUCCESS_ADDR:
		return SYS_SUCCESS_U32;
	default:
		return v;
	}
}

/*
 * The variant this build writes for v: the system-call layer builds its
 * results through this, so that with 32-bit registers the pointer variants
 * are already the TRD104 ones (v is a constant: the switch folds away).
 */
#define VARIANT(v) (SYSCALL_XLEN == 32 ? narrow_variant(v) : (uint32_t)(v))

/*
 * How each variant uses a1..a3: how many registers it names, with 32- and
 * with 64-bit registers, for variants 0..5 and 128..137.  In the 64-bit
 * ABI, bit i of full marks value i as full width (pointer, length, 64-bit
 * value) rather than a u32, and join says the last register holds a 64-bit
 * value given as two words.  With 32-bit registers every value is 32 bits
 * and a 64-bit one takes two registers.
 */
#define FAIL_VARIANTS (SYS_FAILURE_PTR_LEN + 1)
#define SUCC_VARIANTS (SYS_SUCCESS_ADDR - SYS_SUCCESS + 1)
static const uint8_t fail_regs[2][FAIL_VARIANTS] = {
	{ 1, 2, 3, 3, 3, 3 }, /* 32-bit registers */
	{ 1, 2, 3, 2, 3, 3 }, /* 64-bit */
};
static const uint8_t succ_regs[2][SUCC_VARIANTS] = {
	{ 0, 1, 2, 2, 3, 3, 2, 2, 1, 1 },
	{ 0, 1, 2, 1, 3, 2, 2, 2, 1, 1 },
};
static const uint8_t fail_full[FAIL_VARIANTS] = { 0, 0, 0, 2, 6, 6 };
static const uint8_t succ_full[SUCC_VARIANTS] = { 0, 0, 0, 1, 0,
						  2, 3, 3, 1, 1 };
static const uint8_t fail_join[FAIL_VARIANTS] = { 0, 0, 0, 1, 0, 0 };
static const uint8_t succ_join[SUCC_VARIANTS] = { 0, 0, 0, 1, 0,
						  1, 0, 0, 0, 0 };

/* Registers of a1..a3 variant v names (0: none, or not a variant). */
static inline unsigned ret_regs(unsigned xlen, uint32_t v)
{
	if (v < FAIL_VARIANTS)
		return fail_regs[xlen == 64][v];
	if (v - SYS_SUCCESS < SUCC_VARIANTS)
		return succ_regs[xlen == 64][v - SYS_SUCCESS];
	return 0;
}

/* Two 32-bit words, low first, as one 64-bit value. */
static inline uint64_t join(uintptr_t lo, uintptr_t hi)
{
	return (uint64_t)(uint32_t)lo | (uint64_t)(uint32_t)hi << 32;
}

/*
 * Register a<1 + i> of r (variant v, naming n registers) for xlen-bit
 * registers.  With xlen 32 this is v[i] as 32 bits: nothing else survives
 * inlining.
 */
static inline __attribute__((always_inline)) uint64_t
ret_value(unsigned xlen, uint32_t v, unsigned n, const struct sysret *r,
	  unsigned i)
{
	bool fail = v < FAIL_VARIANTS;
	unsigned k = fail ? v : v - SYS_SUCCESS; /* n > 0: a variant */

	/* a joined value is never the third (i < 2 tells the compiler) */
	if (xlen == 64 && i < 2 && (fail ? fail_join[k] : succ_join[k]) &&
	    i == n - 1)
		return join(r->v[i], r->v[i + 1]);
	if (xlen == 64 && ((fail ? fail_full[k] : succ_full[k]) >> i & 1))
		return r->v[i];
	return (uint32_t)r->v[i];
}

unsigned syscall_encode(unsigned xlen, const struct sysret *r, uint64_t a[4])
{
	uint32_t v = xlen == 32 ? narrow_variant(r->variant) : r->variant;
	unsigned n = ret_regs(xlen, v);

	a[0] = v;
	for (unsigned i = 0; i < n; i++)
		a[1 + i] = xlen == 32 ? ret_value(32, v, n, r, i)
				      : ret_value(64, v, n, r, i);
	return n + 1;
}

/*
 * syscall_encode() for this build's registers, written straight into p.
 * r's variant is already this build's: drivers return TRD104 variants, the
 * system-call layer its own through VARIANT().
 */
static inline void write_ret(struct proc *p, const struct sysret *r)
{
	uint32_t v = r->variant;
	unsigned n;

	A(p, 0) = v;
	if (v == SYS_SUCCESS)
		return; /* the common case names no other register */
	n = ret_regs(SYSCALL_XLEN, v);
	if (n > 0)
		A(p, 1) = (uintptr_t)ret_value(SYSCALL_XLEN, v, n, r, 0);
	if (n > 1)
		A(p, 2) = (uintptr_t)ret_value(SYSCALL_XLEN, v, n, r, 1);
	if (n > 2)
		A(p, 3) = (uintptr_t)ret_value(SYSCALL_XLEN, v, n, r, 2);
}

void syscall_write_ret(struct proc *p, struct sysret ret)
{
	write_ret(p, &ret);
}

/*
 * What a class handler returns: what syscall_fast() is to return, 0 when
 * p runs on, ARCH_TRAP_SYSCALL_DONE when the run loop must take over.
 * (The yields also return p itself when they started an upcall, whose pc
 * the trap exit must then load, or the process they switched to.)
 */
static inline uintptr_t after_call(const struct proc *p)
{
	return p->state == PROC_RUNNABLE ? 0 : ARCH_TRAP_SYSCALL_DONE;
}

/*
 * Write r (decision 8: only into the incarnation that made the call) and
 * return after_call().  The caller was running; only a restart changes the
 * generation, and it leaves the process PROC_UNSTARTED until the scheduler
 * resumes it, while termination and faults leave it not alive.  So "alive
 * and not unstarted" means "the same incarnation, still there", with no
 * copy of the 64-bit generation kept across the call.
 */
static __attribute__((noinline)) uintptr_t finish_other(struct proc *p,
							const struct sysret *r)
{
	if (p->state != PROC_UNSTARTED && proc_alive(p))
		write_ret(p, r);
	return ARCH_TRAP_SYSCALL_DONE;
}

/* The common case, a caller still running, inline in each handler. */
static inline uintptr_t finish(struct proc *p, const struct sysret *r)
{
	if (p->state == PROC_RUNNABLE) {
		write_ret(p, r);
		return 0;
	}
	return finish_other(p, r);
}

/*
 * Results carrying two full-width values: subscribe's (fn, userdata) and
 * the allows' (address, length).  2U32 on 32-bit registers.
 */
static inline struct sysret fail2(uint32_t variant, enum kerr e, uintptr_t x,
				  uintptr_t y)
{
	return (struct sysret){ VARIANT(variant), { kerr_abi(e), x, y } };
}

static inline struct sysret ok2(uint32_t variant, uintptr_t x, uintptr_t y)
{
	return (struct sysret){ VARIANT(variant), { x, y, 0 } };
}

/* ---- upcalls ---- */

/* Start task t in p (spec §1.4, §1.5). */
static void start_task(struct proc *p, const struct task *t)
{
	struct arch_ctx *c = &p->ctx;

	if (t->kind == TASK_ENTRY) {
		/*
		 * Only an unstarted process takes its entry call: the fast
		 * path relies on it (syscall_fast() never reloads s0-s11).
		 */
		KASSERT(p->state == PROC_UNSTARTED);
		/* §1.5; full-width addresses, not the task's 32-bit args */
		for (unsigned i = 0; i < 32; i++)
			c->x[i] = 0;
		c->x[CTX_SP] = p->mem_start;
		c->x[CTX_A0] = p->app_flash;
		c->x[CTX_A1] = p->mem_start;
		c->x[CTX_A2] = p->mem_end - p->mem_start;
		c->x[CTX_A3] = p->app_break;
		c->x[CTX_PC] = p->entry;
	} else {
		c->x[CTX_RA] = c->x[CTX_PC];
		c->x[CTX_A0] = t->arg[0];
		c->x[CTX_A1] = t->arg[1];
		c->x[CTX_A2] = t->arg[2];
		c->x[CTX_A3] = t->userdata;
		c->x[CTX_PC] = t->fn;
	}
	p->state = PROC_RUNNABLE;
}

/* Pop tasks until a function call; return-value records are dropped. */
static bool start_next_call(struct proc *p)
{
	struct task t;

	while (upcall_pop(p, &t)) {
		if (t.kind != TASK_NULL) {
			start_task(p, &t);
			return true;
		}
	}
	return false;
}

bool syscall_resume(struct proc *p)
{
	struct task t;

	switch (p->state) {
	case PROC_UNSTARTED:
	case PROC_YIELDED:
		return start_next_call(p);
	case PROC_YIELDED_FOR:
		/* a1, a2 still hold the (driver, subscription) waited for */
		if (!upcall_take(p, (uint32_t)A(p, 1), (uint32_t)A(p, 2), &t))
			return false;
		/* raw values, no variant; a3 untouched (spec §2.1) */
		A(p, 0) = t.arg[0];
		A(p, 1) = t.arg[1];
		A(p, 2) = t.arg[2];
		p->state = PROC_RUNNABLE;
		return true;
	default:
		return false;
	}
}

/* ---- class handlers ---- */

static enum kerr yield_flag_store(struct pslice_mut *s, void *ctx)
{
	return pslice_mut_set(s, 0, *(const uint8_t *)ctx);
}

/* Store Yield-NoWait's flag byte; out of line, it needs a descriptor. */
static __attribute__((noinline)) void yield_flag_set(struct proc *p,
						     uintptr_t flag, bool has)
{
	struct pbuf_rw b = { { flag, 1, proc_id(p) } };
	uint8_t v = (uint8_t)has;

	(void)pbuf_rw_mut_enter(&b, yield_flag_store, &v);
}

/*
 * p blocked in a yield: on the fast path (may_switch), run the next
 * process straight from here if there is one (sched_switch()); else, and
 * from the run loop, let the run loop decide.
 */
static uintptr_t blocked(struct proc *p, bool may_switch)
{
	return may_switch ? sched_switch(p) : ARCH_TRAP_SYSCALL_DONE;
}

/*
 * Every yield but the two commonest (sys_yield()); a0 and a1 are the
 * caller's.  Returns what syscall_fast() returns: 0 when p goes on, p when
 * an upcall started (the pc moved), else blocked()'s answer.  The
 * arguments sit where sys_yield() has them (a handler's, may_switch in
 * a4's place), so that its tail call moves no register (noipa: the
 * compiler must not reorder them).
 */
static __attribute__((noipa)) uintptr_t
yield_call(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3,
	   bool may_switch, struct proc *p)
{
	uintptr_t flag = a1;

	(void)a2;
	(void)a3;

	switch (a0) {
	case SYS_YIELD_NO_WAIT: {
		/* decision 2: return-value records are invisible here */
		bool has = p->queue->count != 0 &&
			   upcall_count(p, (1u << TASK_UPCALL) |
						   (1u << TASK_ENTRY)) != 0;

		/* a flag outside [mem_start, app_break) is ignored */
		if (flag >= p->mem_start && flag < p->app_break)
			yield_flag_set(p, flag, has);
		if (has) {
			p->state = PROC_YIELDED;
			if (start_next_call(p))
				return (uintptr_t)p;
		}
		return after_call(p);
	}
	case SYS_YIELD_WAIT:
		p->state = PROC_YIELDED;
		if (p->queue->count != 0 && start_next_call(p))
			return (uintptr_t)p;
		return blocked(p, may_switch);
	case SYS_YIELD_WAIT_FOR:
		/* what it waits for stays in ctx a1, a2 until it returns */
		p->state = PROC_YIELDED_FOR;
		if (syscall_resume(p))
			return 0; /* a0-a2 written, the pc goes on */
		return blocked(p, may_switch);
	default:
		/* decision 3: unknown yield: return at once, touch nothing */
		return after_call(p);
	}
}

/* The blocking Yield-Wait with nothing queued: out of line for sys_yield. */
static __attribute__((noinline)) uintptr_t yield_block(struct proc *p)
{
	p->state = PROC_YIELDED;
	return sched_switch(p);
}

static uintptr_t sys_yield(uintptr_t a0, uintptr_t a1, uintptr_t a2,
			   uintptr_t a3, uintptr_t a4, struct proc *p)
{
	(void)a4;
	/*
	 * The commonest yields: a poll that finds nothing (Yield-NoWait,
	 * queue empty, no flag to store: flag a1 outside [mem_start,
	 * app_break); mem_start <= app_break, so one unsigned compare tests
	 * both ends), p staying PROC_RUNNABLE; and a Yield-Wait with nothing
	 * queued, which blocks with nothing to start.
	 */
	if (p->queue->count == 0) {
		if (a0 == SYS_YIELD_NO_WAIT &&
		    a1 - p->mem_start >= p->app_break - p->mem_start)
			return 0;
		if (a0 == SYS_YIELD_WAIT)
			return yield_block(p);
	}
	return yield_call(a0, a1, a2, a3, true, p);
}

/* Is [a, a + 4) a plausible upcall target: app flash or app RAM? */
static bool fn_ok(const struct proc *p, uintptr_t a)
{
	if (a > UINTPTR_MAX - 4) /* a + 4 would wrap */
		return false;
	return (a >= p->app_flash && a + 4 <= p->flash_end) ||
	       (a >= p->mem_start && a + 4 <= p->app_break);
}

static struct sysret subscribe(struct proc *p, uint32_t drv, uint32_t sub,
				uintptr_t fn, uintptr_t ud)
{
	uintptr_t ofn, oud;
	const struct driver *d;
	enum kerr e;

	/* spec §2.2: the pointer check comes before driver existence */
	if (fn != 0 && !fn_ok(p, fn))
		return fail2(SYS_FAILURE_FNPTR, KERR_INVAL, fn, ud);
	d = driver_find(drv);
	if (!d)
		return fail2(SYS_FAILURE_FNPTR, KERR_NODEVICE, fn, ud);
	e = grant_subscribe(p, d, sub, fn, ud, &ofn, &oud);
	if (e != KERR_OK)
		return fail2(SYS_FAILURE_FNPTR, e, fn, ud);
	return ok2(SYS_SUCCESS_FNPTR, ofn, oud);
}

static uintptr_t sys_subscribe(uintptr_t a0, uintptr_t a1, uintptr_t a2,
			       uintptr_t a3, uintptr_t a4, struct proc *p)
{
	struct sysret r = subscribe(p, (uint32_t)a0, (uint32_t)a1, a2, a3);

	(void)a4;
	return finish(p, &r);
}

/*
 * A command's result other than a plain Success to a caller that runs on:
 * the driver's compact result with the values it put in more[] (in 32-bit
 * words as drivers give them).  Entries of more[] the variant does not
 * name are whatever the stack held, and stay in the kernel: write_ret()
 * writes only the registers the variant names.
 */
static __attribute__((noinline)) uintptr_t
command_done(cmdret_t r, const uintptr_t *more, struct proc *p)
{
	struct sysret full = { cmdret_variant(r),
			       { cmdret_value(r), more[0], more[1] } };

	return finish(p, &full);
}

static __attribute__((noinline)) uintptr_t command_nodev(struct proc *p)
{
	struct sysret r = sysret_err(KERR_NODEVICE);

	return finish(p, &r);
}

static __attribute__((noinline)) uintptr_t
sys_command(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3,
	    uintptr_t a4, struct proc *p)
{
	const struct driver_slot *s = driver_lookup((uint32_t)a0);
	uintptr_t more[2];
	cmdret_t r;

	(void)a4;
	if (__builtin_expect(s == NULL, 0))
		return command_nodev(p);
	/* arguments are 32-bit values, also in 64-bit registers (Tock) */
	r = s->command(p, (uint32_t)a1, (uint32_t)a2, (uint32_t)a3, more);
	/*
	 * The commonest answer, plain Success to a caller that runs on (the
	 * same incarnation: see finish_other()), names a0 only.
	 */
	if (__builtin_expect(p->state == PROC_RUNNABLE &&
				     cmdret_variant(r) == SYS_SUCCESS,
			     1)) {
		A(p, 0) = SYS_SUCCESS;
		return 0;
	}
	return command_done(r, more, p); /* r stays in a0-a1 */
}

/*
 * Any allow, any case (allow.c); out of line: see sys_allow().  The
 * arguments sit where the handler has them, so the tail call moves none.
 */
static __attribute__((noinline)) uintptr_t
allow_general(uint32_t drv, uint32_t num, uintptr_t addr, size_t len,
	      unsigned cls, struct proc *p)
{
	struct sysret r;
	struct pbuf old;
	enum kerr e;

	if (cls == SYS_ALLOW_RW)
		e = allow_rw(p, drv, num, addr, len, &old);
	else if (cls == SYS_ALLOW_RO)
		e = allow_ro(p, drv, num, addr, len, &old);
	else
		e = allow_userspace(p, drv, num, addr, len, &old);
	r = e == KERR_OK ? ok2(SYS_SUCCESS_PTR_LEN, old.addr, old.len)
			 : fail2(SYS_FAILURE_PTR_LEN, e, addr, len);
	return finish(p, &r);
}

/*
 * Read-write and read-only allows, one handler for both (one copy of
 * allow_fast(): flash is scarce on the HiFive1): the usual case is a leaf
 * with nothing kept across a call; everything else takes allow_general().
 * The classes, 3 (0b011) and 4 (0b100), differ in bit 2 of a4, which is
 * set for read-only; syscall_fast() and syscall_handle() have checked that
 * bits 3-7 are clear, so a4's low three bits are the class.
 */
_Static_assert(SYS_ALLOW_RW == 3 && SYS_ALLOW_RO == 4, "bit 2 says which");

static uintptr_t sys_allow(uintptr_t a0, uintptr_t a1, uintptr_t a2,
			   uintptr_t a3, uintptr_t a4, struct proc *p)
{
	struct sysret r;
	struct pbuf old;

	if (allow_fast(p, (uint32_t)a0, (uint32_t)a1, a2, a3, a4 & 4, &old)) {
		/* allow_fast() found p running, and a swap cannot stop it */
		r = ok2(SYS_SUCCESS_PTR_LEN, old.addr, old.len);
		write_ret(p, &r);
		return 0;
	}
	return allow_general((uint32_t)a0, (uint32_t)a1, a2, a3,
			     (unsigned)a4 & 7, p);
}

static uintptr_t sys_allow_usr(uintptr_t a0, uintptr_t a1, uintptr_t a2,
			       uintptr_t a3, uintptr_t a4, struct proc *p)
{
	(void)a4;
	return allow_general((uint32_t)a0, (uint32_t)a1, a2, a3,
			     SYS_ALLOW_USERSPACE, p);
}

/*
 * An address in p's memory (sbrk, memop 2-5), and one p must not
 * dereference (memop 6), as Tock answers them: Success with u32 in 32-bit
 * registers, the full-width variants in 64-bit ones.
 */
static struct sysret ptr_ret(uintptr_t a)
{
	return (struct sysret){ VARIANT(SYS_SUCCESS_PTR), { a, 0, 0 } };
}

static struct sysret addr_ret(uintptr_t a)
{
	return (struct sysret){ VARIANT(SYS_SUCCESS_ADDR), { a, 0, 0 } };
}

static struct sysret memop(struct proc *p, uint32_t op, uintptr_t arg)
{
	uintptr_t old;

	switch (op) {
	case MEMOP_BRK: /* brk: every refusal is NOMEM (spec §2.7) */
		if (proc_brk(p, arg) != KERR_OK)
			return sysret_err(KERR_NOMEM);
		return sysret_ok();
	case MEMOP_SBRK: /* sbrk: signed increment, returns the old break */
		if (proc_sbrk(p, (intptr_t)arg, &old) != KERR_OK)
			return sysret_err(KERR_NOMEM);
		return ptr_ret(old);
	case MEMOP_MEM_START:
		return ptr_ret(p->mem_start);
	case MEMOP_MEM_END:
		return ptr_ret(p->mem_end);
	case MEMOP_FLASH_START:
		return ptr_ret(p->flash_start);
	case MEMOP_FLASH_END:
		return ptr_ret(p->flash_end);
	case MEMOP_GRANT_START:
		return addr_ret(p->kernel_break);
	case MEMOP_WFR_COUNT: /* writeable flash regions: Tern has none */
		return sysret_u32(0);
	case MEMOP_WFR_START:
	case MEMOP_WFR_END:
		return sysret_err(KERR_FAIL);
	case MEMOP_STACK_TOP:
	case MEMOP_HEAP_START:
		/* debug hints: recorded only when inside the RAM block */
		if (arg >= p->mem_start && arg < p->mem_end) {
			if (op == MEMOP_STACK_TOP)
				p->hint_stack = arg;
			else
				p->hint_heap = arg;
		}
		return sysret_ok();
	default:
		return sysret_err(KERR_NOSUPPORT);
	}
}


static uintptr_t sys_memop(uintptr_t a0, uintptr_t a1, uintptr_t a2,
			   uintptr_t a3, uintptr_t a4, struct proc *p)
{
	/* the operation is a 32-bit operand, as in Tock */
	struct sysret r = memop(p, (uint32_t)a0, a1);

	(void)a2;
	(void)a3;
	(void)a4;
	/*
	 * brk and sbrk (operations 0 and 1) are the only calls that change
	 * the caller's protection records, and on the fast path the caller
	 * runs on without the run loop's mpu_load(): load the new records
	 * now.  (Unchanged records cost mpu_load() a compare.)
	 */
	if ((uint32_t)a0 <= 1)
		mpu_load(p);
	return finish(p, &r);
}

static uintptr_t sys_exit(uintptr_t a0, uintptr_t a1, uintptr_t a2,
			  uintptr_t a3, uintptr_t a4, struct proc *p)
{
	/* kind and code are 32-bit, as in Tock */
	uint32_t kind = (uint32_t)a0, code = (uint32_t)a1;

	(void)a2;
	(void)a3;
	(void)a4;
	if (kind != SYS_EXIT_TERMINATE && kind != SYS_EXIT_RESTART) {
		struct sysret r = sysret_err(KERR_NOSUPPORT);

		return finish(p, &r); /* the one exit that returns */
	}
	kputs("[exit] process '");
	proc_print_name(p);
	kprintf("' (slot %u) %s, code %u\n", p->slot,
		kind == SYS_EXIT_TERMINATE ? "terminated" : "restarts",
		(unsigned)code);
	proc_terminate(p, code);
	if (kind == SYS_EXIT_RESTART) {
		if (proc_restart(p) == KERR_OK)
			sched_notify(p);
		else
			kprintf("[exit] slot %u retired: generations used up\n",
				p->slot);
	}
	/* nothing is written: the incarnation that called is gone */
	return ARCH_TRAP_SYSCALL_DONE;
}

/*
 * One handler per class (a4 & 0xff).  Each takes the caller's a0-a4 and p
 * in the order syscall_fast() receives them (so that it can tail-call
 * without moving a register), writes its own result and returns
 * after_call().
 */
static uintptr_t (*const class_table[])(uintptr_t a0, uintptr_t a1,
					uintptr_t a2, uintptr_t a3,
					uintptr_t a4, struct proc *p) = {
	[SYS_YIELD] = sys_yield,	 [SYS_SUBSCRIBE] = sys_subscribe,
	[SYS_COMMAND] = sys_command,	 [SYS_ALLOW_RW] = sys_allow,
	[SYS_ALLOW_RO] = sys_allow,	 [SYS_MEMOP] = sys_memop,
	[SYS_EXIT] = sys_exit,		 [SYS_ALLOW_USERSPACE] = sys_allow_usr,
};
#define CLASSES (sizeof(class_table) / sizeof(class_table[0]))
_Static_assert(CLASSES == 8, "syscall_fast() masks the class with 7");

void syscall_handle(struct proc *p, const struct arch_trap *t)
{
	unsigned cls = (unsigned)(A(p, 4) & 0xff);

	if (cls >= CLASSES) {
		/* the pc stays at the ecall, which the report shows */
		fault_process(p, t, "invalid system call class");
		return;
	}
	p->ctx.x[CTX_PC] += 4; /* ecall has no compressed form */
	/* the run loop picks what runs next: a blocking yield only blocks */
	if (cls == SYS_YIELD)
		(void)yield_call(A(p, 0), A(p, 1), 0, 0, false, p);
	else
		(void)class_table[cls](A(p, 0), A(p, 1), A(p, 2), A(p, 3),
				       A(p, 4), p);
}

/* An invalid class: the run loop faults p, with the pc at the ecall. */
static __attribute__((noinline)) uintptr_t decline(struct proc *p)
{
	p->ctx.x[CTX_PC] -= 4;
	return ARCH_TRAP_SYSCALL;
}

uintptr_t syscall_fast(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3,
		       uintptr_t a4, struct proc *p)
{
	/*
	 * The two commonest classes first, straight to their handlers (a4 is
	 * usually the class alone): a Tock process mostly yields and issues
	 * commands.  Any other a4, these classes with high bits included,
	 * takes the table.
	 */
	if (a4 == SYS_YIELD)
		return sys_yield(a0, a1, a2, a3, a4, p);
	if (a4 == SYS_COMMAND)
		return sys_command(a0, a1, a2, a3, a4, p);
	/* the class is a4's low 8 bits: 0..7 valid (CLASSES, asserted) */
	if (a4 & (0xff & ~(CLASSES - 1)))
		return decline(p);
	/*
	 * The handler's after_call() decides.  PROC_RUNNABLE afterwards also
	 * means "the same incarnation" (a new one starts PROC_UNSTARTED and
	 * only the scheduler resumes it), and that no entry call was started
	 * (start_task() asserts only an unstarted process takes one), so
	 * s0-s11, gp and tp need no reload.  p's protection is still in the
	 * hardware: nothing here loads another process's (sys_memop() loads
	 * p's new records after a brk).
	 */
	return class_table[a4 & (CLASSES - 1)](a0, a1, a2, a3, a4, p);
}
