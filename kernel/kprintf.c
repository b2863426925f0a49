// SPDX-License-Identifier: MIT
/* Minimal formatted output for the kernel console; see kprintf.h. */
#include "kernel/kprintf.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/board.h"

void kputs(const char *s)
{
	while (*s)
		board_console_putc(*s++);
}

static void pad(int n, char c)
{
	while (n-- > 0)
		board_console_putc(c);
}

/*
 * v in base 10 or 16 (a minus sign first when neg), right-aligned in a
 * field of w, padded with fill.  unsigned long, not a 64-bit type: it is
 * as wide as a register, so the division is one instruction on every
 * target (rv32 has no 64-bit divide; see div64.h).
 */
static void put_num(unsigned long v, unsigned base, bool neg, int w, char fill)
{
	char buf[3 * sizeof(long) + 1];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-'; /* only %p pads with zeros, and is unsigned */
	pad(w - n, fill);
	while (n)
		board_console_putc(buf[--n]);
}

void kvprintf(const char *fmt, va_list ap)
{
	char c;

	while ((c = *fmt++) != '\0') {
		int width = 0, prec = -1;
		bool lng = false;
		unsigned base = 10;
		unsigned long u;

		if (c != '%') {
			board_console_putc(c);
			continue;
		}
		c = *fmt++;
		while (c >= '0' && c <= '9') {
			width = width * 10 + (c - '0');
			c = *fmt++;
		}
		if (c == '.' && *fmt == '*') {
			/* the most bytes a %s prints (< 0: no limit) */
			prec = va_arg(ap, int);
			fmt++;
			c = *fmt++;
		}
		if (c == 'l') {
			lng = true;
			c = *fmt++;
		}
		/* where long is int (rv32), the compiler drops the lng tests */
		switch (c) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;

			if (!s)
				s = "(null)";
			/* a name in a TBF has no NUL after it: prec ends it */
			while ((prec < 0 || len < prec) && s[len])
				len++;
			pad(width - len, ' ');
			for (int i = 0; i < len; i++)
				board_console_putc(s[i]);
			break;
		}
		case 'd': {
			long v = lng && sizeof(long) != sizeof(int)
					 ? va_arg(ap, long)
					 : va_arg(ap, int);

			/* 0ul - v: -LONG_MIN overflows, the unsigned sum not */
			u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
			put_num(u, 10, v < 0, width, ' ');
			break;
		}
		case 'x':
			base = 16;
			/* fall through */
		case 'u':
			u = lng && sizeof(long) != sizeof(int)
				    ? va_arg(ap, unsigned long)
				    : va_arg(ap, unsigned);
			put_num(u, base, false, width, ' ');
			break;
		case 'p':
			kputs("0x");
			put_num((uintptr_t)va_arg(ap, void *), 16, false,
				(int)sizeof(void *) * 2, '0');
			break;
		case '\0':
			return; /* a lone % at the end */
		default: /* %%, or one the kernel does not use: as it stands */
			if (c != '%')
				board_console_putc('%');
			board_console_putc(c);
			break;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
