// SPDX-License-Identifier: MIT
/*
 * Unit tests for the TBF parser and builder (kernel/tbf.c).
 *
 * Most objects start from app(): a c_hello-like app built with
 * tbf_build_header() (doc/abi.md §9.6 layout: protected_size 0x80, entry at
 * 0xA8), then changed byte by byte and resealed where the test is not about
 * the checksum.  Odd TLV layouts are assembled by hand with raw_header().
 * The last test mutates headers at random and runs each parse on a heap
 * buffer of exactly avail bytes, so the sanitizer build catches any read
 * past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tools/tbf_build.h"

#define IMG_SIZE 1024u
#define FLASH 0x80100000u

/*
 * The reference app.  Header: base 16 + Program 4+20 + PackageName
 * "c_hello" 4+8 (7 padded to 8) + Fixed 4+8 + KernelVersion 4+4 = 72 B.
 * protected_size 0x80 = 128 -> trailer 128 - 72 = 56.
 * _start at 0xA8 -> init_fn_offset 0xA8 - 72 = 0xA8 - 0x48 = 0x60.
 */
#define APP_HEADER 72u
#define APP_TRAILER 56u
#define APP_INIT 0x60u
#define APP_TOTAL 0x400u
#define APP_BIN_END 0x300u

static const struct tbf_build app_build = {
	.total_size = APP_TOTAL,
	.flags = TBF_FLAG_ENABLED,
	.init_fn_offset = APP_INIT,
	.protected_trailer_size = APP_TRAILER,
	.minimum_ram_size = 0x1400,
	.binary_end = APP_BIN_END,
	.app_version = 7,
	.name = "c_hello",
	.has_fixed = true,
	.fixed_ram = 0x80300000,
	.fixed_flash = 0x80100080,
	.kernel_major = 2,
	.kernel_minor = 2,
};

static uint8_t img[IMG_SIZE];

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)v);
	wr16(p + 2, (uint16_t)(v >> 16));
}

/* Recompute the checksum after an edit (header_size taken from the bytes). */
static void reseal(uint8_t *h)
{
	wr32(h + 12, tbf_checksum(h, rd16(h + 2)));
}

/* Build b into img (rest of img zero); returns header_size. */
static size_t build(const struct tbf_build *b)
{
	size_t n;

	memset(img, 0, sizeof(img));
	n = tbf_build_header(img, sizeof(img), b);
	assert_true(n >= 16);
	return n;
}

static size_t app(void)
{
	size_t n = build(&app_build);

	assert_int_equal(n, APP_HEADER);
	return n;
}

/* Append one TLV at p, zero-padded to 4; returns the bytes used. */
static size_t tlv(uint8_t *p, uint16_t type, const void *data, uint16_t len)
{
	size_t padded = (len + 3u) & ~3u;

	wr16(p, type);
	wr16(p + 2, len);
	memset(p + 4, 0, padded);
	memcpy(p + 4, data, len);
	return 4 + padded;
}

static const uint8_t kv22[4] = { 2, 0, 2, 0 };
/* Program: init 0x20, trailer 0, ram 0x800, binary_end 0x200, version 0 */
static const uint8_t prog_data[20] = { 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0,
				       0,    2, 0, 0, 0, 0, 0, 0 };

/* Base header + tlvs[0..len) into img, checksummed; returns header_size. */
static size_t raw_header(uint32_t total, uint32_t flags, const uint8_t *tlvs,
			 size_t len)
{
	memset(img, 0, sizeof(img));
	wr16(img, 2);
	wr16(img + 2, (uint16_t)(16 + len));
	wr32(img + 4, total);
	wr32(img + 8, flags);
	if (len)
		memcpy(img + 16, tlvs, len);
	reseal(img);
	return 16 + len;
}

static enum tbf_verdict parse(size_t avail, struct tbf_info *t)
{
	return tbf_parse(img, avail, t);
}

static void assert_verdict(enum tbf_verdict v, enum tbf_reason why)
{
	struct tbf_info t;

	assert_int_equal(parse(IMG_SIZE, &t), v);
	assert_int_equal(t.reason, why);
}

/* ---- valid objects ---- */

