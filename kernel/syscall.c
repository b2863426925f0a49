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

enum sys_class {
	SYS_YIELD = 0,
	SYS_SUBSCRIBE = 1,
	SYS_COMMAND = 2,
	SYS_ALLOW_RW = 3,
	SYS_ALLOW_RO = 4,
	SYS_MEMOP = 5,
	SYS_EXIT = 6,
	SYS_ALLOW_USR = 7,
};

enum { YIELD_NO_WAIT = 0, YIELD_WAIT = 1, YIELD_WAIT_FOR = 2 };
enum { EXIT_TERMINATE = 0, EXIT_RESTART = 1 };

#define A(p, n) ((p)->ctx.x[CTX_A0 + (n)])

/* How many of a1..a3 each variant names (spec §3.1). */
static unsigned ret_regs(uint32_t variant)
{
	switch (variant) {
	case RET_FAILURE:
		return 1;
	case RET_FAILURE_U32:
		return 2;
	case RET_FAILURE_2U32:
	case RET_FAILURE_U64:
	case RET_SUCCESS_3U32:
	case RET_SUCCESS_U32_U64:
		return 3;
	case RET_SUCCESS_U32:
		return 1;
	case RET_SUCCESS_2U32:
	case RET_SUCCESS_U64:
		return 2;
	default: /* RET_SUCCESS */
		return 0;
	}
}

void syscall_write_ret(struct proc *p, struct sysret ret)
{
	unsigned n = ret_regs(ret.variant);

	A(p, 0) = ret.variant;
	for (unsigned i = 0; i < n; i++)
		A(p, 1 + i) = ret.v[i];
}

static struct sysret fail2(enum kerr e, uintptr_t x, uintptr_t y)
{
	return (struct sysret){ RET_FAILURE_2U32, { kerr_abi(e), x, y } };
}

static struct sysret ok2(uintptr_t x, uintptr_t y)
{
	return (struct sysret){ RET_SUCCESS_2U32, { x, y, 0 } };
}

/* ---- upcalls ---- */

