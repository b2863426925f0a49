// SPDX-License-Identifier: MIT
/*
 * FE310-G002 clocks; see prci.h.
 *
 * Why 256 MHz.  The manual allows the PLL output 48-384 MHz but rates the
 * core at 320 MHz at most, and boards differ in how far above 300 MHz they
 * stay stable; 256 MHz leaves 20 % margin below the rating, is 16 MHz x 16
 * exactly, and keeps the 115200 baud divisor within 0.01 %.
 *
 * The PLL (manual, "PLL Generation"): refr = 16 MHz / R must be 6-12 MHz,
 * vco = refr * F must be 384-768 MHz, pllout = vco / Q must be 48-384 MHz.
 * R = 2 (pllr 1), F = 64 (pllf 31), Q = 2 (pllq 1): 8, 512, 256 MHz.
 *
 * Why QSPI0 first.  The kernel executes in place from the SPI flash, whose
 * clock is the bus clock / (2 * (sckdiv + 1)).  The IS25LP032D serves the
 * controller's read command (03h) up to 50 MHz; the divider must be right
 * before the core speeds up, or the next instruction fetch fails.  We aim
 * at 40 MHz at most, for margin, which at 256 MHz is sckdiv 3 (32 MHz),
 * the reset value, so a boot loader that changed it is undone either way.
 * (SiFive's older SDK chose sckdiv 8, about 14 MHz, before raising the
 * clock; slower is safe too, but every instruction is fetched from here.)
 *
 * Order of the switch (manual, "PRCI" and the SiFive forum's corrections to
 * its clock diagram): never reconfigure the PLL while it drives the core;
 * change pllrefsel only while pllbypass is set; after clearing pllbypass,
 * wait 100 us before trusting plllock, which may glitch while the loop
 * settles.  The PRCI, QSPI0 and AON registers take the fence-free
 * accessors (mmio.h): no memory access here needs ordering against them.
 */
#include "platform/boards/hifive1/prci.h"

#include <stdint.h>

#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/mmio.h"

/* clang-format off */
#define PRCI_BASE      0x10008000u
#define PRCI_HFROSCCFG (PRCI_BASE + 0x0u)
#define PRCI_HFXOSCCFG (PRCI_BASE + 0x4u)
#define PRCI_PLLCFG    (PRCI_BASE + 0x8u)
#define PRCI_PLLOUTDIV (PRCI_BASE + 0xcu)

#define HFROSC_DEFAULT ((16u << 16) | 4u) /* trim 16, divide by 5 */
#define HFROSC_EN      (1u << 30)
#define HFROSC_RDY     (1u << 31)
#define HFXOSC_EN      (1u << 30)
#define HFXOSC_RDY     (1u << 31)
#define PLL_R(r)       ((uint32_t)((r) - 1) << 0)  /* divide by r, 1..8 */
#define PLL_F(f)       ((uint32_t)((f) / 2 - 1) << 4) /* times f, 2..128 */
#define PLL_Q(q)       ((uint32_t)((q) == 2 ? 1 : (q) == 4 ? 2 : 3) << 10)
#define PLL_SEL        (1u << 16) /* core clock from the PLL path */
#define PLL_REFSEL     (1u << 17) /* PLL reference: the crystal */
#define PLL_BYPASS     (1u << 18) /* PLL off, its output = its reference */
#define PLL_LOCK       (1u << 31)
#define PLLOUTDIV_BY1  (1u << 8)

#define QSPI0_SCKDIV   0x10014000u /* sck = f_bus / (2 * (div + 1)) */
#define QSPI0_SCK_MAX  40000000u

#define AON_LFROSCCFG  0x10000070u
#define LFROSC_EN      (1u << 30)
#define LFROSC_RDY     (1u << 31)
#define AON_LFCLKMUX   0x1000007cu
#define LFCLKMUX_EXT   (1u << 0) /* lfclk from the LFALTCLK pin */
/* the aon_lfclksel pin: 0 forces LFALTCLK, 1 lets LFCLKMUX_EXT choose */
#define LFCLKMUX_SW    (1u << 31)
/* clang-format on */

#define PLL_DIV_R 2u
#define PLL_MUL_F 64u
#define PLL_DIV_Q 2u

_Static_assert(PRCI_HFXOSC_HZ / PLL_DIV_R >= 6000000u &&
		       PRCI_HFXOSC_HZ / PLL_DIV_R <= 12000000u,
	       "PLL reference after R must be 6-12 MHz");
