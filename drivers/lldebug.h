/* SPDX-License-Identifier: MIT */
/*
 * Low-level debug driver, number 0x8 (doc/abi.md §10.4): numbers a process
 * prints on the kernel console, for when nothing else works.
 *
 * Grant with no upcall or allow slots.  Commands (all Success):
 *   0  exists
 *   1  prints "LowLevelDebug: App 0x<id> alert code 0x<a2>"
 *   2  prints "LowLevelDebug: App 0x<id> prints 0x<a2>"
 *   3  prints "LowLevelDebug: App 0x<id> prints 0x<a2> 0x<a3>"
 *   other NOSUPPORT
 * each line ending in "\n", numbers in lowercase hex.
 *
 * <id> is struct proc.app_id, the kernel-wide process identifier of spec
 * doc/abi.md §8.1 as Tock prints it: 0 for the first process loaded, then one
 * more for every process created and every restart, so no two processes or
 * incarnations print the same id.
 *
 * Tock queues up to four messages per process and prints them later,
 * reporting drops; Tern prints at once on the blocking kernel console, which
 * is simpler and never drops, so the "Dropped" line never appears and the
 * grant record is empty.
 */
#pragma once

#include "kernel/driver.h"

#define LLDEBUG_DRIVER_NUM 0x8u

extern const struct driver lldebug_driver;
