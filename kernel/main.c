// SPDX-License-Identifier: MIT
/*
 * kernel_main: load the apps, then run the scheduler loop forever.
 *
 * The kernel runs with interrupts masked.  A process runs until it traps
 * (syscall, fault, or an interrupt taken in U-mode); the loop handles the
 * trap and either resumes the same process or picks the next.  When nothing
 * can run the hart sleeps in wfi; when no process is alive any more the
 * board is powered off (QEMU exits), which is what the test suite relies on.
 */
#include <stdint.h>

#include "kernel/board.h"
#include "kernel/driver.h"
#include "kernel/fault.h"
#include "kernel/hw.h"
#include "kernel/kprintf.h"
#include "kernel/loader.h"
#include "kernel/proc/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "tern_config.h"

/*
 * Run p until its timeslice ends or it blocks, faults or exits.  A
 * blocking system call may have switched straight to another process
 * (kernel/fastpath.c), which then owns the rest of this pass: t.proc says
 * who trapped.
 */
static void run_slice(struct proc *p)
{
	struct arch_trap t;

	timer_slice_arm(CONFIG_TIMESLICE_US);
#if CONFIG_PROCESS_CONSOLE
	sched_slices++;
#endif
	for (;;) {
		arch_run(p, &t); /* p's protection loaded there */
		p = t.proc;
		switch (t.kind) {
		case ARCH_TRAP_SYSCALL:
			break; /* p blocked, exited or restarted */
		case ARCH_TRAP_SYSCALL_INVALID:
			fault_process(p, &t, "invalid system call class");
			return;
		case ARCH_TRAP_TIMER:
			timer_service();
			break;
		case ARCH_TRAP_EXTERNAL:
			board_irq_service();
			break;
		default:
			fault_process(p, &t, NULL);
			return;
		}
		if (p->state != PROC_RUNNABLE || timer_slice_expired())
			return;
	}
}

void kernel_main(void)
{
	kprintf("\nTern %s on %s\n", TERN_VERSION, board.name);
	driver_slots_init();
	proc_table_init();
	sched_init();
	loader_load_all();

	for (;;) {
		struct proc *p;

		board_irq_service();
		driver_service_all();
		driver_loop_all();
		timer_service();
		p = sched_next();
		if (p) {
			run_slice(p);
			continue;
		}
		if (!sched_any_alive()) {
			kprintf("[kernel] no process left: power off\n");
			board_poweroff(0);
		}
		/* a loop hook's work may have no interrupt to wake us */
		if (!driver_loop_pending())
			arch_wait_for_interrupt();
	}
}
