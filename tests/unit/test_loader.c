// SPDX-License-Identifier: MIT
/*
 * App discovery: the loader walks a flash image of TBFs, creates a process
 * for each valid app, honours fixed addresses and padding, and reports and
 * skips hostile objects without stopping the walk (doc/abi.md §9.5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sys/mman.h>

#include "kernel/loader.h"
#include "kernel/proc/proc.h"
#include "tools/tbf_build.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"

#define OBJ 0x400u	  /* each app object is 1 KiB */
#define FLASH_SIZE 0x2000u /* room for 8 objects */
#define RAM_SIZE 0x8000u

/*
 * Flash and RAM are mapped below 4 GiB, as on the boards, so that the
 * 32-bit Fixed Addresses TLV can name them.
 */
#define LOW_BASE ((uintptr_t)0x40000000)
static uint8_t *flash, *ram;

static int group_setup(void **state)
{
	void *m = mmap((void *)LOW_BASE, FLASH_SIZE + RAM_SIZE,
		       PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	(void)state;
	if (m != (void *)LOW_BASE)
		return -1;
	flash = m;
	ram = flash + FLASH_SIZE;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	fakes_reset();
	memset(flash, 0xff, FLASH_SIZE); /* erased flash */
	return 0;
}

static uintptr_t at(size_t off)
{
	return (uintptr_t)flash + off;
}

/* What the kernel prints as p's name (PROC_NAME_FMT). */
static const char *shown_name(const struct proc *p)
{
	static char buf[PROC_NAME_LEN + 2];

	snprintf(buf, sizeof(buf), PROC_NAME_FMT,
		 PROC_NAME_ARGS(p->name, p->name_len));
	return buf;
}

/* An app object at off: its header padded to 128-byte multiples, code. */
static void put_app(size_t off, const char *name, uint32_t min_ram,
		    uint32_t fixed_ram, uint32_t fixed_flash)
{
	struct tbf_build b = {
		.total_size = OBJ,
		.flags = TBF_FLAG_ENABLED,
		.minimum_ram_size = min_ram,
		.name = name,
		.has_fixed = fixed_ram || fixed_flash,
		.fixed_ram = fixed_ram ? fixed_ram : TBF_NOT_FIXED,
		.fixed_flash = fixed_flash ? fixed_flash : TBF_NOT_FIXED,
	};
	size_t hs = tbf_build_header(NULL, 0, &b);
	size_t top = (hs + 0x7f) & ~(size_t)0x7f; /* binary 128-aligned */

	assert_true(hs > 0 && top < OBJ);
	b.protected_trailer_size = (uint32_t)(top - hs);
	b.init_fn_offset = (uint32_t)(top - hs);
	memset(flash + off, 0, OBJ);
	assert_int_equal(tbf_build_header(flash + off, OBJ, &b), hs);
}

/* A padding object of size bytes at off. */
static void put_padding(size_t off, uint32_t size)
{
	uint8_t *h = flash + off;
	uint32_t ck;

	memset(h, 0, size);
	h[0] = 2; /* version */
	h[2] = 16; /* header_size */
	memcpy(h + 4, &size, 4);
	ck = tbf_checksum(h, 16);
	memcpy(h + 12, &ck, 4);
}

static unsigned load(void)
{
	return loader_load(at(0), at(FLASH_SIZE), (uintptr_t)ram,
			   (uintptr_t)ram + RAM_SIZE);
}

static unsigned live(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < PROC_MAX; i++)
		n += proc_table[i].state != PROC_FREE;
	return n;
}

static void loads_consecutive_apps_with_their_layout(void **s)
{
	(void)s;
	put_app(0, "one", 1024, 0, 0);
	put_app(OBJ, "two", 2048, 0, 0);
	assert_int_equal(load(), 2);
	assert_int_equal(proc_table[0].flash_start, at(0));
	assert_int_equal(proc_table[0].app_flash, at(0x80));
	assert_int_equal(proc_table[0].entry, at(0x80));
	assert_int_equal(proc_table[0].flash_end, at(OBJ));
	assert_int_equal(proc_table[0].mem_start, (uintptr_t)ram);
	assert_true(proc_table[0].mem_end - proc_table[0].mem_start >=
		    1024 + proc_kernel_overhead());
	assert_int_equal(proc_table[1].mem_start, proc_table[0].mem_end);
	assert_string_equal(shown_name(&proc_table[1]), "two");
	assert_int_equal(proc_table[0].state, PROC_UNSTARTED);
	assert_non_null(strstr(host_console_text(), "[load] 'one' slot 0"));
}

static void corrupted_tbf_in_the_middle_is_skipped_and_reported(void **s)
{
	(void)s;
	put_app(0, "first", 512, 0, 0);
	put_app(OBJ, "bad", 512, 0, 0);
	flash[OBJ + 20] ^= 0x01; /* inside the TLVs: checksum breaks */
	put_app(2 * OBJ, "last", 512, 0, 0);
	assert_int_equal(load(), 2);
	assert_string_equal(shown_name(&proc_table[0]), "first");
	assert_string_equal(shown_name(&proc_table[1]), "last");
	assert_non_null(strstr(host_console_text(), "skipped: tbf 6\n"));
}

