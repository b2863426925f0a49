// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios "isolation_<line>": a process crosses one isolation line
 * and must fault.  Built with -DCROSS="<line>" and
 * -DPEER_RAM / -DPEER_FLASH (the witness process in the next slot).
 *
 * It prints "crosser: crossing <line> at <hex address>", crosses, and, if
 * it is still alive, prints "KTEST FAIL".
 *
 * Lines fp_insn .. cbo_zero reach for hart state processes are denied
 * (FP, the counter enables, cycle, instret, wfi, cache-block operations)
 * and must fault as illegal instructions.
 *
 * Misaligned accesses: QEMU 7.2 performs misaligned loads and stores in
 * hardware (they never trap), so a misaligned access inside the process's
 * own memory is simply allowed, and Tern emulates nothing.  What must hold
 * is that misalignment opens no hole: an atomic, which QEMU does not
 * split, traps as "misaligned store/AMO" (line misaligned_amo),
 * and a load whose bytes straddle the break is refused by PMP as a whole
 * (line break_straddle).  The kernel's fault report must
 * name the same address (isolation.toml matches the two lines).
 * The restart policy brings the crosser back a few times; every
 * incarnation crosses again until the kernel stops it.
 */
#include <string.h>

#include "user/lib/tern.h"

#ifndef CROSS
#error "build with -DCROSS=\"<line>\""
#endif

/* The board's kernel RAM and protection granule (isolation.toml). */
#ifndef KERNEL_RAM
#define KERNEL_RAM 0x80000000u
#endif
#ifndef GRANULE
#define GRANULE 4u
#endif
#define MMIO_UART 0x10000000u

/*
 * The first address past the break that the process cannot touch: the
 * break rounded up to the protection granule (a page on page-table boards,
 * where the rest of the break's page is still the process's).
 */
static uintptr_t past_break(void)
{
	uintptr_t b = (uintptr_t)sys_sbrk(0);

	return (b + GRANULE - 1) & ~(uintptr_t)(GRANULE - 1);
}

/*
 * Line shrunk_break: memory the process gave back must be gone before it
 * runs again.  Grow the break over the next protection unit, touch it (so
 * that a TLB or a cached plan holds it), shrink back; the address is then
 * above the break again.
 */
static uintptr_t given_back(void)
{
	uintptr_t old = (uintptr_t)sys_sbrk(0), a = past_break();

	if (sys_brk((void *)(a + GRANULE)) != SYS_OK)
		return 0; /* no room: the check below reports it */
	*(volatile uint32_t *)a = 0x600d;
	if (sys_brk((void *)old) != SYS_OK)
		return 0;
	return a;
}

enum how { LOAD, STORE, EXEC, AMO, OTHER };

static volatile uint32_t sink;
static volatile unsigned depth_limit = ~0u; /* never reached */
static uint16_t ret_insn = 0x8082;	    /* c.ret, in .data (RAM) */
static uint32_t amo_words[2];		    /* own RAM, for the AMO */

static unsigned __attribute__((noinline)) recurse(unsigned n)
{
	volatile uint8_t frame[64];

	if (n == depth_limit)
		return 0;
	frame[0] = (uint8_t)n;
	return recurse(n + 1) + frame[0];
}

static void csr_read(void)
{
	uintptr_t v;

	__asm__ __volatile__("csrr %0, mstatus" : "=r"(v));
	sink = (uint32_t)v;
}

/*
 * Hart state processes are denied (platform/arch/riscv/trap.h, "Hart
 * state"), as raw encodings: apps are built without F, V or Zicbom.
 */
static void hart_denied(const char *line)
{
	uintptr_t v = 0;

	if (!strcmp(line, "fp_insn")) /* fmv.w.x f0, zero */
		__asm__ __volatile__(".4byte 0xf0000053" ::: "memory");
	else if (!strcmp(line, "fcsr")) /* csrr t0, fcsr */
		__asm__ __volatile__(".4byte 0x003022f3" ::: "t0", "memory");
	else if (!strcmp(line, "fs_enable")) /* sstatus.FS := Initial */
		__asm__ __volatile__("csrs sstatus, %0" ::"r"(0x2000ul)
				     : "memory");
	else if (!strcmp(line, "counteren")) /* open every counter */
		__asm__ __volatile__("csrw mcounteren, %0" ::"r"(-1l)
				     : "memory");
	else if (!strcmp(line, "cycle"))
		__asm__ __volatile__("csrr %0, 0xc00" : "=r"(v)::"memory");
	else if (!strcmp(line, "instret"))
		__asm__ __volatile__("csrr %0, 0xc02" : "=r"(v)::"memory");
	else if (!strcmp(line, "wfi"))
		__asm__ __volatile__("wfi" ::: "memory");
	else if (!strcmp(line, "cbo_zero")) /* cbo.zero (a0), own RAM */
		__asm__ __volatile__("mv a0, %0\n\t.4byte 0x0045200f"
				     :
				     : "r"(amo_words)
				     : "a0", "memory");
	sink = (uint32_t)v;
}

