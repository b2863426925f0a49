/* SPDX-License-Identifier: MIT */
/*
 * Tock Binary Format (TBF) version 2: header parser.
 *
 * tbf_parse() reads one object at the start of a flash window and says
 * whether it is an app to load, an object to step over, or the end of the
 * app list (doc/abi.md §9, D6, D7 and D9).  It is pure: it
 * reads bytes one at a time in little-endian order (no unaligned casts),
 * never reads at or past obj + avail, and contains no loop whose length is
 * not bounded by header_size.  It knows nothing about where the object sits
 * in memory; the loader checks the fixed flash address (tbf_flash_fixed_ok)
 * and allocates RAM.
 * (The host image packer writes headers with tools/tbf_build.h.)
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kernel version we claim for the Kernel Version TLV check (doc/abi.md D9). */
#define TBF_KERNEL_MAJOR 2
#define TBF_KERNEL_MINOR 2

#define TBF_VERSION 2
#define TBF_BASE_SIZE 16u	  /* base header bytes */
#define TBF_FLAG_ENABLED (1u << 0) /* start at boot */
#define TBF_FLAG_STICKY (1u << 1)  /* tools only */
#define TBF_NOT_FIXED 0xFFFFFFFFu  /* Fixed Addresses: no fixed address */

/* TLV types (doc/abi.md §9.3). */
enum tbf_tlv {
	TBF_TLV_MAIN = 1,
	TBF_TLV_WFR = 2, /* writeable flash regions */
	TBF_TLV_PACKAGE_NAME = 3,
	TBF_TLV_PIC1 = 4,
	TBF_TLV_FIXED_ADDRESSES = 5,
	TBF_TLV_PERMISSIONS = 6,
	TBF_TLV_STORAGE_PERMISSIONS = 7,
	TBF_TLV_KERNEL_VERSION = 8,
	TBF_TLV_PROGRAM = 9,
	TBF_TLV_SHORT_ID = 10,
};

/* Writeable flash regions kept in struct tbf_info (the count is total). */
#define TBF_WFR_MAX 4

enum tbf_verdict {
	TBF_APP = 0, /* load it, then advance total_size bytes */
	TBF_SKIP,    /* don't load it; advance total_size bytes */
	TBF_END,     /* stop walking: no object here */
};

/*
 * Why tbf_parse() gave its verdict; tbf_reason_str() names each.  The
 * loader prints the number (README lists them): new reasons go at the end.
 */
enum tbf_reason {
	TBF_OK = 0, /* TBF_APP */

	/* TBF_END */
	TBF_END_SHORT,	    /* fewer than 8 bytes left */
	TBF_END_VERSION,    /* version != 2: end of list, erased flash */
	TBF_END_TOTAL_SIZE, /* total_size < 16: can't advance past it */
	TBF_END_OVERFLOW,   /* total_size > bytes left */

	/* TBF_SKIP */
	TBF_SKIP_HEADER_SIZE,	 /* header_size < 16 or > total_size */
	TBF_SKIP_CHECKSUM,	 /* checksum mismatch */
	TBF_SKIP_PADDING,	 /* no TLVs, no Main/Program (doc/abi.md D6) */
	TBF_SKIP_TLV,		 /* TLV past header_size or bad length */
	TBF_SKIP_NAME,		 /* package name is not UTF-8 */
	TBF_SKIP_DISABLED,	 /* flags bit 0 clear */
	TBF_SKIP_NO_KERNEL_VERSION, /* no Kernel Version TLV */
	TBF_SKIP_KERNEL_VERSION, /* needs a newer or other-major kernel */
	TBF_SKIP_BINARY_END,	 /* binary_end > total_size (doc/abi.md D7) */
	TBF_SKIP_PROTECTED,	 /* protected region past binary_end */
	TBF_SKIP_ENTRY,		 /* entry point not inside the binary */
	TBF_SKIP_WFR,		 /* writeable flash outside the binary */

	TBF_REASONS
};

struct tbf_wfr {
	union {
		struct {
			uint32_t offset; /* from the start of the object */
			uint32_t size;
		};
		uint32_t words[2]; /* as the TLV lays them out */
	};
};

/*
 * What the loader needs from one object.  Offsets are from the start of the
 * object (flash_start).  On TBF_APP every field is set and consistent:
 *   16 <= header_size <= protected_size <= binary_end <= total_size <= avail
 *   header_size + init_fn_offset < binary_end
 *   every kept writeable flash region lies in [protected_size, binary_end)
 * On TBF_SKIP, reason and total_size are set (16 <= total_size <= avail) and
 * other fields may be partly filled.  On TBF_END only reason is meaningful.
 */
