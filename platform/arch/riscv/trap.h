/* SPDX-License-Identifier: MIT */
/*
 * Frame layouts shared by trap.S and C, with every offset pinned.
 *
 * Two frames exist:
 *
 *   struct arch_ctx (kernel/hw.h), one per process, inside struct proc.
 *   While a process runs, xscratch points at it; the trap entry stores the
 *   user registers there (x[0] holds the pc; all 31 registers whenever the
 *   run loop gets to see them, see trap.S) and arch_run() loads them back.
 *   Slot i is at CTX_OFF(i).
 *
 *     offset  0        1*R  2*R  3*R  4*R  5*R..7*R  8*R  9*R  10*R..17*R
 *             pc       ra   sp   gp   tp   t0..t2    s0   s1   a0..a7
 *     offset  18*R..27*R  28*R..31*R        (R = REGBYTES)
 *             s2..s11     t3..t6
 *
 *   struct trap_kframe, on the kernel stack below arch_run()'s caller: the
 *   kernel's callee-saved registers and the arch_trap and proc pointers,
 *   saved by arch_run() and restored by the trap entry's slow exit; proc
 *   is the running process (a switch from a system call changes it).  In
 *   S-mode it also holds the value each return to U-mode writes to
 *   xstatus (user_status_set).
 *   trap_kernel_sp holds its address while a process runs; syscall_entry()
 *   runs on the stack below it.
 *
 * Nothing else crosses between assembly and C.  Changing a layout means
 * changing the offsets here; the _Static_asserts in trap.c catch a mismatch.
 *
 * Hart state
 * ----------
 * Everything a U-mode process can read or change on the three boards
 * (qemu-virt-rv32: rv32gc, M-mode kernel, S-mode present but unused;
 * qemu-virt-rv64: rv64gc, S-mode kernel under OpenSBI; hifive1: E31,
 * rv32imac, M and U only), and what the kernel does about each.  "Saved"
 * means per process in struct arch_ctx; "off" means U-mode access raises
 * an illegal-instruction exception, which stops the process with a fault
 * report that names the denied state (arch_fault_detail(): "FP, vector,
 * counters, privileged state: off for processes", beside the instruction).
 *
 *   x1-x31 (incl. sp, gp, tp)  saved; the pc too (slot 0).  A new or
 *                     restarted incarnation starts from all zeroes but the
 *                     entry arguments (proc.c).  gp and tp are the
 *                     process's own: the kernel never uses tp, and where it
 *                     has a gp of its own (kernel_gp) the trap entry saves
 *                     the user's first and reloads it on every exit.
 *   f0-f31, fcsr      off: xstatus.FS = Off from boot and on every return
 *                     to U-mode, so every FP instruction and fflags/frm/
 *                     fcsr trap (the rv32/rv64 virt harts have F and D;
 *                     the E31 has no FPU, FS is read-only 0 there).
 *   v0-v31, vl, vtype, vstart, vxrm, vxsat, vcsr, vlenb
 *                     off: xstatus.VS = Off likewise (QEMU 7.2's harts have
 *                     no V; VS is then read-only 0).
 *   XS, SD            read-only summaries; 0 with FS and VS Off and no
 *                     custom extension state.
 *   cycle, instret, hpmcounter3-31 (and rv32 high halves)
 *                     off: xcounteren CY, IR, HPMn = 0, written at boot
 *                     (M-mode: mcounteren, and scounteren where S exists;
 *                     S-mode: scounteren, OpenSBI owns mcounteren).  They
 *                     would time other processes' work.  (The bench
 *                     driver, tests/bench, opens instret for its counts.)
 *   time              readable: TM = 1 (the same mtime every process and
 *                     the alarm driver see; no per-process information).
 *                     The E31 has no time CSR: rdtime traps there, and on
 *                     the silicon, as an illegal instruction.
 *   mcounteren, scounteren, xstatus, xenvcfg, satp, pmp*, every other
 *   S- or M-level CSR, wfi, xret, sfence.vma
 *                     off by privilege: illegal instruction.  wfi: M-mode boards set
 *                     mstatus.TW, so U-mode wfi traps on the E31 too
 *                     (without S-mode, TW = 0 would let it sleep).
 *   xstatus fields that shape U-mode
 *                     MPRV, SUM, MXR = 0, xPP = U, xPIE = 0, FS = VS = Off:
 *                     put back on every return to U-mode
 *                     (user_status_set: xstatus written whole with
 *                     XSTATUS_BOOT) and at boot (entry.S, XSTATUS_BOOT: also TW = 1
 *                     on M-mode boards, UXL = 64 on rv64, UBE/SBE/MBE =
 *                     0; at run time the kernel writes those only with
 *                     the same value).
 *   xenvcfg           0 at boot where the hart has it (priv. spec 1.12:
 *                     both virt harts; the E31 has none): cbo.* off.
 *   LR/SC reservation dropped on every switch: the exit that loads a
 *                     whole context (run_a0 in trap.S) does an SC first.
 *   seed (Zkr)        not on these harts (QEMU 7.2's virt CPUs leave
 *                     Zkr off; the E31 has none): illegal instruction.
 *   debug triggers (tselect/tdata*)
 *                     M-mode only, never armed by the kernel.  Not
 *                     handled: a trigger a boot loader left armed for
 *                     U-mode would give a process breakpoint faults (it
 *                     reveals nothing of another process).
 *   memory            only through the protection records (PMP / Sv39);
 *                     every byte is zero the first time an incarnation can
 *                     reach it (kernel/proc/proc.h).
 *
 * Tested by tests/qemu/hart_* on every board (see the README's "Security
 * model").
 */
