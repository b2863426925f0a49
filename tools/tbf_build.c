// SPDX-License-Identifier: MIT
/* TBF v2 header builder; see tbf_build.h.  Layout as kernel/tbf.c reads it. */
#include "tools/tbf_build.h"

#include <string.h>

/* Base header offsets and TLV data lengths (doc/abi.md §9.2, §9.3). */
#define OFF_VERSION 0
#define OFF_HEADER_SIZE 2
#define OFF_TOTAL_SIZE 4
#define OFF_FLAGS 8
#define OFF_CHECKSUM 12
#define LEN_PROGRAM 20
#define LEN_FIXED 8
#define LEN_KERNEL_VERSION 4

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Append one TLV header + data at h[*pos], zero-padding to 4. */
static void put_tlv(uint8_t *h, size_t *pos, uint16_t type, const void *data,
		    size_t len)
{
	put16(h + *pos, type);
	put16(h + *pos + 2, (uint16_t)len);
	if (len)
		memcpy(h + *pos + 4, data, len);
	memset(h + *pos + 4 + len, 0, align4(len) - len);
	*pos += 4 + align4(len);
}

size_t tbf_build_header(uint8_t *out, size_t cap, const struct tbf_build *b)
{
	size_t name_len = b->name ? strlen(b->name) : 0;
	size_t size, pos = TBF_BASE_SIZE;
	uint8_t d[LEN_PROGRAM];

	if (name_len > 0xFFFF || b->extra_len > 0xFFFF)
		return 0;
	size = TBF_BASE_SIZE + 4 + LEN_PROGRAM + 4 + LEN_KERNEL_VERSION;
	if (name_len)
		size += 4 + align4(name_len);
	if (b->has_fixed)
		size += 4 + LEN_FIXED;
	size += align4(b->extra_len);
	if (size > 0xFFFF)
		return 0;
	if (out == NULL || cap < size)
		return size;

	put16(out + OFF_VERSION, TBF_VERSION);
	put16(out + OFF_HEADER_SIZE, (uint16_t)size);
	put32(out + OFF_TOTAL_SIZE, b->total_size);
	put32(out + OFF_FLAGS, b->flags);
	put32(out + OFF_CHECKSUM, 0);

	put32(d, b->init_fn_offset);
	put32(d + 4, b->protected_trailer_size);
	put32(d + 8, b->minimum_ram_size);
	put32(d + 12, b->binary_end ? b->binary_end : b->total_size);
	put32(d + 16, b->app_version);
	put_tlv(out, &pos, TBF_TLV_PROGRAM, d, LEN_PROGRAM);
	if (name_len)
		put_tlv(out, &pos, TBF_TLV_PACKAGE_NAME, b->name, name_len);
	if (b->has_fixed) {
		put32(d, b->fixed_ram);
		put32(d + 4, b->fixed_flash);
		put_tlv(out, &pos, TBF_TLV_FIXED_ADDRESSES, d, LEN_FIXED);
	}
	if (b->kernel_major == 0 && b->kernel_minor == 0) {
		put16(d, TBF_KERNEL_MAJOR);
		put16(d + 2, TBF_KERNEL_MINOR);
	} else {
		put16(d, b->kernel_major);
		put16(d + 2, b->kernel_minor);
	}
	put_tlv(out, &pos, TBF_TLV_KERNEL_VERSION, d, LEN_KERNEL_VERSION);
	if (b->extra_len) {
		memcpy(out + pos, b->extra, b->extra_len);
		memset(out + pos + b->extra_len, 0,
		       align4(b->extra_len) - b->extra_len);
		pos += align4(b->extra_len);
	}

	put32(out + OFF_CHECKSUM, tbf_checksum(out, size));
	return size;
}
