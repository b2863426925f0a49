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
