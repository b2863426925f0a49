// SPDX-License-Identifier: MIT
/*
 * System-call dispatch and upcall delivery (doc/abi.md §2-§5, §8.6): the
 * reference path.
 *
 * Each class has one plain handler that decodes its arguments from the
 * caller's saved registers, checks them, commits, and says what happens
 * next (struct syscall_outcome); these handlers are the definition of the
 * system calls.  kernel/fastpath.c, when the build has it, takes a few
 * common cases before they get here and must give the same result.
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
#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/tbf.h"

#define A(p, n) ((p)->ctx.x[CTX_A0 + (n)])

/* Width of the registers results are encoded into: the build's XLEN. */
#define SYSCALL_XLEN ((unsigned)(sizeof(uintptr_t) * 8))

/* The TRD104 variant standing for v in 32-bit registers (doc/abi.md D11). */
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

/*
 * doc/abi.md D8: the result goes only into the incarnation that made the
 * call.  The caller was running; only a restart changes the generation,
 * and it leaves the process PROC_UNSTARTED until the scheduler resumes
 * it, while termination and faults leave it not alive.  So "alive and not
 * unstarted" means "the same incarnation, still there", with no copy of
 * the generation kept across the call.
 */
static inline struct syscall_outcome complete(struct proc *p,
					      const struct sysret *r)
{
	if (p->state == PROC_RUNNABLE) {
		write_ret(p, r);
		return syscall_out(SYSCALL_RETURN, p);
	}
	if (p->state != PROC_UNSTARTED && proc_alive(p))
		write_ret(p, r);
	return syscall_out(SYSCALL_BLOCKED, p);
}

struct syscall_outcome syscall_complete(struct proc *p,
					const struct sysret *r)
{
	return complete(p, r);
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

/* Start task t in p (doc/abi.md §3.1, §3.2). */
static inline __attribute__((always_inline)) void
start_task(struct proc *p, const struct task *t)
{
	struct arch_ctx *c = &p->ctx;

	if (__builtin_expect(t->kind == TASK_ENTRY, 0)) {
		/*
		 * Only an unstarted process takes its entry call: the trap
		 * path relies on it (after SYSCALL_RETURN and SYSCALL_UPCALL
		 * it reloads no s0-s11).
		 */
		KASSERT(p->state == PROC_UNSTARTED);
		/* doc/abi.md §3.2; full-width addresses, not 32-bit args */
		for (unsigned i = 0; i < 32; i++)
			c->x[i] = 0;
		c->x[CTX_SP] = p->mem_start;
		c->x[CTX_A0] = p->app_flash;
		c->x[CTX_A1] = p->mem_start;
		c->x[CTX_A2] = p->mem_end - p->mem_start;
		c->x[CTX_A3] = p->app_break;
		c->x[CTX_PC] = p->entry;
		p->state = PROC_RUNNABLE;
	} else {
		syscall_upcall_regs(p, t->fn, t->userdata, t->arg[0],
				    t->arg[1], t->arg[2]);
	}
}

bool syscall_start_next(struct proc *p)
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
		return syscall_start_next(p);
	case PROC_YIELDED_FOR:
		/* a1, a2 still hold the (driver, subscription) waited for */
		if (!upcall_take(p, (uint32_t)A(p, 1), (uint32_t)A(p, 2), &t))
			return false;
		syscall_wait_for_regs(p, t.arg[0], t.arg[1], t.arg[2]);
		return true;
	default:
		return false;
	}
}

#if CONFIG_IPC
/*
 * Not syscall_take_values(t->...): GCC then loads the task's fields
 * before p's state says whether any is needed, 6 instructions more for
 * every push to a process that is not blocked (the console's write row
 * of ./tern bench, 53,133 -> 53,139 on rv32).  tests/unit/test_ipc.c
 * holds the two to the same result.
 */
bool syscall_take_now(struct proc *p, const struct task *t,
		      uint32_t *ready)
{
	switch (p->state) {
	case PROC_YIELDED:
		/* a return-value record is dropped at a pop: queue it */
		if (t->kind != TASK_UPCALL)
			return false;
		start_task(p, t);
		*ready |= 1u << p->slot;
		return true;
	case PROC_YIELDED_FOR:
		/* what syscall_resume() would take first */
		if (!upcall_is_from(t, (uint32_t)A(p, 1), (uint32_t)A(p, 2)))
			return false;
		syscall_wait_for_regs(p, t->arg[0], t->arg[1], t->arg[2]);
		*ready |= 1u << p->slot;
		return true;
	default:
		return false;
	}
}
#endif

/* ---- class handlers: decode, check, commit ---- */

static enum kerr yield_flag_store(struct pslice_mut *s, void *ctx)
{
	return pslice_mut_set(s, 0, *(const uint8_t *)ctx);
}

/* Store Yield-NoWait's flag byte through a descriptor, like any driver. */
static void yield_flag_set(struct proc *p, uintptr_t flag, bool has)
{
	struct pbuf_rw b = { { flag, 1, proc_id(p) } };
	uint8_t v = (uint8_t)has;

	(void)pbuf_rw_mut_enter(&b, yield_flag_store, &v);
}