static void valid_app_round_trips_every_field(void **state)
{
	struct tbf_info t;

	(void)state;
	app();
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	assert_int_equal(t.reason, TBF_OK);
	assert_int_equal(t.total_size, APP_TOTAL);
	assert_int_equal(t.header_size, APP_HEADER);
	assert_int_equal(t.flags, TBF_FLAG_ENABLED);
	assert_true(t.checksum_ok);
	assert_true(t.has_program);
	assert_false(t.has_main);
	assert_int_equal(t.init_fn_offset, APP_INIT);
	assert_int_equal(t.protected_trailer_size, APP_TRAILER);
	assert_int_equal(t.protected_size, 0x80); /* 72 + 56 */
	assert_int_equal(t.minimum_ram_size, 0x1400);
	assert_int_equal(t.binary_end, APP_BIN_END);
	assert_int_equal(t.app_version, 7);
	assert_true(t.has_fixed);
	assert_int_equal(t.fixed_ram, 0x80300000);
	assert_int_equal(t.fixed_flash, 0x80100080);
	assert_true(t.has_kernel_version);
	assert_int_equal(t.kernel_major, 2);
	assert_int_equal(t.kernel_minor, 2);
	/* name TLV follows base 16 + Program 24, data after its 4 B header */
	assert_int_equal(t.name_off, 16 + 24 + 4);
	assert_int_equal(t.name_len, 7);
	assert_memory_equal(img + t.name_off, "c_hello", 7);
	assert_int_equal(t.short_id, 0);
	assert_int_equal(t.wfr_count, 0);
}

static void entry_is_flash_start_plus_header_size_plus_init_fn_offset(
	void **state)
{
	struct tbf_info t;

	(void)state;
	app();
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	/* 0x80100000 + 72 + 0x60 = 0x80100000 + 0x48 + 0x60 = 0x801000A8 */
	assert_int_equal(tbf_entry(&t, FLASH), 0x801000A8);
	/* app_start = flash + protected_size = 0x80100000 + 0x80 */
	assert_int_equal(tbf_app_start(&t, FLASH), 0x80100080);
	/* the fixed flash address is app_start: it sits where it should */
	assert_true(tbf_flash_fixed_ok(&t, FLASH));
	assert_false(tbf_flash_fixed_ok(&t, FLASH + 0x100));
}

static void object_without_fixed_flash_fits_anywhere(void **state)
{
	struct tbf_build b = app_build;
	struct tbf_info t;

	(void)state;
	b.has_fixed = false;
	build(&b);
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	assert_false(t.has_fixed);
	assert_int_equal(t.fixed_ram, TBF_NOT_FIXED);
	assert_int_equal(t.fixed_flash, TBF_NOT_FIXED);
	assert_true(tbf_flash_fixed_ok(&t, 0x20040000));
	/* Fixed TLV present but flash 0xFFFFFFFF: RAM fixed only */
	b.has_fixed = true;
	b.fixed_flash = TBF_NOT_FIXED;
	build(&b);
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	assert_int_equal(t.fixed_ram, 0x80300000);
	assert_true(tbf_flash_fixed_ok(&t, 0x20040000));
}

static void builder_reports_its_size_before_writing(void **state)
{
	uint8_t small[8] = { 0 };

	(void)state;
	assert_int_equal(tbf_build_header(NULL, 0, &app_build), APP_HEADER);
	/* too small a buffer: size returned, nothing written */
	assert_int_equal(tbf_build_header(small, sizeof(small), &app_build),
			 APP_HEADER);
	for (size_t i = 0; i < sizeof(small); i++)
		assert_int_equal(small[i], 0);
}

static void builder_defaults_to_kernel_version_2_2(void **state)
{
	struct tbf_build b = app_build;
	struct tbf_info t;

	(void)state;
	b.kernel_major = 0;
	b.kernel_minor = 0;
	b.binary_end = 0; /* = total_size */
	build(&b);
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	assert_int_equal(t.kernel_major, 2);
	assert_int_equal(t.kernel_minor, 2);
	assert_int_equal(t.binary_end, APP_TOTAL);
}

static void checksum_is_xor_of_words_except_offset_12(void **state)
{
	uint8_t h[20] = { 0 };

	(void)state;
	wr32(h + 0, 0x00100002); /* version 2, header_size 16 */
	wr32(h + 4, 0x00000100); /* total_size */
	wr32(h + 8, 0x00000001); /* flags */
	wr32(h + 12, 0xDEADBEEF); /* the checksum word itself: ignored */
	wr32(h + 16, 0x12345678); /* past header_size 16: ignored */
	/* 0x00100002 ^ 0x00000100 ^ 0x00000001 = 0x00100103 */
	assert_int_equal(tbf_checksum(h, 16), 0x00100103);
	/* 18: the 2 trailing bytes of a non-multiple of 4 are ignored */
	assert_int_equal(tbf_checksum(h, 18), 0x00100103);
	/* 20: 0x00100103 ^ 0x12345678 = 0x1224577B */
	assert_int_equal(tbf_checksum(h, 20), 0x1224577B);
}

/* ---- end of the list ---- */

static void version_1_ends_the_walk(void **state)
{
	(void)state;
	app();
	wr16(img, 1);
	reseal(img);
	assert_verdict(TBF_END, TBF_END_VERSION);
}