struct tbf_info {
	enum tbf_reason reason;

	/* base header */
	uint32_t total_size;
	uint16_t header_size;
	uint32_t flags;
	bool checksum_ok;

	/*
	 * Program (type 9) wins over Main (type 1) when both are present.
	 * The words lie in the TLVs' order (Main has the first three), so
	 * the parser reads them as program_words[].
	 */
	bool has_main;
	bool has_program;
	union {
		struct {
			uint32_t init_fn_offset; /* entry = header end + this */
			uint32_t protected_trailer_size; /* after the header */
			uint32_t minimum_ram_size;
			/* Program: binary_end_offset; else total_size */
			uint32_t binary_end;
			uint32_t app_version; /* Program only; 0 = none */
		};
		uint32_t program_words[5];
	};
	uint32_t protected_size; /* header_size + trailer */

	/* Fixed Addresses (type 5); TBF_NOT_FIXED when absent or not fixed */
	bool has_fixed;
	union {
		struct {
			uint32_t fixed_ram;
			/* address of the binary after protected_size */
			uint32_t fixed_flash;
		};
		uint32_t fixed_words[2];
	};

	/* Kernel Version (type 8) */
	bool has_kernel_version;
	uint16_t kernel_major;
	uint16_t kernel_minor;

	/*
	 * Package Name (type 3): the name is the name_len bytes at
	 * obj + name_off (inside the header), valid UTF-8, not
	 * NUL-terminated.  name_len == 0 when there is no name.
	 */
	uint16_t name_off;
	uint16_t name_len;

	/* ShortId (type 10); 0 = none */
	uint32_t short_id;

	/*
	 * Writeable Flash Regions (type 2): wfr_count regions in all the
	 * type-2 TLVs together (elf2tab writes one TLV per region); the first
	 * TBF_WFR_MAX are in wfr[].
	 */
	unsigned wfr_count;
	struct tbf_wfr wfr[TBF_WFR_MAX];
};

/*
 * Parse the object at obj, of which avail bytes may be read.  Fills *out
 * (see struct tbf_info for what is set per verdict) and returns:
 *   TBF_END   fewer than 8 bytes; version != 2; total_size < 16 (0 would
 *             loop; anything under a base header can't be an object);
 *             total_size > avail.
 *   TBF_SKIP  header_size < 16 or > total_size; bad checksum; no TLVs or
 *             no Main/Program (padding); malformed TLV (doc/abi.md
 *             §9.3 length rules, past header_size); package name not
 *             UTF-8; not enabled; Kernel Version missing or not 2.x
 *             with x <= 2; binary_end > total_size; protected region,
 *             entry point or a writeable flash region outside
 *             [0, binary_end).
 *   TBF_APP   otherwise.
 * Checks run in the order of doc/abi.md §9.5, so the reason is the first that
 * applies. For TLV types that may repeat, the first Main, Program, Fixed
 * Addresses and Kernel Version count, and the first non-empty Package Name and
 * non-zero ShortId (every one is still checked); Writeable Flash Regions
 * accumulate.  Unknown TLV types and the
 * lazily-parsed Permissions/Storage Permissions are stepped over.
 */
enum tbf_verdict tbf_parse(const uint8_t *obj, size_t avail,
			   struct tbf_info *out);

/*
 * Short text for a reason ("bad checksum"); never NULL.  For the host
 * tools: the kernel's loader prints the reason's number instead.
 */
const char *tbf_reason_str(enum tbf_reason r);

/*
 * The header checksum: XOR of the little-endian 32-bit words in
 * [0, header_size), the word at offset 12 (the checksum itself) counted as
 * 0; the last 1-3 bytes of a header_size that is not a multiple of 4 are
 * ignored.  Reads header_size bytes of hdr.
 */
uint32_t tbf_checksum(const uint8_t *hdr, size_t header_size);

/*
 * Addresses derived from a TBF_APP parse of the object at flash_start
 * (doc/abi.md §9.4): the first instruction, and the start of the userspace
 * binary (passed to the process in a0).
 */
uintptr_t tbf_entry(const struct tbf_info *t, uintptr_t flash_start);
uintptr_t tbf_app_start(const struct tbf_info *t, uintptr_t flash_start);

/*
 * True when the object, placed at flash_start, sits where its Fixed
 * Addresses TLV says (or has no fixed flash address): doc/abi.md §9.5 step 8.
 */
bool tbf_flash_fixed_ok(const struct tbf_info *t, uintptr_t flash_start);
