// SPDX-License-Identifier: MIT
/* Minimal formatted output for the kernel console; see kprintf.h. */
#include "kernel/kprintf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/board.h"
#include "kernel/div64.h"

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

/* Unsigned v in base 10 or 16, into a field of width w. */
static void put_num(unsigned long long v, unsigned base, bool upper, bool neg,
		    int w, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;

	do {
		uint32_t digit;

		/* not v % base, v / base: no libgcc on rv32 (div64.h) */
		v = div64_u32(v, base, &digit);
		buf[n++] = digits[digit];
	} while (v);
	int len = n + (neg ? 1 : 0);

	if (neg && zero)
		board_console_putc('-');
	if (!left)
		pad(w - len, zero ? '0' : ' ');
	if (neg && !zero)
		board_console_putc('-');
	while (n)
		board_console_putc(buf[--n]);
	if (left)
		pad(w - len, ' ');
}

void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		bool zero = false, left = false;
		int width = 0, lng = 0;

		if (*fmt != '%') {
			board_console_putc(*fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = sizeof(size_t) == sizeof(long) ? 1 : 2;
			else
				break;
		}
		if (left)
			zero = false;

		unsigned long long u;
		long long s;
		switch (*fmt) {
		case 'c':
			board_console_putc((char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;

			if (!str)
				str = "(null)";
			while (str[len])
				len++;
			if (!left)
				pad(width - len, ' ');
			kputs(str);
			if (left)
				pad(width - len, ' ');
			break;
		}
		case 'd':
		case 'i':
			s = lng == 0 ? va_arg(ap, int)
			    : lng == 1 ? va_arg(ap, long)
				       : va_arg(ap, long long);
			u = s < 0 ? 0ull - (unsigned long long)s
				  : (unsigned long long)s;
			put_num(u, 10, false, s < 0, width, zero, left);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng == 0 ? va_arg(ap, unsigned)
			    : lng == 1 ? va_arg(ap, unsigned long)
				       : va_arg(ap, unsigned long long);
			put_num(u, *fmt == 'u' ? 10 : 16, *fmt == 'X', false,
				width, zero, left);
			break;
		case 'p':
			kputs("0x");
			put_num((uintptr_t)va_arg(ap, void *), 16, false,
				false, (int)sizeof(void *) * 2, true, false);
			break;
		case '%':
			board_console_putc('%');
			break;
		case '\0':
			return;
		default:
			board_console_putc('%');
			board_console_putc(*fmt);
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