static void erased_flash_ends_the_walk(void **state)
{
	(void)state;
	memset(img, 0xFF, sizeof(img));
	assert_verdict(TBF_END, TBF_END_VERSION);
	memset(img, 0x00, sizeof(img));
	assert_verdict(TBF_END, TBF_END_VERSION);
}

static void fewer_than_8_bytes_end_the_walk(void **state)
{
	struct tbf_info t;

	(void)state;
	app();
	assert_int_equal(parse(7, &t), TBF_END);
	assert_int_equal(t.reason, TBF_END_SHORT);
	assert_int_equal(parse(0, &t), TBF_END);
	assert_int_equal(t.reason, TBF_END_SHORT);
}

static void total_size_that_cannot_advance_ends_the_walk(void **state)
{
	static const uint32_t totals[] = { 0, 4, 8, 15 };

	(void)state;
	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		app();
		/* header_size 72 > total_size too: still END, never SKIP */
		wr32(img + 4, totals[i]);
		reseal(img);
		assert_verdict(TBF_END, TBF_END_TOTAL_SIZE);
	}
}

static void object_larger_than_the_flash_left_ends_the_walk(void **state)
{
	struct tbf_info t;

	(void)state;
	app();
	/* total_size 0x400, one byte short of it readable */
	assert_int_equal(parse(APP_TOTAL - 1, &t), TBF_END);
	assert_int_equal(t.reason, TBF_END_OVERFLOW);
	assert_int_equal(parse(APP_TOTAL, &t), TBF_APP);
	/* also with a bad header_size: a SKIP must never step past avail */
	wr16(img + 2, 8);
	reseal(img);
	assert_int_equal(parse(APP_TOTAL - 1, &t), TBF_END);
	assert_int_equal(t.reason, TBF_END_OVERFLOW);
}

/* ---- objects to step over ---- */

static void bad_header_sizes_are_skipped_by_total_size(void **state)
{
	static const uint16_t sizes[] = { 0, 8, 15, APP_TOTAL + 4, 0xFFFF };
	struct tbf_info t;

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		app();
		wr16(img + 2, sizes[i]);
		assert_int_equal(parse(IMG_SIZE, &t), TBF_SKIP);
		assert_int_equal(t.reason, TBF_SKIP_HEADER_SIZE);
		assert_int_equal(t.total_size, APP_TOTAL);
	}
}

static void checksum_off_by_one_bit_is_skipped(void **state)
{
	static const size_t bytes[] = { 0x0C, 0x0F, 0x2C, APP_HEADER - 1 };
	struct tbf_info t;

	(void)state;
	for (size_t i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++) {
		app();
		img[bytes[i]] ^= 0x10;
		assert_int_equal(parse(IMG_SIZE, &t), TBF_SKIP);
		assert_int_equal(t.reason, TBF_SKIP_CHECKSUM);
		assert_false(t.checksum_ok);
		assert_int_equal(t.total_size, APP_TOTAL);
	}
	/* a change past header_size is outside the checksum */
	app();
	img[APP_HEADER] ^= 0x10;
	assert_verdict(TBF_APP, TBF_OK);
}

static void disabled_app_is_skipped(void **state)
{
	struct tbf_build b = app_build;

	(void)state;
	b.flags = TBF_FLAG_STICKY; /* bit 0 clear */
	build(&b);
	assert_verdict(TBF_SKIP, TBF_SKIP_DISABLED);
}

static void base_header_alone_is_padding(void **state)
{
	struct tbf_info t;

	(void)state;
	/* elf2tab padding: version 2, header_size 16, flags 0, total = gap */
	raw_header(0x200, 0, NULL, 0);
	assert_int_equal(parse(IMG_SIZE, &t), TBF_SKIP);
	assert_int_equal(t.reason, TBF_SKIP_PADDING);
	assert_int_equal(t.total_size, 0x200);
	/* even with the enabled flag set */
	raw_header(0x200, TBF_FLAG_ENABLED, NULL, 0);
	assert_verdict(TBF_SKIP, TBF_SKIP_PADDING);
}

static void tlvs_without_main_or_program_are_padding(void **state)
{
	uint8_t tl[64];
	size_t n = 0;

	(void)state;
	n += tlv(tl + n, TBF_TLV_PACKAGE_NAME, "pad", 3);
	n += tlv(tl + n, TBF_TLV_KERNEL_VERSION, kv22, 4);
	raw_header(0x200, TBF_FLAG_ENABLED, tl, n);
	assert_verdict(TBF_SKIP, TBF_SKIP_PADDING);
}

