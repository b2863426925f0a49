/* SPDX-License-Identifier: MIT */
/*
 * Board services the portable kernel and drivers use: console, time,
 * LEDs, power.  Each board implements them in platform/boards/<board>/.
 */
#pragma once

#include <stdint.h>

/* Write one byte to the kernel console; blocks until the byte is taken. */
void board_console_putc(char c);
