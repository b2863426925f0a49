/* SPDX-License-Identifier: MIT */
/*
 * Tern userspace: the LED driver, number 0x2 (doc/abi.md §10.3).  LEDs are
 * numbered from 0; an index at or beyond led_count() gives -SYS_EINVAL.
 */
#pragma once

#include "user/lib/sys.h"

#define LED_DRIVER 0x2u

enum led_cmd {
	LED_CMD_COUNT = 0, /* Success with u32, not plain Success */
	LED_CMD_ON = 1,
	LED_CMD_OFF = 2,
	LED_CMD_TOGGLE = 3,
	LED_CMD_READ = 4,
};

/* Number of LEDs, or -error (-SYS_EBADRVAL for a wrong return variant). */
int led_count(void);

/* 0 or -error. */
int led_on(unsigned i);
int led_off(unsigned i);
int led_toggle(unsigned i);

/* 1 lit, 0 dark, or -error. */
int led_read(unsigned i);
