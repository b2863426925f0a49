// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "pt_share" (page-table boards, kernel-test kernel): the
 * kernel's mappings exist once, in the tables every space shares, and a
 * process's tables hold process pages only.  The kernel walks the tables
 * of this process's space (slot 0) and of the peer's (slot 1, the witness)
 * for us and names the PTE word that maps a page (tests/qemu/ktest/ktest.c,
 * command 7); the walk there is written from the privileged spec, not
 * taken from the kernel's builder.  What must hold:
 *   - the kernel's text, data, stack and first device page are mapped by
 *     the same word in both spaces, in a table that is neither this
 *     process's RAM or flash table nor the peer's RAM table; text, data
 *     and stack by a 2 MiB megapage (level 1);
 *   - this process's first RAM page and first flash page are 4 KiB leaves
 *     of its own two tables, and not mapped at all in the peer's space;
 *   - the last page of its RAM block (kernel-owned: grants, upcall queue)
 *     is mapped in both spaces, by a leaf in each space's own RAM table:
 *     process memory the kernel reaches whichever space is loaded, one
 *     leaf per process table (sv39.c says why);
 *   - an unknown page kind and a free slot are INVAL.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define KTEST_DRIVER 0x90057u
#define KTEST_PT_LEAF 7u

enum { TEXT, DATA, STACK, DEVICE, RAM, TOP, FLASH, KINDS };

static const char *const kind[KINDS] = {
	"kernel text", "kernel data", "kernel stack", "device",
	"own RAM",     "own block top", "own flash",
};

struct leaf {
	bool mapped;
	uint32_t page, word, level;
};

static struct leaf leaf(unsigned what, unsigned slot)
{
	struct sys_return r =
		sys_command(KTEST_DRIVER, KTEST_PT_LEAF, what, slot);
	struct leaf l = { false, 0, 0, 0 };

	if (r.variant == SYS_SUCCESS_2U32) {
		l = (struct leaf){ true, (uint32_t)r.v[0],
				   (uint32_t)r.v[1] & ~7u,
				   (uint32_t)r.v[1] & 7u };
		tern_printf("pt_share: %s in slot %u: page 0x%lx, PTE word "
			    "0x%lx, level %lu\n",
			    kind[what], slot, (unsigned long)l.page,
			    (unsigned long)l.word, (unsigned long)l.level);
	} else {
		ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_EFAIL,
			    "%s in slot %u: FAIL when unmapped (%lu, %lu)",
			    kind[what], slot, (unsigned long)r.variant,
			    (unsigned long)r.v[0]);
		tern_printf("pt_share: %s in slot %u: not mapped\n",
			    kind[what], slot);
	}
	return l;
}

static uint32_t table(const struct leaf *l)
{
	return l->word & ~0xFFFu;
}

int main(void)
{
	struct leaf own[KINDS], peer[KINDS];
	struct sys_return r;

	for (unsigned w = 0; w < KINDS; w++) {
		own[w] = leaf(w, 0);
		peer[w] = leaf(w, 1);
	}
	/* this process's own tables, and the peer's RAM table */
	ktest_check(own[RAM].mapped && own[RAM].level == 0,
		    "own RAM: a 4 KiB leaf in its own space");
	ktest_check(own[FLASH].mapped && own[FLASH].level == 0,
		    "own flash: a 4 KiB leaf in its own space");
	ktest_check(table(&own[FLASH]) != table(&own[RAM]),
		    "flash and RAM: two tables (two windows)");
	ktest_check(!peer[RAM].mapped && !peer[FLASH].mapped,
		    "own RAM and flash: not mapped in the peer's space");
	ktest_check(own[TOP].mapped && own[TOP].level == 0 &&
			    table(&own[TOP]) == table(&own[RAM]),
		    "block top: a leaf of its own RAM table");
	ktest_check(peer[TOP].mapped && peer[TOP].level == 0 &&
			    table(&peer[TOP]) != table(&own[RAM]) &&
			    peer[TOP].page == own[TOP].page,
		    "block top: a leaf of the peer's own RAM table there");
	/* the kernel's: one word, the same in both spaces, in no such table */
	for (unsigned w = TEXT; w <= DEVICE; w++) {
		uint32_t t = table(&own[w]);

		if (!ktest_check(own[w].mapped && peer[w].mapped,
				 "%s mapped in both spaces", kind[w]))
			continue;
		ktest_check(own[w].word == peer[w].word &&
				    own[w].level == peer[w].level &&
				    own[w].page == peer[w].page,
			    "%s: the same PTE word in both spaces", kind[w]);
		ktest_check(t != table(&own[RAM]) &&
				    t != table(&own[FLASH]) &&
				    t != table(&peer[TOP]),
			    "%s: in a table of no process", kind[w]);
		if (w != DEVICE)
			ktest_check(own[w].level == 1, "%s: a megapage",
				    kind[w]);
	}
	r = sys_command(KTEST_DRIVER, KTEST_PT_LEAF, KINDS, 0);
	ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_EINVAL,
		    "an unknown kind: INVAL");
	r = sys_command(KTEST_DRIVER, KTEST_PT_LEAF, TEXT, 2);
	ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_EINVAL,
		    "a free slot: INVAL");
	if (ktest_failures() == 0)
		tern_printf("pt_share: the kernel's mappings exist once\n");
	return ktest_done("pt_share");
}
