// SPDX-License-Identifier: MIT
/* Fault reports and the restart policy; see fault.h. */
#include "kernel/fault.h"

#include <stdint.h>

#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "kernel/proc/proc.h"
#include "kernel/sched.h"
#include "tern_config.h"

enum { POLICY_STOP = 0, POLICY_RESTART = 1, POLICY_RESTART_THEN_STOP = 2,
       POLICY_PANIC = 3 };

/* characters, not pointers to strings: 128 bytes of flash, not 240 */
static const char reg_names[32][4] = {
	"pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
	"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
	"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

#define W ((int)sizeof(uintptr_t) * 2)

/* A hint for the reader: which part of the process's memory tval is in. */
static const char *where(const struct proc *p, uintptr_t a)
{
	if (a >= p->flash_start && a < p->flash_end)
		return a < p->app_flash ? "its TBF header" : "its flash";
	if (a >= p->mem_start && a < p->app_break)
		return "its RAM";
	if (a >= p->app_break && a < p->kernel_break)
		return "above its break (unallocated)";
	if (a >= p->kernel_break && a < p->mem_end)
		return "its grant region (kernel-owned)";
	if (a < p->mem_start && a + 4096 >= p->mem_start)
		return "just below its RAM (stack overflow?)";
	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct proc *q = &proc_table[i];

		if (q != p && q->state != PROC_FREE && a >= q->mem_start &&
		    a < q->mem_end)
			return "another process's RAM";
	}
	return "outside its memory";
}

static void report(const struct proc *p, const struct arch_trap *t,
		   const char *why)
{
	const struct arch_ctx *c = &p->ctx;

	kprintf("\n[fault] process '%s' (slot %u, generation %u) faulted\n",
		p->name ? p->name : "?", p->slot, (unsigned)p->gen);
	if (why)
		kprintf("[fault]   reason: %s\n", why);
	if (t && t->kind == ARCH_TRAP_FAULT)
		kprintf("[fault]   cause %s (%lu), tval 0x%0*lx (%s)\n",
			arch_cause_name(t->cause), (unsigned long)t->cause, W,
			(unsigned long)t->tval, where(p, t->tval));
	kprintf("[fault]   pc 0x%0*lx (%s)\n", W, (unsigned long)c->x[CTX_PC],
		where(p, c->x[CTX_PC]));
	for (unsigned i = 1; i < 32; i++)
		kprintf("%s%4s 0x%0*lx%s", i % 4 == 1 ? "[fault]  " : "",
			reg_names[i], W, (unsigned long)c->x[i],
			i % 4 == 0 || i == 31 ? "\n" : " ");
	kprintf("[fault]   flash 0x%0*lx..0x%0*lx (header to 0x%0*lx)\n", W,
		(unsigned long)p->flash_start, W, (unsigned long)p->flash_end,
		W, (unsigned long)p->app_flash);
	kprintf("[fault]   ram   0x%0*lx  app break 0x%0*lx  kernel break "
		"0x%0*lx  end 0x%0*lx\n",
		W, (unsigned long)p->mem_start, W, (unsigned long)p->app_break,
		W, (unsigned long)p->kernel_break, W,
		(unsigned long)p->mem_end);
	kprintf("[fault]   allow mark 0x%0*lx  restarts %u\n", W,
		(unsigned long)p->allow_hwm, p->restart_count);
}

void fault_process(struct proc *p, const struct arch_trap *t, const char *why)
{
	int policy = CONFIG_RESTART_POLICY;

	report(p, t, why);
	if (policy == POLICY_PANIC)
		kpanic("process '%s' faulted (restart_policy=panic)",
		       p->name ? p->name : "?");
	if (policy == POLICY_RESTART ||
	    (policy == POLICY_RESTART_THEN_STOP &&
	     p->restart_count < CONFIG_RESTART_MAX)) {
		proc_terminate(p, UINT32_MAX);
		if (proc_restart(p) == KERR_OK) {
			kprintf("[fault]   -> restarted (restart %u)\n",
				p->restart_count);
			sched_notify(p);
			return;
		}
	}
	proc_terminate(p, UINT32_MAX);
	proc_mark_faulted(p);
	kprintf("[fault]   -> stopped\n");
}