static void tlv_running_past_header_size_is_skipped(void **state)
{
	uint8_t tl[64];
	size_t n = 0;

	(void)state;
	n += tlv(tl + n, TBF_TLV_PROGRAM, prog_data, 20);
	n += tlv(tl + n, TBF_TLV_KERNEL_VERSION, kv22, 4);
	n += tlv(tl + n, 0x77, "abcdefgh", 8);
	raw_header(0x400, TBF_FLAG_ENABLED, tl, n);
	assert_verdict(TBF_APP, TBF_OK);
	/* the last TLV claims 9 bytes: one beyond header_size */
	wr16(img + 16 + n - 12 + 2, 9);
	reseal(img);
	assert_verdict(TBF_SKIP, TBF_SKIP_TLV);
	/* header_size cuts a TLV header in half: 2 stray bytes */
	raw_header(0x400, TBF_FLAG_ENABLED, tl, n - 12 + 2);
	assert_verdict(TBF_SKIP, TBF_SKIP_TLV);
}

static void tlv_lengths_must_be_exact(void **state)
{
	static const struct {
		uint16_t type;
		uint16_t len;
	} bad[] = {
		{ TBF_TLV_MAIN, 8 },	       { TBF_TLV_MAIN, 16 },
		{ TBF_TLV_PROGRAM, 12 },       { TBF_TLV_PROGRAM, 24 },
		{ TBF_TLV_FIXED_ADDRESSES, 4 }, { TBF_TLV_KERNEL_VERSION, 2 },
		{ TBF_TLV_KERNEL_VERSION, 8 }, { TBF_TLV_WFR, 12 },
		{ TBF_TLV_WFR, 4 },	       { TBF_TLV_SHORT_ID, 8 },
	};
	static const uint8_t zeros[24];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t extra[32];
		struct tbf_build b = app_build;

		b.extra = extra;
		b.extra_len = tlv(extra, bad[i].type, zeros, bad[i].len);
		build(&b);
		assert_verdict(TBF_SKIP, TBF_SKIP_TLV);
	}
}

static void missing_kernel_version_is_skipped(void **state)
{
	uint8_t tl[64];
	size_t n = 0;

	(void)state;
	n += tlv(tl + n, TBF_TLV_PROGRAM, prog_data, 20);
	raw_header(0x400, TBF_FLAG_ENABLED, tl, n);
	assert_verdict(TBF_SKIP, TBF_SKIP_NO_KERNEL_VERSION);
	/* the same with the Kernel Version TLV is an app */
	n += tlv(tl + n, TBF_TLV_KERNEL_VERSION, kv22, 4);
	raw_header(0x400, TBF_FLAG_ENABLED, tl, n);
	assert_verdict(TBF_APP, TBF_OK);
}

static void kernel_version_must_be_2_x_with_x_at_most_2(void **state)
{
	static const struct {
		uint16_t major, minor;
		enum tbf_verdict v;
	} cases[] = {
		{ 2, 3, TBF_SKIP }, { 3, 0, TBF_SKIP }, { 1, 9, TBF_SKIP },
		{ 2, 0xFFFF, TBF_SKIP }, { 2, 2, TBF_APP }, { 2, 1, TBF_APP },
		{ 2, 0, TBF_APP },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tbf_build b = app_build;

		b.kernel_major = cases[i].major;
		b.kernel_minor = cases[i].minor;
		build(&b);
		assert_verdict(cases[i].v, cases[i].v == TBF_APP ?
						   TBF_OK :
						   TBF_SKIP_KERNEL_VERSION);
	}
}

static void binary_end_past_total_size_is_skipped(void **state)
{
	struct tbf_build b = app_build;
	struct tbf_info t;

	(void)state;
	b.binary_end = APP_TOTAL + 4;
	build(&b);
	assert_int_equal(parse(IMG_SIZE, &t), TBF_SKIP);
	assert_int_equal(t.reason, TBF_SKIP_BINARY_END);
	/* doc/abi.md D7: skip, so the walk goes on after total_size */
	assert_int_equal(t.total_size, APP_TOTAL);
	/* binary_end == total_size is fine */
	b.binary_end = APP_TOTAL;
	build(&b);
	assert_verdict(TBF_APP, TBF_OK);
}

static void protected_region_past_binary_end_is_skipped(void **state)
{
	struct tbf_build b = app_build;

	(void)state;
	/* 72 + (0x300 - 72 + 4) = 0x304 > binary_end 0x300 */
	b.protected_trailer_size = APP_BIN_END - APP_HEADER + 4;
	build(&b);
	assert_verdict(TBF_SKIP, TBF_SKIP_PROTECTED);
	/* a trailer so big the 32-bit sum would wrap */
	b.protected_trailer_size = 0xFFFFFFF0;
	build(&b);
	assert_verdict(TBF_SKIP, TBF_SKIP_PROTECTED);
}

