/* SPDX-License-Identifier: MIT */
/*
 * Control and status registers: access macros, bit names, and the mapping
 * that lets one trap path serve a kernel in M-mode or in S-mode.
 *
 * CSRs are reached only through csr_read()/csr_write()/csr_set()/csr_clear()
 * with the CSR's name as a token (csr_read(mstatus)), so the assembler checks
 * every name.  Code that must work in either kernel mode names the CSR
 * through CSR_X* (CSR_XSTATUS is mstatus when the cross file defines
 * KERNEL_MODE_M, sstatus when it defines KERNEL_MODE_S); csr.h is the only
 * place that mapping is written.  Bit names copy the privileged spec.
 *
 * This header is included by C and by assembly; the C part is fenced off.
 */
#pragma once

/* ---- mstatus / sstatus ---- */
#define MSTATUS_SIE (1ul << 1)
#define MSTATUS_MIE (1ul << 3)
#define MSTATUS_SPIE (1ul << 5)
#define MSTATUS_MPIE (1ul << 7)
#define MSTATUS_SPP (1ul << 8)
#define MSTATUS_MPP (3ul << 11)
#define MSTATUS_VS (3ul << 9)
#define MSTATUS_FS (3ul << 13)
#define MSTATUS_MPRV (1ul << 17)
#define MSTATUS_SUM (1ul << 18)
#define MSTATUS_MXR (1ul << 19)
#define MSTATUS_TW (1ul << 21)
#define SSTATUS_UXL_64 (2ul << 32) /* rv64 only: U-mode XLEN = 64 */
#define SSTATUS_SIE MSTATUS_SIE
#define SSTATUS_SPIE MSTATUS_SPIE
#define SSTATUS_SPP MSTATUS_SPP
#define SSTATUS_SUM MSTATUS_SUM
#define SSTATUS_MXR MSTATUS_MXR

/* ---- interrupt numbers (xcause with the top bit set) and mie/mip bits ---- */
#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT 9
#define IRQ_M_EXT 11
#define MIP_MSIP (1ul << IRQ_M_SOFT)
#define MIP_MTIP (1ul << IRQ_M_TIMER)
#define MIP_MEIP (1ul << IRQ_M_EXT)
#define MIP_SSIP (1ul << IRQ_S_SOFT)
#define MIP_STIP (1ul << IRQ_S_TIMER)
#define MIP_SEIP (1ul << IRQ_S_EXT)
#define MIE_MTIE MIP_MTIP
#define MIE_MEIE MIP_MEIP
#define SIE_STIE MIP_STIP
#define SIE_SEIE MIP_SEIP

/* ---- exception causes (xcause with the top bit clear) ---- */
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_USER_ECALL 8
#define CAUSE_SUPERVISOR_ECALL 9
#define CAUSE_MACHINE_ECALL 11
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15

/* ---- counter enable (mcounteren / scounteren) ---- */
#define COUNTEREN_CY (1ul << 0)
#define COUNTEREN_TM (1ul << 1)
#define COUNTEREN_IR (1ul << 2)

/*
 * menvcfg / senvcfg (privileged spec 1.12; numbers, since the assembler
 * predates the names): 0 turns off every U-mode cache-block operation.
 */
#define CSR_MENVCFG 0x30a
#define CSR_MENVCFGH 0x31a
#define CSR_SENVCFG 0x10a

/* ---- the kernel's privilege level ---- */
#if KERNEL_MODE_M
#define CSR_XSTATUS mstatus
#define CSR_XIE mie
#define CSR_XIP mip
#define CSR_XTVEC mtvec
#define CSR_XSCRATCH mscratch
#define CSR_XEPC mepc
#define CSR_XCAUSE mcause
#define CSR_XTVAL mtval
#define XSTATUS_XIE MSTATUS_MIE
#define XSTATUS_XPP MSTATUS_MPP /* previous privilege; 0 = U */
#define XSTATUS_XPIE MSTATUS_MPIE
#define CSR_XENVCFG CSR_MENVCFG
/*
 * What xstatus holds from boot on (trap.h, "Hart state"): TW, so that
 * U-mode wfi traps; every other writable field 0 (FS, VS Off; MPRV, SUM,
 * MXR, MPP, MPIE, MIE clear; little-endian).  Also written whole on every
 * return to U-mode (user_status_set, trap.h).
 */
