/* SPDX-License-Identifier: MIT */
/*
 * The core-local interruptor's timer (SiFive CLINT layout): the free-running
 * mtime counter and hart 0's mtimecmp compare.  Reached from M-mode only.
 */
#pragma once

#include <stdint.h>

struct clint {
	uintptr_t base;
};

/* mtime, read consistently on rv32 (two halves). */
uint64_t clint_mtime(const struct clint *c);

/* Set hart 0's mtimecmp without a spurious early match on rv32. */
void clint_set_mtimecmp(const struct clint *c, uint64_t v);
