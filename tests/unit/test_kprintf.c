// SPDX-License-Identifier: MIT
/*
 * kprintf (kernel/kprintf.c): every conversion, flag and width the kernel
 * uses, checked on the host board's console, and what it does with those it
 * leaves out.  The host is LP64, so the l modifier takes the 64-bit path
 * here and the 32-bit one on rv32.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "kernel/kprintf.h"
#include "platform/boards/host/host_board.h"

/* kprintf(...) must print exactly expect (and nothing else). */
#define CHECK(expect, ...)                                                  \
	do {                                                                \
		host_board_reset();                                         \
		kprintf(__VA_ARGS__);                                       \
		assert_string_equal(host_console_text(), (expect));         \
	} while (0)

/*
 * The same through kvprintf(), whose format GCC does not check: for the
 * formats its checker rejects (a NULL %s, a lone % at the end).
 */
static void print_unchecked(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

#define CHECK_UNCHECKED(expect, ...)                                        \
	do {                                                                \
		host_board_reset();                                         \
		print_unchecked(__VA_ARGS__);                               \
		assert_string_equal(host_console_text(), (expect));         \
	} while (0)

static void strings_are_printed_right_aligned_in_their_width(void **s)
{
	(void)s;
	CHECK("plain text\n", "plain text\n");
	CHECK("[abc]", "[%s]", "abc");
	CHECK("  ra|s10| s11", "%4s|%3s|%4s", "ra", "s10", "s11");
	CHECK("toolong", "%3s", "toolong");
	CHECK_UNCHECKED("(null)", "%s", (const char *)NULL);
}

/* A precision bounds %s: a name in flash has no NUL after it. */
static void a_precision_prints_at_most_that_many_bytes(void **s)
{
	static const char name[6] = { 'b', 'l', 'i', 'n', 'k', '!' };

	(void)s;
	CHECK("[blink]", "[%.*s]", 5, name);
	CHECK("[]", "[%.*s]", 0, name);
	CHECK("[ab]", "[%.*s]", 9, "ab");	   /* the NUL still ends it */
	CHECK("[ab]", "[%.*s]", -1, "ab");	   /* negative: no precision */
	CHECK("[   bli]", "[%6.*s]", 3, "blink"); /* width pads what shows */
	/* only .* is a precision: digits print as they stand */
	CHECK_UNCHECKED("[%.3s]", "[%.3s]", "blink");
	CHECK("[bl~]", "[%.*s%s]", 2, name, "~"); /* a cut name */
}

static void signed_decimals_print_their_sign_before_the_padding(void **s)
{
	(void)s;
	CHECK("0 42 -42", "%d %d %d", 0, 42, -42);
	CHECK("-2147483648", "%d", INT_MIN);
	CHECK("  -42|   42", "%5d|%5d", -42, 42);
	CHECK("-9223372036854775808", "%ld", LONG_MIN);
	CHECK("9223372036854775807", "%ld", LONG_MAX);
}

static void unsigned_and_hex_numbers_take_width_and_long(void **s)
{
	(void)s;
	CHECK("4294967295", "%u", UINT_MAX);
	CHECK("deadbeef", "%x", 0xdeadbeefu);
	CHECK("    1234|    12", "%8x|%6lx", 0x1234u, 0x12ul);
	/* no 0 flag (only %p has zeros): it reads as part of the width */
	CHECK("    1234", "%08x", 0x1234u);
	CHECK("ffffffffffffffff", "%lx", ULONG_MAX);
	CHECK("18446744073709551615", "%lu", ULONG_MAX);
	CHECK("7", "%lu", 7ul);
}

static void pointers_print_every_hex_digit(void **s)
{
	char expect[32];

	(void)s;
	snprintf(expect, sizeof(expect), "0x%0*lx", (int)sizeof(void *) * 2,
		 0x1234ul);
	CHECK(expect, "%p", (void *)0x1234);
	snprintf(expect, sizeof(expect), "0x%0*lx", (int)sizeof(void *) * 2,
		 (unsigned long)UINTPTR_MAX);
	CHECK(expect, "%p", (void *)UINTPTR_MAX);
}

/* Conversions the kernel does not use are printed as they stand. */
static void percent_and_unsupported_conversions_print_as_written(void **s)
{
	(void)s;
	CHECK("100%", "100%%");
	CHECK("a%cb", "a%cb", 'x');
	CHECK("[%*s]", "[%*s]", 4, "ab"); /* no width given as * */
	CHECK_UNCHECKED("end", "end%");
}

static void kputs_prints_without_a_newline(void **s)
{
	(void)s;
	host_board_reset();
	kputs("one");
	kputs("two");
	assert_string_equal(host_console_text(), "onetwo");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			strings_are_printed_right_aligned_in_their_width),
		cmocka_unit_test(a_precision_prints_at_most_that_many_bytes),
		cmocka_unit_test(
			signed_decimals_print_their_sign_before_the_padding),
		cmocka_unit_test(
			unsigned_and_hex_numbers_take_width_and_long),
		cmocka_unit_test(pointers_print_every_hex_digit),
		cmocka_unit_test(
			percent_and_unsupported_conversions_print_as_written),
		cmocka_unit_test(kputs_prints_without_a_newline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
