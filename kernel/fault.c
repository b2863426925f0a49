// SPDX-License-Identifier: MIT
/* Fault reports and the restart policy; see fault.h. */
#include "kernel/fault.h"

#include <stdarg.h>
#include <stdint.h>

#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "kernel/proc/expo.h"
#include "kernel/proc/proc.h"
#include "kernel/sched.h"
#include "kernel/strtab.h"
#include "tern_config.h"

enum { POLICY_STOP = 0, POLICY_RESTART = 1, POLICY_RESTART_THEN_STOP = 2,
       POLICY_PANIC = 3 };

/*
 * Characters, not pointers to strings, and no NUL after a three-letter
 * name (printed with a precision): 96 bytes of flash, not 240.
 */
static const char reg_names[32][3] = {
	"pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
	"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
	"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/*
 * Where an address lies, for the reader of a report: PLACE_* index
 * places, a packed string table (kernel/strtab.h).
 */
enum { PLACE_HEADER, PLACE_FLASH, PLACE_RAM, PLACE_ABOVE_BREAK,
       PLACE_GRANT, PLACE_BELOW_RAM, PLACE_PEER, PLACE_OUTSIDE };
static const char places[] = "its TBF header\0"
			     "its flash\0"
			     "its RAM\0"
			     "above its break\0"
			     "its grant region\0"
			     "below its RAM (stack overflow?)\0"
			     "another process's RAM\0"
			     "outside its memory\0";

static unsigned place_of(const struct proc *p, uintptr_t a)
{
	if (a >= p->flash_start && a < p->flash_end)
		return a < p->app_flash ? PLACE_HEADER : PLACE_FLASH;
	if (a >= p->mem_start && a < p->app_break)
		return PLACE_RAM;
	if (a >= p->app_break && a < p->kernel_break)
		return PLACE_ABOVE_BREAK;
	if (a >= p->kernel_break && a < p->mem_end)
		return PLACE_GRANT;
	if (a < p->mem_start && a + 4096 >= p->mem_start)
		return PLACE_BELOW_RAM;
	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct proc *q = &proc_table[i];

		if (q != p && q->state != PROC_FREE && a >= q->mem_start &&
		    a < q->mem_end)
			return PLACE_PEER;
	}
	return PLACE_OUTSIDE;
}

/* Out of line: two callers (doc/design.md#footprint). */
static __attribute__((noinline)) const char *where(const struct proc *p,
						    uintptr_t a)
{
	return strtab_get(places, place_of(p, a));
}

/* One line of the report, after the "[fault]   " every line begins with. */
static void say(const char *fmt, ...)
{
	va_list ap;

	kputs("[fault]   ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

/* Addresses and registers print as %p: 0x and every hex digit. */
#define ADDR(v) ((void *)(uintptr_t)(v))

#if CONFIG_IPC
/* A fault on a buffer another process exposed and then took back. */
static void revoked_note(const struct proc *p, uintptr_t addr)
{
	unsigned owner;
	const struct mpu_region *r = proc_expo_gone_at(p, addr, &owner);

	if (r != NULL)
		say("revoked IPC buffer %p..%p of slot %u\n", ADDR(r->base),
		    ADDR(r->base + r->size), owner);
}
#endif

static void report(const struct proc *p, const struct arch_trap *t,
		   const char *why)
{
	const struct arch_ctx *c = &p->ctx;

	kputs("\n[fault] process '");
	proc_print_name(p);
	kprintf("' (slot %u, generation %u) faulted\n", p->slot,
		(unsigned)p->gen);
	if (why)
		say("reason: %s\n", why);
	if (t && t->kind == ARCH_TRAP_FAULT) {
		/* an instruction in tval may name denied state; else a place */
		const char *what = arch_fault_detail(t->cause, t->tval);

		say("cause %lu, tval %p (%s)\n", (unsigned long)t->cause,
		    ADDR(t->tval), what ? what : where(p, t->tval));
#if CONFIG_IPC
		revoked_note(p, t->tval);
#endif
	}
	say("pc %p (%s)\n", ADDR(c->x[CTX_PC]), where(p, c->x[CTX_PC]));
	for (unsigned i = 1; i < 32; i++)
		kprintf("%s%4.*s %p%s", i % 4 == 1 ? "[fault]  " : "", 3,
			reg_names[i], ADDR(c->x[i]),
			i % 4 == 0 || i == 31 ? "\n" : " ");
	say("flash %p..%p (header to %p)\n", ADDR(p->flash_start),
	    ADDR(p->flash_end), ADDR(p->app_flash));
	say("ram   %p  app break %p  kernel break %p  end %p\n",
	    ADDR(p->mem_start), ADDR(p->app_break), ADDR(p->kernel_break),
	    ADDR(p->mem_end));
	say("allow mark %p  restarts %u\n", ADDR(p->allow_hwm),
	    p->restart_count);
}

void fault_process(struct proc *p, const struct arch_trap *t, const char *why)
{
	int policy = CONFIG_RESTART_POLICY;

	report(p, t, why);
	if (policy == POLICY_PANIC)
		kpanic("the process in slot %u faulted (restart_policy=panic)",
		       p->slot);
	proc_terminate(p, UINT32_MAX);
	if ((policy == POLICY_RESTART ||
	     (policy == POLICY_RESTART_THEN_STOP &&
	      p->restart_count < CONFIG_RESTART_MAX)) &&
	    proc_restart(p) == KERR_OK) {
		say("-> restarted (restart %u)\n", p->restart_count);
		sched_notify(p);
		return;
	}
	proc_mark_faulted(p);
	say("-> stopped\n");
}