static void entry_outside_the_binary_is_skipped(void **state)
{
	struct tbf_build b = app_build;

	(void)state;
	/* 72 + (0x300 - 72) = 0x300 = binary_end: one past the last byte */
	b.init_fn_offset = APP_BIN_END - APP_HEADER;
	build(&b);
	assert_verdict(TBF_SKIP, TBF_SKIP_ENTRY);
	b.init_fn_offset = 0xFFFFFFFF; /* would wrap in 32 bits */
	build(&b);
	assert_verdict(TBF_SKIP, TBF_SKIP_ENTRY);
	b.init_fn_offset = APP_BIN_END - APP_HEADER - 4;
	build(&b);
	assert_verdict(TBF_APP, TBF_OK);
}

static void package_name_must_be_utf8(void **state)
{
	static const char *const bad[] = {
		"\xff",		    /* never valid */
		"ab\x80",	    /* lone continuation byte */
		"\xc0\xaf",	    /* overlong '/' */
		"\xe0\x80\xaf",	    /* overlong, 3 bytes */
		"\xed\xa0\x80",	    /* surrogate U+D800 */
		"\xf4\x90\x80\x80", /* U+110000 */
		"x\xe2\x82",	    /* truncated euro sign */
		"\xc3(",	    /* bad continuation */
	};
	static const char *const good[] = {
		"Z\xc3\xbcrich",      /* U+00FC */
		"\xe2\x82\xac",	      /* U+20AC */
		"\xf0\x9f\x98\x80",   /* U+1F600 */
		"\xf4\x8f\xbf\xbf",   /* U+10FFFF, the last one */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tbf_build b = app_build;

		b.name = bad[i];
		build(&b);
		assert_verdict(TBF_SKIP, TBF_SKIP_NAME);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct tbf_build b = app_build;
		struct tbf_info t;
		size_t n;

		b.name = good[i];
		n = tbf_build_header(NULL, 0, &b);
		b.protected_trailer_size = 0x80 - (uint32_t)n;
		b.init_fn_offset = 0xA8 - (uint32_t)n;
		build(&b);
		assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
		assert_int_equal(t.name_len, strlen(good[i]));
		assert_memory_equal(img + t.name_off, good[i], t.name_len);
	}
}

static void unknown_tlv_types_are_stepped_over(void **state)
{
	uint8_t extra[64];
	size_t n = 0;
	struct tbf_build b = app_build;
	struct tbf_info t;

	(void)state;
	/* odd length (padding not counted), out-of-tree type, PIC1 */
	n += tlv(extra + n, 77, "12345", 5);
	n += tlv(extra + n, 0x8001, "abcd", 4);
	n += tlv(extra + n, TBF_TLV_PIC1, "", 0);
	n += tlv(extra + n, TBF_TLV_PERMISSIONS, "\x01\x00", 2);
	b.extra = extra;
	b.extra_len = n;
	build(&b);
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	/* 72 + (4+8) + (4+4) + 4 + (4+4) = 104 */
	assert_int_equal(t.header_size, 104);
	assert_int_equal(t.init_fn_offset, APP_INIT);
	assert_int_equal(t.kernel_minor, 2);
}

static void program_overrides_main_in_either_order(void **state)
{
	/* Main: init 0x11, trailer 0x22, ram 0x333 */
	static const uint8_t main_data[12] = { 0x11, 0, 0, 0, 0x22, 0, 0, 0,
					       0x33, 3, 0, 0 };
	uint8_t tl[96];
	size_t n;
	struct tbf_info t;

	(void)state;
	for (int main_first = 0; main_first < 2; main_first++) {
		n = 0;
		if (main_first)
			n += tlv(tl + n, TBF_TLV_MAIN, main_data, 12);
		n += tlv(tl + n, TBF_TLV_PROGRAM, prog_data, 20);
		if (!main_first)
			n += tlv(tl + n, TBF_TLV_MAIN, main_data, 12);
		n += tlv(tl + n, TBF_TLV_KERNEL_VERSION, kv22, 4);
		raw_header(0x400, TBF_FLAG_ENABLED, tl, n);
		assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
		assert_true(t.has_main);
		assert_true(t.has_program);
		/* Program's values: init 0x20, trailer 0, ram 0x800 */
		assert_int_equal(t.init_fn_offset, 0x20);
		assert_int_equal(t.protected_trailer_size, 0);
		assert_int_equal(t.minimum_ram_size, 0x800);
		assert_int_equal(t.binary_end, 0x200);
	}
}

