// SPDX-License-Identifier: MIT
/*
 * TBF v2 header parser (doc/abi.md §9).
 *
 * The parser trusts nothing in flash: every length is checked against the
 * bytes it may read before it is used, sums that could overflow 32 bits are
 * done in 64, and the only loop (the TLV walk) advances at least 4 bytes per
 * step inside a header of at most 65535 bytes.  Multi-byte fields are read a
 * byte at a time because objects need not be aligned and a misaligned load
 * faults on some RISC-V cores.
 */
#include "kernel/tbf.h"

#include <string.h>

#include "kernel/strtab.h"

/*@
  // ---- what ./tern prove shows here (doc/proofs.md) ----

  // The package name, if any, lies inside the header, past the base
  // header and its TLV's type and length.
  predicate name_in_header(struct tbf_info *t) =
      t->name_len == 0 ||
      (TBF_BASE_SIZE + 4 <= t->name_off &&
       t->name_off + t->name_len <= t->header_size);

  // Writeable flash region k lies in [protected_size, binary_end).
  predicate wfr_in(struct tbf_info *t, integer k) =
      t->protected_size <= t->wfr[k].offset &&
      t->wfr[k].offset + t->wfr[k].size <= t->binary_end;

  // The derived offsets of an app (check_layout()): the protected region,
  // the entry point and every kept writeable flash region inside the
  // binary, the binary inside the object.
  predicate layout_ok(struct tbf_info *t) =
      TBF_BASE_SIZE <= t->header_size &&
      t->protected_size == t->header_size + t->protected_trailer_size &&
      t->protected_size <= t->binary_end &&
      t->binary_end <= t->total_size &&
      t->header_size + t->init_fn_offset < t->binary_end &&
      t->wfr_count <= TBF_WFR_MAX &&
      (\forall integer k; 0 <= k < t->wfr_count ==> wfr_in(t, k));

  // What the loader relies on from a TBF_APP verdict (tbf.h, struct
  // tbf_info): that layout, the object inside the avail bytes, the
  // package name inside the header.
  predicate app_ok(struct tbf_info *t, integer avail) =
      layout_ok(t) && t->total_size <= avail && name_in_header(t);
*/

/* Base header offsets (doc/abi.md §9.2). */
#define OFF_VERSION 0
#define OFF_HEADER_SIZE 2
#define OFF_TOTAL_SIZE 4
#define OFF_FLAGS 8
#define OFF_CHECKSUM 12

/* Exact data lengths (doc/abi.md §9.3). */
#define LEN_MAIN 12
#define LEN_PROGRAM 20
#define LEN_FIXED 8
#define LEN_KERNEL_VERSION 4
#define LEN_SHORT_ID 4
#define LEN_WFR_ENTRY 8

/* Out of line (doc/design.md#footprint). */
/*@ requires \valid_read(p + (0 .. 1));
    assigns \nothing; */
static __attribute__((noinline)) uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing; */
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * n rounded up to a multiple of 4.  The compiler makes the division and
 * product a mask; written so because the provers do not relate & to
 * arithmetic (doc/proofs.md).
 */
/*@ requires n <= 65535;
    assigns \nothing;
    ensures n <= \result <= n + 3; */
static size_t align4(size_t n)
{
	return (n + 3) / 4 * 4;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
/*@ requires \valid_read(s + (0 .. n - 1));
    assigns \nothing; */
static bool utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	/*@ loop invariant 0 <= i <= n;
	    loop assigns i;
	    loop variant n - i; */
	while (i < n) {
		uint32_t cp = s[i++], min;
		unsigned more; /* continuation bytes */

		if (cp < 0x80)
			continue;
		if (cp < 0xC0 || cp >= 0xF8)
			return false; /* a continuation byte, or 0xF8..0xFF */
		more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : 1;
		min = more == 3 ? 0x10000 : more == 2 ? 0x800 : 0x80;
		cp &= 0x3Fu >> more; /* the lead byte's payload bits */
		if (n - i < more)
			return false;
		/*@ loop invariant more <= 3 && i + more <= n;
		    loop invariant \at(i, LoopEntry) <= i;
		    loop assigns i, more, cp;
		    loop variant more; */
		while (more--) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i++] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
	}
	return true;
}

/*@ requires header_size <= 65535;
    requires \valid_read(hdr + (0 .. header_size - 1));
    assigns \nothing; */
uint32_t tbf_checksum(const uint8_t *hdr, size_t header_size)
{
	uint32_t sum = 0;

	/*@ loop invariant off <= header_size;
	    loop assigns off, sum;
	    loop variant header_size - off; */
	for (size_t off = 0; off + 4 <= header_size; off += 4)
		if (off != OFF_CHECKSUM)
			sum ^= get32(hdr + off);
	return sum;
}

