/* SPDX-License-Identifier: MIT */
/*
 * IPC driver, number 0x10000: processes find each other by TBF package
 * name, share buffers and notify each other (Tock 2.x's IPC interface,
 * doc/abi.md §10.7; libtock-c's libtock/kernel/ipc.c is its user).
 *
 * A process index is a slot of the process table (0-based).  Grant:
 * PROC_MAX upcall slots, 1 read-only allow slot, PROC_MAX read-write
 * allow slots, no record of its own.
 *   subscribe i   the upcall run when process i notifies this one: a
 *                 service subscribes with its own index (client
 *                 notifications), a client with the service's (replies)
 *   allow ro 0    the package name command 1 searches for
 *   allow rw i    the buffer this process shares with process i
 * Commands:
 *   0  Success (exists).
 *   1  discover: Success-u32 with the index of the process whose TBF
 *      package name equals the read-only buffer 0, byte for byte and
 *      length for length (a prefix is no match; a name the loader had to
 *      cut short matches nothing).  NODEVICE if none; INVAL if nothing,
 *      or an empty buffer, is allowed.
 *   2  notify service a2: queue, on process a2, upcall a2 (its own index)
 *      with (caller's index, length, address) of the buffer the caller
 *      shares with a2 (read-write allow a2), (index, 0, 0) if none.
 *   3  notify client a2: queue, on process a2, upcall <caller's index>
 *      with the same values.
 *   Commands 2 and 3: INVAL when a2 is the caller, is out of range or
 *   names no live process; NOMEM when a2's task queue is full (the
 *   notification is dropped).  A target that never subscribed gets a
 *   return-value record; no grant is allocated for it.
 *   other NOSUPPORT.
 *
 * The kernel never copies shared data: it only hands the address over.
 * With CONFIG_IPC (meson option ipc) a notification first exposes the
 * buffer to the target (kernel/proc/expo.h): NOMEM when its protection
 * hardware has no room left, INVAL when it cannot express the buffer
 * exactly (Sv39: whole pages only); nothing is exposed or queued then.
 */
#pragma once

#include "kernel/driver.h"

#define IPC_DRIVER_NUM 0x10000u

extern const struct driver ipc_driver;
