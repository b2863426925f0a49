/* SPDX-License-Identifier: MIT */
/*
 * Memory-mapped device registers.
 *
 * Every device access goes through these helpers.  The fences order device
 * accesses against ordinary memory (RISC-V's "I/O" and "memory" sets are
 * distinct in FENCE): a read is followed by "fence i,r" so later loads of
 * memory cannot pass it (a driver acting on a status bit then reading a
 * buffer sees the buffer as of the status), a write is preceded by
 * "fence w,o" so memory written before it (a buffer a device will read) is
 * visible first.  Byte variants exist for devices with 8-bit registers
 * (the 16550 UART).
 *
 * The _relaxed variants leave the fences out, for devices that never read
 * or write memory themselves (no DMA: clocks, pins, the SiFive UART's
 * FIFOs, the CLINT, the PLIC), where no memory access needs ordering
 * against theirs: four bytes of code saved per access
 * (doc/design.md#footprint).  Accesses to devices stay in
 * program order either way: the fences above do not order one device
 * access against another, device regions being strongly ordered I/O
 * (privileged spec, "Memory-Ordering PMAs").
 */
#pragma once

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v = *(volatile uint32_t *)addr;

	__asm__ __volatile__("fence i,r" ::: "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ __volatile__("fence w,o" ::: "memory");
	*(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32_relaxed(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32_relaxed(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint8_t v = *(volatile uint8_t *)addr;

	__asm__ __volatile__("fence i,r" ::: "memory");
	return v;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	__asm__ __volatile__("fence w,o" ::: "memory");
	*(volatile uint8_t *)addr = v;
}
