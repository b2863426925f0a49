/* SPDX-License-Identifier: MIT */
/*
 * Allow system calls: read-write (class 3), read-only (class 4) and
 * userspace-readable (class 7), with Tock 2.x semantics (spec §2.4-2.6, §4).
 *
 * Each handler checks in the spec's order (driver, then buffer, then grant,
 * then slot) and changes nothing unless every check passed.  On success
 * *old holds the previous buffer exactly as the process gave it; on failure
 * the syscall layer echoes the caller's (addr, len).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/allow/pbuf.h"
#include "kernel/kerr.h"
#include "kernel/proc/proc.h"

/*
 * KERR_NODEVICE no driver drv; KERR_FAIL p not alive; KERR_INVAL bad buffer;
 * KERR_NOMEM no grant could be allocated; KERR_NOSUPPORT num out of range.
 */
enum kerr allow_rw(struct proc *p, uint32_t drv, uint32_t num, uintptr_t addr,
		   size_t len, struct pbuf *old)
	__attribute__((warn_unused_result));

/* As allow_rw, but the buffer may also lie in flash after the header. */
enum kerr allow_ro(struct proc *p, uint32_t drv, uint32_t num, uintptr_t addr,
		   size_t len, struct pbuf *old)
	__attribute__((warn_unused_result));

/*
 * Validated like allow_rw, then handed to the driver's allow_userspace hook
 * (KERR_NOSUPPORT if it has none).
 */
enum kerr allow_userspace(struct proc *p, uint32_t drv, uint32_t num,
			  uintptr_t addr, size_t len, struct pbuf *old)
	__attribute__((warn_unused_result));
