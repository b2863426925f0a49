/* SPDX-License-Identifier: MIT */
/*
 * Alarm driver, number 0x0 (doc/abi.md §10.2): one pending alarm per process on
 * top of the kernel timer multiplexer.
 *
 * Userspace sees a 32-bit counter that wraps at 2^32: a counter narrower
 * than 32 bits is left-justified (shifted up, frequency scaled by the same
 * factor), a wider one is truncated to its low 32 bits with the frequency
 * unscaled.  Every board Tern supports counts with the 64-bit RISC-V mtime
 * (10 MHz on QEMU virt, 32768 Hz on HiFive1), so in practice userspace gets
 * the low 32 bits of mtime and board_timer_freq() as is.
 *
 * Commands: 0 exists (allocates the grant), 1 frequency, 2 now, 3 stop
 * (ALREADY if none armed), 4 NOSUPPORT, 5 arm at now + dt, 6 arm at
 * reference + dt; 5 and 6 answer Success with u32 = reference + dt.  When
 * the alarm expires (now leaves [reference, reference + dt), wrapping) the
 * driver disarms it and queues upcall 0 with (now, reference + dt, 0),
 * exactly reference + dt as libtock-c requires.  It never fires early
 * (sub-resolution remainders round up) and an alarm armed already expired
 * fires on the next timer service, through the hardware compare.
 */
#pragma once

#include <stdint.h>

#include "kernel/driver.h"

#define ALARM_DRIVER_NUM 0x0u

extern const struct driver alarm_driver;

/*
 * Left-justification of a width-bit hardware counter (pure; exposed for the
 * unit tests).  width >= 32 truncates; width < 32 shifts by 32 - width.
 */
uint32_t alarm_ticks_to_user(uint64_t hw_ticks, unsigned width);
uint32_t alarm_freq_to_user(uint32_t hw_freq, unsigned width);

/* Hardware ticks needed for user_ticks user ticks to pass, rounded up. */
uint64_t alarm_user_to_hw(uint32_t user_ticks, unsigned width);