#define XSTATUS_BOOT MSTATUS_TW
#define XIE_XTIE MIE_MTIE
#define XIE_XEIE MIE_MEIE
#define IRQ_X_TIMER IRQ_M_TIMER
#define IRQ_X_EXT IRQ_M_EXT
#define XRET mret
#elif KERNEL_MODE_S
#define CSR_XSTATUS sstatus
#define CSR_XIE sie
#define CSR_XIP sip
#define CSR_XTVEC stvec
#define CSR_XSCRATCH sscratch
#define CSR_XEPC sepc
#define CSR_XCAUSE scause
#define CSR_XTVAL stval
#define XSTATUS_XIE SSTATUS_SIE
#define XSTATUS_XPP SSTATUS_SPP
#define XSTATUS_XPIE SSTATUS_SPIE
#define CSR_XENVCFG CSR_SENVCFG
/* As for M-mode above; UXL = 64 (rv64: the only S-mode board). */
#if __riscv_xlen == 64
#define XSTATUS_BOOT SSTATUS_UXL_64
#else
#define XSTATUS_BOOT 0
#endif
#define XIE_XTIE SIE_STIE
#define XIE_XEIE SIE_SEIE
#define IRQ_X_TIMER IRQ_S_TIMER
#define IRQ_X_EXT IRQ_S_EXT
#define XRET sret
#else
#error "cross file must define KERNEL_MODE_M or KERNEL_MODE_S"
#endif

/* ---- register width, for code that serves rv32 and rv64 ---- */
#if __riscv_xlen == 32
#define REGBYTES 4
#define REG_S sw
#define REG_L lw
#elif __riscv_xlen == 64
#define REGBYTES 8
#define REG_S sd
#define REG_L ld
#else
#error "unsupported XLEN"
#endif

#ifndef __ASSEMBLER__

#include <stdint.h>

#include "kernel/kassert.h"

/* Expands a CSR name token (possibly a CSR_X* macro) into a string. */
#define CSR_STR_(x) #x
#define CSR_STR(x) CSR_STR_(x)

#define csr_read(csr)                                                       \
	__extension__({                                                     \
		unsigned long v_;                                           \
		__asm__ __volatile__("csrr %0, " CSR_STR(csr)               \
				     : "=r"(v_)                             \
				     :                                      \
				     : "memory");                           \
		v_;                                                         \
	})

#define csr_write(csr, val)                                                 \
	__extension__({                                                     \
		unsigned long v_ = (unsigned long)(val);                    \
		__asm__ __volatile__("csrw " CSR_STR(csr) ", %0"            \
				     :                                      \
				     : "rK"(v_)                             \
				     : "memory");                           \
	})

/* Set the bits of mask; returns the old value. */
#define csr_set(csr, mask)                                                  \
	__extension__({                                                     \
		unsigned long v_ = (unsigned long)(mask);                   \
		__asm__ __volatile__("csrrs %0, " CSR_STR(csr) ", %1"       \
				     : "=r"(v_)                             \
				     : "rK"(v_)                             \
				     : "memory");                           \
		v_;                                                         \
	})

/* Clear the bits of mask; returns the old value. */
#define csr_clear(csr, mask)                                                \
	__extension__({                                                     \
		unsigned long v_ = (unsigned long)(mask);                   \
		__asm__ __volatile__("csrrc %0, " CSR_STR(csr) ", %1"       \
				     : "=r"(v_)                             \
				     : "rK"(v_)                             \
				     : "memory");                           \
		v_;                                                         \
	})

/*
 * The time CSR (mtime as the hart sees it), 64 bits on rv32 too.  Only for
 * boards whose harts implement it (QEMU virt does; on others reading it
 * traps).
 */
static inline uint64_t csr_read_time64(void)
{
#if __riscv_xlen == 32
	uint32_t hi, lo;

	/* the low half may carry into the high half between the reads */
	do {
		hi = csr_read(timeh);
		lo = csr_read(time);
	} while (csr_read(timeh) != hi);
	return ((uint64_t)hi << 32) | lo;
#else
	return csr_read(time);
#endif
}