_Static_assert(PRCI_HFXOSC_HZ / PLL_DIV_R * PLL_MUL_F >= 384000000u &&
		       PRCI_HFXOSC_HZ / PLL_DIV_R * PLL_MUL_F <= 768000000u,
	       "PLL VCO must be 384-768 MHz");
_Static_assert(PRCI_HFXOSC_HZ / PLL_DIV_R * PLL_MUL_F / PLL_DIV_Q ==
		       PRCI_CORE_HZ,
	       "PLL settings do not give PRCI_CORE_HZ");
_Static_assert(PRCI_CORE_HZ <= 320000000u, "FE310-G002 is rated to 320 MHz");

/* Smallest sckdiv that keeps the flash clock at or below QSPI0_SCK_MAX. */
#define QSPI0_DIV                                                           \
	((PRCI_CORE_HZ + 2 * QSPI0_SCK_MAX - 1) / (2 * QSPI0_SCK_MAX) - 1)

/*
 * 100 us at the fastest the internal oscillator runs at its reset setting
 * (manual: about 13.8 MHz, +-50 % untrimmed), in cycles.
 */
#define PLL_SETTLE_CYCLES 2200u

static void wait_set(uintptr_t reg, uint32_t bit)
{
	while (!(mmio_read32_relaxed(reg) & bit))
		;
}

void prci_init(void)
{
	uint32_t cfg = mmio_read32_relaxed(PRCI_PLLCFG);
	unsigned long t0;

	mmio_write32_relaxed(QSPI0_SCKDIV, QSPI0_DIV);

	/*
	 * Run from the internal oscillator at its reset setting meanwhile
	 * (safe to retune while it drives the core), so that the settle
	 * wait below is counted at a known clock, and leave the PLL path.
	 */
	mmio_write32_relaxed(PRCI_HFROSCCFG, HFROSC_EN | HFROSC_DEFAULT);
	wait_set(PRCI_HFROSCCFG, HFROSC_RDY);
	cfg &= ~PLL_SEL;
	mmio_write32_relaxed(PRCI_PLLCFG, cfg);

	mmio_write32_relaxed(PRCI_HFXOSCCFG, HFXOSC_EN);
	wait_set(PRCI_HFXOSCCFG, HFXOSC_RDY);

	/* bypass on (PLL off), then the reference, then the dividers */
	mmio_write32_relaxed(PRCI_PLLCFG, cfg | PLL_BYPASS);
	mmio_write32_relaxed(PRCI_PLLCFG, PLL_BYPASS | PLL_REFSEL);
	mmio_write32_relaxed(PRCI_PLLOUTDIV, PLLOUTDIV_BY1);
	mmio_write32_relaxed(PRCI_PLLCFG,
			     PLL_BYPASS | PLL_REFSEL | PLL_R(PLL_DIV_R) |
				     PLL_F(PLL_MUL_F) | PLL_Q(PLL_DIV_Q));
	mmio_write32_relaxed(PRCI_PLLCFG, PLL_REFSEL | PLL_R(PLL_DIV_R) |
						  PLL_F(PLL_MUL_F) |
						  PLL_Q(PLL_DIV_Q));

	t0 = csr_read(mcycle);
	while (csr_read(mcycle) - t0 < PLL_SETTLE_CYCLES)
		;
	wait_set(PRCI_PLLCFG, PLL_LOCK);
	mmio_write32_relaxed(PRCI_PLLCFG,
			     mmio_read32_relaxed(PRCI_PLLCFG) | PLL_SEL);

	/* nothing runs from the internal oscillator any more */
	mmio_write32_relaxed(PRCI_HFROSCCFG,
			     mmio_read32_relaxed(PRCI_HFROSCCFG) & ~HFROSC_EN);

	/*
	 * mtime counts the always-on domain's lfclk.  The Rev B has a
	 * 32.768 kHz oscillator on LFALTCLK; select it over the internal
	 * LFROSC, which is untrimmed (manual, "Low-Frequency Clock").
	 */
	mmio_write32_relaxed(AON_LFCLKMUX, LFCLKMUX_EXT);
}

bool prci_lfclk_internal(void)
{
	if (!(mmio_read32_relaxed(AON_LFCLKMUX) & LFCLKMUX_SW))
		return false;
	mmio_write32_relaxed(AON_LFROSCCFG,
			     mmio_read32_relaxed(AON_LFROSCCFG) | LFROSC_EN);
	wait_set(AON_LFROSCCFG, LFROSC_RDY);
	mmio_write32_relaxed(AON_LFCLKMUX, 0);
	return true;
}