static void main_only_app_ends_its_binary_at_total_size(void **state)
{
	static const uint8_t main_data[12] = { 0x10, 0, 0, 0, 0x08, 0, 0, 0,
					       0x00, 4, 0, 0 };
	uint8_t tl[64];
	size_t n = 0;
	struct tbf_info t;

	(void)state;
	n += tlv(tl + n, TBF_TLV_MAIN, main_data, 12);
	n += tlv(tl + n, TBF_TLV_KERNEL_VERSION, kv22, 4);
	raw_header(0x180, TBF_FLAG_ENABLED, tl, n);
	/* whatever *t held: no name TLV is no name (clear()'s contract) */
	memset(&t, 0xA5, sizeof(t));
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	assert_int_equal(t.name_len, 0);
	assert_false(t.has_program);
	assert_int_equal(t.binary_end, 0x180);
	assert_int_equal(t.app_version, 0);
	/* header 16 + 16 + 8 = 40, + trailer 8 = 48 */
	assert_int_equal(t.protected_size, 48);
	assert_int_equal(t.minimum_ram_size, 0x400);
	/* 0x80100000 + 40 + 0x10 = 0x80100038 */
	assert_int_equal(tbf_entry(&t, FLASH), 0x80100038);
}

static void writeable_flash_regions_accumulate_inside_the_binary(
	void **state)
{
	uint8_t extra[64], d[16];
	size_t n = 0;
	struct tbf_build b = app_build;
	struct tbf_info t;

	(void)state;
	wr32(d, 0x100);
	wr32(d + 4, 0x40); /* [0x100, 0x140) */
	wr32(d + 8, 0x200);
	wr32(d + 12, 0x100); /* [0x200, 0x300) */
	n += tlv(extra + n, TBF_TLV_WFR, d, 16);
	n += tlv(extra + n, TBF_TLV_WFR, d, 8);
	b.extra = extra;
	b.extra_len = n;
	b.init_fn_offset = APP_INIT - n; /* keep the entry at 0xA8 */
	b.protected_trailer_size = APP_TRAILER - n;
	build(&b);
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	assert_int_equal(t.wfr_count, 3);
	assert_int_equal(t.wfr[0].offset, 0x100);
	assert_int_equal(t.wfr[0].size, 0x40);
	assert_int_equal(t.wfr[1].offset, 0x200);
	assert_int_equal(t.wfr[1].size, 0x100);
	assert_int_equal(t.wfr[2].offset, 0x100);

	/* [0x200, 0x304) runs past binary_end 0x300 */
	wr32(d + 12, 0x104);
	n = tlv(extra, TBF_TLV_WFR, d, 16);
	b.extra_len = n;
	build(&b);
	assert_verdict(TBF_SKIP, TBF_SKIP_WFR);
	/* [0x40, 0x80) lies in the protected region (0x80 bytes) */
	wr32(d, 0x40);
	wr32(d + 8, 0x100);
	wr32(d + 12, 4);
	tlv(extra, TBF_TLV_WFR, d, 16);
	build(&b);
	assert_verdict(TBF_SKIP, TBF_SKIP_WFR);
}

static void first_fixed_addresses_and_kernel_version_count(void **state)
{
	uint8_t extra[32], d[8];
	size_t n = 0;
	struct tbf_build b = app_build;
	struct tbf_info t;

	(void)state;
	wr32(d, 0x80390000);
	wr32(d + 4, 0x80190000);
	n += tlv(extra + n, TBF_TLV_FIXED_ADDRESSES, d, 8);
	n += tlv(extra + n, TBF_TLV_KERNEL_VERSION, "\x03\x00\x00\x00", 4);
	b.extra = extra;
	b.extra_len = n;
	b.init_fn_offset = APP_INIT - n;
	b.protected_trailer_size = APP_TRAILER - n;
	build(&b);
	assert_int_equal(parse(IMG_SIZE, &t), TBF_APP);
	assert_int_equal(t.fixed_ram, 0x80300000);
	assert_int_equal(t.kernel_major, 2);
	assert_true(tbf_flash_fixed_ok(&t, FLASH));
}

static void every_reason_has_its_own_text(void **state)
{
	(void)state;
	assert_string_equal(tbf_reason_str(TBF_SKIP_CHECKSUM), "bad checksum");
	assert_string_equal(tbf_reason_str(TBF_SKIP_PADDING), "padding");
	assert_string_equal(tbf_reason_str((enum tbf_reason)999), "unknown");
	for (int i = 0; i < TBF_REASONS; i++) {
		const char *s = tbf_reason_str((enum tbf_reason)i);

		assert_non_null(s);
		assert_string_not_equal(s, "unknown");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(
				s, tbf_reason_str((enum tbf_reason)j));
	}
}

/*
 * A loader-style walk over padding, an app, a disabled app and a bad
 * checksum, ending at erased flash: the verdicts and offsets the loader
 * would see.
 */
