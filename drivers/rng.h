/* SPDX-License-Identifier: MIT */
/*
 * RNG driver, number 0x40001: random bytes from the board's entropy device
 * (Tock's capsules/core/src/rng.rs interface; libtock-c's
 * libtock/peripherals/rng.c is its user).
 *
 * Grant: 1 upcall slot, 1 read-write allow slot.  Without an entropy
 * device every command answers NODEVICE (subscribe and allow still reach
 * the grant: the driver is in the table).  Commands:
 *   0  Success.
 *   1  fill the read-write buffer 0 with a2 random bytes (a2 is the full
 *      register: a request larger than the buffer fills the buffer, never
 *      a truncated alias).  Success; completion queues upcall 0 with
 *      (0, bytes written, 0).  BUSY while the caller's previous request
 *      has not completed.  A request of 0 bytes completes at once.
 *      NOMEM if the grant cannot be allocated.
 *   other NOSUPPORT.
 *
 * Bytes reach the process only through pbuf_rw_mut_enter() on its allow
 * slot, a chunk at a time, from a kernel buffer the device fills; the
 * buffer is looked at again for every chunk.  If it shrank below what was
 * already written, or was revoked, the request ends with 0 bytes written
 * (as Tock's does); if it shrank to less than asked, it is filled to its
 * end.  Requests of several processes are served one at a time, in the
 * order they were made.  A process that exits or restarts mid-request is
 * forgotten (its state is in its grant); the chunk in flight goes to the
 * next request.  A device that reports more bytes than asked is believed
 * only up to what was asked.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/driver.h"

#define RNG_DRIVER_NUM 0x40001u
#define RNG_CHUNK 64u /* bytes the device fills per request, at most */

extern const struct driver rng_driver;

/* An entropy device, provided by the board (virtio_rng.c on QEMU virt). */
struct rng_source {
	/*
	 * Start filling buf[0..len), 0 < len <= RNG_CHUNK; the device calls
	 * rng_source_done() when it has.  Not called again before that.
	 * An error: nothing started (the driver retries at the next request).
	 */
	enum kerr (*fill)(uint8_t *buf, size_t len);
	/*
	 * An interrupt the board routed to the RNG driver (line: the route's
	 * number), passed on.
	 */
	void (*irq)(unsigned line);
};

/* The board found its entropy device (or none: NULL).  Call at boot. */
void rng_attach(const struct rng_source *src);

/*
 * The fill started last ended; the device says it wrote len bytes (it is
 * believed up to the length asked).  Called from interrupt service.
 */
void rng_source_done(size_t len);

/* Forget every request and the device (unit tests between cases). */
void rng_reset(void);
