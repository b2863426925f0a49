// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "fault_report": every part of the kernel's fault report
 * (kernel/fault.c) against values this process knows, and the restart
 * policy's count (doc/abi.md §8.3).
 *
 * It prints what it knows of its memory map (flash start and end, end of
 * the TBF header, RAM start, app break, kernel break, RAM end; the allow
 * mark, which an allow of the last bytes below the break has just raised to
 * the break) and the address of the faulting instruction, then loads from
 * kernel RAM with every register but sp set to a known value: x<n> =
 * 0x5eed00<n in hex>, except t6, the load's base (KERNEL_RAM).
 * fault_report.toml matches the report against that line: cause and
 * tval, pc, each register, the map.  Every incarnation does the same, so
 * the restart policy's restarts can be counted.
 */
#include "user/lib/tern.h"

#define KERNEL_RAM 0x80000000u

extern char fault_insn[];
void fault_with_known_registers(uintptr_t base) __attribute__((noreturn));

/* Loads x<n> = 0x5eed0000 + n (sp and t6 aside), then faults. */
__asm__(".pushsection .text\n"
	".globl fault_with_known_registers\n"
	".globl fault_insn\n"
	"fault_with_known_registers:\n"
	"	mv t6, a0\n"
	"	li ra, 0x5eed0001\n"
	"	li gp, 0x5eed0003\n"
	"	li tp, 0x5eed0004\n"
	"	li t0, 0x5eed0005\n"
	"	li t1, 0x5eed0006\n"
	"	li t2, 0x5eed0007\n"
	"	li s0, 0x5eed0008\n"
	"	li s1, 0x5eed0009\n"
	"	li a0, 0x5eed000a\n"
	"	li a1, 0x5eed000b\n"
	"	li a2, 0x5eed000c\n"
	"	li a3, 0x5eed000d\n"
	"	li a4, 0x5eed000e\n"
	"	li a5, 0x5eed000f\n"
	"	li a6, 0x5eed0010\n"
	"	li a7, 0x5eed0011\n"
	"	li s2, 0x5eed0012\n"
	"	li s3, 0x5eed0013\n"
	"	li s4, 0x5eed0014\n"
	"	li s5, 0x5eed0015\n"
	"	li s6, 0x5eed0016\n"
	"	li s7, 0x5eed0017\n"
	"	li s8, 0x5eed0018\n"
	"	li s9, 0x5eed0019\n"
	"	li s10, 0x5eed001a\n"
	"	li s11, 0x5eed001b\n"
	"	li t3, 0x5eed001c\n"
	"	li t4, 0x5eed001d\n"
	"	li t5, 0x5eed001e\n"
	"fault_insn:\n"
	"	lw t0, 0x10(t6)\n"
	"1:	j 1b\n"
	".popsection\n");

static unsigned long memop(uint32_t op)
{
	return (unsigned long)sys_memop(op, 0).v[0];
}

int main(void)
{
	unsigned long brk = (unsigned long)(uintptr_t)sys_sbrk(0);

	/* raise the allow mark to the break */
	sys_allow_rw(CONSOLE_DRIVER, 0, (void *)(uintptr_t)(brk - 4), 4);
	sys_allow_rw(CONSOLE_DRIVER, 0, NULL, 0);
	tern_printf("faulter: flash %lx %lx header %lx ram %lx brk %lx "
		    "kbrk %lx end %lx mark %lx pc %lx\n",
		    memop(MEMOP_FLASH_START), memop(MEMOP_FLASH_END),
		    (unsigned long)tern_boot.app_start,
		    memop(MEMOP_MEM_START), brk, memop(MEMOP_GRANT_START),
		    memop(MEMOP_MEM_END), brk, (unsigned long)fault_insn);
	fault_with_known_registers(KERNEL_RAM);
}
