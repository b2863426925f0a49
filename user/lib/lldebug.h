/* SPDX-License-Identifier: MIT */
/*
 * Tern userspace: the low-level debug driver, number 0x8 (doc/abi.md §10.4).
 * The kernel prints each call as one "LowLevelDebug: App 0x<id> ..." line
 * on its own console; useful before the console driver works.  Every call
 * succeeds even when the kernel drops the message.
 */
#pragma once

#include <stdint.h>

#define LLDEBUG_DRIVER 0x8u

enum lldebug_cmd {
	LLDEBUG_CMD_EXISTS = 0,
	LLDEBUG_CMD_ALERT = 1,
	LLDEBUG_CMD_PRINT1 = 2,
	LLDEBUG_CMD_PRINT2 = 3,
};

/* Alert codes the kernel names. */
#define LLDEBUG_ALERT_PANIC 0x01
#define LLDEBUG_ALERT_WRONG_LOCATION 0x02

void lldebug_alert(uint32_t code);
void lldebug_print(uint32_t a);
void lldebug_print2(uint32_t a, uint32_t b);