static const char *const hart_lines[] = { "fp_insn",   "fcsr",  "fs_enable",
					  "counteren", "cycle", "instret",
					  "wfi",       "cbo_zero" };

static bool is_hart_line(const char *line)
{
	for (unsigned i = 0; i < sizeof(hart_lines) / sizeof(hart_lines[0]);
	     i++)
		if (!strcmp(line, hart_lines[i]))
			return true;
	return false;
}

/* Where and how each line is crossed; addr 0: not an address. */
static bool target(const char *line, uintptr_t *addr, enum how *how)
{
	*addr = 0;
	*how = OTHER;
	if (!strcmp(line, "kernel_read"))
		*addr = KERNEL_RAM, *how = LOAD;
	else if (!strcmp(line, "kernel_write"))
		*addr = KERNEL_RAM + 0x1000, *how = STORE;
	else if (!strcmp(line, "peer_ram"))
		*addr = PEER_RAM, *how = LOAD;
	else if (!strcmp(line, "peer_flash"))
		*addr = PEER_FLASH, *how = LOAD;
	else if (!strcmp(line, "grant"))
		*addr = sys_memop(MEMOP_GRANT_START, 0).v[0], *how = STORE;
	else if (!strcmp(line, "above_break"))
		*addr = past_break(), *how = LOAD;
	else if (!strcmp(line, "flash_write"))
		*addr = (uintptr_t)_flash_origin, *how = STORE;
	else if (!strcmp(line, "ram_exec"))
		*addr = (uintptr_t)&ret_insn, *how = EXEC;
	else if (!strcmp(line, "mmio"))
		*addr = MMIO_UART, *how = STORE;
	else if (!strcmp(line, "kernel_exec"))
		*addr = KERNEL_RAM, *how = EXEC;
	else if (!strcmp(line, "misaligned_amo"))
		*addr = (uintptr_t)amo_words + 2, *how = AMO;
	else if (!strcmp(line, "break_straddle"))
		*addr = past_break() - 2, *how = LOAD;
	else if (!strcmp(line, "shrunk_break"))
		*addr = given_back(), *how = LOAD;
	else if (strcmp(line, "stack_overflow") && strcmp(line, "csr") &&
		 strcmp(line, "bad_class") && !is_hart_line(line))
		return false;
	return true;
}

int main(void)
{
	uintptr_t a;
	enum how how;

	if (!target(CROSS, &a, &how)) {
		tern_printf("KTEST FAIL isolation_%s: unknown line\n", CROSS);
		return 1;
	}
	if (how == LOAD && a == 0) {
		tern_printf("KTEST FAIL isolation_%s: set-up failed\n", CROSS);
		return 1;
	}
	tern_printf("crosser: crossing %s at %lx\n", CROSS, (unsigned long)a);
	switch (how) {
	case LOAD:
		sink = *(volatile uint32_t *)a;
		break;
	case STORE:
		*(volatile uint32_t *)a = 0x0bad0bad;
		break;
	case EXEC:
		((void (*)(void))a)();
		break;
	case AMO:
		__asm__ __volatile__("amoadd.w zero, %1, (%0)"
				     :
				     : "r"(a), "r"(1)
				     : "memory");
		break;
	case OTHER:
		if (!strcmp(CROSS, "stack_overflow"))
			recurse(0);
		else if (!strcmp(CROSS, "csr"))
			csr_read();
		else if (is_hart_line(CROSS))
			hart_denied(CROSS);
		else
			sys_raw(8, 0, 0, 0, 0); /* class 8 does not exist */
		break;
	}
	tern_printf("KTEST FAIL isolation_%s: %s did not fault\n", CROSS,
		    CROSS);
	return 1;
}
