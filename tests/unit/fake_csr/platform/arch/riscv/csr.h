/* SPDX-License-Identifier: MIT */
/*
 * A host stand-in for platform/arch/riscv/csr.h, for test_pmp_hw.c only:
 * its include folder comes before the repository's, so pmp_hw.c built for
 * the host reaches these functions instead of csrr/csrw.  The PMP CSRs are
 * plain variables, and every write is logged in order, so a test can see
 * which registers a load wrote, with what, and that pmpcfg came last.
 * Only what pmp_hw.c names is here; anything else fails to compile.
 */
#pragma once

#include <stdint.h>

/* What the hart's PMP CSRs hold; pmpcfg[k] is register pmpcfg<k>. */
struct fake_csr {
	unsigned long pmpaddr[16];
	unsigned long pmpcfg[16];
	/* the writes in order: CSR number (0x3a0 + k cfg, 0x3b0 + i addr) */
	unsigned nwrites;
	unsigned order[64];
	unsigned long value[64];
};
extern struct fake_csr fake_csr;

#define FAKE_CSR_PMPCFG 0x3a0u
#define FAKE_CSR_PMPADDR 0x3b0u

/* Write CSR number num (a pmpcfg or pmpaddr); any other number aborts. */
void fake_csr_write_num(unsigned num, unsigned long v);
unsigned long fake_csr_read_num(unsigned num);

/* The number of a CSR named as csr.h's macros name it (pmpaddr3, pmpcfg0). */
unsigned fake_csr_num(const char *name);

#define csr_write(csr, val) fake_csr_write_num(fake_csr_num(#csr), (val))
#define csr_read(csr) fake_csr_read_num(fake_csr_num(#csr))

static inline unsigned long csr_read_pmpaddr(unsigned i)
{
	return fake_csr_read_num(FAKE_CSR_PMPADDR + i);
}

static inline void csr_write_pmpaddr(unsigned i, unsigned long v)
{
	fake_csr_write_num(FAKE_CSR_PMPADDR + i, v);
}

static inline unsigned long csr_read_pmpcfg(unsigned k)
{
	return fake_csr_read_num(FAKE_CSR_PMPCFG + k);
}

static inline void csr_write_pmpcfg(unsigned k, unsigned long v)
{
	fake_csr_write_num(FAKE_CSR_PMPCFG + k, v);
}
