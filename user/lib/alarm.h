/* SPDX-License-Identifier: MIT */
/*
 * Tern userspace: the alarm driver, number 0x0 (doc/abi.md §10.2).
 *
 * Ticks are the driver's left-justified 32-bit counter: it wraps at 2^32
 * and alarm_frequency() is already scaled to match, so differences of two
 * readings are plain unsigned subtraction.  One alarm per process; arming
 * again replaces it.
 */
#pragma once

#include <stdint.h>

#include "user/lib/sys.h"

#define ALARM_DRIVER 0x0u

enum alarm_cmd {
	ALARM_CMD_EXISTS = 0,
	ALARM_CMD_FREQUENCY = 1,
	ALARM_CMD_NOW = 2,
	ALARM_CMD_STOP = 3,
	ALARM_CMD_ARM_RELATIVE = 5,
	ALARM_CMD_ARM_AT = 6,
};

#define ALARM_SUB_FIRED 0u /* (now, reference + dt, 0) */

/* Ticks per second, 0 if the driver is missing. */
uint32_t alarm_frequency(void);

/* The current tick count (0 if the driver is missing). */
uint32_t alarm_now(void);

/* ms converted to ticks, rounded up, saturating at 2^32 - 1. */
uint32_t alarm_ms_to_ticks(uint32_t ms);

/*
 * Subscribe cb and arm the alarm dt ticks from now (command 5) /
 * dt ticks after reference (command 6).  cb(now, expiry, 0, ud) runs at a
 * later yield.  Returns 0 or -error.
 */
int alarm_arm_relative(uint32_t dt, sys_upcall_fn cb, void *ud);
int alarm_arm_at(uint32_t reference, uint32_t dt, sys_upcall_fn cb, void *ud);

/* Disarm: 0, or -SYS_EALREADY when nothing was armed. */
int alarm_stop(void);

/*
 * Sleep for at least ms milliseconds: arm, then Yield-Wait until the alarm
 * upcall has run (other upcalls that arrive meanwhile run too).  Replaces
 * any alarm subscription.  Returns 0 or -error.
 */
int alarm_delay_ms(uint32_t ms);
