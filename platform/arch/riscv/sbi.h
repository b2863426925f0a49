/* SPDX-License-Identifier: MIT */
/*
 * Calls from an S-mode kernel into the SBI firmware (OpenSBI) below it.
 *
 * Only what Tern uses: probing, the timer and system reset.  Every call
 * returns the SBI error code (0 on success, negative otherwise; SBI spec,
 * "Binary Encoding"), and the callers decide what a failure means.  The
 * legacy set-timer and shutdown calls (extensions 0x00 and 0x08) stand in
 * where the firmware lacks the TIME or SRST extension.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* clang-format off */
/* Standard SBI error codes. */
#define SBI_SUCCESS              0
#define SBI_ERR_FAILED          -1
#define SBI_ERR_NOT_SUPPORTED   -2
#define SBI_ERR_INVALID_PARAM   -3
#define SBI_ERR_DENIED          -4
#define SBI_ERR_INVALID_ADDRESS -5
#define SBI_ERR_ALREADY_AVAILABLE -6

/* Extension IDs (a7). */
#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_SHUTDOWN  0x08
#define SBI_EXT_BASE             0x10
#define SBI_EXT_TIME             0x54494D45 /* "TIME" */
#define SBI_EXT_SRST             0x53525354 /* "SRST" */

/* System reset: type and reason (a0, a1 of SRST function 0). */
#define SBI_RESET_SHUTDOWN       0
#define SBI_RESET_COLD_REBOOT    1
#define SBI_RESET_REASON_NONE    0
#define SBI_RESET_REASON_FAILURE 1
/* clang-format on */

struct sbi_ret {
	long error;
	long value;
};

/* One SBI call: extension ext, function fid, arguments a0..a2. */
struct sbi_ret sbi_call(unsigned long ext, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2);

/* Name of an SBI error code, for reports ("not supported"). */
const char *sbi_strerror(long error);

/*
 * Learn what the firmware offers (TIME, SRST) and print one line about
 * it.  Call once, before the other functions; the console must work.
 */
void sbi_init(void);

/* True when the firmware implements extension ext (base probe). */
bool sbi_has(unsigned long ext);

/*
 * Raise the supervisor timer interrupt once the time CSR reaches when (and
 * clear a pending one until then).  Returns the SBI error.
 */
long sbi_set_timer(uint64_t when);

/*
 * Shut the machine down, reason "none" for code 0 and "system failure"
 * otherwise.  Returns only if the firmware refused, with its error.
 */
long sbi_shutdown(int code);

/*
 * Cold-reboot the machine (SRST).  Returns only if the firmware refused or
 * lacks SRST (the legacy calls have no reboot), with its error.
 */
long sbi_reboot(void);
