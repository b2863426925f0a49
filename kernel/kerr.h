/* SPDX-License-Identifier: MIT */
/*
 * Kernel error codes.
 *
 * The values 0..13 are the Tock 2.x ABI error codes (doc/abi.md §5.3, defined
 * in abi/tock.h): a kerr returned by a syscall handler reaches userspace
 * unchanged.  Codes at or above KERR_INTERNAL_BASE are kernel-internal
 * (they describe why a process buffer or grant could not be entered) and
 * are never written into a process register: kerr_abi() maps them first.
 */
#pragma once

#include "abi/tock.h"

enum kerr {
	KERR_OK = SYS_OK,
	KERR_FAIL = SYS_EFAIL,
	KERR_BUSY = SYS_EBUSY,
	KERR_ALREADY = SYS_EALREADY,
	KERR_OFF = SYS_EOFF,
	KERR_RESERVE = SYS_ERESERVE,
	KERR_INVAL = SYS_EINVAL,
	KERR_SIZE = SYS_ESIZE,
	KERR_CANCEL = SYS_ECANCEL,
	KERR_NOMEM = SYS_ENOMEM,
	KERR_NOSUPPORT = SYS_ENOSUPPORT,
	KERR_NODEVICE = SYS_ENODEVICE,
	KERR_UNINSTALLED = SYS_EUNINSTALLED,
	KERR_NOACK = SYS_ENOACK,

	KERR_INTERNAL_BASE = 0x100,
	/* the process id is stale or empty: the incarnation is gone */
	KERR_NOSUCHAPP = KERR_INTERNAL_BASE,
	/* the buffer no longer lies inside the owner's current PMP region */
	KERR_NOACCESS,
	/* the process exists but is faulted or terminated */
	KERR_INACTIVE,
	/* the grant is already entered (re-entry would alias driver state) */
	KERR_ENTERED,
};

/* Map any kerr onto a value a Failure's a1 may carry (doc/abi.md §5.3). */
static inline unsigned kerr_abi(enum kerr e)
{
	if ((unsigned)e <= KERR_NOACK)
		return (unsigned)e; /* an ABI code already */
	/* NOSUCHAPP, NOACCESS: INVAL; INACTIVE, ENTERED, anything else: FAIL */
	_Static_assert(KERR_NOACCESS == KERR_NOSUCHAPP + 1, "two in a row");
	return (unsigned)e - KERR_NOSUCHAPP <= 1 ? KERR_INVAL : KERR_FAIL;
}
