/* SPDX-License-Identifier: MIT */
/*
 * What the portable kernel needs from the hardware.
 *
 * This is the only header through which kernel/ reaches platform code.  Each
 * board's platform/ directory implements it; the host board implements it
 * with simulated memory and a record of what would have been programmed, so
 * all of kernel/ builds and runs in the host unit tests.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kerr.h"

struct proc;

/*
 * The user register file.  Index i (1..31) is register x<i>; x0 is hardwired
 * to zero, so slot 0 holds the program counter instead.  The trap entry code
 * saves into and restores from exactly this layout.
 */
struct arch_ctx {
	uintptr_t x[32];
};

enum {
	CTX_PC = 0,
	CTX_RA = 1,
	CTX_SP = 2,
	CTX_GP = 3,
	CTX_TP = 4,
	CTX_T0 = 5,
	CTX_S0 = 8,
	CTX_A0 = 10,
	CTX_A1 = 11,
	CTX_A2 = 12,
	CTX_A3 = 13,
	CTX_A4 = 14,
	CTX_A5 = 15,
};

/* ---- protection backend (PMP on M-mode boards, Sv39 on S-mode) ---- */

enum mpu_perm {
	MPU_R = 1u << 0,
	MPU_W = 1u << 1,
	MPU_X = 1u << 2,
};

/*
 * One protection record: user code may access [base, base + size) with the
 * given permissions.  size == 0 means the record grants nothing.
 */
struct mpu_region {
	uintptr_t base;
	size_t size;
	uint32_t perm;
};

/*
 * Smallest unit the backend can protect, in bytes (a power of two): 4 for
 * PMP, 4096 for page tables.  Process layouts round to it so that user-
 * accessible memory and kernel-owned memory never share a unit.
 */
/*@ axiomatic mpu_granule {
      // the value mpu_granule() returns, the same at every call
      logic integer granule;
    } */
/*@ assigns \nothing;
    ensures \result == granule && 4 <= \result <= 4096; */
size_t mpu_granule(void);

/*
 * True when the hardware can express exactly these n records at once for one
 * process (enough PMP entries, alignment, ...).  Pure; programs nothing.
 */
/*@ assigns \nothing; */
bool mpu_fits(const struct mpu_region *r, unsigned n);

#if CONFIG_IPC
/*
 * Can the hardware give one process these n exposures (kernel/proc/expo.h)
 * beside its own records, each exactly, R+W?  Records of size 0 are
 * none.  KERR_OK; KERR_NOMEM not enough room (PMP entries); KERR_INVAL
 * not expressible exactly (PMP: base or size not a multiple of 4; Sv39:
 * not whole pages).  Pure.  mpu_configure() programs p->expo[] with p's
 * records once the set was accepted.
 */
enum kerr mpu_expo_check(const struct mpu_region *ex, unsigned n)
	__attribute__((warn_unused_result));
#endif

/*
 * Bytes of per-process state the backend keeps (0: none).  proc.c carves
 * them from the kernel-owned top of each process's RAM block, where they
 * cost the process's memory rather than fixed kernel RAM, and hands them
 * out as proc_mpu_state(p).  The PMP backend keeps there the register
 * values of p's plan, so that a switch only copies them.
 */
size_t mpu_state_size(void);

/*
 * p's records have just changed (create, brk, restart): derive its
 * per-process state from them.  proc.c calls it before the new records can
 * reach mpu_load(); the records are ones mpu_fits() accepted.
 */
void mpu_configure(struct proc *p);

/*
 * Make p's current records the ones the hardware enforces for U-mode.
 * Called before p runs: by the trap path for every process it runs
 * (arch_run(), SYSCALL_SWITCH below), and for a caller that goes on
 * after its records changed (brk); unchanged records cost a compare.
 */
void mpu_load(const struct proc *p);

/*
 * Bracket a kernel access to p's user memory (process-buffer enter).  On
 * page-table boards this permits supervisor access to user pages (SUM) for
 * the duration.  An M-mode kernel (KERNEL_MODE_M, from the cross file)
 * reaches user memory as is: PMP entries it leaves unlocked do not bind
 * M-mode (RISC-V privileged spec, "Physical Memory Protection"), so there
 * the bracket is empty, and inline, so that the copy paths around it stay
 * leaf functions.
 */
#if KERNEL_MODE_M
static inline void mpu_user_access_begin(const struct proc *p)
{
	(void)p;
}
static inline void mpu_user_access_end(void)
{
}
#else
/*@ assigns \nothing; */
void mpu_user_access_begin(const struct proc *p);
/*@ assigns \nothing; */
void mpu_user_access_end(void);
#endif