static void hostile_sizes_never_stop_the_kernel(void **s)
{
	static const uint32_t sizes[] = { 0, 1, 15, 0xFFFFFFFFu,
					  FLASH_SIZE + 4 };

	(void)s;
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		setup(NULL);
		put_app(0, "ok", 512, 0, 0);
		put_app(OBJ, "evil", 512, 0, 0);
		memcpy(flash + OBJ + 4, &sizes[i], 4); /* total_size */
		assert_int_equal(load(), 1); /* the walk ends there */
		assert_int_equal(live(), 1);
	}
}

static void header_size_past_total_size_is_skipped(void **s)
{
	uint16_t hs = 0xffff;

	(void)s;
	put_app(0, "evil", 512, 0, 0);
	memcpy(flash + 2, &hs, 2);
	put_app(OBJ, "good", 512, 0, 0);
	assert_int_equal(load(), 1);
	assert_string_equal(shown_name(&proc_table[0]), "good");
}

static void padding_and_disabled_apps_are_not_loaded(void **s)
{
	(void)s;
	put_padding(0, OBJ);
	put_app(OBJ, "off", 512, 0, 0);
	flash[OBJ + 8] &= (uint8_t)~TBF_FLAG_ENABLED;
	/* re-checksum after changing the flags */
	{
		uint32_t ck = tbf_checksum(flash + OBJ, flash[OBJ + 2]);

		memcpy(flash + OBJ + 12, &ck, 4);
	}
	put_app(2 * OBJ, "on", 512, 0, 0);
	assert_int_equal(load(), 1);
	assert_string_equal(shown_name(&proc_table[0]), "on");
	assert_int_equal(proc_table[0].flash_start, at(2 * OBJ));
}

static void fixed_ram_address_moves_the_cursor_forward(void **s)
{
	uint32_t fixed = (uint32_t)((uintptr_t)ram + 0x4000);

	(void)s;
	put_app(0, "a", 512, 0, 0);
	put_app(OBJ, "b", 512, fixed, 0);
	put_app(2 * OBJ, "c", 512, 0, 0);
	assert_int_equal(load(), 3);
	assert_int_equal(proc_table[0].mem_start, (uintptr_t)ram);
	assert_int_equal(proc_table[1].mem_start, fixed);
	/* the next app follows the fixed one, never goes back */
	assert_int_equal(proc_table[2].mem_start, proc_table[1].mem_end);
}

static void fixed_ram_below_the_cursor_is_refused(void **s)
{
	(void)s;
	put_app(0, "a", 4096, 0, 0);
	put_app(OBJ, "b", 512, (uint32_t)(uintptr_t)ram, 0); /* taken */
	put_app(2 * OBJ, "c", 512, (uint32_t)((uintptr_t)ram + 0x6002), 0);
	assert_int_equal(load(), 1); /* b overlaps a; c is misaligned */
	assert_non_null(strstr(host_console_text(), "'b': not loaded"));
	assert_non_null(strstr(host_console_text(), "'c': not loaded"));
}

static void fixed_flash_match_is_loaded(void **s)
{
	(void)s;
	put_app(0, "here", 512, 0, (uint32_t)at(0x80));
	assert_int_equal(load(), 1);
}

static void fixed_flash_mismatch_is_skipped(void **s)
{
	(void)s;
	put_app(0, "moved", 512, 0, 0x1234);
	put_app(OBJ, "fine", 512, 0, 0);
	assert_int_equal(load(), 1);
	assert_string_equal(shown_name(&proc_table[0]), "fine");
	assert_non_null(strstr(host_console_text(), "built for flash"));
}

static void app_that_does_not_fit_in_ram_is_refused(void **s)
{
	(void)s;
	put_app(0, "huge", RAM_SIZE, 0, 0);
	put_app(OBJ, "small", 512, 0, 0);
	assert_int_equal(load(), 1);
	assert_string_equal(shown_name(&proc_table[0]), "small");
	assert_non_null(strstr(host_console_text(), "'huge': not loaded"));
}

static void hostile_minimum_ram_size_near_4g_is_refused(void **s)
{
	(void)s;
	/* the app's share plus the kernel's would wrap a 32-bit size */
	put_app(0, "wrap", 0xFFFFFFF0u, 0, 0);
	put_app(OBJ, "small", 512, 0, 0);
	assert_int_equal(load(), 1);
	assert_string_equal(shown_name(&proc_table[0]), "small");
	assert_non_null(strstr(host_console_text(), "'wrap': not loaded"));
}