static void walking_flash_visits_each_object_then_stops(void **state)
{
	static uint8_t flash[0x1000];
	struct tbf_build b = app_build;
	struct tbf_info t;
	size_t off = 0;
	enum tbf_reason seen[8];
	unsigned n = 0;

	(void)state;
	memset(flash, 0xFF, sizeof(flash));
	/* 0x000: padding object of 0x100 */
	raw_header(0x100, 0, NULL, 0);
	memcpy(flash, img, 16);
	/* 0x100: app of 0x400 */
	build(&app_build);
	memcpy(flash + 0x100, img, APP_TOTAL);
	/* 0x500: disabled app */
	b.flags = 0;
	build(&b);
	memcpy(flash + 0x500, img, APP_TOTAL);
	/* 0x900: app with a broken checksum, total 0x100 */
	b.flags = TBF_FLAG_ENABLED;
	b.total_size = 0x100;
	b.binary_end = 0x100;
	build(&b);
	img[20] ^= 1;
	memcpy(flash + 0x900, img, 0x100);
	/* 0xA00..: erased */

	for (;;) {
		enum tbf_verdict v = tbf_parse(flash + off,
					       sizeof(flash) - off, &t);

		assert_true(n < 8);
		seen[n++] = t.reason;
		if (v == TBF_END)
			break;
		if (v == TBF_APP)
			assert_int_equal(off, 0x100);
		off += t.total_size;
	}
	assert_int_equal(n, 5);
	assert_int_equal(seen[0], TBF_SKIP_PADDING);
	assert_int_equal(seen[1], TBF_OK);
	assert_int_equal(seen[2], TBF_SKIP_DISABLED);
	assert_int_equal(seen[3], TBF_SKIP_CHECKSUM);
	assert_int_equal(seen[4], TBF_END_VERSION);
	assert_int_equal(off, 0xA00);
}

/* ---- random mutation ---- */

static uint32_t rng = 0x2545F491u;

static uint32_t xorshift32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static bool name_is_ascii_or_utf8_lead_ok(const uint8_t *s, size_t n)
{
	/* weak recheck: no 0xF8..0xFF or 0xC0/0xC1 bytes in a valid name */
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0xF8 || s[i] == 0xC0 || s[i] == 0xC1)
			return false;
	return true;
}

static void check_consistent(const uint8_t *obj, size_t avail,
			     enum tbf_verdict v, const struct tbf_info *t)
{
	if (v == TBF_SKIP) {
		assert_true(t->reason >= TBF_SKIP_HEADER_SIZE &&
			    t->reason < TBF_REASONS);
		assert_true(t->total_size >= 16 && t->total_size <= avail);
		return;
	}
	if (v == TBF_END) {
		assert_true(t->reason >= TBF_END_SHORT &&
			    t->reason <= TBF_END_OVERFLOW);
		return;
	}
	assert_int_equal(v, TBF_APP);
	assert_int_equal(t->reason, TBF_OK);
	assert_true(t->header_size >= 16);
	assert_true(t->header_size <= t->protected_size);
	assert_true(t->protected_size <= t->binary_end);
	assert_true(t->binary_end <= t->total_size);
	assert_true(t->total_size <= avail);
	assert_int_equal(t->protected_size,
			 t->header_size + t->protected_trailer_size);
	assert_true((uint64_t)t->header_size + t->init_fn_offset <
		    t->binary_end);
	assert_true(t->checksum_ok);
	assert_true(t->flags & TBF_FLAG_ENABLED);
	assert_true(t->has_main || t->has_program);
	assert_true(t->has_kernel_version && t->kernel_major == 2 &&
		    t->kernel_minor <= 2);
	assert_true((size_t)t->name_off + t->name_len <= t->header_size);
	assert_true(name_is_ascii_or_utf8_lead_ok(obj + t->name_off,
						  t->name_len));
	assert_true(t->wfr_count <= TBF_WFR_MAX);
	for (unsigned k = 0; k < t->wfr_count; k++) {
		assert_true(t->wfr[k].offset >= t->protected_size);
		assert_true((uint64_t)t->wfr[k].offset + t->wfr[k].size <=
			    t->binary_end);
	}
}

