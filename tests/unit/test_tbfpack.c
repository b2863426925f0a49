// SPDX-License-Identifier: MIT
/*
 * Unit tests for the TBF packer (tools/tbfpack_lib.c).
 *
 * Each test builds a small ELF in memory (text in flash, .data loaded from
 * flash into RAM, .bss in RAM, the way user/app.ld links an app), packs it
 * and reads every header field back with the kernel's own tbf_parse(), so
 * a packed app is one the loader accepts.  The failure tables corrupt one thing
 * at a time and check both the error kind and that nothing is returned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/tbf.h"
#include "tools/tbfpack_lib.h"

#define FLASH 0x80100080u
#define RAM 0x80300000u
#define SLOT 0x10000u

/* ---- a synthetic ELF ---- */

struct sseg {
	uint32_t type;
	uint64_t vaddr, paddr, filesz, memsz;
	uint8_t fill; /* file bytes are fill, fill+1, ... */
};

struct synth {
	int is64;
	uint16_t machine, type;
	uint8_t data; /* EI_DATA */
	uint64_t entry;
	unsigned nseg;
	struct sseg seg[4];
};

static void w16(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void w32(uint8_t *p, uint64_t v)
{
	w16(p, v);
	w16(p + 2, v >> 16);
}

static void w64(uint8_t *p, uint64_t v)
{
	w32(p, v);
	w32(p + 4, v >> 32);
}

static uint32_t r32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t r16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The default app: 0x123 bytes of text, 0x10 of data, 0x40 of bss, and a
 * 0x400-byte stack section at the bottom of RAM. */
static struct synth app(int is64)
{
	struct synth s = {
		.is64 = is64,
		.machine = 243,
		.type = 2,
		.data = 1,
		.entry = FLASH + 0x10,
		.nseg = 4,
		.seg = {
			{ 1, FLASH, FLASH, 0x123, 0x123, 0x10 },
			{ 1, RAM, RAM, 0, 0x400, 0 },		/* stack */
			{ 1, RAM + 0x400, FLASH + 0x124, 0x10, 0x50, 0xa0 },
			{ 4, 0, 0, 0, 0, 0 },			/* PT_NOTE */
		},
	};
	return s;
}

/* Lay s out as an ELF file; returns a malloc'd buffer. */
static uint8_t *elf_of(const struct synth *s, size_t *len)
{
	size_t ehsize = s->is64 ? 64 : 52, phentsize = s->is64 ? 56 : 32;
	size_t off = ehsize + s->nseg * phentsize, total = off;
	uint8_t *b;

	for (unsigned i = 0; i < s->nseg; i++)
		total += s->seg[i].filesz;
	b = calloc(1, total);
	assert_non_null(b);
	memcpy(b, "\177ELF", 4);
	b[4] = s->is64 ? 2 : 1;
	b[5] = s->data;
	b[6] = 1;
	w16(b + 16, s->type);
	w16(b + 18, s->machine);
	w32(b + 20, 1);
	if (s->is64) {
		w64(b + 24, s->entry);
		w64(b + 32, ehsize);
		w16(b + 52, ehsize);
		w16(b + 54, phentsize);
		w16(b + 56, s->nseg);
	} else {
		w32(b + 24, s->entry);
		w32(b + 28, ehsize);
		w16(b + 40, ehsize);
		w16(b + 42, phentsize);
		w16(b + 44, s->nseg);
	}
	for (unsigned i = 0; i < s->nseg; i++) {
		const struct sseg *g = &s->seg[i];
		uint8_t *ph = b + ehsize + i * phentsize;

		if (s->is64) {
			w32(ph, g->type);
			w64(ph + 8, off);
			w64(ph + 16, g->vaddr);
			w64(ph + 24, g->paddr);
			w64(ph + 32, g->filesz);
			w64(ph + 40, g->memsz);
		} else {
			w32(ph, g->type);
			w32(ph + 4, off);
			w32(ph + 8, g->vaddr);
			w32(ph + 12, g->paddr);
			w32(ph + 16, g->filesz);
			w32(ph + 20, g->memsz);
		}
		for (uint64_t k = 0; k < g->filesz; k++)
			b[off + k] = (uint8_t)(g->fill + k);
		off += g->filesz;
	}
	*len = total;
	return b;
}

static struct tbfpack_opts opts(void)
{
	struct tbfpack_opts o;

	tbfpack_opts_init(&o);
	o.name = "hello";
	o.flash_origin = FLASH;
	o.ram_origin = RAM;
	o.slot_size = SLOT;
	o.heap = 0x101; /* rounded up to 4 */
	o.grant = 1024;
	return o;
}

static uint8_t *pack(const struct synth *s, const struct tbfpack_opts *o,
		     size_t *len)
{
	size_t elf_len;
	uint8_t *elf = elf_of(s, &elf_len), *tbf = NULL;
	char msg[256] = "";
	enum tbfpack_err rc = tbfpack_app(elf, elf_len, o, &tbf, len, msg,
					  sizeof(msg));

	if (rc != TBFPACK_OK)
		fail_msg("tbfpack_app: %s", msg);
	free(elf);
	return tbf;
}

/* Parse with the kernel's parser; the object must be a loadable app. */
static void parse_app(const uint8_t *tbf, size_t len, struct tbf_info *t)
{
	enum tbf_verdict v = tbf_parse(tbf, len, t);

	if (v != TBF_APP)
		fail_msg("tbf_parse: verdict %d (%s)", v,
			 tbf_reason_str(t->reason));
}

/* ---- packing ---- */

static void check_app_tbf(int is64)
{
	struct synth s = app(is64);
	struct tbfpack_opts o = opts();
	struct tbf_info t;
	size_t len;
	uint8_t *tbf = pack(&s, &o, &len);
	const uint32_t start = FLASH - 0x80;
	/* 16 + Program 24 + name "hello" 4+8 + Fixed 12 + KernelVersion 8 */
	const uint32_t hsize = 72;

	parse_app(tbf, len, &t);
	assert_int_equal(r16(tbf), 2); /* version */
	assert_int_equal(t.header_size, hsize);
	assert_int_equal(t.flags, TBF_FLAG_ENABLED);
	assert_true(t.checksum_ok);
	assert_int_equal(r32(tbf + 12), tbf_checksum(tbf, hsize));
	assert_true(t.has_program);
	assert_false(t.has_main);
	assert_int_equal(t.init_fn_offset, FLASH + 0x10 - (start + hsize));
	assert_int_equal(tbf_entry(&t, start), FLASH + 0x10);
	assert_int_equal(t.protected_trailer_size, 0x80 - hsize);
	assert_int_equal(t.protected_size, 0x80);
	assert_int_equal(tbf_app_start(&t, start), FLASH);
	assert_true(tbf_flash_fixed_ok(&t, start));
	assert_false(tbf_flash_fixed_ok(&t, start + 4));
	/* RAM span 0x450 + heap 0x104 + grant 0x400 */
	assert_int_equal(t.minimum_ram_size, 0x450 + 0x104 + 0x400);
	/* text 0x80..0x1a3, data image at 0x1a4..0x1b4 */
	assert_int_equal(t.binary_end, 0x80 + 0x124 + 0x10);
	assert_int_equal(t.total_size, 0x80 + 0x124 + 0x10);
	assert_int_equal(len, t.total_size);
	assert_int_equal(t.fixed_flash, FLASH);
	assert_int_equal(t.fixed_ram, RAM);
	assert_true(t.has_fixed);
	assert_true(t.has_kernel_version);
	assert_int_equal(t.kernel_major, 2);
	assert_int_equal(t.kernel_minor, 2);
	assert_int_equal(t.app_version, 0);
	assert_int_equal(t.name_len, 5);
	assert_memory_equal(tbf + t.name_off, "hello", 5);

	/* the TLVs in the order the kernel sees them */
	assert_int_equal(r16(tbf + 16), TBF_TLV_PROGRAM);
	assert_int_equal(r16(tbf + 18), 20);
	assert_int_equal(r32(tbf + 16 + 4 + 16), 0); /* app version */
	assert_int_equal(r16(tbf + 40), TBF_TLV_PACKAGE_NAME);
	assert_int_equal(r16(tbf + 42), 5);
	assert_memory_equal(tbf + 44, "hello\0\0\0", 8);
	assert_int_equal(r16(tbf + 52), TBF_TLV_FIXED_ADDRESSES);
	assert_int_equal(r16(tbf + 64), TBF_TLV_KERNEL_VERSION);
	assert_int_equal(r32(tbf + 56), RAM);
	assert_int_equal(r32(tbf + 60), FLASH);

	/* protected trailer is zero; the binary sits at exactly 0x80 */
	for (uint32_t i = hsize; i < 0x80; i++)
		assert_int_equal(tbf[i], 0);
	assert_int_equal(tbf[0x80], 0x10);
	assert_int_equal(tbf[0x80 + 0x122], (uint8_t)(0x10 + 0x122));
	assert_int_equal(tbf[0x80 + 0x123], 0); /* gap before data */
	assert_int_equal(tbf[0x80 + 0x124], 0xa0);
	assert_int_equal(tbf[0x80 + 0x133], 0xaf);
	free(tbf);
}

static void packs_elf32_with_every_header_field_right(void **state)
{
	(void)state;
	check_app_tbf(0);
}

static void packs_elf64_with_every_header_field_right(void **state)
{
	(void)state;
	check_app_tbf(1);
}

static void pads_total_size_to_a_multiple_of_4(void **state)
{
	struct synth s = app(0);
	struct tbfpack_opts o = opts();
	struct tbf_info t;
	size_t len;
	uint8_t *tbf;

	(void)state;
	s.seg[2].filesz = 0x11; /* binary ends at 0x80 + 0x124 + 0x11 */
	tbf = pack(&s, &o, &len);
	parse_app(tbf, len, &t);
	assert_int_equal(t.binary_end, 0x80 + 0x124 + 0x11);
	assert_int_equal(t.total_size, 0x80 + 0x124 + 0x14);
	assert_int_equal(t.total_size % 4, 0);
	free(tbf);
}

static void pads_total_size_to_the_requested_alignment(void **state)
{
	struct synth s = app(0);
	struct tbfpack_opts o = opts();
	struct tbf_info t;
	size_t len;
	uint8_t *tbf;

	(void)state;
	o.align = 0x1000; /* a page */
	tbf = pack(&s, &o, &len);
	parse_app(tbf, len, &t);
	assert_int_equal(len, 0x1000);
	assert_int_equal(t.total_size, 0x1000);
	assert_int_equal(t.binary_end, 0x80 + 0x124 + 0x10); /* unchanged */
	for (size_t i = t.binary_end; i < len; i++)
		assert_int_equal(tbf[i], 0);
	free(tbf);

	o.align = 0x30; /* not a power of two */
	{
		size_t elf_len;
		uint8_t *elf = elf_of(&s, &elf_len), *out = NULL;
		char msg[256] = "";

		assert_int_equal(tbfpack_app(elf, elf_len, &o, &out, &len, msg,
					     sizeof(msg)),
				 TBFPACK_EARG);
		assert_non_null(strstr(msg, "power of two"));
		free(elf);
	}
}

static void adds_stack_not_covered_by_the_elf(void **state)
{
	struct synth s = app(0);
	struct tbfpack_opts o = opts();
	struct tbf_info t;
	size_t len;
	uint8_t *tbf;

	(void)state;
	o.stack = 0x7ff; /* rounded up to 8 */
	o.grant = 0;
	tbf = pack(&s, &o, &len);
	parse_app(tbf, len, &t);
	assert_int_equal(t.minimum_ram_size, 0x450 + 0x800 + 0x104);
	free(tbf);
}

static void takes_the_protected_size_from_the_options(void **state)
{
	struct synth s = app(0);
	struct tbfpack_opts o = opts();
	struct tbf_info t;
	size_t len;
	uint8_t *tbf;

	(void)state;
	o.protected_size = 0x100;
	tbf = pack(&s, &o, &len);
	parse_app(tbf, len, &t);
	assert_int_equal(t.header_size + t.protected_trailer_size, 0x100);
	assert_int_equal(t.init_fn_offset,
			 FLASH + 0x10 - (FLASH - 0x100 + t.header_size));
	assert_int_equal(tbf[0x100], 0x10);
	free(tbf);
}

/* ---- refusals ---- */

enum mut {
	M_GARBAGE,
	M_TRUNC_HEADER,
	M_TRUNC_SEGMENT,
	M_TRUNC_PHDRS,
	M_WRONG_MACHINE,
	M_NOT_EXEC,
	M_BIG_ENDIAN,
	M_BAD_CLASS,
	M_SEG_BELOW_FLASH,
	M_SEG_PAST_SLOT,
	M_FLASH_OVERLAP,
	M_RAM_OVERLAP,
	M_RAM_BELOW_ORIGIN,
	M_ENTRY_OUTSIDE,
	M_FILESZ_GT_MEMSZ,
	M_ABOVE_4G,
	M_NO_LOAD,
	M_NAME_TOO_LONG,
	M_NO_NAME,
	M_FLASH_BELOW_PROTECTED,
	M_RAM_IN_SLOT,
};

static const struct {
	enum mut m;
	int is64;
	enum tbfpack_err want;
} refusals[] = {
	{ M_GARBAGE, 0, TBFPACK_EELF },
	{ M_TRUNC_HEADER, 0, TBFPACK_EELF },
	{ M_TRUNC_HEADER, 1, TBFPACK_EELF },
	{ M_TRUNC_SEGMENT, 0, TBFPACK_EELF },
	{ M_TRUNC_PHDRS, 1, TBFPACK_EELF },
	{ M_WRONG_MACHINE, 0, TBFPACK_EELF },
	{ M_NOT_EXEC, 0, TBFPACK_EELF },
	{ M_BIG_ENDIAN, 0, TBFPACK_EELF },
	{ M_BAD_CLASS, 0, TBFPACK_EELF },
	{ M_SEG_BELOW_FLASH, 0, TBFPACK_ELAYOUT },
	{ M_SEG_PAST_SLOT, 0, TBFPACK_ELAYOUT },
	{ M_SEG_PAST_SLOT, 1, TBFPACK_ELAYOUT },
	{ M_FLASH_OVERLAP, 0, TBFPACK_EOVERLAP },
	{ M_RAM_OVERLAP, 0, TBFPACK_EOVERLAP },
	{ M_RAM_BELOW_ORIGIN, 0, TBFPACK_ELAYOUT },
	{ M_ENTRY_OUTSIDE, 0, TBFPACK_ELAYOUT },
	{ M_FILESZ_GT_MEMSZ, 0, TBFPACK_EELF },
	{ M_ABOVE_4G, 1, TBFPACK_ELAYOUT },
	{ M_NO_LOAD, 0, TBFPACK_EELF },
	{ M_NAME_TOO_LONG, 0, TBFPACK_EARG },
	{ M_NO_NAME, 0, TBFPACK_EARG },
	{ M_FLASH_BELOW_PROTECTED, 0, TBFPACK_EARG },
	{ M_RAM_IN_SLOT, 0, TBFPACK_EARG },
};

static void refuses_bad_elfs_and_layouts(void **state)
{
	static const char long_name[] =
		"a-name-that-is-longer-than-sixty-four-bytes-and-so-"
		"cannot-fit-the-header";

	(void)state;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		struct synth s = app(refusals[i].is64);
		struct tbfpack_opts o = opts();
		size_t elf_len, out_len = 0xdead;
		uint8_t *elf, *out = (uint8_t *)&out_len;
		char msg[256] = "";
		enum tbfpack_err rc;

		switch (refusals[i].m) {
		case M_WRONG_MACHINE: s.machine = 62; break;   /* x86-64 */
		case M_NOT_EXEC: s.type = 3; break;	       /* ET_DYN */
		case M_BIG_ENDIAN: s.data = 2; break;
		case M_SEG_BELOW_FLASH: s.seg[0].paddr = FLASH - 4; break;
		case M_SEG_PAST_SLOT:
			s.seg[2].paddr = FLASH - 0x80 + SLOT - 8;
			break;
		case M_FLASH_OVERLAP: s.seg[2].paddr = FLASH + 0x120; break;
		case M_RAM_OVERLAP: s.seg[2].vaddr = RAM + 0x3f0; break;
		case M_RAM_BELOW_ORIGIN: s.seg[1].vaddr = RAM - 0x10; break;
		case M_ENTRY_OUTSIDE: s.entry = FLASH - 0x80; break;
		case M_FILESZ_GT_MEMSZ: s.seg[2].memsz = 4; break;
		case M_ABOVE_4G: s.seg[1].vaddr = 0x100000000ull; break;
		case M_NO_LOAD:
			for (unsigned k = 0; k < s.nseg; k++)
				s.seg[k].type = 4;
			break;
		case M_NAME_TOO_LONG: o.name = long_name; break;
		case M_NO_NAME: o.name = ""; break;
		case M_FLASH_BELOW_PROTECTED:
			o.flash_origin = 0x40;
			break;
		case M_RAM_IN_SLOT: o.ram_origin = FLASH + 0x1000; break;
		default: break;
		}
		elf = elf_of(&s, &elf_len);
		switch (refusals[i].m) {
		case M_GARBAGE: memset(elf, 0x5a, elf_len); break;
		case M_TRUNC_HEADER:
			elf_len = refusals[i].is64 ? 60 : 40;
			break;
		case M_TRUNC_SEGMENT: elf_len -= 4; break;
		case M_TRUNC_PHDRS:
			elf_len = 64 + 56 + 10; /* mid second header */
			break;
		case M_BAD_CLASS: elf[4] = 3; break;
		default: break;
		}
		rc = tbfpack_app(elf, elf_len, &o, &out, &out_len, msg,
				 sizeof(msg));
		if (rc != refusals[i].want)
			fail_msg("case %zu (mutation %d): got %d (%s), want %d",
				 i, refusals[i].m, rc, msg, refusals[i].want);
		assert_true(msg[0] != '\0');		 /* says why */
		assert_ptr_equal(out, (uint8_t *)&out_len); /* untouched */
		assert_int_equal(out_len, 0xdead);
		free(elf);
	}
}

