/* SPDX-License-Identifier: MIT */
/*
 * tbfpack: turn a statically linked RISC-V app ELF into a Tock Binary Format
 * object, and lay several TBFs out as one flash image.
 *
 * This is the testable part of the host tool (tools/tbfpack.c is the command
 * line around it).  It works on byte buffers only: no files, no exit(), so a
 * unit test can feed it synthetic ELFs.  Every failure returns an error kind
 * and writes one human-readable sentence into the caller's message buffer.
 *
 * Layout of an app TBF (doc/abi.md §9.1, §9.6), for flash origin F:
 *
 *   F - protected ┬ base header + TLVs (header_size)  ┐ protected region
 *                 ├ zero padding (protected trailer)   ┘
 *   F ────────────┼ the ELF's flash segments, in address order, gaps zeroed
 *   binary_end ───┼ zero padding to a multiple of 4
 *   total_size ───┘
 *
 * The tool never relocates anything: the app is linked at F, the kernel must
 * place the TBF so that the binary lands exactly at F (Fixed Addresses TLV).
 * Headers are written and read back with the kernel's own kernel/tbf.c, so
 * the packer and the loader cannot disagree about the format.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/tbf_build.h"

/*
 * Kernel version apps ask for: 2.2, what libtock-c stamps (doc/abi.md §1). 
 * Kept apart from TBF_KERNEL_* so a newer kernel still accepts older apps.
 */
#define TBFPACK_KERNEL_MAJOR 2u
#define TBFPACK_KERNEL_MINOR 2u

#define TBFPACK_DEFAULT_PROTECTED 0x80u
#define TBFPACK_DEFAULT_GRANT 1024u

enum tbfpack_err {
	TBFPACK_OK = 0,
	TBFPACK_EARG,	  /* bad options (addresses, sizes, name) */
	TBFPACK_EELF,	  /* not an ELF we accept (truncated, class, machine) */
	TBFPACK_ELAYOUT,  /* segments outside the windows, entry outside code */
	TBFPACK_EOVERLAP, /* two segments or two TBFs overlap */
	TBFPACK_ETBF,	  /* an input TBF is malformed */
	TBFPACK_ENOMEM,
	TBFPACK_ETAB,	  /* a .tab (tar) file is malformed or hostile */
};

struct tbfpack_opts {
	const char *name;	 /* package name, 1..TBFPACK_NAME_MAX bytes */
	uint32_t flash_origin;	 /* fixed binary address (after the header) */
	uint32_t ram_origin;	 /* fixed address of the process RAM block */
	uint32_t slot_size;	 /* bytes the whole TBF may use; 0 = no limit */
	uint32_t protected_size; /* header + trailer; multiple of 4, >= 16 */
	uint32_t stack;		 /* stack bytes no ELF segment covers */
	uint32_t heap;		 /* app heap (sbrk) bytes */
	uint32_t grant;		 /* kernel share for grants */
	uint32_t align;		 /* total_size multiple (power of two); 0 = 4 */
};

#define TBFPACK_NAME_MAX 64u

/* Defaults: protected 0x80, grant 1024, everything else 0 / NULL. */
void tbfpack_opts_init(struct tbfpack_opts *o);

/*
 * Pack the ELF image elf[0..elf_len) into a new TBF.  On success *out is a
 * malloc'd buffer of *out_len bytes (the caller frees it).  Accepts ELF32 and
 * ELF64, little-endian, EM_RISCV, ET_EXEC.  Flash segments are PT_LOAD
 * segments with file bytes; their load (physical) addresses must lie in
 * the flash window [flash_origin, tbf_start + slot_size), which never
 * reaches into RAM.  Segments whose run (virtual) addresses lie outside the
 * flash window must lie in RAM (from ram_origin up to the flash, or 4 GiB)
 * and count toward minimum_ram_size:
 *
 *   minimum_ram_size = align8(ram_end - ram_origin) + align8(stack)
 *                      + align4(heap) + align4(grant)
 *
 * total_size is the binary rounded up to a multiple of align (at least 4;
 * a page on boards that protect process flash with page tables, so that
 * each TBF fills whole pages); the padding after binary_end is zeroes.
 *
 * Errors: EARG, EELF, ELAYOUT, EOVERLAP, ENOMEM; msg gets the reason.
 */
