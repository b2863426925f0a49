// SPDX-License-Identifier: MIT
/*
 * tbfpack library: ELF reading, TBF writing and flash-image layout.
 *
 * All multi-byte values in ELF and TBF are little-endian; the helpers below
 * read and write them byte by byte so the tool works on any host and never
 * makes unaligned accesses into the input buffer.  Every offset and size
 * taken from the input is checked against the buffer length before use:
 * the input is untrusted (a truncated or corrupted file must give a message,
 * never a crash).
 */
#include "tools/tbfpack_lib.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ELF constants (System V gABI, RISC-V psABI). */
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_RISCV 243
#define PT_LOAD 1

/* Most segments we accept; an app has three or four. */
#define MAX_SEGS 32

static void fail_msg(char *msg, size_t msg_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail_msg(char *msg, size_t msg_len, const char *fmt, ...)
{
	va_list ap;

	if (msg == NULL || msg_len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, msg_len, fmt, ap);
	va_end(ap);
}

#define FAIL(kind, ...)                                   \
	do {                                              \
		fail_msg(msg, msg_len, __VA_ARGS__);      \
		return (kind);                            \
	} while (0)

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

void tbfpack_opts_init(struct tbfpack_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->protected_size = TBFPACK_DEFAULT_PROTECTED;
	o->grant = TBFPACK_DEFAULT_GRANT;
}

void tbfpack_padding(uint8_t *dst, uint32_t size)
{
	memset(dst, 0, size);
	wr16(dst + 0, TBF_VERSION);
	wr16(dst + 2, TBF_BASE_SIZE);
	wr32(dst + 4, size);
	wr32(dst + 8, 0); /* flags: not enabled */
	wr32(dst + 12, tbf_checksum(dst, TBF_BASE_SIZE));
}

/* ---- ELF reading ---- */

struct seg {
	uint64_t vaddr, paddr, filesz, memsz, offset;
	unsigned index; /* program header number, for messages */
};

struct elf {
	bool is64;
	uint64_t entry;
	unsigned nseg;
	struct seg seg[MAX_SEGS];
};

static enum tbfpack_err elf_read(const uint8_t *b, size_t len, struct elf *e,
				 char *msg, size_t msg_len)
{
	uint64_t phoff;
	unsigned phentsize, phnum, need;

	if (len < 16 || memcmp(b, "\177ELF", 4) != 0)
		FAIL(TBFPACK_EELF, "not an ELF file (bad magic)");
	if (b[EI_CLASS] != ELFCLASS32 && b[EI_CLASS] != ELFCLASS64)
		FAIL(TBFPACK_EELF, "unknown ELF class %u", b[EI_CLASS]);
	if (b[EI_DATA] != ELFDATA2LSB)
		FAIL(TBFPACK_EELF, "ELF is not little-endian");
	e->is64 = b[EI_CLASS] == ELFCLASS64;
	if (len < (e->is64 ? 64u : 52u))
		FAIL(TBFPACK_EELF, "ELF header truncated (%zu bytes)", len);
	if (rd16(b + 18) != EM_RISCV)
		FAIL(TBFPACK_EELF, "ELF machine %u is not RISC-V (%u)",
		     rd16(b + 18), EM_RISCV);
	if (rd16(b + 16) != ET_EXEC)
		FAIL(TBFPACK_EELF,
		     "ELF type %u is not an executable (link it statically)",
		     rd16(b + 16));
	if (e->is64) {
		e->entry = rd64(b + 24);
		phoff = rd64(b + 32);
		phentsize = rd16(b + 54);
		phnum = rd16(b + 56);
		need = 56;
	} else {
		e->entry = rd32(b + 24);
		phoff = rd32(b + 28);
		phentsize = rd16(b + 42);
		phnum = rd16(b + 44);
		need = 32;
	}
	if (phnum == 0)
		FAIL(TBFPACK_EELF, "ELF has no program headers");
	if (phentsize < need)
		FAIL(TBFPACK_EELF, "ELF program header size %u too small",
		     phentsize);
	/* phoff + phnum * phentsize must lie inside the file; no wrap */
	if (phoff > len || (uint64_t)phnum * phentsize > len - phoff)
		FAIL(TBFPACK_EELF, "ELF program headers lie past the end of "
				   "the file");

	e->nseg = 0;
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = b + phoff + (uint64_t)i * phentsize;
		struct seg s = { .index = i };

		if (rd32(ph) != PT_LOAD)
			continue;
		if (e->is64) {
			s.offset = rd64(ph + 8);
			s.vaddr = rd64(ph + 16);
			s.paddr = rd64(ph + 24);
			s.filesz = rd64(ph + 32);
			s.memsz = rd64(ph + 40);
		} else {
			s.offset = rd32(ph + 4);
			s.vaddr = rd32(ph + 8);
			s.paddr = rd32(ph + 12);
			s.filesz = rd32(ph + 16);
			s.memsz = rd32(ph + 20);
		}
		if (s.memsz == 0)
			continue;
		if (s.filesz > s.memsz)
			FAIL(TBFPACK_EELF, "segment %u: file size 0x%llx exceeds "
					   "memory size 0x%llx", i,
			     (unsigned long long)s.filesz,
			     (unsigned long long)s.memsz);
		if (s.offset > len || s.filesz > len - s.offset)
			FAIL(TBFPACK_EELF, "segment %u: file bytes lie past the "
					   "end of the file (truncated ELF?)", i);
		/* TBF fields are 32-bit: every address must fit */
		if (s.vaddr > UINT32_MAX || s.paddr > UINT32_MAX ||
		    s.memsz > 0x100000000ull - s.vaddr ||
		    s.memsz > 0x100000000ull - s.paddr)
			FAIL(TBFPACK_ELAYOUT, "segment %u lies above 4 GiB", i);
		if (e->nseg == MAX_SEGS)
			FAIL(TBFPACK_EELF, "more than %u loadable segments",
			     MAX_SEGS);
		e->seg[e->nseg++] = s;
	}
	if (e->nseg == 0)
		FAIL(TBFPACK_EELF, "ELF has no loadable segments");
	return TBFPACK_OK;
}