/* ---- padding and images ---- */

static void writes_a_valid_padding_tbf(void **state)
{
	uint8_t buf[0x40];
	struct tbf_info t;

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	tbfpack_padding(buf, sizeof(buf));
	assert_int_equal(tbf_parse(buf, sizeof(buf), &t), TBF_SKIP);
	assert_int_equal(t.reason, TBF_SKIP_PADDING);
	assert_int_equal(tbfpack_inspect(buf, sizeof(buf), &t, NULL, 0),
			 TBFPACK_OK);
	assert_int_equal(r16(buf), 2);
	assert_int_equal(t.header_size, 16);
	assert_int_equal(t.total_size, sizeof(buf));
	assert_int_equal(t.flags, 0);
	assert_true(t.checksum_ok);
	assert_int_equal(r32(buf + 12),
			 r32(buf) ^ r32(buf + 4) ^ r32(buf + 8));
	for (size_t i = 16; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
}

static void inspect_rejects_a_bad_checksum(void **state)
{
	struct synth s = app(0);
	struct tbfpack_opts o = opts();
	struct tbf_info t;
	size_t len;
	uint8_t *tbf = pack(&s, &o, &len);
	char msg[128] = "";

	(void)state;
	assert_int_equal(tbfpack_inspect(tbf, len, &t, msg, sizeof(msg)),
			 TBFPACK_OK);
	tbf[20] ^= 1; /* init_fn_offset */
	assert_int_equal(tbfpack_inspect(tbf, len, &t, msg, sizeof(msg)),
			 TBFPACK_ETBF);
	assert_int_equal(t.reason, TBF_SKIP_CHECKSUM);
	assert_string_equal(msg, tbf_reason_str(TBF_SKIP_CHECKSUM));
	free(tbf);
}

/* Pack the default app for a given flash origin / slot size / name. */
static uint8_t *pack_at(uint32_t flash, uint32_t slot, const char *name,
			size_t *len)
{
	struct synth s = app(0);
	struct tbfpack_opts o = opts();
	int64_t d = (int64_t)flash - FLASH;

	s.entry += d;
	s.seg[0].vaddr += d;
	s.seg[0].paddr += d;
	s.seg[2].paddr += d;
	o.flash_origin = flash;
	o.slot_size = slot;
	o.name = name;
	return pack(&s, &o, len);
}

static void image_places_tbfs_at_their_fixed_addresses(void **state)
{
	size_t la, lb, len;
	uint8_t *a = pack_at(0x80100080, 0x10000, "a", &la);
	uint8_t *b = pack_at(0x80110080, 0x20000, "b", &lb);
	/* given out of order on purpose */
	struct tbfpack_input in[] = { { "b", b, lb }, { "a", a, la } };
	uint8_t *img = NULL;
	struct tbf_info t;
	size_t off;

	(void)state;
	assert_int_equal(tbfpack_image(0x80100000, 0, in, 2, &img, &len, NULL,
				       0),
			 TBFPACK_OK);
	assert_int_equal(len, 0x10000 + lb + 8);
	assert_memory_equal(img, a, la);
	/* padding from the end of a to the start of b */
	assert_int_equal(tbf_parse(img + la, len - la, &t), TBF_SKIP);
	assert_int_equal(t.reason, TBF_SKIP_PADDING);
	assert_int_equal(t.flags, 0);
	assert_int_equal(t.total_size, 0x10000 - la);
	assert_memory_equal(img + 0x10000, b, lb);
	for (off = 0x10000 + lb; off < len; off++)
		assert_int_equal(img[off], 0);
	/* the kernel's walk: app a, padding, app b at its address, end */
	off = 0;
	assert_int_equal(tbf_parse(img, len, &t), TBF_APP);
	assert_true(tbf_flash_fixed_ok(&t, 0x80100000));
	off += t.total_size;
	assert_int_equal(tbf_parse(img + off, len - off, &t), TBF_SKIP);
	off += t.total_size;
	assert_int_equal(off, 0x10000);
	assert_int_equal(tbf_parse(img + off, len - off, &t), TBF_APP);
	assert_true(tbf_flash_fixed_ok(&t, 0x80100000 + off));
	off += t.total_size;
	assert_int_equal(tbf_parse(img + off, len - off, &t), TBF_END);
	assert_int_equal(t.reason, TBF_END_VERSION);
	free(img);

	/* a base below the first TBF gets a leading padding TBF */
	assert_int_equal(tbfpack_image(0x800ff000, 0, in, 2, &img, &len, NULL,
				       0),
			 TBFPACK_OK);
	assert_int_equal(tbf_parse(img, len, &t), TBF_SKIP);
	assert_int_equal(t.reason, TBF_SKIP_PADDING);
	assert_int_equal(t.total_size, 0x1000);
	assert_memory_equal(img + 0x1000, a, la);
	free(img);
	free(a);
	free(b);
}

static void image_refuses_overlaps_small_gaps_and_bad_bounds(void **state)
{
	size_t la, lb, lc, len = 0;
	uint8_t *a = pack_at(0x80100080, 0, "a", &la);
	uint8_t *b = pack_at(0x80100080 + 0x100, 0, "b", &lb); /* inside a */
	uint8_t *c = pack_at(0x80100080 + la + 8, 0, "c", &lc); /* 8-byte gap */
	uint8_t *img = NULL;
	char msg[256] = "";
	struct tbfpack_input ab[] = { { "a", a, la }, { "b", b, lb } };
	struct tbfpack_input ac[] = { { "a", a, la }, { "c", c, lc } };
	struct tbfpack_input aa[] = { { "a", a, la }, { "a2", a, la } };

	(void)state;
	assert_true(la > 0x100);
	assert_int_equal(tbfpack_image(0x80100000, 0, ab, 2, &img, &len, msg,
				       sizeof(msg)),
			 TBFPACK_EOVERLAP);
	assert_non_null(strstr(msg, "overlaps"));
	assert_int_equal(tbfpack_image(0x80100000, 0, aa, 2, &img, &len, msg,
				       sizeof(msg)),
			 TBFPACK_EOVERLAP);
	assert_int_equal(tbfpack_image(0x80100000, 0, ac, 2, &img, &len, msg,
				       sizeof(msg)),
			 TBFPACK_EOVERLAP);
	assert_non_null(strstr(msg, "too small"));
	/* base above the TBF, and an image larger than allowed */
	assert_int_equal(tbfpack_image(0x80100004, 0, ab, 1, &img, &len, msg,
				       sizeof(msg)),
			 TBFPACK_ELAYOUT);
	assert_int_equal(tbfpack_image(0x80100000, (uint32_t)la + 4, ab, 1,
				       &img, &len, msg, sizeof(msg)),
			 TBFPACK_ELAYOUT);
	assert_null(img);
	assert_int_equal(len, 0);
	free(a);
	free(b);
	free(c);
}

static void image_refuses_garbage_input(void **state)
{
	uint8_t junk[64];
	struct tbfpack_input in[] = { { "junk", junk, sizeof(junk) } };
	uint8_t pad[32];
	struct tbfpack_input in_pad[] = { { "pad", pad, sizeof(pad) } };
	uint8_t *img = NULL;
	size_t len;
	char msg[256] = "";

	(void)state;
	memset(junk, 0xff, sizeof(junk));
	assert_int_equal(tbfpack_image(0x80100000, 0, in, 1, &img, &len, msg,
				       sizeof(msg)),
			 TBFPACK_ETBF);
	assert_non_null(strstr(msg, "junk"));
	/* a padding object is not an app */
	tbfpack_padding(pad, sizeof(pad));
	assert_int_equal(tbfpack_image(0x80100000, 0, in_pad, 1, &img, &len,
				       msg, sizeof(msg)),
			 TBFPACK_ETBF);
	assert_null(img);
}

static void image_of_nothing_is_just_the_terminator(void **state)
{
	uint8_t *img = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(tbfpack_image(0x80100000, 0, NULL, 0, &img, &len,
				       NULL, 0),
			 TBFPACK_OK);
	assert_int_equal(len, 8);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(img[i], 0);
	free(img);
}

/* ==== .tab files ==== */

static void tab_written_reads_back_with_libtock_c_names(void **state)
{
	size_t la, lb, len, n;
	uint8_t *a = pack_at(0x80100080, 0x10000, "a", &la);
	uint8_t *b = pack_at(0x80110080, 0x10000, "b", &lb);
	struct tbfpack_tab_member m[4], r[8];
	uint8_t *tab;
	char msg[256], arch[16];

	(void)state;
	assert_int_equal(tbfpack_tab_name("rv32imac", a, la, m[0].name,
					  sizeof(m[0].name), msg, sizeof(msg)),
			 TBFPACK_OK);
	assert_string_equal(m[0].name, "rv32imac.0x80100080.0x"
				       "80300000.tbf");
	assert_int_equal(tbfpack_tab_name("rv32imac", b, lb, m[1].name,
					  sizeof(m[1].name), msg, sizeof(msg)),
			 TBFPACK_OK);
	m[0].data = a, m[0].len = la;
	m[1].data = b, m[1].len = lb;
	assert_int_equal(tbfpack_tab_write("blink", "2026-01-02T03:04:05Z",
					   m, 2, &tab, &len, msg, sizeof(msg)),
			 TBFPACK_OK);
	assert_int_equal(len % 512, 0);
	assert_int_equal(tbfpack_tab_read(tab, len, r, 8, &n, msg,
					  sizeof(msg)),
			 TBFPACK_OK);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].name, "metadata.toml");
	assert_int_equal(r[0].len, strlen("tab-version = 1\nname = \"blink\"\n"
					  "build-date = 2026-01-02T03:04:05Z\n"));
	assert_memory_equal(r[0].data, "tab-version = 1\nname = \"blink\"\n",
			    31);
	assert_string_equal(r[2].name, m[1].name);
	assert_int_equal(r[2].len, lb);
	assert_memory_equal(r[2].data, b, lb);
	assert_true(tbfpack_tab_member_arch(r[1].name, arch, sizeof(arch)));
	assert_string_equal(arch, "rv32imac");
	assert_false(tbfpack_tab_member_arch("metadata.toml", arch,
					     sizeof(arch)));
	assert_false(tbfpack_tab_member_arch("rv32imac.0x1.tbf", arch,
					     sizeof(arch)));
	assert_true(tbfpack_tab_member_arch("cortex-m4.tbf", arch,
					    sizeof(arch)));
	/* names and arches tbfpack refuses to write */
	assert_int_equal(tbfpack_tab_write("bad name", "x", m, 2, &tab, &len,
					   msg, sizeof(msg)),
			 TBFPACK_EARG);
	assert_int_equal(tbfpack_tab_name("RV32/../x", a, la, m[0].name,
					  sizeof(m[0].name), msg, sizeof(msg)),
			 TBFPACK_EARG);
	free(tab);
	free(a);
	free(b);
}

