// SPDX-License-Identifier: MIT
/*
 * PLIC enable / claim / complete for one context; see plic.h.  The PLIC
 * does no DMA: its registers take the fence-free accessors (mmio.h).
 */
#include "platform/arch/riscv/plic.h"

#include "platform/arch/riscv/mmio.h"

/* clang-format off */
#define PLIC_PRIORITY(src)   (0x000000u + 4u * (src))      /* per source */
#define PLIC_ENABLE(ctx)     (0x002000u + 0x80u * (ctx))   /* bit per source */
#define PLIC_THRESHOLD(ctx)  (0x200000u + 0x1000u * (ctx))
/* read: claim, write: complete */
#define PLIC_CLAIM(ctx)      (0x200004u + 0x1000u * (ctx))
/* clang-format on */

void plic_reset(const struct plic *pl, unsigned nsrc)
{
	uintptr_t en = pl->base + PLIC_ENABLE(pl->context);

	/* source 0 does not exist; its enable bit is hardwired to 0 */
	for (unsigned w = 0; w <= nsrc / 32; w++)
		mmio_write32_relaxed(en + 4u * w, 0);
}

void plic_enable(const struct plic *pl, unsigned src, uint32_t prio)
{
	uintptr_t en = pl->base + PLIC_ENABLE(pl->context) + 4u * (src / 32);

	mmio_write32_relaxed(pl->base + PLIC_PRIORITY(src), prio);
	mmio_write32_relaxed(en, mmio_read32_relaxed(en) | (1u << (src % 32)));
}

void plic_set_threshold(const struct plic *pl, uint32_t threshold)
{
	mmio_write32_relaxed(pl->base + PLIC_THRESHOLD(pl->context), threshold);
}

unsigned plic_claim(const struct plic *pl)
{
	return mmio_read32_relaxed(pl->base + PLIC_CLAIM(pl->context));
}

void plic_complete(const struct plic *pl, unsigned src)
{
	mmio_write32_relaxed(pl->base + PLIC_CLAIM(pl->context), src);
}