/*
 * pmpaddr<i> and pmpcfg<i> with i known only at run time.  CSR numbers are
 * instruction immediates, so these switch over every index; where i is a
 * compile-time constant the switch folds to one instruction.  An index the
 * ISA does not define (i > 15, or an odd pmpcfg on rv64) is a kernel bug.
 */
#define CSR_PMP_CASE_R_(n, reg)                                             \
	case n:                                                             \
		return csr_read(reg)
#define CSR_PMP_CASE_W_(n, reg, v)                                          \
	case n:                                                             \
		csr_write(reg, v);                                          \
		return

static inline unsigned long csr_read_pmpaddr(unsigned i)
{
	switch (i) {
		CSR_PMP_CASE_R_(0, pmpaddr0);
		CSR_PMP_CASE_R_(1, pmpaddr1);
		CSR_PMP_CASE_R_(2, pmpaddr2);
		CSR_PMP_CASE_R_(3, pmpaddr3);
		CSR_PMP_CASE_R_(4, pmpaddr4);
		CSR_PMP_CASE_R_(5, pmpaddr5);
		CSR_PMP_CASE_R_(6, pmpaddr6);
		CSR_PMP_CASE_R_(7, pmpaddr7);
		CSR_PMP_CASE_R_(8, pmpaddr8);
		CSR_PMP_CASE_R_(9, pmpaddr9);
		CSR_PMP_CASE_R_(10, pmpaddr10);
		CSR_PMP_CASE_R_(11, pmpaddr11);
		CSR_PMP_CASE_R_(12, pmpaddr12);
		CSR_PMP_CASE_R_(13, pmpaddr13);
		CSR_PMP_CASE_R_(14, pmpaddr14);
		CSR_PMP_CASE_R_(15, pmpaddr15);
	}
	kpanic("pmpaddr%u does not exist", i);
}

static inline void csr_write_pmpaddr(unsigned i, unsigned long v)
{
	switch (i) {
		CSR_PMP_CASE_W_(0, pmpaddr0, v);
		CSR_PMP_CASE_W_(1, pmpaddr1, v);
		CSR_PMP_CASE_W_(2, pmpaddr2, v);
		CSR_PMP_CASE_W_(3, pmpaddr3, v);
		CSR_PMP_CASE_W_(4, pmpaddr4, v);
		CSR_PMP_CASE_W_(5, pmpaddr5, v);
		CSR_PMP_CASE_W_(6, pmpaddr6, v);
		CSR_PMP_CASE_W_(7, pmpaddr7, v);
		CSR_PMP_CASE_W_(8, pmpaddr8, v);
		CSR_PMP_CASE_W_(9, pmpaddr9, v);
		CSR_PMP_CASE_W_(10, pmpaddr10, v);
		CSR_PMP_CASE_W_(11, pmpaddr11, v);
		CSR_PMP_CASE_W_(12, pmpaddr12, v);
		CSR_PMP_CASE_W_(13, pmpaddr13, v);
		CSR_PMP_CASE_W_(14, pmpaddr14, v);
		CSR_PMP_CASE_W_(15, pmpaddr15, v);
	}
	kpanic("pmpaddr%u does not exist", i);
}

/* i is the register number: 0..3 on rv32, 0 or 2 on rv64. */
static inline unsigned long csr_read_pmpcfg(unsigned i)
{
	switch (i) {
		CSR_PMP_CASE_R_(0, pmpcfg0);
		CSR_PMP_CASE_R_(2, pmpcfg2);
#if __riscv_xlen == 32
		CSR_PMP_CASE_R_(1, pmpcfg1);
		CSR_PMP_CASE_R_(3, pmpcfg3);
#endif
	}
	kpanic("pmpcfg%u does not exist", i);
}

static inline void csr_write_pmpcfg(unsigned i, unsigned long v)
{
	switch (i) {
		CSR_PMP_CASE_W_(0, pmpcfg0, v);
		CSR_PMP_CASE_W_(2, pmpcfg2, v);
#if __riscv_xlen == 32
		CSR_PMP_CASE_W_(1, pmpcfg1, v);
		CSR_PMP_CASE_W_(3, pmpcfg3, v);
#endif
	}
	kpanic("pmpcfg%u does not exist", i);
}

#endif /* !__ASSEMBLER__ */
