/* SPDX-License-Identifier: MIT */
/*
 * Benchmark driver, number 0x900BE: only in the bench kernel that
 * tests/bench/meson.build links for `./tern bench` (its driver table is
 * the board's list with this driver first), never in a product image.
 *
 * It gives the benchmark apps in tests/bench/ the kernel work they time:
 *   0  Success: the null command (returns at once)
 *   1  copy 64 bytes into the start of read-write allow slot 0, as a
 *      driver's data command does (grant_peek_rw(), pbuf_rw_copy_in()):
 *      Success, SIZE if the buffer is shorter, or the validation error
 *   2  time the validation of pbuf_rw_mut_enter() on slot 0 with instret:
 *      Success with 2 u32: instructions of an enter with validation, and
 *      of the same enter without it (the difference is the validation)
 *   3  queue upcall 0 to the process in slot a2, with values (a3, 0, 0):
 *      Success, INVAL if a2 is not a live process, or the queue error
 *   4  Success with u32: a fact, by a2: 0 sizeof(struct proc), 1 kernel-
 *      owned bytes in each process's RAM block, 2 PROC_MAX, 3 PMP loads
 *      so far (every mpu_load() that wrote the hardware)
 *   5  power the board off (exit status 0); does not return
 *   6  let U-mode read instret from now on, on this hart (Success): the
 *      product kernel lets it read time alone (platform/arch/riscv/
 *      trap.h, "Hart state"); main.c calls this before its first read
 *   7  copy a2 bytes between a kernel buffer and a process buffer: a3 = 0
 *      into read-write slot 0, a3 = 1 out of read-only slot 0.  Success, INVAL if a2 > BENCH_COPY_MAX or
 *      a3 > 1, SIZE if the buffer is shorter than a2, or the validation
 *      error (the same callback-free API as 1)
 * Grant: one upcall, BENCH_RW_SLOTS read-write allow slots, one read-only.
 */
#pragma once

#include "kernel/driver.h"

#define BENCH_DRIVER_NUM 0x900BEu
#define BENCH_RW_SLOTS 16u
#ifndef BENCH_COPY_MAX
#define BENCH_COPY_MAX 64u /* largest copy of command 6 (meson sets it) */
#endif

extern const struct driver bench_driver;
