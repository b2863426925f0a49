// SPDX-License-Identifier: MIT
/*
 * App discovery (doc/abi.md §9.5): walk the app flash region object by object,
 * create a process for every valid, enabled app, and say on the console what
 * happened to each object.  tbf_parse() guarantees that a skipped object's
 * total_size is at least a base header and fits in what is left, so the walk
 * always advances and never leaves the region.
 */
#include "kernel/loader.h"

#include <stdarg.h>
#include <stdint.h>

#include "kernel/board.h"
#include "kernel/hw.h"
#include "kernel/kprintf.h"
#include "kernel/proc/proc.h"
#include "kernel/sched.h"
#include "kernel/tbf.h"
#include "tern_config.h"

/*
 * Shown, "~" included: the whole field, so that a name is cut only when it
 * cannot be shown (unprintable) or stored (over 127 bytes), never for
 * tidiness: IPC discovery (drivers/ipc.c) matches the whole name and
 * refuses a cut one, and libtock-c's names run to 28 bytes and more.
 */
#define NAME_MAX_LEN PROC_NAME_LEN

/*
 * img's name: the TBF name where it lies in flash (the kernel keeps no
 * copy), shown up to NAME_MAX_LEN bytes and only as far as it is
 * printable ASCII, so that an app image can never put control bytes on
 * the console; a name cut short is shown with "~" (PROC_NAME_CUT).
 */
static void name_of(const uint8_t *obj, const struct tbf_info *ti,
		    struct proc_image *img)
{
	const char *name = (const char *)obj + ti->name_off;
	unsigned n = 0;

	if (ti->name_len == 0) {
		img->name = "(unnamed)";
		img->name_len = 9;
		return;
	}
	while (n < ti->name_len && n < NAME_MAX_LEN && name[n] >= 0x20 &&
	       name[n] < 0x7f)
		n++;
	img->name = name;
	img->name_len = (uint8_t)n;
	if (n < ti->name_len) /* cut: room for the "~" */
		img->name_len = (uint8_t)((n < NAME_MAX_LEN ? n : n - 1) |
					  PROC_NAME_CUT);
}

/*
 * One console line: "[load] ", then "'<name>'" when the line is about one
 * app (img not NULL), then the rest.  One function for both kinds of line:
 * a second varargs function costs kernel flash.
 */
static __attribute__((format(printf, 2, 3))) void
say(const struct proc_image *img, const char *fmt, ...)
{
	va_list ap;

	kputs("[load] ");
	if (img != NULL)
		kprintf("'" PROC_NAME_FMT "'",
			PROC_NAME_ARGS(img->name, img->name_len));
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

/* Addresses print as %p: 0x and every hex digit. */
#define ADDR(v) ((void *)(uintptr_t)(v))

static uintptr_t align_up(uintptr_t v, size_t a)
{
	return (v + (a - 1)) & ~(uintptr_t)(a - 1);
}

static uint64_t align_up64(uint64_t v, size_t a)
{
	return (v + (a - 1)) & ~(uint64_t)(a - 1);
}

_Static_assert(TBF_END_TOTAL_SIZE == 3 && TBF_SKIP_CHECKSUM == 6 &&
		       TBF_SKIP_WFR == 16,
	       "README (How a process sees the kernel) lists the numbers");

unsigned loader_load(uintptr_t flash, uintptr_t flash_end, uintptr_t ram,
		     uintptr_t ram_end)
{
	size_t g = mpu_granule();
	uintptr_t a = flash, cursor = ram;
	unsigned created = 0;

	while (a < flash_end) {
		const uint8_t *obj = (const uint8_t *)a;
		struct tbf_info ti;
		enum tbf_verdict v = tbf_parse(obj, flash_end - a, &ti);
		struct proc_image img;
		struct proc *p;
		uintptr_t start;
		uint64_t want;
		size_t size;
		enum kerr e;

		if (v != TBF_APP) {
			/*
			 * the end of the list and padding go without a word;
			 * the reason as its number in enum tbf_reason
			 * (README's Boards names each: a table of names
			 * costs kernel flash)
			 */
			if (ti.reason != TBF_END_VERSION &&
			    ti.reason != TBF_END_SHORT &&
			    ti.reason != TBF_SKIP_PADDING)
				say(NULL, "%p: %s: tbf %u\n", (void *)a,
				    v == TBF_END ? "stop" : "skipped",
				    (unsigned)ti.reason);
			if (v == TBF_END)
				break;
			a += ti.total_size;
			continue;
		}

		img.flash_start = a;
		img.flash_size = ti.total_size;
		img.protected_size = ti.protected_size;
		img.entry = tbf_entry(&ti, a);
		name_of(obj, &ti, &img);
		a += ti.total_size;

		if (!tbf_flash_fixed_ok(&ti, img.flash_start)) {
			say(&img,
			    ": skipped: built for flash %p, found at %p\n",
			    ADDR(ti.fixed_flash),
			    ADDR(tbf_app_start(&ti, img.flash_start)));
			continue;
		}
		/*
		 * The app's share (its minimum RAM size and the configured
		 * grant extra) and the kernel-owned top, each rounded to the
		 * protection granule: the app may then move its break to the
		 * end of its share without its last protection unit reaching
		 * kernel memory (proc.h: align_up(app_break) <= kernel_break).
		 * With a 4-byte granule this is the plain sum; with 4 KiB pages
		 * the kernel-owned top starts on a page of its own.  Counted
		 * in 64 bits: a hostile minimum size must not wrap on rv32.
		 */
		want = align_up64((uint64_t)ti.minimum_ram_size +
					  CONFIG_GRANT_EXTRA,
				  g) +
		       align_up64(proc_kernel_overhead(), g);
		start = align_up(cursor, g);
		if (ti.fixed_ram != TBF_NOT_FIXED) {
			if (ti.fixed_ram < start || ti.fixed_ram % g) {
				say(&img,
				    ": not loaded: RAM %p taken or "
				    "misaligned, next free %p\n",
				    ADDR(ti.fixed_ram), ADDR(start));
				continue;
			}
			start = ti.fixed_ram;
		}
		if (start < ram || start > ram_end ||
		    want > (uint64_t)(ram_end - start)) {
			say(&img,
			    ": not loaded: needs %lu bytes at %p, RAM ends "
			    "at %p\n",
			    (unsigned long)want, ADDR(start), ADDR(ram_end));
			continue;
		}
		size = (size_t)want;
		e = proc_create(&img, start, size, &p);
		if (e != KERR_OK) {
			say(&img, ": not loaded: %s\n",
			    e == KERR_NOMEM  ? "no free slot, or too little RAM"
			    : e == KERR_SIZE ? "layout beyond the protection "
					       "hardware"
					     : "invalid layout");
			continue;
		}
		cursor = start + size;
		created++;
		sched_notify(p);
		say(&img, " slot %u: flash %p+0x%lx, ram %p+0x%lx\n", p->slot,
		    ADDR(img.flash_start), (unsigned long)img.flash_size,
		    ADDR(start), (unsigned long)size);
	}
	say(NULL, "%u process%s\n", created, created == 1 ? "" : "es");
	return created;
}

unsigned loader_load_all(void)
{
	return loader_load(board.app_flash_start, board.app_flash_end,
			   board.app_ram_start, board.app_ram_end);
}
