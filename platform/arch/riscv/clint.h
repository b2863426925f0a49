/* SPDX-License-Identifier: MIT */
/*
 * The core-local interruptor's timer (SiFive CLINT layout, also QEMU's
 * ACLINT MTIMER): hart 0's mtimecmp and the shared mtime counter.
 *
 * Shared by every M-mode board; the board gives the base address and the
 * counter's frequency.  Boards whose harts implement the time CSR (QEMU
 * virt) read the counter through it (csr_read_time64(), cheaper than MMIO);
 * boards whose harts do not (the FE310's E31 core traps on rdtime) use
 * clint_read_mtime().  Reached from M-mode only.
 */
#pragma once

#include <stdint.h>

struct clint {
	uintptr_t base;
};

/* Set hart 0's mtimecmp without a spurious early match on rv32. */
void clint_set_mtimecmp(const struct clint *c, uint64_t v);

/* The 64-bit mtime counter, read consistently on rv32. */
uint64_t clint_read_mtime(const struct clint *c);
