/* SPDX-License-Identifier: MIT */
/*
 * The PMP hardware of this hart: how many entries it has, and its reset.
 *
 * The entry count is a board fact written in the board's cross file
 * (property pmp_entries) and reaches C as RISCV_PMP_ENTRIES.  The mpu_*
 * functions of kernel/hw.h are implemented in pmp_hw.c on top of the pure
 * planner in pmp.h.
 */
#pragma once

#include "platform/arch/riscv/pmp.h"

#ifndef RISCV_PMP_ENTRIES
#error "RISCV_PMP_ENTRIES must come from the cross file (pmp_entries)"
#endif
#if RISCV_PMP_ENTRIES < 1 || RISCV_PMP_ENTRIES > PMP_MAX_ENTRIES
#error "RISCV_PMP_ENTRIES out of range"
#endif

/* cfg bytes per pmpcfg register, and how many registers the entries use. */
#define PMP_CFG_PER_REG (__riscv_xlen / 8)
#define PMP_CFG_REGS                                                        \
	((RISCV_PMP_ENTRIES + PMP_CFG_PER_REG - 1) / PMP_CFG_PER_REG)

/*
 * Turn every entry off.  Unlocked entries never constrain M-mode and a
 * U-mode access that matches no entry fails, so afterwards U-mode may
 * access nothing until mpu_load().  Called once at boot.
 */
void pmp_hw_init(void);

/*
 * How many mpu_load() calls wrote the hardware since boot: what a switch
 * between processes costs in PMP writes (the bench reports it).
 */
extern unsigned long pmp_hw_loads;