/* Start task t in p (spec §1.4, §1.5). */
static void start_task(struct proc *p, const struct task *t)
{
	struct arch_ctx *c = &p->ctx;

	if (t->kind == TASK_ENTRY) {
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
		if (!upcall_take(p, p->yield_drv, p->yield_sub, &t))
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

static void sys_yield(struct proc *p)
{
	uintptr_t flag = A(p, 1);

	switch (A(p, 0)) {
	case YIELD_NO_WAIT: {
		/* decision 2: return-value records are invisible here */
		unsigned has = upcall_count(p, (1u << TASK_UPCALL) |
						       (1u << TASK_ENTRY)) != 0;

		if (flag >= p->mem_start && flag < p->app_break) {
			struct pbuf_rw b = { { flag, 1, proc_id(p) } };
			uint8_t v = (uint8_t)has;

			/* a flag outside [mem_start, app_break) is ignored */
			(void)pbuf_rw_mut_enter(&b, yield_flag_store, &v);
		}
		if (has) {
			p->state = PROC_YIELDED;
			start_next_call(p);
		}
		return;
	}
	case YIELD_WAIT:
		p->state = PROC_YIELDED;
		start_next_call(p);
		return;
	case YIELD_WAIT_FOR:
		p->yield_drv = (uint32_t)A(p, 1);
		p->yield_sub = (uint32_t)A(p, 2);
		p->state = PROC_YIELDED_FOR;
		syscall_resume(p);
		return;
	default:
		/* decision 3: unknown yield: return at once, touch nothing */
		return;
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

static struct sysret sys_subscribe(struct proc *p)
{
	uintptr_t fn = A(p, 2), ud = A(p, 3), ofn, oud;
	const struct driver *d;
	enum kerr e;

	/* spec §2.2: the pointer check comes before driver existence */
	if (fn != 0 && !fn_ok(p, fn))
		return fail2(KERR_INVAL, fn, ud);
	d = driver_find((uint32_t)A(p, 0));
	if (!d)
		return fail2(KERR_NODEVICE, fn, ud);
	e = grant_subscribe(p, d, (uint32_t)A(p, 1), fn, ud, &ofn, &oud);
	if (e != KERR_OK)
		return fail2(e, fn, ud);
	return ok2(ofn, oud);
}

static struct sysret sys_command(struct proc *p)
{
	const struct driver *d = driver_find((uint32_t)A(p, 0));

	if (!d)
		return sysret_err(KERR_NODEVICE);
	return d->command(p, (uint32_t)A(p, 1), A(p, 2), A(p, 3));
}

static struct sysret sys_allow(struct proc *p, unsigned cls)
{
	uint32_t drv = (uint32_t)A(p, 0), num = (uint32_t)A(p, 1);
	uintptr_t addr = A(p, 2);
	size_t len = A(p, 3);
	struct pbuf old;
	enum kerr e;

	if (cls == SYS_ALLOW_RW)
		e = allow_rw(p, drv, num, addr, len, &old);
	else if (cls == SYS_ALLOW_RO)
		e = allow_ro(p, drv, num, addr, len, &old);
	else
		e = allow_userspace(p, drv, num, addr, len, &old);
	if (e != KERR_OK)
		return fail2(e, addr, len);
	return ok2(old.addr, old.len);
}

static struct sysret addr_ret(uintptr_t a)
{
	return sysret_u32((uint32_t)a);
}

static struct sysret sys_memop(struct proc *p)
{
	uintptr_t arg = A(p, 1), old;

	switch (A(p, 0)) {
	case 0: /* brk: every refusal is NOMEM (spec §2.7) */
		if (proc_brk(p, arg) != KERR_OK)
			return sysret_err(KERR_NOMEM);
		return sysret_ok();
	case 1: /* sbrk: signed increment, returns the old break */
		if (proc_sbrk(p, (intptr_t)arg, &old) != KERR_OK)
			return sysret_err(KERR_NOMEM);
		return addr_ret(old);
	case 2:
		return addr_ret(p->mem_start);
	case 3:
		return addr_ret(p->mem_end);
	case 4:
		return addr_ret(p->flash_start);
	case 5:
		return addr_ret(p->flash_end);
	case 6:
		return addr_ret(p->kernel_break);
	case 7: /* writeable flash regions: Tern gives processes none */
		return sysret_u32(0);
	case 8:
	case 9:
		return sysret_err(KERR_FAIL);
	case 10:
	case 11:
		/* debug hints: recorded only when inside the RAM block */
		if (arg >= p->mem_start && arg < p->mem_end) {
			if (A(p, 0) == 10)
				p->hint_stack = arg;
			else
				p->hint_heap = arg;
		}
		return sysret_ok();
	default:
		return sysret_err(KERR_NOSUPPORT);
	}
}

/* Exit: returns only on an invalid exit kind. */
static struct sysret sys_exit(struct proc *p)
{
	uint32_t code = (uint32_t)A(p, 1);

	switch (A(p, 0)) {
	case EXIT_TERMINATE:
		kprintf("[exit] process '%s' (slot %u) terminated, code %u\n",
			p->name ? p->name : "?", p->slot, (unsigned)code);
		proc_terminate(p, code);
		break;
	case EXIT_RESTART:
		kprintf("[exit] process '%s' (slot %u) restarts, code %u\n",
			p->name ? p->name : "?", p->slot, (unsigned)code);
		proc_terminate(p, code);
		if (proc_restart(p) == KERR_OK)
			sched_notify(p);
		else
			kprintf("[exit] slot %u retired: generations used up\n",
				p->slot);
		break;
	default:
		return sysret_err(KERR_NOSUPPORT);
	}
	return sysret_ok(); /* not written: the incarnation is gone */
}

void syscall_handle(struct proc *p, const struct arch_trap *t)
{
	unsigned cls = (unsigned)(A(p, 4) & 0xff);
	uint64_t gen = p->gen;
	struct sysret r;

	p->ctx.x[CTX_PC] += 4; /* ecall has no compressed form */
	switch (cls) {
	case SYS_YIELD:
		sys_yield(p);
		return; /* yields write their own registers */
	case SYS_SUBSCRIBE:
		r = sys_subscribe(p);
		break;
	case SYS_COMMAND:
		r = sys_command(p);
		break;
	case SYS_ALLOW_RW:
	case SYS_ALLOW_RO:
	case SYS_ALLOW_USR:
		r = sys_allow(p, cls);
		break;
	case SYS_MEMOP:
		r = sys_memop(p);
		break;
	case SYS_EXIT:
		r = sys_exit(p);
		break;
	default:
		p->ctx.x[CTX_PC] -= 4; /* report the ecall itself */
		fault_process(p, t, "invalid system call class");
		return;
	}
	/* decision 8: never write a result into a new incarnation */
	if (p->gen == gen && proc_alive(p))
		syscall_write_ret(p, r);
}