/* n little-endian words from d into w[0..n). */
/*@ requires n <= 5;
    requires \valid(w + (0 .. n - 1));
    requires \valid_read(d + (0 .. 4 * n - 1));
    assigns w[0 .. n - 1]; */
static void get_words(uint32_t *w, const uint8_t *d, unsigned n)
{
	/*@ loop invariant k <= n;
	    loop assigns k, w[0 .. n - 1];
	    loop variant n - k; */
	for (unsigned k = 0; k < n; k++)
		w[k] = get32(d + 4 * k);
}

/*
 * Record one TLV's data d[0..len) at header offset off into t.  Returns the
 * skip reason if the TLV is malformed, TBF_OK otherwise.
 */
/*@ requires \valid(t) && \valid_read(d + (0 .. len - 1));
    requires TBF_BASE_SIZE + 4 <= off && off + len <= t->header_size;
    requires name_in_header(t);
    assigns t->program_words[0 .. 4], t->has_main, t->has_program,
            t->wfr_count, t->wfr[0 .. TBF_WFR_MAX - 1],
            t->name_off, t->name_len, t->fixed_words[0 .. 1], t->has_fixed,
            t->has_kernel_version, t->kernel_major, t->kernel_minor,
            t->short_id;
    ensures name_in_header(t); */
static enum tbf_reason take_tlv(struct tbf_info *t, uint16_t type,
				const uint8_t *d, uint16_t len, uint16_t off)
{
	switch (type) {
	case TBF_TLV_MAIN:
		if (len != LEN_MAIN)
			return TBF_SKIP_TLV;
		if (!t->has_main && !t->has_program)
			get_words(t->program_words, d, LEN_MAIN / 4);
		t->has_main = true;
		break;
	case TBF_TLV_PROGRAM:
		if (len != LEN_PROGRAM)
			return TBF_SKIP_TLV;
		if (!t->has_program)
			get_words(t->program_words, d, LEN_PROGRAM / 4);
		t->has_program = true;
		break;
	case TBF_TLV_WFR:
		if (len % LEN_WFR_ENTRY != 0)
			return TBF_SKIP_TLV;
		/*@ loop invariant k <= len && k % LEN_WFR_ENTRY == 0;
		    loop assigns k, t->wfr_count, t->wfr[0 .. TBF_WFR_MAX - 1];
		    loop variant len - k; */
		for (uint16_t k = 0; k < len; k += LEN_WFR_ENTRY) {
			if (t->wfr_count < TBF_WFR_MAX)
				get_words(t->wfr[t->wfr_count].words, d + k,
					  LEN_WFR_ENTRY / 4);
			t->wfr_count++;
		}
		break;
	case TBF_TLV_PACKAGE_NAME:
		if (!utf8_valid(d, len))
			return TBF_SKIP_NAME;
		if (t->name_len == 0) {
			t->name_off = off;
			t->name_len = len;
		}
		break;
	case TBF_TLV_FIXED_ADDRESSES:
		if (len != LEN_FIXED)
			return TBF_SKIP_TLV;
		if (!t->has_fixed)
			get_words(t->fixed_words, d, LEN_FIXED / 4);
		t->has_fixed = true;
		break;
	case TBF_TLV_KERNEL_VERSION:
		if (len != LEN_KERNEL_VERSION)
			return TBF_SKIP_TLV;
		if (!t->has_kernel_version) {
			t->has_kernel_version = true;
			t->kernel_major = get16(d);
			t->kernel_minor = get16(d + 2);
		}
		break;
	case TBF_TLV_SHORT_ID:
		if (len != LEN_SHORT_ID)
			return TBF_SKIP_TLV;
		if (t->short_id == 0)
			t->short_id = get32(d);
		break;
	default:
		/* PIC1, Permissions, Storage Permissions, unknown: step over */
		break;
	}
	return TBF_OK;
}

/* Walk the TLVs in [16, header_size) of hdr (all readable). */
/*@ requires \valid(t) && \valid_read(hdr + (0 .. t->header_size - 1));
    requires TBF_BASE_SIZE <= t->header_size;
    requires name_in_header(t);
    assigns t->program_words[0 .. 4], t->has_main, t->has_program,
            t->wfr_count, t->wfr[0 .. TBF_WFR_MAX - 1],
            t->name_off, t->name_len, t->fixed_words[0 .. 1], t->has_fixed,
            t->has_kernel_version, t->kernel_major, t->kernel_minor,
            t->short_id;
    ensures name_in_header(t); */
