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
size_t mpu_granule(void);

/*
 * True when the hardware can express exactly these n records at once for one
 * process (enough PMP entries, alignment, ...).  Pure; programs nothing.
 */
bool mpu_fits(const struct mpu_region *r, unsigned n);

/*
 * Make p's current records the ones the hardware enforces for U-mode.
 * Called by the scheduler before p runs when p or its records changed.
 */
void mpu_load(const struct proc *p);

/*
 * Bracket a kernel access to p's user memory (process-buffer enter).  On
 * page-table boards this permits supervisor access to user pages (SUM) for
 * the duration; on PMP boards it does nothing.
 */
void mpu_user_access_begin(const struct proc *p);
void mpu_user_access_end(void);
