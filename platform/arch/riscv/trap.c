// SPDX-License-Identifier: MIT
/*
 * The C half of trap handling: sorting a trap from U-mode into the kinds the
 * kernel knows, reporting a trap taken inside the kernel, and cause names.
 *
 * trap.S does the register save/restore and nothing else; every decision is
 * here.  Nothing in this file runs with user registers live.
 */
#include "platform/arch/riscv/trap.h"

#include <stddef.h>

#include "kernel/board.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "kernel/proc/proc.h"

/* trap.S relies on these; see the layout drawing in trap.h. */
_Static_assert(offsetof(struct proc, ctx) == 0, "arch_run takes p as &p->ctx");
_Static_assert(sizeof(struct arch_ctx) == CTX_SIZE, "arch_ctx size");
_Static_assert(offsetof(struct arch_ctx, x[0]) == CTX_OFF(CTX_PC), "pc slot");
_Static_assert(offsetof(struct arch_ctx, x[2]) == CTX_OFF(CTX_SP), "sp slot");
_Static_assert(offsetof(struct arch_ctx, x[10]) == CTX_OFF(CTX_A0), "a0 slot");
_Static_assert(offsetof(struct arch_ctx, x[31]) == CTX_OFF(31), "t6 slot");
_Static_assert(sizeof(uintptr_t) == REGBYTES, "one register per slot");
_Static_assert(offsetof(struct trap_kframe, ra) == KF_RA, "kframe ra");
_Static_assert(offsetof(struct trap_kframe, s[0]) == KF_S(0), "kframe s0");
_Static_assert(offsetof(struct trap_kframe, s[11]) == KF_S(11), "kframe s11");
_Static_assert(offsetof(struct trap_kframe, trap) == KF_TRAP, "kframe trap");
_Static_assert(offsetof(struct trap_kframe, proc) == KF_PROC, "kframe proc");
_Static_assert(sizeof(struct trap_kframe) == KF_SIZE, "kframe size");
_Static_assert(KF_SIZE % 16 == 0, "the psABI wants sp 16-byte aligned");

_Static_assert(ARCH_TRAP_SYSCALL < SYSCALL_FAST_KINDS &&
		       ARCH_TRAP_SYSCALL_DONE < SYSCALL_FAST_KINDS,
	       "trap.S tells kinds from processes by SYSCALL_FAST_KINDS");

#define CAUSE_IRQ_FLAG ((uintptr_t)1 << (__riscv_xlen - 1))

void trap_classify(struct arch_trap *t, uintptr_t cause, uintptr_t ecall_kind,
		   struct proc *p)
{
	t->proc = p;
	t->cause = cause;
	t->tval = csr_read(CSR_XTVAL);
	if (cause == CAUSE_USER_ECALL) {
		/* syscall_fast() said: declined, or done but p cannot go on */
		KASSERT(ecall_kind == ARCH_TRAP_SYSCALL ||
			ecall_kind == ARCH_TRAP_SYSCALL_DONE);
		t->kind = (uint8_t)ecall_kind;
	} else if (!(cause & CAUSE_IRQ_FLAG)) {
		t->kind = ARCH_TRAP_FAULT;
	} else if ((cause & ~CAUSE_IRQ_FLAG) == IRQ_X_TIMER) {
		/*
		 * The timer interrupt stays pending until the compare is
		 * moved; mask it so the process can run again before the
		 * kernel re-arms (board_timer_arm() unmasks it).
		 */
		csr_clear(CSR_XIE, XIE_XTIE);
		t->kind = ARCH_TRAP_TIMER;
	} else {
		t->kind = ARCH_TRAP_EXTERNAL;
	}
}

void trap_kernel_fault(uintptr_t ra, uintptr_t sp)
{
	uintptr_t cause = csr_read(CSR_XCAUSE);

	kpanic("trap in kernel: %s (cause 0x%lx) epc 0x%lx tval 0x%lx ra 0x%lx "
	       "sp 0x%lx",
	       arch_cause_name(cause), (unsigned long)cause,
	       csr_read(CSR_XEPC), csr_read(CSR_XTVAL), (unsigned long)ra,
	       (unsigned long)sp);
}

void arch_wait_for_interrupt(void)
{
	/*
	 * wfi wakes on any pending interrupt enabled in xie even with
	 * xstatus.xIE clear (privileged spec, "Wait for Interrupt"); the
	 * interrupt is then taken the next time a process runs, or the
	 * kernel polls for it.
	 */
	__asm__ __volatile__("wfi" ::: "memory");
}

const char *arch_cause_name(uintptr_t cause)
{
	static const char *const exc[] = {
		[CAUSE_MISALIGNED_FETCH] = "instruction address misaligned",
		[CAUSE_FETCH_ACCESS] = "instruction access fault",
		[CAUSE_ILLEGAL_INSTRUCTION] = "illegal instruction",
		[CAUSE_BREAKPOINT] = "breakpoint",
		[CAUSE_MISALIGNED_LOAD] = "load address misaligned",
		[CAUSE_LOAD_ACCESS] = "load access fault",
		[CAUSE_MISALIGNED_STORE] = "store/AMO address misaligned",
		[CAUSE_STORE_ACCESS] = "store/AMO access fault",
		[CAUSE_USER_ECALL] = "environment call from U-mode",
		[CAUSE_SUPERVISOR_ECALL] = "environment call from S-mode",
		[CAUSE_MACHINE_ECALL] = "environment call from M-mode",
		[CAUSE_FETCH_PAGE_FAULT] = "instruction page fault",
		[CAUSE_LOAD_PAGE_FAULT] = "load page fault",
		[CAUSE_STORE_PAGE_FAULT] = "store/AMO page fault",
	};
	static const char *const irq[] = {
		[IRQ_S_SOFT] = "supervisor software interrupt",
		[IRQ_M_SOFT] = "machine software interrupt",
		[IRQ_S_TIMER] = "supervisor timer interrupt",
		[IRQ_M_TIMER] = "machine timer interrupt",
		[IRQ_S_EXT] = "supervisor external interrupt",
		[IRQ_M_EXT] = "machine external interrupt",
	};
	uintptr_t code = cause & ~CAUSE_IRQ_FLAG;
	const char *name = NULL;

	if (cause & CAUSE_IRQ_FLAG) {
		if (code < sizeof(irq) / sizeof(irq[0]))
			name = irq[code];
		return name ? name : "reserved interrupt";
	}
	if (code < sizeof(exc) / sizeof(exc[0]))
		name = exc[code];
	return name ? name : "reserved exception";
}
