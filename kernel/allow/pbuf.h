/* SPDX-License-Identifier: MIT */
/*
 * Process-buffer descriptors (doc/abi.md §6.5).
 *
 * A user (address, length) pair is only a claim.  pbuf_from_user() is the one
 * place that checks it and turns it into a descriptor; everything else takes
 * descriptors.  A descriptor records (addr, len, owner id).  Nothing about it
 * is trusted later: every enter / mut_enter re-checks, at that moment,
 *   1. that the owner id still names the same incarnation (generation), and
 *   2. that [addr, addr + len) still lies inside the owner's *current*
 *      protection records (PROC_REGION_RAM for writable access; RAM or flash
 *      for read-only access),
 * and only then runs the callback.  A default (zeroed) descriptor has no
 * owner and never runs the callback.  A zero-length descriptor never exposes
 * its address: enter() passes an empty view.
 *
 * Read-only and read-write descriptors are distinct types so that a driver
 * cannot mut_enter a read-only buffer.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/slice.h"
#include "kernel/kerr.h"
#include "kernel/proc/proc.h"

/* The raw record both kinds share. */
struct pbuf {
	uintptr_t addr; /* as given by the process; verbatim even if len 0 */
	size_t len;
	struct proc_id owner; /* gen 0: default, no owner */
};

struct pbuf_ro {
	struct pbuf raw;
};

struct pbuf_rw {
	struct pbuf raw;
};

enum pbuf_access {
	PBUF_RO = 1, /* RAM below app_break, or flash after the protected region */
	PBUF_RW = 2, /* RAM below app_break only */
};

/*
 * Validate a process's (addr, len) claim for access acc and build *out.
 * len 0: accepted with any addr.  Otherwise KERR_INVAL when addr + len wraps
 * or the range is not inside [mem_start, app_break) (or, for PBUF_RO,
 * [app_flash, flash_end)).  A valid non-empty RAM range raises the allow
 * high-water mark.  *out is written only on success.
 */
enum kerr pbuf_from_user(struct proc *p, uintptr_t addr, size_t len,
			 enum pbuf_access acc, struct pbuf *out)
	__attribute__((warn_unused_result));

/* len if the owner is still the same incarnation, else 0. */
size_t pbuf_ro_len(const struct pbuf_ro *b);
size_t pbuf_rw_len(const struct pbuf_rw *b);

typedef enum kerr (*pbuf_fn)(const struct pslice *s, void *ctx);
typedef enum kerr (*pbuf_mut_fn)(struct pslice_mut *s, void *ctx);

/*
 * Re-validate (see top of file) then run fn on a read-only view and return
 * its result.  KERR_NOSUCHAPP: no owner, or the owner is gone.
 * KERR_NOACCESS: the range is no longer inside the owner's region.  fn is not
 * run on either error.
 */
enum kerr pbuf_ro_enter(const struct pbuf_ro *b, pbuf_fn fn, void *ctx);

/* Same, with a writable view; requires the RAM (R+W) region. */
enum kerr pbuf_rw_mut_enter(const struct pbuf_rw *b, pbuf_mut_fn fn,
			    void *ctx);

/*
 * Copies without a callback, for a driver that only moves bytes: the same
 * validation as enter / mut_enter (owner incarnation, then the range
 * against the owner's current records; same errors), then KERR_SIZE when
 * [off, off + n) is not inside the buffer; nothing is copied on any error.
 * The bytes move as pslice_copy_out() / pslice_mut_copy_in() move them
 * (volatile, each byte once, never outside [off, off + n) of the buffer),
 * so the kernel side may alias the buffer.  n 0: KERR_OK once validated.
 */
enum kerr pbuf_ro_copy_out(const struct pbuf_ro *b, size_t off, void *dst,
			   size_t n);
enum kerr pbuf_rw_copy_out(const struct pbuf_rw *b, size_t off, void *dst,
			   size_t n);
enum kerr pbuf_rw_copy_in(const struct pbuf_rw *b, size_t off,
			  const void *src, size_t n);
