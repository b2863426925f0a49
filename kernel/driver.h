/* SPDX-License-Identifier: MIT */
/*
 * The driver interface and the syscall return variants.
 *
 * A driver is a const struct: its number, the shape of its per-process grant
 * (upcall, read-only and read-write allow slot counts, size of its own
 * record) and its command handler.  The board lists its drivers in
 * driver_table; the position of a driver in that table is its grant index.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kerr.h"

struct proc;
struct pbuf;

/* Return variants (spec §3.1): the value placed in a0. */
enum ret_variant {
	RET_FAILURE = 0,
	RET_FAILURE_U32 = 1,
	RET_FAILURE_2U32 = 2,
	RET_FAILURE_U64 = 3,
	RET_SUCCESS = 128,
	RET_SUCCESS_U32 = 129,
	RET_SUCCESS_2U32 = 130,
	RET_SUCCESS_U64 = 131,
	RET_SUCCESS_3U32 = 132,
	RET_SUCCESS_U32_U64 = 133,
	/*
	 * Tock's 64-bit encoding (spec decision 11) adds these for values
	 * that are pointers or addresses; the system-call layer uses them and
	 * writes them as the 32-bit variant in brackets when registers are
	 * 32 bits wide (syscall_encode()).  Drivers need not.
	 */
	RET_FAILURE_FNPTR = 4,	   /* error, fn, userdata (2U32) */
	RET_FAILURE_PTR_LEN = 5,   /* error, address, length (2U32) */
	RET_SUCCESS_FNPTR = 134,   /* fn, userdata (2U32) */
	RET_SUCCESS_PTR_LEN = 135, /* address, length (2U32) */
	RET_SUCCESS_PTR = 136,	   /* a pointer (U32) */
	RET_SUCCESS_ADDR = 137,	   /* an address, not to dereference (U32) */
};

/*
 * A syscall result: the variant and up to three values.  For failures v[0]
 * is the error code.  A 64-bit value takes two entries, its low 32 bits
 * first (TRD104's layout; on 64-bit registers the encoding joins them).
 * Registers the variant does not name are left alone.
 */
struct sysret {
	uint32_t variant;
	uintptr_t v[3];
};

static inline struct sysret sysret_ok(void)
{
	return (struct sysret){ RET_SUCCESS, { 0, 0, 0 } };
}
static inline struct sysret sysret_u32(uint32_t a)
{
	return (struct sysret){ RET_SUCCESS_U32, { a, 0, 0 } };
}
static inline struct sysret sysret_err(enum kerr e)
{
	return (struct sysret){ RET_FAILURE, { kerr_abi(e), 0, 0 } };
}

struct driver {
	uint32_t num;
	/* grant shape; a driver with has_grant false has no per-process state */
	bool has_grant;
	uint8_t upcalls, ro_allows, rw_allows;
	uint16_t data_size; /* bytes of the driver's own per-process record */

	/* Command (class 2).  p is the caller, alive.  Never NULL. */
	struct sysret (*command)(struct proc *p, uint32_t cmd, uintptr_t arg0,
				 uintptr_t arg1);
	/*
	 * Userspace-readable allow (class 7), already validated: b is the new
	 * buffer; on success the driver writes the buffer it gives back into
	 * *b.  NULL: the driver does not support it (NOSUPPORT).
	 */
	enum kerr (*allow_userspace)(struct proc *p, uint32_t num,
				     struct pbuf *b);
};

/* Provided by the board (or by a unit test). */
extern const struct driver *const driver_table[];
extern const unsigned driver_count;

/* The driver registered under num, or NULL. */
const struct driver *driver_find(uint32_t num);

/* Index of d in driver_table (its grant index). */
unsigned driver_index(const struct driver *d);