#pragma once

#include "platform/arch/riscv/csr.h"

/* Offset of register slot i in struct arch_ctx. */
#define CTX_OFF(i) ((i) * REGBYTES)
#define CTX_SIZE (32 * REGBYTES)

/* struct trap_kframe */
#define KF_RA (0 * REGBYTES)
#define KF_S(i) ((1 + (i)) * REGBYTES) /* s0..s11 */
#define KF_TRAP (13 * REGBYTES)	       /* struct arch_trap * */
#define KF_PROC (14 * REGBYTES)	       /* struct proc * */
#define KF_XSTATUS (15 * REGBYTES)     /* S-mode: see user_status_set */
#define KF_SIZE (16 * REGBYTES)	       /* keeps sp 16-byte aligned */

/*
 * enum syscall_next (kernel/syscall.h) as trap.S tests it: SYSCALL_RETURN
 * is 0, SYSCALL_UPCALL below this, SYSCALL_SWITCH this, the run loop's
 * outcomes above (asserted in trap.c).
 */
#define TRAP_SYSCALL_SWITCH 2

/*
 * Stack for reporting a trap taken in the kernel (its own sp may be bad).
 * A board short of RAM may set a smaller one (cross file property
 * trap_panic_stack); a report takes about 300 bytes on rv32.
 */
#ifndef TRAP_PANIC_STACK
#define TRAP_PANIC_STACK 1024
#endif

#if defined(__ASSEMBLER__) && RISCV_KERNEL_GP
/*
 * gp := the kernel's, where it has one (see trap.S): at boot and on every
 * trap from U-mode.  Not relaxed itself, since gp does not hold it yet.
 */
.macro load_kernel_gp
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
.endm
#endif

#if defined(__ASSEMBLER__)
/*
 * Every return to U-mode: the status fields a process could see or that
 * would give it more than U-mode are put back (see "Hart state" above).
 * xstatus is written whole with its boot value, XSTATUS_BOOT: every
 * field is set, not only the ones a process could use (xIE too: xret
 * takes it from xPIE = 0 anyway), in two instructions, against three for
 * a build-and-clear of a mask.  In M-mode the value is one lui (TW
 * alone).  In S-mode (rv64) it holds UXL = 64 above bit 31, which takes
 * two instructions to build: arch_run() builds it once into its kframe,
 * and each exit loads it from there (sp points at the kframe on every
 * exit).
 */
#if KERNEL_MODE_M
.if (XSTATUS_BOOT & 0xfff) || XSTATUS_BOOT >= 0x80000000
.error "XSTATUS_BOOT must be one lui (user_status_set)"
.endif
.macro user_status_set tmp
	li	\tmp, XSTATUS_BOOT
	csrw	CSR_XSTATUS, \tmp
.endm
#else
.macro user_status_set tmp
	REG_L	\tmp, KF_XSTATUS(sp)
	csrw	CSR_XSTATUS, \tmp
.endm
#endif
#if __riscv_xlen == 32
#define REG_SC sc.w
#else
#define REG_SC sc.d
#endif
#endif

#ifndef __ASSEMBLER__

#include <stdint.h>

#include "kernel/hw.h"

struct trap_kframe {
	uintptr_t ra;
	uintptr_t s[12];
	struct arch_trap *trap;
	struct proc *proc;
	uintptr_t xstatus; /* S-mode: XSTATUS_BOOT (user_status_set) */
};

/* Kernel sp (pointing at a struct trap_kframe) while a process runs. */
extern uintptr_t trap_kernel_sp;

/* trap.S: the trap vector, installed in xtvec (direct mode). */
void trap_vector(void);

/*
 * trap.S tail-calls this on every trap from U-mode that returns from
 * arch_run(), with the kernel context restored: fill *t from the raw cause
 * (and xtval) and p, the process that trapped (not arch_run()'s own when a
 * system call switched processes), and return to arch_run()'s caller.
 * For an ecall, next is what syscall_entry() returned (SYSCALL_BLOCKED or
 * SYSCALL_INVALID); for other traps it is meaningless and ignored.
 */
void trap_classify(struct arch_trap *t, uintptr_t cause, uintptr_t next,
		   struct proc *p);

/*
 * trap.S calls this, on a private stack, for a trap taken while the kernel
 * itself ran (xscratch == 0): a kernel bug.  ra and sp are the kernel's at the
 * trap.  Reports and stops.
 */
__attribute__((noreturn)) void trap_kernel_fault(uintptr_t ra, uintptr_t sp);

#endif /* !__ASSEMBLER__ */
