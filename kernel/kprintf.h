/* SPDX-License-Identifier: MIT */
/*
 * Kernel console output: a small printf onto board_console_putc().
 *
 * Supports only what the kernel prints: %s %d %u %x %p %%, the l length
 * modifier, a field width in digits and, for %s, a precision given as .*
 * (at most that many bytes, so that bytes with no NUL after them, a
 * process name in its TBF header, print as they are).  Fields are
 * right-aligned and padded with spaces; %p is 0x and the pointer in hex at
 * full width, zeros included.  A 0 flag reads as the first digit of the
 * width (spaces still); anything else (%c, %i, %X, the - flag, a width
 * given as *, ll, z, a precision in digits) is printed as it stands.
 * Kernel flash is scarce (doc/design.md#footprint), hence
 * no more.  Needs no heap and no libc stdio, so it works from the trap
 * path and from kpanic().
 */
#pragma once

#include <stdarg.h>

__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
void kputs(const char *s); /* no newline added */

