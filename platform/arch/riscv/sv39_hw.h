/* SPDX-License-Identifier: MIT */
/*
 * The page-table protection backend of S-mode boards: the mpu_* functions
 * of kernel/hw.h on top of the pure builder in sv39.h, and the only code
 * that writes satp or issues sfence.vma.
 *
 * What a board provides:
 *   - its linker script defines _ktext_start/_ktext_end (kernel text and
 *     read-only data, mapped R+X) and _kdata_start/_kdata_end (data, bss,
 *     stacks, page tables; R+W), both 4 KiB aligned;
 *   - sv39_board_mmio[] below: the device registers the kernel touches.
 */
#pragma once

#include "kernel/hw.h"

/* Device ranges the kernel maps for itself (R+W, never U), page-aligned. */
extern const struct mpu_region sv39_board_mmio[];
extern const unsigned sv39_board_mmio_count;

/*
 * Build the kernel space (kernel image and devices) and check the board's
 * facts; paging stays off (satp Bare) until the first mpu_load(), so that
 * the loader can read the TBFs and set up process RAM untranslated.
 * Called once at boot, before board_init().
 */
void sv39_hw_init(void);

/* How many mpu_load() calls switched satp since boot (the bench reports it). */
unsigned long sv39_hw_loads(void);