static enum tbf_reason walk_tlvs(const uint8_t *hdr, struct tbf_info *t)
{
	size_t end = t->header_size;
	size_t pos = TBF_BASE_SIZE;

	/*@ loop invariant TBF_BASE_SIZE <= pos <= end + 3;
	    loop invariant name_in_header(t);
	    loop assigns pos, t->program_words[0 .. 4], t->has_main, t->has_program,
			 t->wfr_count, t->wfr[0 .. TBF_WFR_MAX - 1],
			 t->name_off, t->name_len, t->fixed_words[0 .. 1], t->has_fixed,
			 t->has_kernel_version, t->kernel_major, t->kernel_minor,
			 t->short_id;
	    loop variant end + 3 - pos; */
	while (pos < end) {
		uint16_t type, len;
		enum tbf_reason why;

		if (end - pos < 4)
			return TBF_SKIP_TLV; /* too short for a TLV */
		type = get16(hdr + pos);
		len = get16(hdr + pos + 2);
		if (end - pos - 4 < len)
			return TBF_SKIP_TLV; /* data runs past header_size */
		why = take_tlv(t, type, hdr + pos + 4, len,
			       (uint16_t)(pos + 4));
		if (why != TBF_OK)
			return why;
		/* the zero padding is not in len (doc/abi.md §9.3) */
		pos += 4 + align4(len);
	}
	return TBF_OK;
}

/*@ requires \valid(t);
    assigns t->reason;
    ensures t->reason == why && \result == v; */
static enum tbf_verdict verdict(struct tbf_info *t, enum tbf_verdict v,
				enum tbf_reason why)
{
	t->reason = why;
	return v;
}

/*
 * doc/abi.md §9.4: the verdict on an app whose TLVs passed, from its
 * derived quantities, each of which must lie inside the object.
 */
/*@ requires \valid(t);
    requires TBF_BASE_SIZE <= t->header_size <= t->total_size;
    assigns t->binary_end, t->protected_size, t->wfr_count, t->reason;
    ensures \result == TBF_APP || \result == TBF_SKIP;
    ensures \result == TBF_APP <==> t->reason == TBF_OK;
    ensures \result == TBF_APP ==> layout_ok(t); */
static enum tbf_verdict check_layout(struct tbf_info *t)
{
	unsigned k;

	if (!t->has_program)
		t->binary_end = t->total_size;
	if (t->binary_end > t->total_size)
		return verdict(t, TBF_SKIP, TBF_SKIP_BINARY_END);
	if ((uint64_t)t->header_size + t->protected_trailer_size >
	    t->binary_end)
		return verdict(t, TBF_SKIP, TBF_SKIP_PROTECTED);
	t->protected_size = t->header_size + t->protected_trailer_size;
	/* header_size <= binary_end now: the difference cannot wrap */
	if (t->init_fn_offset >= t->binary_end - t->header_size)
		return verdict(t, TBF_SKIP, TBF_SKIP_ENTRY);
	/*@ loop invariant k <= t->wfr_count && k <= TBF_WFR_MAX;
	    loop invariant \forall integer j; 0 <= j < k ==> wfr_in(t, j);
	    loop assigns k;
	    loop variant TBF_WFR_MAX - k; */
	for (k = 0; k < t->wfr_count && k < TBF_WFR_MAX; k++) {
		const struct tbf_wfr *w = &t->wfr[k];

		if (w->offset < t->protected_size ||
		    (uint64_t)w->offset + w->size > t->binary_end)
			return verdict(t, TBF_SKIP, TBF_SKIP_WFR);
	}
	/*
	 * k is now the smaller of wfr_count and TBF_WFR_MAX: regions beyond
	 * wfr[] can't be granted anyway; don't claim them
	 */
	t->wfr_count = k;
	return verdict(t, TBF_APP, TBF_OK);
}

/*
 * The fresh *t tbf_parse() fills in.  Outside the proof: WP's memory model
 * cannot follow memset()'s void * to the fields, so this contract is
 * assumed (test_tbf.c checks it: no name TLV, name_len 0).
 */
/*@ requires \valid(t);
    assigns *t;
    ensures t->name_len == 0; */
static void clear(struct tbf_info *t)
{
	memset(t, 0, sizeof(*t));
	t->fixed_ram = TBF_NOT_FIXED;
	t->fixed_flash = TBF_NOT_FIXED;
}

/*
 * Every byte read is proved to lie in [obj, obj + avail): that range is
 * all the contract lets it read.
 */
