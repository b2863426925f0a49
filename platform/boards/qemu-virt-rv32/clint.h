/* SPDX-License-Identifier: MIT */
/*
 * The core-local interruptor's timer compare (SiFive CLINT layout): hart 0's
 * mtimecmp.  The counter itself is read through the time CSR
 * (csr_read_time64()).  Reached from M-mode only.
 */
#pragma once

#include <stdint.h>

struct clint {
	uintptr_t base;
};

/* Set hart 0's mtimecmp without a spurious early match on rv32. */
void clint_set_mtimecmp(const struct clint *c, uint64_t v);