/*
 * Yield (class 0, doc/abi.md §4.1): the kind in a0; Yield-NoWait's flag address
 * in a1, Yield-WaitFor's (driver, subscription) in a1, a2.
 */
static struct syscall_outcome sys_yield(struct proc *p)
{
	uintptr_t kind = A(p, 0), flag = A(p, 1);

	switch (kind) {
	case SYS_YIELD_NO_WAIT: {
		/* doc/abi.md D2: return-value records are invisible here */
		bool has = upcall_count(p, (1u << TASK_UPCALL) |
					   (1u << TASK_ENTRY)) != 0;

		/* a flag outside [mem_start, app_break) is ignored */
		if (flag >= p->mem_start && flag < p->app_break)
			yield_flag_set(p, flag, has);
		if (!has)
			return syscall_out(SYSCALL_RETURN, p);
		p->state = PROC_YIELDED;
		syscall_start_next(p); /* has: there is one to start */
		return syscall_out(SYSCALL_UPCALL, p);
	}
	case SYS_YIELD_WAIT:
		p->state = PROC_YIELDED;
		if (syscall_start_next(p))
			return syscall_out(SYSCALL_UPCALL, p);
		return syscall_out(SYSCALL_BLOCKED, p);
	case SYS_YIELD_WAIT_FOR:
		/* what it waits for stays in ctx a1, a2 until it returns */
		p->state = PROC_YIELDED_FOR;
		if (syscall_resume(p))
			return syscall_out(SYSCALL_RETURN, p); /* a0-a2 written */
		return syscall_out(SYSCALL_BLOCKED, p);
	default:
		/* doc/abi.md D3: unknown yield: return, touch nothing */
		return syscall_out(SYSCALL_RETURN, p);
	}
}

/* Is [a, a + 4) a plausible upcall target: app flash or app RAM? */
static bool fn_ok(const struct proc *p, uintptr_t a)
{
	if (a > UINTPTR_MAX - 4) /* a + 4 would wrap */
		return false;
	return (a >= p->app_flash && a + 4 <= p->flash_end) ||
	       (a >= p->mem_start && a + 4 <= p->app_break);
}

/*
 * Subscribe (class 1, doc/abi.md §4.2): driver a0, subscription a1, function
 * a2, userdata a3 (driver and subscription 32-bit, as in Tock).
 */
static struct syscall_outcome sys_subscribe(struct proc *p)
{
	uint32_t drv = (uint32_t)A(p, 0), sub = (uint32_t)A(p, 1);
	uintptr_t fn = A(p, 2), ud = A(p, 3), ofn, oud;
	const struct driver *d;
	struct sysret r;
	enum kerr e;

	/* doc/abi.md §4.2: the pointer check comes before driver existence */
	d = driver_find(drv);
	if (fn != 0 && !fn_ok(p, fn))
		e = KERR_INVAL;
	else if (d == NULL)
		e = KERR_NODEVICE;
	else
		e = grant_subscribe(p, d, sub, fn, ud, &ofn, &oud);
	r = e == KERR_OK ? ok2(SYS_SUCCESS_FNPTR, ofn, oud)
			 : fail2(SYS_FAILURE_FNPTR, e, fn, ud);
	return complete(p, &r);
}

/*
 * Command (class 2, doc/abi.md §4.3): driver a0, command a1 (32-bit, as in
 * Tock), and the two arguments a2, a3 at full register width: a driver
 * refuses a value it cannot take with INVAL, so a 64-bit register never
 * reaches it as a truncated alias.
 */
static struct syscall_outcome sys_command(struct proc *p)
{
	const struct driver_slot *s = driver_lookup((uint32_t)A(p, 0));
	struct sysret r = sysret_err(KERR_NODEVICE);
	uintptr_t more[2] = { 0, 0 };
	cmdret_t c;

	if (s != NULL) {
		c = s->command(p, (uint32_t)A(p, 1), A(p, 2), A(p, 3), more);
		r = (struct sysret){ cmdret_variant(c),
				     { cmdret_value(c), more[0], more[1] } };
	}
	return complete(p, &r);
}

/*
 * The allows (classes 3, 4 and 7, doc/abi.md §4.4-4.6): driver a0, allow number
 * a1 (32-bit), address a2 and length a3 (full width).  Success hands back
 * the previous buffer, failure echoes the caller's.
 */
static struct syscall_outcome sys_allow(struct proc *p, unsigned cls)
{
	uint32_t drv = (uint32_t)A(p, 0), num = (uint32_t)A(p, 1);
	uintptr_t addr = A(p, 2);
	size_t len = A(p, 3);
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
	return complete(p, &r);
}

/*
 * An address in p's memory (sbrk, memop 2-5, 8, 9), and one p must not
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

/*
 * p's writeable flash regions, read again from its TBF header (which the
 * loader checked and p cannot write): the memops that ask are rare, and
 * keeping the regions in struct proc would cost every slot RAM.  Returns
 * the count (0 if the header no longer parses, which cannot happen to a
 * loaded process).
 */
