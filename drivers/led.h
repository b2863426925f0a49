/* SPDX-License-Identifier: MIT */
/*
 * LED driver, number 0x2 (doc/abi.md §10.3): the board's LEDs, by index.
 *
 * No grant, so subscribe and allow answer NOMEM (the kernel's "allocate the
 * grant" step finds nothing to allocate; doc/abi.md §7.3, §10.3).  Commands:
 *   0      Success with u32 = number of LEDs (libtock-c requires variant 129)
 *   1/2/3  on / off / toggle LED a2: Success, or INVAL if a2 >= count
 *   4      read LED a2: Success with u32 0 (off) or 1 (on), or INVAL
 *   other  NOSUPPORT
 */
#pragma once

#include "kernel/driver.h"

#define LED_DRIVER_NUM 0x2u

extern const struct driver led_driver;