/*
 * The bracket around a copy loop, inline where it can be.  Where
 * mpu_user_is_direct(p), the permission bit alone (on RISC-V
 * sstatus.SUM) permits what mpu_user_access_begin(p) would, for code
 * that calls nothing and loads no other space:
 *     unsigned long old = mpu_user_permit();
 *     ...accesses to p's memory...
 *     mpu_user_restore(old);
 * restore() clears the bit unless it was set before (an enclosing
 * bracket's).  Otherwise the caller brackets with mpu_user_access_begin()
 * and _end().  The backend keeps mpu_user_direct equal to a process only
 * while that process's space is the one loaded and is current (built for
 * the records of now); an M-mode kernel needs nothing (see above).  The
 * two S-mode instructions are written here rather than in the backend so
 * that they inline into kernel/'s copies: they are the whole bracket.
 */
#if KERNEL_MODE_M
static inline bool mpu_user_is_direct(const struct proc *p)
{
	(void)p;
	return true;
}
static inline unsigned long mpu_user_permit(void)
{
	return 0;
}
static inline void mpu_user_restore(unsigned long old)
{
	(void)old;
}
#else
/* Written only by the backend; NULL: every bracket out of line. */
extern const struct proc *mpu_user_direct;

static inline bool mpu_user_is_direct(const struct proc *p)
{
	return mpu_user_direct == p;
}

#if KERNEL_MODE_S
#define MPU_SSTATUS_SUM (1ul << 18) /* privileged spec, "sstatus" */

static inline unsigned long mpu_user_permit(void)
{
	unsigned long old;

	__asm__ __volatile__("csrrs %0, sstatus, %1"
			     : "=r"(old)
			     : "r"(MPU_SSTATUS_SUM)
			     : "memory");
	return old & MPU_SSTATUS_SUM;
}
static inline void mpu_user_restore(unsigned long old)
{
	if (old == 0)
		__asm__ __volatile__("csrc sstatus, %0" ::"r"(MPU_SSTATUS_SUM)
				     : "memory");
}
#else
/* The host board's fakes (and what ./tern prove sees). */
/*@ assigns \nothing; */
unsigned long mpu_user_permit(void);
/*@ assigns \nothing; */
void mpu_user_restore(unsigned long old);
#endif
#endif

/* ---- running user code ---- */

enum arch_trap_kind {
	ARCH_TRAP_SYSCALL = 1,	/* ecall done; the caller cannot go on */
	ARCH_TRAP_TIMER = 2,	/* timer interrupt */
	ARCH_TRAP_EXTERNAL = 3, /* device interrupt (PLIC) or other interrupt */
	ARCH_TRAP_FAULT = 4,	/* any other synchronous exception */
	ARCH_TRAP_SYSCALL_INVALID = 5, /* ecall of an invalid class */
};

struct arch_trap {
	uint8_t kind;	 /* enum arch_trap_kind */
	uintptr_t cause; /* raw xcause, for reports */
	uintptr_t tval;	 /* raw xtval */
	struct proc *proc; /* the process that trapped (see arch_run) */
};

/*
 * Run p in U-mode, starting from p->ctx (x[0] = pc), with p's protection
 * loaded (mpu_load(), called here), until p traps and cannot simply go
 * on.
 *
 * The trap path's contract with the system-call layer: every ecall goes to
 * syscall_entry() (kernel/fastpath.h) on the kernel stack, with the pc in
 * p->ctx already past the ecall, and the struct syscall_outcome it returns
 * (kernel/syscall.h) says what the trap path does next:
 *   SYSCALL_RETURN   p goes on at once (its caller-saved registers
 *                    reloaded from p->ctx); arch_run() does not return;
 *   SYSCALL_UPCALL   the same, from the pc in p->ctx;
 *   SYSCALL_SWITCH   the process it names runs instead, from its whole
 *                    ctx, p->ctx completed first and its protection
 *                    loaded (mpu_load()): here, as arch_run() does,
 *                    where the scheduler's switch leaves it to the
 *                    trap path (SCHED_SWITCH_LINE, kernel/sched.c),
 *                    else by the scheduler; arch_run() does not return;
 *   SYSCALL_BLOCKED  arch_run() returns with ARCH_TRAP_SYSCALL;
 *   SYSCALL_INVALID  arch_run() returns with ARCH_TRAP_SYSCALL_INVALID
 *                    (the pc at the ecall): the run loop faults p.
 * For every other trap arch_run() returns with the pc at the trapping
 * instruction.  Whenever it returns, p->ctx holds every user register and
 * *t describes the trap.  The kernel runs with interrupts masked; an
 * interrupt taken in U-mode returns here.
 *
 * Since a system call may switch to another process without returning,
 * t->proc says which process trapped in the end, and it is the one the
 * caller's loop goes on with.
 */
void arch_run(struct proc *p, struct arch_trap *t);

/* Sleep until an interrupt is pending (interrupts stay masked). */
void arch_wait_for_interrupt(void);

/*
 * What the report says instead of where tval lies, for a fault whose tval
 * is no address but an instruction reaching for hart state processes are
 * denied on purpose ("FP/vector/counters/privileged: denied"); NULL for
 * every other fault.
 */
const char *arch_fault_detail(uintptr_t cause, uintptr_t tval);
