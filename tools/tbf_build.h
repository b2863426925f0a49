/* SPDX-License-Identifier: MIT */
/*
 * Writing TBF v2 headers: the host image packer (tbfpack) and the unit
 * tests build headers with this; the kernel only reads them
 * (kernel/tbf.h).  Host code, never linked into a kernel.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/tbf.h"

/* What tbf_build_header() writes. */
struct tbf_build {
	uint32_t total_size;
	uint32_t flags; /* usually TBF_FLAG_ENABLED */
	/* Program TLV */
	uint32_t init_fn_offset;
	uint32_t protected_trailer_size;
	uint32_t minimum_ram_size;
	uint32_t binary_end; /* from the object start; 0 = total_size */
	uint32_t app_version;
	/* Package Name TLV unless NULL or "" */
	const char *name;
	/* Fixed Addresses TLV when has_fixed (TBF_NOT_FIXED = not fixed) */
	bool has_fixed;
	uint32_t fixed_ram;
	uint32_t fixed_flash;
	/* Kernel Version TLV, always written; 0.0 means 2.2 */
	uint16_t kernel_major;
	uint16_t kernel_minor;
	/* raw TLV bytes appended last (padded with zeros to 4) */
	const uint8_t *extra;
	size_t extra_len;
};

/*
 * Write a header for b: base header, Program, Package Name, Fixed
 * Addresses, Kernel Version and the extra bytes, each TLV zero-padded to 4
 * bytes, header_size set and the checksum computed.  The numeric fields are
 * written as given (a builder for the tests must be able to describe bad
 * objects too).
 *
 * Returns the header size (a multiple of 4).  Writes to out only when cap is
 * at least that; call with out = NULL, cap = 0 to learn the size first
 * (e.g. to set protected_trailer_size).  Returns 0, writing nothing, when the
 * header would not fit header_size's 16 bits.
 */
size_t tbf_build_header(uint8_t *out, size_t cap, const struct tbf_build *b);