static void mutated_headers_never_read_out_of_bounds_or_lie(void **state)
{
	static const uint8_t hot[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x08,
				       0x0C, 0x10, 0x14, 0x7F, 0x80, 0xFF };
	uint8_t extra[32], d[8], base[512];
	struct tbf_build b = app_build;
	unsigned counts[3] = { 0 };
	bool reasons[TBF_REASONS] = { false };
	unsigned distinct = 0;
	size_t hs;

	(void)state;
	/* base: the reference app + one WFR, 512 bytes in all */
	wr32(d, 0x100);
	wr32(d + 4, 0x20);
	b.extra = extra;
	b.extra_len = tlv(extra, TBF_TLV_WFR, d, 8);
	b.total_size = sizeof(base);
	b.binary_end = 0x180;
	b.init_fn_offset = APP_INIT - 12;
	b.protected_trailer_size = APP_TRAILER - 12;
	hs = tbf_build_header(base, sizeof(base), &b);
	assert_int_equal(hs, APP_HEADER + 12);
	memset(base + hs, 0xA5, sizeof(base) - hs);

	for (unsigned iter = 0; iter < 20000; iter++) {
		uint8_t work[sizeof(base)];
		unsigned muts = 1 + xorshift32() % 4;
		size_t avail = sizeof(base);
		uint8_t *buf;
		struct tbf_info t;
		enum tbf_verdict v;

		memcpy(work, base, sizeof(base));
		for (unsigned m = 0; m < muts; m++) {
			uint32_t r = xorshift32();
			/* mostly inside the header, sometimes anywhere */
			size_t pos = (r & 7) ? (r >> 8) % (hs + 4) :
					       (r >> 8) % sizeof(work);

			switch ((r >> 3) & 3) {
			case 0:
				work[pos] ^= (uint8_t)(1u << ((r >> 5) & 7));
				break;
			case 1:
				work[pos] = (uint8_t)(r >> 24);
				break;
			default:
				work[pos] = hot[(r >> 24) % sizeof(hot)];
				break;
			}
		}
		/* reseal most of the time, so the TLV walk gets exercised */
		if ((xorshift32() & 3) != 0 && rd16(work + 2) <= sizeof(work))
			reseal(work);
		if ((xorshift32() & 7) == 0)
			avail = xorshift32() % (sizeof(work) + 1);

		/* exactly avail bytes on the heap: ASan sees any overread */
		buf = malloc(avail ? avail : 1);
		assert_non_null(buf);
		memcpy(buf, work, avail);
		v = tbf_parse(buf, avail, &t);
		check_consistent(buf, avail, v, &t);
		free(buf);

		counts[v]++;
		if (!reasons[t.reason]) {
			reasons[t.reason] = true;
			distinct++;
		}
	}
	/* the run must have reached every verdict and most reasons */
	assert_true(counts[TBF_APP] > 1000);
	assert_true(counts[TBF_SKIP] > 1000);
	assert_true(counts[TBF_END] > 1000);
	assert_int_equal(distinct, TBF_REASONS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_app_round_trips_every_field),
		cmocka_unit_test(
			entry_is_flash_start_plus_header_size_plus_init_fn_offset),
		cmocka_unit_test(object_without_fixed_flash_fits_anywhere),
		cmocka_unit_test(builder_reports_its_size_before_writing),
		cmocka_unit_test(builder_defaults_to_kernel_version_2_2),
		cmocka_unit_test(checksum_is_xor_of_words_except_offset_12),
		cmocka_unit_test(version_1_ends_the_walk),
		cmocka_unit_test(erased_flash_ends_the_walk),
		cmocka_unit_test(fewer_than_8_bytes_end_the_walk),
		cmocka_unit_test(total_size_that_cannot_advance_ends_the_walk),
		cmocka_unit_test(
			object_larger_than_the_flash_left_ends_the_walk),
		cmocka_unit_test(bad_header_sizes_are_skipped_by_total_size),
		cmocka_unit_test(checksum_off_by_one_bit_is_skipped),
		cmocka_unit_test(disabled_app_is_skipped),
		cmocka_unit_test(base_header_alone_is_padding),
		cmocka_unit_test(tlvs_without_main_or_program_are_padding),
		cmocka_unit_test(tlv_running_past_header_size_is_skipped),
		cmocka_unit_test(tlv_lengths_must_be_exact),
		cmocka_unit_test(missing_kernel_version_is_skipped),
		cmocka_unit_test(kernel_version_must_be_2_x_with_x_at_most_2),
		cmocka_unit_test(binary_end_past_total_size_is_skipped),
		cmocka_unit_test(protected_region_past_binary_end_is_skipped),
		cmocka_unit_test(entry_outside_the_binary_is_skipped),
		cmocka_unit_test(package_name_must_be_utf8),
		cmocka_unit_test(unknown_tlv_types_are_stepped_over),
		cmocka_unit_test(program_overrides_main_in_either_order),
		cmocka_unit_test(main_only_app_ends_its_binary_at_total_size),
		cmocka_unit_test(
			writeable_flash_regions_accumulate_inside_the_binary),
		cmocka_unit_test(
			first_fixed_addresses_and_kernel_version_count),
		cmocka_unit_test(every_reason_has_its_own_text),
		cmocka_unit_test(walking_flash_visits_each_object_then_stops),
		cmocka_unit_test(
			mutated_headers_never_read_out_of_bounds_or_lie),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
