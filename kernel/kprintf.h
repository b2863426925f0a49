/* SPDX-License-Identifier: MIT */
/*
 * Kernel console output: a small printf onto board_console_putc().
 *
 * Supports %c %s %d %i %u %x %X %p %% with the l, ll and z length modifiers,
 * a field width (digits or *) and the 0 and - flags.  Needs no heap and no libc stdio, so
 * it works from the trap path and from kpanic().
 */
#pragma once

#include <stdarg.h>

__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
void kputs(const char *s); /* no newline added */
