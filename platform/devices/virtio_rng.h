/* SPDX-License-Identifier: MIT */
/*
 * The virtio entropy device (Virtual I/O Device (VIRTIO) Version 1.1,
 * section 5.4) over the MMIO transport: the source of drivers/rng.c's
 * bytes on the QEMU virt boards.
 *
 * One request queue with one buffer in flight at a time: a fill puts a
 * device-writable buffer on it and notifies the device; the device's
 * interrupt (the board routes the transport slots' PLIC sources to the
 * RNG driver's irq hook, which passes them on) takes the buffer back and
 * reports its length to rng_source_done(), cut to the length asked.  No
 * polling, no waiting.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * Look for an entropy device among the nslots transport slots at base +
 * i * stride, set it up and attach it to the RNG driver, whose irq hook
 * then hands it the interrupts of slot i (line i).  Says on the console
 * what it found.  True when the device is ready; false leaves the driver
 * without a device (NODEVICE).
 */
bool virtio_rng_init(uintptr_t base, uintptr_t stride, unsigned nslots);
