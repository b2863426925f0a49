/* SPDX-License-Identifier: MIT */
/*
 * The platform-level interrupt controller (SiFive PLIC layout), seen from one
 * hart context.  Shared by the boards; each names its base and context (QEMU
 * virt: context 0 is hart 0 in M-mode, 1 is hart 0 in S-mode; the FE310 has
 * only context 0, hart 0 in M-mode).
 */
#pragma once

#include <stdint.h>

struct plic {
	uintptr_t base;
	unsigned context;
};

/*
 * Disable sources 1..nsrc for the context.  A PLIC's enable bits may come
 * out of reset undefined (the FE310's manual lists them so), or a boot
 * loader may have left some set: a source nobody serves could then hold
 * the context's external interrupt pending for ever.  (Priorities then do
 * not matter: a disabled source never reaches the context.)
 */
void plic_reset(const struct plic *pl, unsigned nsrc);

/* Route source src to the context at priority prio (> 0) and enable it. */
void plic_enable(const struct plic *pl, unsigned src, uint32_t prio);

/* Let every priority above threshold through to the context. */
void plic_set_threshold(const struct plic *pl, uint32_t threshold);

/* The highest-priority pending source, now in service; 0 when none. */
unsigned plic_claim(const struct plic *pl);

/* End service of a source returned by plic_claim(). */
void plic_complete(const struct plic *pl, unsigned src);
