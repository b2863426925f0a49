/* SPDX-License-Identifier: MIT */
/*
 * libtern: Tern's userspace runtime.  Apps include this one header.
 *
 *   user/lib/sys.h      raw system calls, return variants, error codes
 *   user/lib/crt0.h     boot registers (tern_boot), linker symbols
 *   user/lib/console.h  console driver (async and sync writes)
 *   user/lib/alarm.h    alarm driver, delays
 *   user/lib/led.h      LED driver
 *   user/lib/lldebug.h  low-level debug driver
 *
 * and, below, formatted output on the console.  The formatter is our own
 * (picolibc's stdio would pull in errno, which lives in TLS that Tern apps
 * do not set up); it knows %d %i %u %x %X %p %s %c %% with the flags '-'
 * and '0', a field width, a precision for %s only ("%.8s": at most 8
 * bytes, the string need not be NUL-terminated), and the length modifiers
 * l, ll and z.
 */
#pragma once

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>

#include "user/lib/alarm.h"
#include "user/lib/console.h"
#include "user/lib/crt0.h"
#include "user/lib/led.h"
#include "user/lib/lldebug.h"
#include "user/lib/sys.h"

/*
 * Format into buf[0..size) (always NUL-terminated when size > 0) and return
 * the length the whole output would have, like C's vsnprintf.
 */
int tern_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int tern_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Format and write to the console synchronously (console_write()); output
 * goes out in chunks of up to 128 bytes.  Returns the bytes written or
 * -error.
 */
int tern_vprintf(const char *fmt, va_list ap);
int tern_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write s and a newline (like puts).  Returns bytes written or -error. */
int tern_puts(const char *s);