static void page_granule_gives_the_kernel_its_own_page(void **s)
{
	struct proc *p = &proc_table[0];
	uintptr_t share;

	(void)s;
	host_mpu.granule = 4096;
	put_app(0, "paged", 5000, 0, 0);
	put_app(OBJ, "next", 100, 0, 0);
	assert_int_equal(load(), 2);
	share = p->mem_start + 8192; /* 5000 + grant extra, rounded up */
	assert_true(CONFIG_GRANT_EXTRA <= 8192 - 5000);
	assert_int_equal(p->mem_start % 4096, 0);
	assert_int_equal(p->mem_end, share + 4096); /* the kernel's page */
	assert_true(p->kernel_break_init >= share);
	/* the app can take its whole share: its last page stays its own */
	assert_int_equal(proc_brk(p, p->mem_start + 5000), KERR_OK);
	assert_int_equal(p->regions[PROC_REGION_RAM].base +
				 p->regions[PROC_REGION_RAM].size,
			 share);
	assert_true(share <= p->kernel_break);
	/* and the next block starts on a page of its own */
	assert_int_equal(proc_table[1].mem_start, p->mem_end);
	assert_int_equal(proc_table[1].mem_end - proc_table[1].mem_start,
			 4096 + 4096);
}

static void pmp_granule_layout_is_the_plain_sum(void **s)
{
	struct proc *p = &proc_table[0];

	(void)s;
	put_app(0, "fine", 1000, 0, 0); /* granule 4, the default */
	assert_int_equal(load(), 1);
	assert_int_equal(p->mem_end - p->mem_start,
			 1000 + CONFIG_GRANT_EXTRA + proc_kernel_overhead());
}

/*
 * A layout the protection hardware cannot express (too few PMP entries,
 * say) is not loaded, and the console says why, naming the app; the walk
 * goes on.
 */
static void layout_the_mpu_cannot_express_is_refused_with_its_reason(void **s)
{
	(void)s;
	put_app(0, "nofit", 1024, 0, 0);
	host_mpu.refuse = true;
	assert_int_equal(load(), 0);
	assert_int_equal(live(), 0);
	assert_non_null(strstr(host_console_text(),
			       "[load] 'nofit': not loaded: layout beyond "
			       "the protection hardware"));
}

static void more_apps_than_slots_load_up_to_the_limit(void **s)
{
	(void)s;
	for (unsigned i = 0; i < PROC_MAX + 2 && (i + 1) * OBJ <= FLASH_SIZE;
	     i++)
		put_app(i * OBJ, "many", 256, 0, 0);
	assert_int_equal(load(), PROC_MAX);
	assert_int_equal(live(), PROC_MAX);
}

static void long_names_are_marked_not_silently_cut(void **s)
{
	char name[PROC_NAME_LEN + 2], want[PROC_NAME_LEN + 1];

	(void)s;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	/* one byte more than the field: cut, the last byte shown is "~" */
	memcpy(want, name, PROC_NAME_LEN - 1);
	strcpy(want + PROC_NAME_LEN - 1, "~");
	put_app(0, name, 512, 0, 0);
	assert_int_equal(load(), 1);
	assert_string_equal(shown_name(&proc_table[0]), want);
	/* the whole field fits as it is, as does a libtock-c name */
	setup(NULL);
	name[PROC_NAME_LEN] = 0;
	put_app(0, name, 512, 0, 0);
	put_app(OBJ, "org.tockos.tutorials.ipc.logic", 256, 0, 0);
	assert_int_equal(load(), 2);
	assert_string_equal(shown_name(&proc_table[0]), name);
	assert_string_equal(shown_name(&proc_table[1]),
			    "org.tockos.tutorials.ipc.logic");
}

/*
 * The name is not copied: it is shown from the TBF header in flash, and
 * only as far as it is printable, so that an image cannot put control
 * bytes on the console.
 */
static void names_are_shown_from_flash_up_to_the_first_unprintable(void **s)
{
	(void)s;
	put_app(0, "ab\x1b[2Jcd", 256, 0, 0);
	put_app(OBJ, "", 256, 0, 0);
	assert_int_equal(load(), 2);
	assert_string_equal(shown_name(&proc_table[0]), "ab~");
	assert_true(proc_table[0].name > (const char *)flash &&
		    proc_table[0].name < (const char *)flash + OBJ);
	assert_string_equal(shown_name(&proc_table[1]), "(unnamed)");
}

static void empty_flash_loads_nothing(void **s)
{
	(void)s;
	assert_int_equal(load(), 0);
	memset(flash, 0, FLASH_SIZE);
	assert_int_equal(load(), 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(loads_consecutive_apps_with_their_layout),
		T(corrupted_tbf_in_the_middle_is_skipped_and_reported),
		T(hostile_sizes_never_stop_the_kernel),
		T(header_size_past_total_size_is_skipped),
		T(padding_and_disabled_apps_are_not_loaded),
		T(fixed_ram_address_moves_the_cursor_forward),
		T(fixed_ram_below_the_cursor_is_refused),
		T(fixed_flash_match_is_loaded),
		T(fixed_flash_mismatch_is_skipped),
		T(app_that_does_not_fit_in_ram_is_refused),
		T(hostile_minimum_ram_size_near_4g_is_refused),
		T(page_granule_gives_the_kernel_its_own_page),
		T(pmp_granule_layout_is_the_plain_sum),
		T(layout_the_mpu_cannot_express_is_refused_with_its_reason),
		T(more_apps_than_slots_load_up_to_the_limit),
		T(long_names_are_marked_not_silently_cut),
		T(names_are_shown_from_flash_up_to_the_first_unprintable),
		T(empty_flash_loads_nothing),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