/* A one-member .tab whose header the caller then damages. */
static uint8_t *tab_of(const char *name, size_t *len)
{
	static const uint8_t body[600] = { 1, 2, 3 };
	struct tbfpack_tab_member m = { .data = body, .len = sizeof(body) };
	uint8_t *tab;
	char msg[256];

	strcpy(m.name, name);
	assert_int_equal(tbfpack_tab_write("x", "d", &m, 1, &tab, len, msg,
					   sizeof(msg)),
			 TBFPACK_OK);
	return tab;
}

/* Redo the header checksum of the member at off (after a change). */
static void resum(uint8_t *h)
{
	unsigned sum = 0;

	for (unsigned i = 0; i < 512; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

static void tab_read_refuses_hostile_tars(void **state)
{
	static const struct {
		const char *name; /* member name written */
		unsigned field;	  /* offset in the 2nd header to change */
		const char *value;
		bool fix_sum;
		const char *why; /* in the message */
	} cases[] = {
		{ "../evil.tbf", 0, NULL, true, "not a plain file name" },
		{ "/etc/evil.tbf", 0, NULL, true, "not a plain file name" },
		{ "a/b.tbf", 0, NULL, true, "not a plain file name" },
		{ "..", 0, NULL, true, "not a plain file name" },
		{ "x.tbf", 156, "2", true, "not a regular file" },  /* symlink */
		{ "x.tbf", 156, "L", true, "not a regular file" },  /* GNU long */
		{ "x.tbf", 345, "dir", true, "path prefix" },
		{ "x.tbf", 124, "77777777777", true, "claims" },   /* 8 GiB */
		{ "x.tbf", 124, "\x80\x80\x80", true, "bad size" }, /* base-256 */
		{ "x.tbf", 124, "9", true, "bad size" },
		{ "x.tbf", 0, "y.tbf", false, "checksum" },
	};
	char msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tbfpack_tab_member r[4];
		size_t len, n = 99;
		uint8_t *tab = tab_of(cases[i].name, &len);
		uint8_t *h = tab + 1024; /* metadata: header + 1 block */

		if (cases[i].value) {
			memset(h + cases[i].field, 0,
			       cases[i].field == 124 ? 12 : 1);
			memcpy(h + cases[i].field, cases[i].value,
			       strlen(cases[i].value));
		}
		if (cases[i].fix_sum)
			resum(h);
		msg[0] = '\0';
		assert_int_equal(tbfpack_tab_read(tab, len, r, 4, &n, msg,
						  sizeof(msg)),
				 TBFPACK_ETAB);
		if (strstr(msg, cases[i].why) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, msg,
				 cases[i].why);
		assert_int_equal(n, 0);
		free(tab);
	}
}

static void tab_read_refuses_cut_and_foreign_files(void **state)
{
	struct tbfpack_tab_member r[4];
	size_t len, n;
	uint8_t *tab = tab_of("x.tbf", &len);
	uint8_t junk[2048];
	char msg[256];

	(void)state;
	/* cut inside the member's data, then inside a header */
	assert_int_equal(tbfpack_tab_read(tab, 1024 + 512 + 100, r, 4, &n,
					  msg, sizeof(msg)),
			 TBFPACK_ETAB);
	assert_int_equal(tbfpack_tab_read(tab, 1024 + 200, r, 4, &n, msg,
					  sizeof(msg)),
			 TBFPACK_ETAB);
	/* more members than room */
	assert_int_equal(tbfpack_tab_read(tab, len, r, 1, &n, msg,
					  sizeof(msg)),
			 TBFPACK_ETAB);
	/* no metadata.toml */
	memset(tab, 0, 1024);
	assert_int_equal(tbfpack_tab_read(tab, len, r, 4, &n, msg,
					  sizeof(msg)),
			 TBFPACK_ETAB);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(tbfpack_tab_read(junk, sizeof(junk), r, 4, &n, msg,
					  sizeof(msg)),
			 TBFPACK_ETAB);
	free(tab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(packs_elf32_with_every_header_field_right),
		cmocka_unit_test(packs_elf64_with_every_header_field_right),
		cmocka_unit_test(pads_total_size_to_a_multiple_of_4),
		cmocka_unit_test(pads_total_size_to_the_requested_alignment),
		cmocka_unit_test(adds_stack_not_covered_by_the_elf),
		cmocka_unit_test(takes_the_protected_size_from_the_options),
		cmocka_unit_test(refuses_bad_elfs_and_layouts),
		cmocka_unit_test(writes_a_valid_padding_tbf),
		cmocka_unit_test(inspect_rejects_a_bad_checksum),
		cmocka_unit_test(image_places_tbfs_at_their_fixed_addresses),
		cmocka_unit_test(
			image_refuses_overlaps_small_gaps_and_bad_bounds),
		cmocka_unit_test(image_refuses_garbage_input),
		cmocka_unit_test(image_of_nothing_is_just_the_terminator),
		cmocka_unit_test(tab_written_reads_back_with_libtock_c_names),
		cmocka_unit_test(tab_read_refuses_hostile_tars),
		cmocka_unit_test(tab_read_refuses_cut_and_foreign_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