static unsigned wfr_read(const struct proc *p, struct tbf_info *ti)
{
	enum tbf_verdict v;

	/* the header is in p's flash: a user page on page-table boards */
	mpu_user_access_begin(p);
	v = tbf_parse((const uint8_t *)p->flash_start,
		      p->flash_end - p->flash_start, ti);
	mpu_user_access_end();
	return v == TBF_APP ? ti->wfr_count : 0;
}

/*
 * Writeable flash region n: memop 8 its start, 9 its end (exclusive).
 * FAIL when there is no region n or it is empty (doc/abi.md §4.7).
 */
static struct sysret wfr_bound(const struct proc *p, uintptr_t n, bool end)
{
	struct tbf_info ti;
	const struct tbf_wfr *w;

	if (n >= wfr_read(p, &ti))
		return sysret_err(KERR_FAIL);
	w = &ti.wfr[n];
	if (w->size == 0)
		return sysret_err(KERR_FAIL);
	/* the parser checked offset + size <= binary_end: no wrap */
	return ptr_ret(p->flash_start + w->offset + (end ? w->size : 0));
}

/* Memop (class 5, doc/abi.md §4.7): operation a0 (32-bit), argument a1. */
static struct syscall_outcome sys_memop(struct proc *p)
{
	uint32_t op = (uint32_t)A(p, 0);
	uintptr_t arg = A(p, 1), old;
	struct tbf_info ti;
	struct sysret r;

	switch (op) {
	case MEMOP_BRK: /* brk: every refusal is NOMEM (doc/abi.md §4.7) */
		r = proc_brk(p, arg) == KERR_OK ? sysret_ok()
						 : sysret_err(KERR_NOMEM);
		break;
	case MEMOP_SBRK: /* sbrk: signed increment, returns the old break */
		r = proc_sbrk(p, (intptr_t)arg, &old) == KERR_OK
			    ? ptr_ret(old)
			    : sysret_err(KERR_NOMEM);
		break;
	case MEMOP_MEM_START:
		r = ptr_ret(p->mem_start);
		break;
	case MEMOP_MEM_END:
		r = ptr_ret(p->mem_end);
		break;
	case MEMOP_FLASH_START:
		r = ptr_ret(p->flash_start);
		break;
	case MEMOP_FLASH_END:
		r = ptr_ret(p->flash_end);
		break;
	case MEMOP_GRANT_START:
		r = addr_ret(p->kernel_break);
		break;
	case MEMOP_WFR_COUNT:
		r = sysret_u32(wfr_read(p, &ti));
		break;
	case MEMOP_WFR_START:
	case MEMOP_WFR_END:
		r = wfr_bound(p, arg, op == MEMOP_WFR_END);
		break;
	case MEMOP_STACK_TOP:
	case MEMOP_HEAP_START:
		/* debug hints: recorded only when inside the RAM block */
		if (arg >= p->mem_start && arg < p->mem_end) {
			if (op == MEMOP_STACK_TOP)
				p->hint_stack = arg;
			else
				p->hint_heap = arg;
		}
		r = sysret_ok();
		break;
	default:
		r = sysret_err(KERR_NOSUPPORT);
		break;
	}
	/*
	 * brk and sbrk change the caller's protection records, and the
	 * caller goes on without passing the run loop's mpu_load(): load
	 * them now (unchanged records cost mpu_load() a compare).
	 */
	if (op == MEMOP_BRK || op == MEMOP_SBRK)
		mpu_load(p);
	return complete(p, &r);
}

/* Exit (class 6, doc/abi.md §4.8): kind a0, completion code a1 (32-bit). */
static struct syscall_outcome sys_exit(struct proc *p)
{
	uint32_t kind = (uint32_t)A(p, 0), code = (uint32_t)A(p, 1);
	struct sysret r;

	if (kind != SYS_EXIT_TERMINATE && kind != SYS_EXIT_RESTART) {
		r = sysret_err(KERR_NOSUPPORT);
		return complete(p, &r); /* the one exit that returns */
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
	return syscall_out(SYSCALL_BLOCKED, p);
}

struct syscall_outcome syscall_handle(struct proc *p)
{
	/* the class is the low 8 bits of a4; the rest is ignored */
	unsigned cls = (unsigned)(A(p, 4) & 0xff);

	KASSERT(p->state == PROC_RUNNABLE);
	switch (cls) {
	case SYS_YIELD:
		return sys_yield(p);
	case SYS_SUBSCRIBE:
		return sys_subscribe(p);
	case SYS_COMMAND:
		return sys_command(p);
	case SYS_ALLOW_RW:
	case SYS_ALLOW_RO:
	case SYS_ALLOW_USERSPACE:
		return sys_allow(p, cls);
	case SYS_MEMOP:
		return sys_memop(p);
	case SYS_EXIT:
		return sys_exit(p);
	default:
		/* the run loop faults p; its report shows the ecall's pc */
		p->ctx.x[CTX_PC] -= 4; /* ecall has no compressed form */
		return syscall_out(SYSCALL_INVALID, p);
	}
}