static int seg_by_paddr(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static int seg_by_vaddr(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* ---- TBF writing ---- */

/* What tbf_build_header() writes for our apps (name, no extra TLVs). */
static struct tbf_build header_for(const struct tbfpack_opts *o)
{
	return (struct tbf_build){
		.flags = TBF_FLAG_ENABLED,
		.name = o->name,
		.has_fixed = true,
		.fixed_ram = o->ram_origin,
		.fixed_flash = o->flash_origin,
		.kernel_major = TBFPACK_KERNEL_MAJOR,
		.kernel_minor = TBFPACK_KERNEL_MINOR,
	};
}

static uint32_t header_size_for(const struct tbfpack_opts *o)
{
	struct tbf_build b = header_for(o);

	return (uint32_t)tbf_build_header(NULL, 0, &b);
}

static enum tbfpack_err check_opts(const struct tbfpack_opts *o, char *msg,
				   size_t msg_len)
{
	size_t nl = o->name ? strlen(o->name) : 0;
	uint32_t hsize;

	if (nl == 0 || nl > TBFPACK_NAME_MAX)
		FAIL(TBFPACK_EARG, "package name must be 1..%u bytes",
		     TBFPACK_NAME_MAX);
	if (o->protected_size % 4 != 0)
		FAIL(TBFPACK_EARG, "protected size 0x%x is not a multiple of 4",
		     o->protected_size);
	hsize = header_size_for(o);
	if (hsize == 0 || hsize > o->protected_size)
		FAIL(TBFPACK_EARG, "header (%u bytes) does not fit in the "
				   "protected region (0x%x bytes); shorten "
				   "the name", hsize, o->protected_size);
	if (o->flash_origin < o->protected_size || o->flash_origin % 4 != 0)
		FAIL(TBFPACK_EARG, "flash origin 0x%x must be 4-aligned and "
				   ">= the protected size", o->flash_origin);
	if (o->ram_origin == TBF_NOT_FIXED)
		FAIL(TBFPACK_EARG, "RAM origin 0x%x is reserved", o->ram_origin);
	if (o->align != 0 && (o->align < 4 || (o->align & (o->align - 1))))
		FAIL(TBFPACK_EARG, "alignment 0x%x is not a power of two >= 4",
		     o->align);
	if (o->slot_size != 0 && o->slot_size < o->protected_size)
		FAIL(TBFPACK_EARG, "slot size 0x%x is smaller than the "
				   "protected region", o->slot_size);
	return TBFPACK_OK;
}

enum tbfpack_err tbfpack_app(const uint8_t *elf, size_t elf_len,
			     const struct tbfpack_opts *o, uint8_t **out,
			     size_t *out_len, char *msg, size_t msg_len)
{
	struct elf *e;
	struct seg flash[MAX_SEGS], ram[MAX_SEGS];
	unsigned nf = 0, nr = 0;
	uint64_t tbf_start, win_end, ram_win_end, bin_end, ram_end, min_ram;
	uint64_t total;
	struct tbf_build hb;
	enum tbfpack_err rc;
	uint32_t hsize;
	uint8_t *t;

	rc = check_opts(o, msg, msg_len);
	if (rc != TBFPACK_OK)
		return rc;
	e = malloc(sizeof(*e));
	if (e == NULL)
		FAIL(TBFPACK_ENOMEM, "out of memory");
	rc = elf_read(elf, elf_len, e, msg, msg_len);
	if (rc != TBFPACK_OK) {
		free(e);
		return rc;
	}

	/*
	 * The windows: flash [flash_origin, win_end), RAM [ram_origin,
	 * ram_win_end).  Without a slot size the flash window runs up to the
	 * RAM origin (or 4 GiB); it never reaches into RAM.
	 */
	tbf_start = o->flash_origin - o->protected_size;
	win_end = o->slot_size ? tbf_start + o->slot_size : 0x100000000ull;
	if (o->ram_origin >= tbf_start && o->ram_origin < win_end) {
		if (o->slot_size) {
			free(e);
			FAIL(TBFPACK_EARG, "RAM origin 0x%x lies inside the "
					   "flash slot", o->ram_origin);
		}
		win_end = o->ram_origin;
	}
	ram_win_end = tbf_start >= o->ram_origin ? tbf_start : 0x100000000ull;

	/* file bytes go to flash; run addresses outside flash use RAM */
	for (unsigned i = 0; i < e->nseg; i++) {
		const struct seg *s = &e->seg[i];
		bool to_flash = s->filesz != 0;
		bool in_ram = s->vaddr >= o->ram_origin &&
			      s->vaddr + s->memsz <= ram_win_end;
		bool runs_in_flash = s->vaddr >= o->flash_origin &&
				     s->vaddr + s->memsz <= win_end;

		if (to_flash && (s->paddr < o->flash_origin ||
				 s->paddr + s->filesz > win_end)) {
			fail_msg(msg, msg_len,
				 "segment %u (load 0x%llx..0x%llx) lies outside "
				 "the flash window 0x%x..0x%llx", s->index,
				 (unsigned long long)s->paddr,
				 (unsigned long long)(s->paddr + s->filesz),
				 o->flash_origin, (unsigned long long)win_end);
			free(e);
			return TBFPACK_ELAYOUT;
		}
		if (!runs_in_flash && !in_ram) {
			fail_msg(msg, msg_len,
				 "segment %u (run 0x%llx..0x%llx) lies neither "
				 "in the flash window nor in RAM from 0x%x",
				 s->index, (unsigned long long)s->vaddr,
				 (unsigned long long)(s->vaddr + s->memsz),
				 o->ram_origin);
			free(e);
			return TBFPACK_ELAYOUT;
		}
		if (to_flash)
			flash[nf++] = *s;
		if (!runs_in_flash)
			ram[nr++] = *s;
	}
	qsort(flash, nf, sizeof(flash[0]), seg_by_paddr);
	qsort(ram, nr, sizeof(ram[0]), seg_by_vaddr);
	for (unsigned i = 1; i < nf; i++) {
		if (flash[i].paddr < flash[i - 1].paddr + flash[i - 1].filesz) {
			fail_msg(msg, msg_len, "segments %u and %u overlap in "
					       "flash at 0x%llx",
				 flash[i - 1].index, flash[i].index,
				 (unsigned long long)flash[i].paddr);
			free(e);
			return TBFPACK_EOVERLAP;
		}
	}
	for (unsigned i = 1; i < nr; i++) {
		if (ram[i].vaddr < ram[i - 1].vaddr + ram[i - 1].memsz) {
			fail_msg(msg, msg_len, "segments %u and %u overlap in "
					       "RAM at 0x%llx",
				 ram[i - 1].index, ram[i].index,
				 (unsigned long long)ram[i].vaddr);
			free(e);
			return TBFPACK_EOVERLAP;
		}
	}
	if (nf == 0) {
		free(e);
		FAIL(TBFPACK_ELAYOUT, "no segment has bytes for flash");
	}
	bin_end = flash[nf - 1].paddr + flash[nf - 1].filesz;
	if (e->entry < o->flash_origin || e->entry >= bin_end) {
		fail_msg(msg, msg_len, "entry point 0x%llx is outside the "
				       "binary 0x%x..0x%llx",
			 (unsigned long long)e->entry, o->flash_origin,
			 (unsigned long long)bin_end);
		free(e);
		return TBFPACK_ELAYOUT;
	}

	ram_end = nr ? ram[nr - 1].vaddr + ram[nr - 1].memsz : o->ram_origin;
	min_ram = align_up(ram_end - o->ram_origin, 8) + align_up(o->stack, 8) +
		  align_up(o->heap, 4) + align_up(o->grant, 4);
	total = align_up(bin_end - tbf_start, o->align ? o->align : 4);
	if (min_ram > UINT32_MAX) {
		free(e);
		FAIL(TBFPACK_ELAYOUT, "minimum RAM size 0x%llx does not fit "
				      "in 32 bits", (unsigned long long)min_ram);
	}
	if (tbf_start + total > win_end) {
		free(e);
		FAIL(TBFPACK_ELAYOUT, "TBF of 0x%llx bytes does not fit the "
				      "0x%x-byte slot",
		     (unsigned long long)total, o->slot_size);
	}

	t = calloc(1, total);
	if (t == NULL) {
		free(e);
		FAIL(TBFPACK_ENOMEM, "out of memory");
	}
	for (unsigned i = 0; i < nf; i++)
		memcpy(t + (flash[i].paddr - tbf_start), elf + flash[i].offset,
		       flash[i].filesz);

	hsize = header_size_for(o);
	hb = header_for(o);
	hb.total_size = (uint32_t)total;
	hb.init_fn_offset = (uint32_t)(e->entry - (tbf_start + hsize));
	hb.protected_trailer_size = o->protected_size - hsize;
	hb.minimum_ram_size = (uint32_t)min_ram;
	hb.binary_end = (uint32_t)(bin_end - tbf_start);
	/* the entry offset is from the header's end, not the trailer's */
	tbf_build_header(t, hsize, &hb);
	free(e);
	*out = t;
	*out_len = (size_t)total;
	return TBFPACK_OK;
}

/* ---- TBF reading ---- */

enum tbfpack_err tbfpack_inspect(const uint8_t *b, size_t len,
				 struct tbf_info *in, char *msg,
				 size_t msg_len)
{
	enum tbf_verdict v = tbf_parse(b, len, in);

	if (v == TBF_APP ||
	    (v == TBF_SKIP && in->reason == TBF_SKIP_PADDING))
		return TBFPACK_OK;
	FAIL(TBFPACK_ETBF, "%s", tbf_reason_str(in->reason));
}

/* ---- flash image ---- */

struct placed {
	uint64_t start;
	const struct tbfpack_input *in;
	uint32_t size;
	bool fixed;
};

static int placed_by_start(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

enum tbfpack_err tbfpack_image(uint32_t base, uint32_t max_size,
			       const struct tbfpack_input *in, size_t n,
			       uint8_t **out, size_t *out_len, char *msg,
			       size_t msg_len)
{
	struct placed *p;
	uint64_t cursor = base, end, limit;
	uint8_t *img;
	enum tbfpack_err rc = TBFPACK_OK;

	if (base % 4 != 0)
		FAIL(TBFPACK_EARG, "image base 0x%x is not 4-aligned", base);
	p = calloc(n ? n : 1, sizeof(*p));
	if (p == NULL)
		FAIL(TBFPACK_ENOMEM, "out of memory");

	/* fixed TBFs first, at their own addresses; then sort them */
	for (size_t i = 0; i < n; i++) {
		struct tbf_info info;

		if (tbf_parse(in[i].data, in[i].len, &info) != TBF_APP) {
			fail_msg(msg, msg_len, "%s: not an app TBF the kernel "
					       "would load (%s)", in[i].label,
				 tbf_reason_str(info.reason));
			rc = TBFPACK_ETBF;
			goto out;
		}
		if (info.total_size % 4 != 0) {
			fail_msg(msg, msg_len, "%s: total size 0x%x is not a "
					       "multiple of 4", in[i].label,
				 info.total_size);
			rc = TBFPACK_ETBF;
			goto out;
		}
		p[i].in = &in[i];
		p[i].size = info.total_size;
		p[i].fixed = info.fixed_flash != TBF_NOT_FIXED;
		if (p[i].fixed) {
			uint32_t prot = info.protected_size;

			if (info.fixed_flash < prot ||
			    info.fixed_flash - prot < base) {
				fail_msg(msg, msg_len, "%s: fixed flash 0x%x "
						       "lies before the image "
						       "base 0x%x",
					 in[i].label, info.fixed_flash, base);
				rc = TBFPACK_ELAYOUT;
				goto out;
			}
			p[i].start = info.fixed_flash - prot;
			if (p[i].start % 4 != 0) {
				fail_msg(msg, msg_len, "%s: TBF start 0x%llx "
						       "is not 4-aligned",
					 in[i].label,
					 (unsigned long long)p[i].start);
				rc = TBFPACK_ELAYOUT;
				goto out;
			}
		}
	}
	/*
	 * Movable TBFs go after every fixed one, in the order given.  (Filling
	 * gaps between fixed TBFs would be smarter; nothing needs it yet.)
	 */
	for (size_t i = 0; i < n; i++)
		if (p[i].fixed && p[i].start + p[i].size > cursor)
			cursor = p[i].start + p[i].size;
	for (size_t i = 0; i < n; i++) {
		if (!p[i].fixed) {
			p[i].start = cursor;
			cursor += p[i].size;
		}
	}
	qsort(p, n, sizeof(*p), placed_by_start);

	cursor = base;
	for (size_t i = 0; i < n; i++) {
		if (p[i].start < cursor) {
			fail_msg(msg, msg_len, "%s (0x%llx..0x%llx) overlaps "
					       "%s, which ends at 0x%llx",
				 p[i].in->label, (unsigned long long)p[i].start,
				 (unsigned long long)(p[i].start + p[i].size),
				 i ? p[i - 1].in->label : "the image base",
				 (unsigned long long)cursor);
			rc = TBFPACK_EOVERLAP;
			goto out;
		}
		if (p[i].start - cursor != 0 &&
		    p[i].start - cursor < TBF_BASE_SIZE) {
			fail_msg(msg, msg_len, "gap of %llu bytes before %s is "
					       "too small for a padding TBF",
				 (unsigned long long)(p[i].start - cursor),
				 p[i].in->label);
			rc = TBFPACK_EOVERLAP;
			goto out;
		}
		cursor = p[i].start + p[i].size;
	}
	end = cursor + 8; /* the terminator */
	limit = max_size ? (uint64_t)base + max_size : 0x100000000ull;
	if (end > limit) {
		fail_msg(msg, msg_len, "image ends at 0x%llx, past the limit "
				       "0x%llx", (unsigned long long)end,
			 (unsigned long long)limit);
		rc = TBFPACK_ELAYOUT;
		goto out;
	}

	img = calloc(1, end - base);
	if (img == NULL) {
		fail_msg(msg, msg_len, "out of memory");
		rc = TBFPACK_ENOMEM;
		goto out;
	}
	cursor = base;
	for (size_t i = 0; i < n; i++) {
		if (p[i].start > cursor)
			tbfpack_padding(img + (cursor - base),
					(uint32_t)(p[i].start - cursor));
		memcpy(img + (p[i].start - base), p[i].in->data, p[i].size);
		cursor = p[i].start + p[i].size;
	}
	*out = img;
	*out_len = (size_t)(end - base);
out:
	free(p);
	return rc;
}

/* ---- .tab files ---- */

/* ustar header fields (POSIX.1-2001 "pax" interchange format, ustar part). */
#define TAR_BLOCK 512u
#define TAR_NAME 0u	/* 100 bytes */
#define TAR_MODE 100u	/* 8 */
#define TAR_UID 108u	/* 8 */
#define TAR_GID 116u	/* 8 */
#define TAR_SIZE 124u	/* 12, octal */
#define TAR_MTIME 136u	/* 12 */
#define TAR_CHKSUM 148u /* 8 */
#define TAR_TYPE 156u	/* 1 */
#define TAR_MAGIC 257u	/* "ustar\0" "00" (GNU: "ustar  \0") */
#define TAR_PREFIX 345u /* 155 */

/* An octal field of w bytes (NUL- or space-ended); false if not one. */
static bool tar_octal(const uint8_t *f, size_t w, uint64_t *v)
{
	size_t i = 0;
	bool digits = false;

	*v = 0;
	while (i < w && f[i] == ' ')
		i++;
	for (; i < w && f[i] >= '0' && f[i] <= '7'; i++) {
		if (*v >> 60)
			return false;
		*v = *v << 3 | (uint64_t)(f[i] - '0');
		digits = true;
	}
	/* base-256 sizes (high bit set) land here too: refused */
	return digits && (i == w || f[i] == '\0' || f[i] == ' ');
}

static unsigned tar_sum(const uint8_t *h)
{
	unsigned sum = 0;

	for (unsigned i = 0; i < TAR_BLOCK; i++)
		sum += i >= TAR_CHKSUM && i < TAR_CHKSUM + 8 ? ' ' : h[i];
	return sum;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

enum tbfpack_err tbfpack_tab_read(const uint8_t *tar, size_t len,
				  struct tbfpack_tab_member *out, size_t max,
				  size_t *n, char *msg, size_t msg_len)
{
	size_t off = 0, count = 0;
	bool meta = false;

	*n = 0;
	for (;;) {
		const uint8_t *h = tar + off;
		struct tbfpack_tab_member m;
		uint64_t size, sum;
		char *name = m.name;

		if (len - off < TAR_BLOCK)
			FAIL(TBFPACK_ETAB, "tar ends inside a header (byte %zu)",
			     off);
		if (all_zero(h, TAR_BLOCK))
			break; /* end of archive */
		if (!tar_octal(h + TAR_CHKSUM, 8, &sum) || sum != tar_sum(h))
			FAIL(TBFPACK_ETAB, "bad tar header checksum at byte %zu",
			     off);
		memcpy(name, h + TAR_NAME, TBFPACK_TAB_NAME_MAX);
		name[TBFPACK_TAB_NAME_MAX] = '\0';
		if (strncmp(name, "./", 2) == 0)
			memmove(name, name + 2, strlen(name + 2) + 1);
		if (memcmp(h + TAR_MAGIC, "ustar", 5) == 0 &&
		    h[TAR_PREFIX] != '\0')
			FAIL(TBFPACK_ETAB, "member '%s' has a path prefix", name);
		if (name[0] == '\0' || strchr(name, '/') || strchr(name, '\\') ||
		    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			FAIL(TBFPACK_ETAB, "member name '%s' is not a plain "
			     "file name", name);
		if (h[TAR_TYPE] != '0' && h[TAR_TYPE] != '\0')
			FAIL(TBFPACK_ETAB, "member '%s' is not a regular file "
			     "(type '%c')", name, h[TAR_TYPE]);
		if (!tar_octal(h + TAR_SIZE, 12, &size))
			FAIL(TBFPACK_ETAB, "member '%s': bad size field", name);
		off += TAR_BLOCK;
		if (size > len - off)
			FAIL(TBFPACK_ETAB, "member '%s' claims %llu bytes, %zu "
			     "are left", name, (unsigned long long)size,
			     len - off);
		m.data = tar + off;
		m.len = (size_t)size;
		/* data padded to whole blocks; the padding may be cut */
		off += (size_t)size;
		off += (TAR_BLOCK - off % TAR_BLOCK) % TAR_BLOCK;
		if (off > len)
			off = len;
		meta |= strcmp(name, "metadata.toml") == 0;
		if (count == max)
			FAIL(TBFPACK_ETAB, "more than %zu members", max);
		out[count++] = m;
	}
	if (!meta)
		FAIL(TBFPACK_ETAB, "no metadata.toml: not a .tab");
	*n = count;
	return TBFPACK_OK;
}

static bool arch_ok(const char *a, size_t n)
{
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((a[i] >= 'a' && a[i] <= 'z') ||
		      (a[i] >= '0' && a[i] <= '9') || a[i] == '_' ||
		      a[i] == '-'))
			return false;
	return true;
}

bool tbfpack_tab_member_arch(const char *name, char *arch, size_t arch_len)
{
	size_t n = strlen(name), a;
	const char *dot;

	if (n < 5 || strcmp(name + n - 4, ".tbf") != 0)
		return false;
	dot = strchr(name, '.');
	a = (size_t)(dot - name);
	if (!arch_ok(name, a) || a + 1 > arch_len)
		return false;
	if (dot != name + n - 4) {
		/* ".0x<flash>.0x<ram>.tbf" */
		unsigned long long f, r;
		int used = 0;

		if (sscanf(dot, ".0x%llx.0x%llx.tbf%n", &f, &r, &used) != 2 ||
		    (size_t)used != n - a)
			return false;
	}
	memcpy(arch, name, a);
	arch[a] = '\0';
	return true;
}

enum tbfpack_err tbfpack_tab_name(const char *arch, const uint8_t *tbf,
				  size_t len, char *name, size_t name_len,
				  char *msg, size_t msg_len)
{
	struct tbf_info t;
	enum tbfpack_err rc;
	int w;

	if (!arch_ok(arch, strlen(arch)))
		FAIL(TBFPACK_EARG, "arch '%s' is not [a-z0-9_-]+", arch);
	rc = tbfpack_inspect(tbf, len, &t, msg, msg_len);
	if (rc != TBFPACK_OK)
		return rc;
	if (tbf_parse(tbf, len, &t) != TBF_APP)
		FAIL(TBFPACK_ETBF, "not an app TBF");
	if (t.has_fixed && t.fixed_flash != TBF_NOT_FIXED &&
	    t.fixed_ram != TBF_NOT_FIXED)
		w = snprintf(name, name_len, "%s.0x%08x.0x%08x.tbf", arch,
			     t.fixed_flash, t.fixed_ram);
	else
		w = snprintf(name, name_len, "%s.tbf", arch);
	if (w < 0 || (size_t)w >= name_len)
		FAIL(TBFPACK_EARG, "member name too long");
	return TBFPACK_OK;
}

/* Append one member (header + data + padding) at *off of buf. */
static void tar_put(uint8_t *buf, size_t *off, const char *name,
		    const uint8_t *data, size_t len)
{
	uint8_t *h = buf + *off;

	memset(h, 0, TAR_BLOCK);
	memcpy(h + TAR_NAME, name, strlen(name));
	memcpy(h + TAR_MODE, "0000644", 8);
	memcpy(h + TAR_UID, "0000000", 8);
	memcpy(h + TAR_GID, "0000000", 8);
	snprintf((char *)h + TAR_SIZE, 12, "%011llo", (unsigned long long)len);
	memcpy(h + TAR_MTIME, "00000000000", 12);
	h[TAR_TYPE] = '0';
	memcpy(h + TAR_MAGIC, "ustar\0" "00", 8);
	snprintf((char *)h + TAR_CHKSUM, 8, "%06o", tar_sum(h));
	h[TAR_CHKSUM + 7] = ' ';
	*off += TAR_BLOCK;
	if (len)
		memcpy(buf + *off, data, len);
	*off += (len + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
}

enum tbfpack_err tbfpack_tab_write(const char *name, const char *date,
				   const struct tbfpack_tab_member *m,
				   size_t n, uint8_t **out, size_t *out_len,
				   char *msg, size_t msg_len)
{
	char meta[256];
	size_t nlen = strlen(name), total, off = 0;
	int w;
	uint8_t *buf;

	if (nlen == 0 || nlen > TBFPACK_NAME_MAX)
		FAIL(TBFPACK_EARG, "app name must be 1..%u bytes",
		     TBFPACK_NAME_MAX);
	for (size_t i = 0; i < nlen; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			FAIL(TBFPACK_EARG, "app name: byte 0x%02x is not "
			     "[A-Za-z0-9_.-]", (unsigned char)c);
	}
	w = snprintf(meta, sizeof(meta),
		     "tab-version = 1\nname = \"%s\"\nbuild-date = %.40s\n",
		     name, date);
	if (w < 0 || (size_t)w >= sizeof(meta))
		FAIL(TBFPACK_EARG, "metadata too long");
	total = TAR_BLOCK + ((size_t)w + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	for (size_t i = 0; i < n; i++) {
		if (strlen(m[i].name) >= TBFPACK_TAB_NAME_MAX)
			FAIL(TBFPACK_EARG, "member name '%s' too long",
			     m[i].name);
		total += TAR_BLOCK +
			 (m[i].len + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	}
	total += 2 * TAR_BLOCK; /* end of archive */
	buf = calloc(1, total);
	if (buf == NULL)
		FAIL(TBFPACK_ENOMEM, "out of memory");
	tar_put(buf, &off, "metadata.toml", (const uint8_t *)meta, (size_t)w);
	for (size_t i = 0; i < n; i++)
		tar_put(buf, &off, m[i].name, m[i].data, m[i].len);
	*out = buf;
	*out_len = total;
	return TBFPACK_OK;
}
