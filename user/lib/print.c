// SPDX-License-Identifier: MIT
/*
 * libtern formatted output (see user/lib/tern.h).
 *
 * One formatter, two sinks: a bounded buffer (snprintf) and a 128-byte
 * chunk that is flushed to the console whenever it fills (printf), so
 * printf needs no heap and little stack.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "user/lib/tern.h"

#define CHUNK 128

struct sink {
	char *buf;
	size_t cap;   /* bytes buf can hold */
	size_t n;     /* bytes in buf now */
	size_t total; /* bytes produced so far */
	bool console; /* flush to the console when full */
	int err;      /* first console error (negative), else 0 */
};

static void flush(struct sink *s)
{
	if (s->console && s->n) {
		int rc = console_write(s->buf, s->n);

		if (rc < 0 && s->err == 0)
			s->err = rc;
		s->n = 0;
	}
}

static void put(struct sink *s, char c)
{
	s->total++;
	if (s->console) {
		if (s->n == s->cap)
			flush(s);
		s->buf[s->n++] = c;
	} else if (s->n + 1 < s->cap) { /* keep room for the NUL */
		s->buf[s->n++] = c;
	}
}

struct spec {
	bool left, zero;
	unsigned width;
	int prec; /* %.Ns: at most N bytes of the string; -1: none */
};

static void pad(struct sink *s, unsigned len, const struct spec *sp,
		char with)
{
	for (unsigned i = len; i < sp->width; i++)
		put(s, with);
}

static void put_str(struct sink *s, const char *str, const struct spec *sp)
{
	/* with a precision the string need not be NUL-terminated */
	unsigned len = sp->prec < 0 ? (unsigned)strlen(str)
				    : (unsigned)strnlen(str, (size_t)sp->prec);

	if (!sp->left)
		pad(s, len, sp, ' ');
	for (unsigned i = 0; i < len; i++)
		put(s, str[i]);
	if (sp->left)
		pad(s, len, sp, ' ');
}

static void put_num(struct sink *s, uint64_t v, bool neg, unsigned base,
		    bool upper, const char *prefix, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	unsigned n = 0, len, plen = (unsigned)strlen(prefix) + neg;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + plen;
	if (!sp->left && !sp->zero)
		pad(s, len, sp, ' ');
	if (neg)
		put(s, '-');
	while (*prefix)
		put(s, *prefix++);
	if (!sp->left && sp->zero)
		pad(s, len, sp, '0');
	while (n)
		put(s, tmp[--n]);
	if (sp->left)
		pad(s, len, sp, ' ');
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		struct spec sp = { false, false, 0, -1 };
		unsigned longs = 0;
		bool size_t_arg = false;

		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (unsigned)(*fmt++ - '0');
		if (*fmt == '.') {
			/* numbers ignore it; %s stops after it */
			sp.prec = 0;
			while (*++fmt >= '0' && *fmt <= '9')
				sp.prec = sp.prec * 10 + (*fmt - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				longs++;
			else if (*fmt == 'z')
				size_t_arg = true;
			else
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = longs >= 2 ? va_arg(ap, long long)
				  : longs == 1 ? va_arg(ap, long)
				  : size_t_arg ? (int64_t)va_arg(ap, ptrdiff_t)
					       : va_arg(ap, int);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

			put_num(s, mag, v < 0, 10, false, "", &sp);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = longs >= 2 ? va_arg(ap, unsigned long long)
				   : longs == 1 ? va_arg(ap, unsigned long)
				   : size_t_arg ? va_arg(ap, size_t)
						: va_arg(ap, unsigned);

			put_num(s, v, false, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				"", &sp);
			break;
		}
		case 'p':
			put_num(s, (uintptr_t)va_arg(ap, void *), false, 16,
				false, "0x", &sp);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);

			put_str(s, str ? str : "(null)", &sp);
			break;
		}
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), '\0' };

			put_str(s, c, &sp);
			break;
		}
		case '%':
			put(s, '%');
			break;
		case '\0':
			return; /* a lone % at the end */
		default: /* unknown: show it rather than guess */
			put(s, '%');
			put(s, *fmt);
			break;
		}
	}
}

int tern_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .cap = size };

	format(&s, fmt, ap);
	if (size)
		buf[s.n] = '\0';
	return (int)s.total;
}

int tern_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = tern_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int tern_vprintf(const char *fmt, va_list ap)
{
	char chunk[CHUNK];
	struct sink s = { .buf = chunk, .cap = sizeof(chunk), .console = true };

	format(&s, fmt, ap);
	flush(&s);
	return s.err ? s.err : (int)s.total;
}

int tern_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = tern_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int tern_puts(const char *s)
{
	int a = console_write(s, strlen(s)), b;

	if (a < 0)
		return a;
	b = console_write("\n", 1);
	return b < 0 ? b : a + b;
}
