// SPDX-License-Identifier: MIT
/*
 * QEMU scenario hart_boot, on the kernel-test kernel, which starts as if a
 * hostile boot loader had left the hart dirty (tests/qemu/ktest/
 * hostile_boot.S, run before the kernel's _start: FP and vector on, MPRV,
 * SUM and MXR set, previous privilege not U, xPIE set, TW clear, every
 * counter open to U-mode).  The kernel-test driver's command 4 shows
 * xstatus inside a system call and the counters U-mode may read; each
 * field must be what trap.h's "Hart state" says, whatever the boot loader
 * did.  The other apps of the scenario (isolation/crosser.c) must still
 * fault: line fp_insn on its first FP instruction, and a privileged CSR
 * write (line counteren in M-mode, fs_enable in S-mode), which would pass
 * if a process ran above U-mode; this one, once its verdict is out, on
 * cbo.zero (xenvcfg, which the dirty boot opened).
 *
 * Built with -DMODE_M (M-mode kernel: mstatus) or not (S-mode: sstatus).
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define KTEST_DRIVER 0x90057u
#define KTEST_HART_STATE 4u

/* xstatus fields (privileged spec), the same bits in mstatus and sstatus */
#define ST_SIE (1u << 1)
#define ST_MIE (1u << 3)
#define ST_SPP (1u << 8)
#define ST_VS (3u << 9)
#define ST_MPP (3u << 11)
#define ST_FS (3u << 13)
#define ST_MPRV (1u << 17)
#define ST_SUM (1u << 18)
#define ST_MXR (1u << 19)
#define ST_TW (1u << 21)
#define CE_TM (1u << 1)

static uint32_t here[16] __attribute__((aligned(64)));

static void fields(const char *when, uint32_t st)
{
	ktest_check((st & ST_FS) == 0, "%s: FS Off (%08x)", when,
		    (unsigned)st);
	ktest_check((st & ST_VS) == 0, "%s: VS Off", when);
	ktest_check((st & ST_SUM) == 0, "%s: SUM clear", when);
	ktest_check((st & ST_MXR) == 0, "%s: MXR clear", when);
	ktest_check((st & ST_SPP) == 0, "%s: SPP = U", when);
#if defined(MODE_M)
	ktest_check((st & ST_MPRV) == 0, "%s: MPRV clear", when);
	ktest_check((st & ST_MPP) == 0, "%s: MPP = U", when);
	ktest_check((st & ST_TW) != 0, "%s: TW set (U-mode wfi traps)", when);
#endif
	/* the kernel runs with interrupts masked (the trap cleared xIE) */
	ktest_check((st & (ST_MIE | ST_SIE)) == 0, "%s: xIE clear", when);
}

int main(void)
{
	struct sys_return r = sys_command(KTEST_DRIVER, KTEST_HART_STATE, 0, 0);

	if (!ktest_check(r.variant == SYS_SUCCESS_2U32,
			 "kernel-test driver answers (variant %u)",
			 (unsigned)r.variant))
		return ktest_done("hart_boot");
	fields("in a system call", (uint32_t)r.v[0]);
	ktest_check((uint32_t)r.v[1] == CE_TM,
		    "U-mode counters: time only (%08x)", (unsigned)r.v[1]);
	/* let the FP crosser fault while this process is alive */
	alarm_delay_ms(50);
	if (ktest_done("hart_boot") != 0)
		return 1;
	/*
	 * Last, cache-block operations, which the dirty boot opened in
	 * xenvcfg where the hart has one: cbo.zero on its own RAM must be an
	 * illegal instruction (the expected end of this process).
	 */
	tern_printf("hart_boot: cbo.zero next\n");
	__asm__ __volatile__("mv a0, %0\n\t.4byte 0x0045200f"
			     :
			     : "r"(&here)
			     : "a0", "memory");
	tern_printf("KTEST FAIL hart_boot: cbo.zero did not fault\n");
	return 1;
}
