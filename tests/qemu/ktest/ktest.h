/* SPDX-License-Identifier: MIT */
/*
 * Kernel-test driver, number 0x90057: commands that make the kernel itself
 * misbehave, for QEMU scenarios that check the kernel is caught.  Linked
 * only into the kernel-test kernel (tests/qemu/meson.build: the board's
 * driver list with this driver last), never into a product kernel.
 *
 * Commands:
 *   0          exists: Success
 *   1 (addr)   the kernel reads the 32-bit word at addr directly, the way
 *              a driver bug would: no process buffer, no mut_enter.  On a
 *              page-table board the kernel runs with SUM clear, so for any
 *              process address this must end in a kernel page fault and a
 *              kpanic report; Success with u32 = the word otherwise.
 *   2 (addr)   the same word read properly: a read-only process buffer of
 *              the caller, entered.  Success with u32 = the word, or
 *              Failure with the buffer's error.
 *   3 (i)      PMP boards: what PMP entry i holds while the caller runs,
 *              read back from the CSRs: Success with u32 pmpaddr<i> and
 *              u32 its pmpcfg byte; INVAL for an entry the hart lacks.
 *              NOSUPPORT on page-table boards.
 *   4          hart state: Success with u32 xstatus and u32 xcounteren
 *              as the kernel's boot setup left them (before the first
 *              process ran), and u32 xstatus now, inside this call (low
 *              32 bits each).  The kernel-test kernel starts from a
 *              deliberately dirty hart (platform/arch/riscv/entry.S).
 *   5 (brk)    remember brk as the break the caller's slot is to be moved to
 *              (one per slot, replacing any earlier one): Success
 *   6 (slot)   move process slot's break to the one it asked for with 5,
 *              now, while the caller runs (the kernel's proc_brk(), as if
 *              that process had called brk), and forget it: Success,
 *              ALREADY when nothing is asked for that slot now, INVAL for
 *              a slot out of range, or the brk error.  A layout change of
 *              one process while another runs (isolation/relayout.toml).
 *   7 (what, slot)  page-table boards: where the space of process slot
 *              (its tables as a switch to it loads them) maps one address,
 *              what: 0 the kernel's text (this driver's code), 1 its data
 *              (a static of this driver), 2 its stack (a local), 3 the
 *              first device range the kernel maps, 4 the caller's first
 *              RAM page, 5 the last page of the caller's RAM block
 *              (kernel-owned), 6 the caller's first flash page.  Success
 *              with u32 the page's address and u32 the address of the
 *              leaf PTE word that maps it ORed with the leaf's level (2, 1
 *              or 0: the word is 8-byte aligned), found by a walk from
 *              satp written in ktest.c; FAIL when nothing maps it; INVAL
 *              for a free slot or an unknown what; NOSUPPORT on PMP
 *              boards.  Every such address is below 4 GiB on
 *              qemu-virt-rv64 (tests/qemu/pt_share).
 *   other      NOSUPPORT
 */
#pragma once

#include "kernel/driver.h"

#define KTEST_DRIVER_NUM 0x90057u

extern const struct driver ktest_driver;
