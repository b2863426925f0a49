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
#if defined(KERNEL_MODE_S)
#include "kernel/hw.h"
#include "platform/arch/riscv/sv39_hw.h"
#endif
#include "platform/arch/riscv/trap.h"

enum {
	CMD_EXISTS = 0,
	CMD_STRAY_READ = 1,
	CMD_PROPER_READ = 2,
	CMD_PMP_ENTRY = 3,
	CMD_HART_STATE = 4,
	CMD_ASK_BRK = 5,
	CMD_MOVE_BRK = 6,
	CMD_PT_LEAF = 7,
};

/* Commands 5 and 6: the break each slot asked to be moved to, 0: none. */
static uintptr_t asked_brk[PROC_MAX];

static cmdret_t move_brk(uintptr_t slot)
{
	uintptr_t to;

	if (slot >= PROC_MAX)
		return cmdret_err(KERR_INVAL);
	to = asked_brk[slot];
	if (to == 0)
		return cmdret_err(KERR_ALREADY);
	asked_brk[slot] = 0;
	return cmdret_status(proc_brk(&proc_table[slot], to));
}

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

#if defined(KERNEL_MODE_S)
/*
 * Command 7: the leaf PTE word mapping va in the tables satp selects now,
 * ORed with its level, or 0.  The hart's walk (privileged spec, Sv39),
 * written here rather than borrowed from the kernel's builder.
 */
static uintptr_t leaf_word(uintptr_t va)
{
	const uint64_t *t = (const uint64_t *)(uintptr_t)(
		(csr_read(satp) & (((uint64_t)1 << 44) - 1)) << 12);

	for (unsigned level = 3; level-- > 0;) {
		const uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];

		if (!(*e & 1))
			return 0;
		if (*e & 0xE)
			return (uintptr_t)e | level;
		t = (const uint64_t *)(uintptr_t)((*e >> 10) << 12);
	}
	return 0;
}
#endif

/* Command 7 (ktest.h). */
static cmdret_t pt_leaf(struct proc *p, uintptr_t what, uintptr_t slot,
			uintptr_t *more)
{
#if defined(KERNEL_MODE_S)
	volatile uintptr_t local = 0;
	const uintptr_t at[] = {
		(uintptr_t)pt_leaf,	 (uintptr_t)asked_brk,
		(uintptr_t)&local,	 sv39_board_mmio[0].base,
		p->mem_start,		 p->mem_end - 1,
		p->flash_start,
	};
	uintptr_t va, word;

	if (what >= sizeof(at) / sizeof(at[0]) || slot >= PROC_MAX ||
	    proc_table[slot].state == PROC_FREE)
		return cmdret_err(KERR_INVAL);
	va = at[what] & ~(uintptr_t)0xFFF;
	/* the bracket a driver opens around another process's buffer */
	mpu_user_access_begin(&proc_table[slot]);
	word = leaf_word(va);
	mpu_user_access_end();
	if (word == 0)
		return cmdret_err(KERR_FAIL);
	return cmdret_2u32(more, (uint32_t)va, (uint32_t)word);
#else
	(void)p;
	(void)what;
	(void)slot;
	(void)more;
	return cmdret_err(KERR_NOSUPPORT);
#endif
}

/*
 * Command 4: xstatus inside this system call, and the counters U-mode may
 * read.  The kernel writes xcounteren at boot only, so what it holds now
 * is what boot left; xstatus' fields that shape U-mode are what boot and
 * every trap keep.  Low 32 bits: every field tests/qemu/hart/boot.c checks.
 */
static cmdret_t hart_state(uintptr_t *more)
{
	unsigned long ce;

#if KERNEL_MODE_M
	ce = csr_read(mcounteren);
	/* with S-mode present U-mode needs both bits (privileged spec) */
	if (csr_read(misa) & (1ul << ('S' - 'A')))
		ce &= csr_read(scounteren);
#else
	ce = csr_read(scounteren);
#endif
	return cmdret_2u32(more, (uint32_t)csr_read(CSR_XSTATUS),
			   (uint32_t)ce);
}

static enum kerr read_word(const struct pslice *s, void *ctx)
{
	return pslice_copy_out(s, ctx, sizeof(uint32_t));
}

static cmdret_t ktest_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			      uintptr_t arg1, uintptr_t *more)
{
	struct pbuf b;
	uint32_t v = 0;
	enum kerr rc;

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
		return hart_state(more);
	case CMD_ASK_BRK:
		asked_brk[p->slot] = arg0;
		return cmdret_ok();
	case CMD_MOVE_BRK:
		return move_brk(arg0);
	case CMD_PT_LEAF:
		return pt_leaf(p, arg0, arg1, more);
	default:
		return cmdret_err(KERR_NOSUPPORT);
	}
}

const struct driver ktest_driver = {
	.num = KTEST_DRIVER_NUM,
	.has_grant = false,
	.command = ktest_command,
};
