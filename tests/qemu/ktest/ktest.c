// SPDX-License-Identifier: MIT
/*
 * Kernel-test driver (see ktest.h).  Command 1 is a deliberate isolation
 * bug; that is the point of it, and why this file is linked into the
 * kernel-test kernel only.
 */
#include "tests/qemu/ktest/ktest.h"

#include <stdint.h>

#include "kernel/allow/pbuf.h"
#include "kernel/allow/slice.h"
#include "kernel/kprintf.h"
#include "kernel/proc/proc.h"
#if defined(KERNEL_MODE_M)
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/pmp_hw.h"
#endif
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/trap.h"

enum {
	CMD_EXISTS = 0,
	CMD_STRAY_READ = 1,
	CMD_PROPER_READ = 2,
	CMD_PMP_ENTRY = 3,
	CMD_HART_STATE = 4,
};

/* Command 3: the PMP entry arg0 as the hardware holds it now. */
static cmdret_t pmp_entry(uintptr_t i, uintptr_t *more)
{
#if defined(KERNEL_MODE_M)
	unsigned reg = (unsigned)(i / PMP_CFG_PER_REG * (__riscv_xlen / 32));
	unsigned long addr;
	unsigned cfg;

	if (i >= RISCV_PMP_ENTRIES)
		return cmdret_err(KERR_INVAL);
	/* read back from pmpaddr<i> and its pmpcfg byte */
	addr = csr_read_pmpaddr((unsigned)i);
	cfg = (unsigned)(csr_read_pmpcfg(reg) >> (8 * (i % PMP_CFG_PER_REG))) &
	      0xFFu;
	return cmdret_2u32(more, (uint32_t)addr, cfg);
#else
	(void)i;
	(void)more;
	return cmdret_err(KERR_NOSUPPORT);
#endif
}

static enum kerr read_word(const struct pslice *s, void *ctx)
{
	return pslice_copy_out(s, ctx, sizeof(uint32_t));
}

/* Success with 3 u32 (no product driver needs it: driver.h has none). */
static cmdret_t cmdret_3u32(uintptr_t *more, uint32_t a, uint32_t b,
			    uint32_t c)
{
	more[0] = b;
	more[1] = c;
	return cmdret(SYS_SUCCESS_3U32, a);
}

static cmdret_t ktest_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			      uintptr_t arg1, uintptr_t *more)
{
	struct pbuf b;
	uint32_t v = 0;
	enum kerr rc;

	(void)arg1;
	(void)more;
	switch (cmd) {
	case CMD_EXISTS:
		return cmdret_ok();
	case CMD_STRAY_READ:
		kprintf("[ktest] kernel reads 0x%lx without mut_enter\n",
			(unsigned long)arg0);
		v = *(const volatile uint32_t *)arg0;
		kprintf("[ktest] kernel read 0x%lx: 0x%x, not caught\n",
			(unsigned long)arg0, (unsigned)v);
		return cmdret_u32(v);
	case CMD_PROPER_READ:
		rc = pbuf_from_user(p, arg0, sizeof(v), PBUF_RO, &b);
		if (rc == KERR_OK) {
			struct pbuf_ro ro = { b };

			rc = pbuf_ro_enter(&ro, read_word, &v);
		}
		if (rc != KERR_OK)
			return cmdret_err(rc);
		return cmdret_u32(v);
	case CMD_PMP_ENTRY:
		return pmp_entry(arg0, more);
	case CMD_HART_STATE:
		/* low 32 bits: every field tests/qemu/hart_boot checks */
		return cmdret_3u32(more, (uint32_t)arch_boot_state[0],
				   (uint32_t)arch_boot_state[1],
				   (uint32_t)csr_read(CSR_XSTATUS));
	default:
		return cmdret_err(KERR_NOSUPPORT);
	}
}

const struct driver ktest_driver = {
	.num = KTEST_DRIVER_NUM,
	.has_grant = false,
	.command = ktest_command,
};