/*@ requires \valid(t) && \valid_read(obj + (0 .. avail - 1));
    assigns *t;
    ensures \result == TBF_APP || \result == TBF_SKIP || \result == TBF_END;
    ensures \result == TBF_APP <==> t->reason == TBF_OK;
    ensures \result != TBF_END ==>
        TBF_BASE_SIZE <= t->total_size <= avail;
    ensures \result == TBF_APP ==> app_ok(t, avail); */
enum tbf_verdict tbf_parse(const uint8_t *obj, size_t avail,
			   struct tbf_info *t)
{
	enum tbf_reason why;

	clear(t);

	/* doc/abi.md §9.5 step 1: an object, and can we step past it? */
	if (avail < 8)
		return verdict(t, TBF_END, TBF_END_SHORT);
	if (get16(obj + OFF_VERSION) != TBF_VERSION)
		return verdict(t, TBF_END, TBF_END_VERSION);
	t->header_size = get16(obj + OFF_HEADER_SIZE);
	t->total_size = get32(obj + OFF_TOTAL_SIZE);
	/*
	 * doc/abi.md D7: total_size 0 would never advance.  Anything smaller
	 * than a base header cannot be an object, so stop there too.
	 */
	if (t->total_size < TBF_BASE_SIZE)
		return verdict(t, TBF_END, TBF_END_TOTAL_SIZE);
	/*
	 * Checked before header_size (Tock's loader checks it after) so that
	 * every SKIP advances within avail (doc/abi.md D7); Tock would skip
	 * such an object and then run out of flash, which ends the walk all
	 * the same.
	 */
	if (t->total_size > avail)
		return verdict(t, TBF_END, TBF_END_OVERFLOW);

	/* From here total_size >= 16 bytes are readable: SKIP is safe. */
	if (t->header_size < TBF_BASE_SIZE || t->header_size > t->total_size)
		return verdict(t, TBF_SKIP, TBF_SKIP_HEADER_SIZE);
	t->flags = get32(obj + OFF_FLAGS);
	t->checksum_ok =
		tbf_checksum(obj, t->header_size) == get32(obj + OFF_CHECKSUM);
	if (!t->checksum_ok)
		return verdict(t, TBF_SKIP, TBF_SKIP_CHECKSUM);
	if (t->header_size == TBF_BASE_SIZE)
		return verdict(t, TBF_SKIP, TBF_SKIP_PADDING);

	why = walk_tlvs(obj, t);
	if (why != TBF_OK)
		return verdict(t, TBF_SKIP, why);
	/* doc/abi.md D6: TLVs but no Main/Program is padding, not an app */
	if (!t->has_main && !t->has_program)
		return verdict(t, TBF_SKIP, TBF_SKIP_PADDING);
	if (!(t->flags & TBF_FLAG_ENABLED))
		return verdict(t, TBF_SKIP, TBF_SKIP_DISABLED);
	if (!t->has_kernel_version)
		return verdict(t, TBF_SKIP, TBF_SKIP_NO_KERNEL_VERSION);
	if (t->kernel_major != TBF_KERNEL_MAJOR ||
	    t->kernel_minor > TBF_KERNEL_MINOR)
		return verdict(t, TBF_SKIP, TBF_SKIP_KERNEL_VERSION);

	/* doc/abi.md §9.4: derived quantities, each inside the object */
	return check_layout(t);
}


const char *tbf_reason_str(enum tbf_reason r)
{
	/* in enum tbf_reason's order; a packed string table (strtab_get()) */
	static const char names[] = "ok\0"
				    "end of flash\0"
				    "end of app list\0"
				    "total size too small\0"
				    "runs past end of flash\0"
				    "bad header size\0"
				    "bad checksum\0"
				    "padding\0"
				    "malformed TLV\0"
				    "package name not UTF-8\0"
				    "disabled\0"
				    "no kernel version\0"
				    "incompatible kernel version\0"
				    "binary end past total size\0"
				    "protected region past binary end\0"
				    "entry point outside binary\0"
				    "writeable region outside binary\0";
	const char *name = "";

	if ((unsigned)r < TBF_REASONS)
		name = strtab_get(names, (unsigned)r);
	return *name ? name : "unknown";
}

uintptr_t tbf_entry(const struct tbf_info *t, uintptr_t flash_start)
{
	return flash_start + t->header_size + t->init_fn_offset;
}

uintptr_t tbf_app_start(const struct tbf_info *t, uintptr_t flash_start)
{
	return flash_start + t->protected_size;
}

bool tbf_flash_fixed_ok(const struct tbf_info *t, uintptr_t flash_start)
{
	return t->fixed_flash == TBF_NOT_FIXED ||
	       (uint64_t)flash_start + t->protected_size == t->fixed_flash;
}
