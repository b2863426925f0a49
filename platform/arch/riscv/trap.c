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
#include <stdint.h>

#include "kernel/board.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "kernel/proc/proc.h"
#include "kernel/syscall.h"

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
_Static_assert(offsetof(struct trap_kframe, xstatus) == KF_XSTATUS,
	       "kframe xstatus");
_Static_assert(sizeof(struct trap_kframe) == KF_SIZE, "kframe size");
_Static_assert(KF_SIZE % 16 == 0, "the psABI wants sp 16-byte aligned");

_Static_assert(SYSCALL_RETURN == 0 && SYSCALL_UPCALL < TRAP_SYSCALL_SWITCH &&
		       SYSCALL_SWITCH == TRAP_SYSCALL_SWITCH &&
		       SYSCALL_BLOCKED > TRAP_SYSCALL_SWITCH &&
		       SYSCALL_INVALID > TRAP_SYSCALL_SWITCH,
	       "trap.S tells the outcomes apart by TRAP_SYSCALL_SWITCH");

#define CAUSE_IRQ_FLAG ((uintptr_t)1 << (__riscv_xlen - 1))

void trap_classify(struct arch_trap *t, uintptr_t cause, uintptr_t next,
		   struct proc *p)
{
	t->proc = p;
	t->cause = cause;
	t->tval = csr_read(CSR_XTVAL);
	if (cause == CAUSE_USER_ECALL) {
		/* the system call is done, and p cannot go on */
		KASSERT(next == SYSCALL_BLOCKED || next == SYSCALL_INVALID);
		t->kind = next == SYSCALL_INVALID ? ARCH_TRAP_SYSCALL_INVALID
						  : ARCH_TRAP_SYSCALL;
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

	/*
	 * as a process's fault report: the cause's number in decimal, which
	 * README's Security model names (no table of names: kernel flash)
	 */
	kpanic("trap in kernel: cause %lu, epc %p tval %p ra %p sp %p",
	       (unsigned long)cause,
	       (void *)csr_read(CSR_XEPC), (void *)csr_read(CSR_XTVAL),
	       (void *)ra, (void *)sp);
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

/*
 * Hart state processes are denied (trap.h, "Hart state") raises an illegal
 * instruction, and nothing else a process can run does but a reserved or
 * unknown encoding: the report names the denied state for every one
 * (xtval shows the instruction).  Telling the classes apart by decoding
 * xtval cost 226 bytes of kernel flash the HiFive1 does not have.
 */
const char *arch_fault_detail(uintptr_t cause, uintptr_t tval)
{
	(void)tval;
	return cause == CAUSE_ILLEGAL_INSTRUCTION
		       ? "FP/vector/counters/privileged: denied"
		       : NULL;
}