enum tbfpack_err tbfpack_app(const uint8_t *elf, size_t elf_len,
			     const struct tbfpack_opts *o, uint8_t **out,
			     size_t *out_len, char *msg, size_t msg_len);

/* One TBF handed to tbfpack_image(). */
struct tbfpack_input {
	const char *label; /* for messages (file name) */
	const uint8_t *data;
	size_t len;
};

/*
 * Lay the TBFs out as a flash image starting at address base: each at its
 * fixed flash address minus its protected size (TBFs without a fixed flash
 * address follow the last fixed one, in the order given), gaps filled with
 * padding TBFs,
 * then 8 zero bytes that end the kernel's walk.  max_size (0 = no limit)
 * bounds the whole image.  *out is malloc'd.
 * Errors: ETBF (input not a valid app TBF), EOVERLAP (two TBFs overlap or a
 * gap of 1..15 bytes cannot hold a padding header), ELAYOUT (below base or
 * beyond max_size), ENOMEM.
 */
enum tbfpack_err tbfpack_image(uint32_t base, uint32_t max_size,
			       const struct tbfpack_input *in, size_t n,
			       uint8_t **out, size_t *out_len, char *msg,
			       size_t msg_len);

/*
 * Write a padding TBF (version 2, header_size 16, flags 0, total_size =
 * size, valid checksum, zero body) into dst[0..size).  Requires size >= 16
 * and a multiple of 4.
 */
void tbfpack_padding(uint8_t *dst, uint32_t size);

/*
 * Parse the TBF at buf[0..len) with the kernel's tbf_parse() and accept it
 * only if the kernel would load it as an app (TBF_APP) or step over it as
 * padding (TBF_SKIP_PADDING); *info is filled either way.  Errors: ETBF with
 * the parser's reason in msg.
 */
enum tbfpack_err tbfpack_inspect(const uint8_t *buf, size_t len,
				 struct tbf_info *info, char *msg,
				 size_t msg_len);

/* ---- libtock-c .tab files: a tar of metadata.toml and TBFs ---- */

#define TBFPACK_TAB_NAME_MAX 100u /* a tar member name without a prefix */

/* One member of a .tab, in place in the tar's buffer. */
struct tbfpack_tab_member {
	char name[TBFPACK_TAB_NAME_MAX + 1]; /* NUL-ended */
	const uint8_t *data;
	size_t len;
};

/*
 * Read the tar (ustar or GNU) at tar[0..len) into out[0..*n), at most max
 * members, up to its end-of-archive block.  Only regular files with plain
 * names are accepted: a name with '/' or '\', "." or "..", a name prefix,
 * a link, device or long-name entry, a size that reaches past the buffer,
 * a bad header checksum: ETAB with the reason, nothing returned.
 * metadata.toml must be there.  The data stays in tar.
 */
enum tbfpack_err tbfpack_tab_read(const uint8_t *tar, size_t len,
				  struct tbfpack_tab_member *out, size_t max,
				  size_t *n, char *msg, size_t msg_len);

/*
 * The member name elf2tab and libtock-c give tbf (a valid app TBF) built
 * for arch: "<arch>.0x<flash>.0x<ram>.tbf" with its Fixed Addresses (flash:
 * the binary's first byte), else "<arch>.tbf".  EARG for an arch that is
 * not [a-z0-9_-]+, ETBF for a bad TBF.
 */
enum tbfpack_err tbfpack_tab_name(const char *arch, const uint8_t *tbf,
				  size_t len, char *name, size_t name_len,
				  char *msg, size_t msg_len);

/*
 * Arch of a member name "<arch>[.0x<flash>.0x<ram>].tbf" into arch[], and
 * whether it is one; false for metadata.toml and anything else.
 */
bool tbfpack_tab_member_arch(const char *name, char *arch, size_t arch_len);

/*
 * Write a .tab: metadata.toml as elf2tab writes it (tab-version = 1, name,
 * build-date = date, an RFC 3339 time), then the members, as a ustar
 * archive.  *out is malloc'd.  EARG for a name that is not 1..
 * TBFPACK_NAME_MAX bytes of [A-Za-z0-9_.-], or a member name too long.
 */
enum tbfpack_err tbfpack_tab_write(const char *name, const char *date,
				   const struct tbfpack_tab_member *m,
				   size_t n, uint8_t **out, size_t *out_len,
				   char *msg, size_t msg_len);
