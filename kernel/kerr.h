/* SPDX-License-Identifier: MIT */
/*
 * Kernel error codes.
 *
 * The values 0..13 are the Tock 2.x ABI error codes (spec §3.2): a kerr
 * returned by a syscall handler reaches userspace unchanged.  Codes at or
 * above KERR_INTERNAL_BASE are kernel-internal (they describe why a process
 * buffer or grant could not be entered) and are never written into a process
 * register: kerr_abi() maps them first.
 */
#pragma once

enum kerr {
	KERR_OK = 0,
	KERR_FAIL = 1,
	KERR_BUSY = 2,
	KERR_ALREADY = 3,
	KERR_OFF = 4,
	KERR_RESERVE = 5,
	KERR_INVAL = 6,
	KERR_SIZE = 7,
	KERR_CANCEL = 8,
	KERR_NOMEM = 9,
	KERR_NOSUPPORT = 10,
	KERR_NODEVICE = 11,
	KERR_UNINSTALLED = 12,
	KERR_NOACK = 13,

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

/* Map any kerr onto a value that may be placed in a Failure's a1 (spec §5.1). */
static inline unsigned kerr_abi(enum kerr e)
{
	if ((unsigned)e <= KERR_NOACK)
		return (unsigned)e; /* an ABI code already */
	/* NOSUCHAPP, NOACCESS: INVAL; INACTIVE, ENTERED, anything else: FAIL */
	_Static_assert(KERR_NOACCESS == KERR_NOSUCHAPP + 1, "two in a row");
	return (unsigned)e - KERR_NOSUCHAPP <= 1 ? KERR_INVAL : KERR_FAIL;
}
