// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "syscalls": every system-call class against the rules of
 * doc/abi.md §2–§6, §10, from one process.
 *
 * Checks run in an order that keeps them independent: memory (memop, brk,
 * the allow high-water mark) first, while the break is still where crt0
 * left it; then subscribe and allow results; then yields, which need an
 * empty task queue; then the alarm, which fills it.  Sequences whose
 * result a print would disturb (the console's own allow and upcall slots)
 * collect their results before printing anything.  Allow-swap tests use
 * the console's slot 0, which the driver declares but never uses, so the
 * printing path (slot 1) cannot interfere.
 *
 * Built with -DPEER_RAM and -DPEER_FLASH of the process in the next slot.
 */
#include <string.h>

#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#if !defined(PEER_RAM) || !defined(PEER_FLASH)
#error "build with -DPEER_RAM / -DPEER_FLASH of another process"
#endif

#ifndef TBF_ALIGN
#define TBF_ALIGN 4u /* tbfpack --align, see user/meson.build */
#endif

#define NODRV 0xc0ffeeu	      /* no driver has this number */
#define KERNEL_RAM 0x80000000u /* the kernel's own image */
#define MMIO_UART 0x10000000u  /* QEMU virt UART */
#define PROTECTED 0x80u	      /* TBF header + trailer, see user/meson.build */

#define V(r) ((unsigned long)(r).variant)
#define A(r, i) ((unsigned long)(r).v[i])

static const uint32_t in_flash[4] = { 0x12345678, 1, 2, 3 };
static uint8_t ram_a[16], ram_b[16];
static uint32_t data_word = 0xc0dec0de; /* .data: crt0 copies it */
static uint32_t bss_words[8];		/* .bss: crt0 clears it */
static int ud_a, ud_b;

static bool fail(struct sys_return r, uint32_t err)
{
	return r.variant == SYS_FAILURE && r.v[0] == err;
}

/*
 * Failure of subscribe/allow: error, then the values passed.  2U32 with
 * 32-bit registers; with 64-bit ones the class's own full-width variant
 * (test_subscribe and test_allow check which is which).
 */
static bool fail2(struct sys_return r, uint32_t err, uintptr_t x, uintptr_t y)
{
	return (r.variant == SYS_SUBSCRIBE_FAILURE ||
		r.variant == SYS_ALLOW_FAILURE) &&
	       r.v[0] == err && r.v[1] == x && r.v[2] == y;
}

static bool ok2(struct sys_return r, uintptr_t x, uintptr_t y)
{
	return (r.variant == SYS_SUBSCRIBE_SUCCESS ||
		r.variant == SYS_ALLOW_SUCCESS) &&
	       r.v[0] == x && r.v[1] == y;
}

static bool ok_u32(struct sys_return r, uintptr_t x)
{
	return r.variant == SYS_SUCCESS_U32 && r.v[0] == x;
}

/* A memop address: Success with u32, or the 64-bit pointer variant. */
static bool ok_ptr(struct sys_return r, uintptr_t x)
{
	return r.variant == SYS_MEMOP_PTR && r.v[0] == x;
}

static uintptr_t memop_val(uint32_t op)
{
	return sys_memop(op, 0).v[0];
}

static void upcall_a(uint32_t x, uint32_t y, uint32_t z, void *ud)
{
	(void)x, (void)y, (void)z, (void)ud;
}

static void upcall_b(uint32_t x, uint32_t y, uint32_t z, void *ud)
{
	(void)x, (void)y, (void)z, (void)ud;
}

/* ---- memop ---- */

static void test_memop(void)
{
	const struct tern_boot *b = &tern_boot;
	uintptr_t mem_end = b->mem_start + b->mem_len;
	uintptr_t flash_start = b->app_start - PROTECTED;
	/* tbfpack pads the TBF to the board's granule (at least 4 bytes) */
	uintptr_t flash_end = ((uintptr_t)_flash_end + TBF_ALIGN - 1) &
			      ~(uintptr_t)(TBF_ALIGN - 1);
	uintptr_t brk = (uintptr_t)sys_sbrk(0), kbrk;
	struct sys_return r;

	ktest_check(b->app_start == (uintptr_t)_flash_origin,
		    "a0 at entry is app_start 0x%lx",
		    (unsigned long)b->app_start);
	ktest_check(b->mem_start == (uintptr_t)_ram_origin,
		    "a1 at entry is the fixed RAM start 0x%lx",
		    (unsigned long)b->mem_start);
	ktest_check(data_word == 0xc0dec0de &&
			    (uintptr_t)&data_word >= (uintptr_t)_stack_top,
		    "crt0 copied .data into RAM above the stack");
	ktest_check(bss_words[0] == 0 && bss_words[7] == 0,
		    "crt0 cleared .bss");
	ktest_check(b->app_break == b->mem_start,
		    "a3 at entry: break starts at mem_start (0x%lx)",
		    (unsigned long)b->app_break);

	r = sys_memop(MEMOP_MEM_START, 0);
	ktest_check(ok_ptr(r, b->mem_start), "memop 2 = mem_start (%lu, 0x%lx)",
		    V(r), A(r, 0));
	r = sys_memop(MEMOP_MEM_END, 0);
	ktest_check(ok_ptr(r, mem_end), "memop 3 = mem_start + a2 (%lu, 0x%lx)",
		    V(r), A(r, 0));
	r = sys_memop(MEMOP_FLASH_START, 0);
	ktest_check(ok_ptr(r, flash_start),
		    "memop 4 = TBF start = a0 - 0x80 (0x%lx)", A(r, 0));
	r = sys_memop(MEMOP_FLASH_END, 0);
	ktest_check(ok_ptr(r, flash_end), "memop 5 = TBF end 0x%lx (0x%lx)",
		    (unsigned long)flash_end, A(r, 0));
	r = sys_memop(MEMOP_GRANT_START, 0);
	kbrk = r.v[0];
	ktest_check(r.variant == SYS_MEMOP_ADDR && kbrk >= brk &&
			    kbrk <= mem_end,
		    "memop 6: break <= kernel break <= mem end (0x%lx)",
		    (unsigned long)kbrk);
	r = sys_memop(MEMOP_WFR_COUNT, 0);
	ktest_check(ok_u32(r, 0), "memop 7: no writeable flash regions");
	r = sys_memop(MEMOP_WFR_START, 0);
	ktest_check(fail(r, SYS_EFAIL), "memop 8 of a missing region: FAIL");
	r = sys_memop(MEMOP_WFR_END, 0);
	ktest_check(fail(r, SYS_EFAIL), "memop 9 of a missing region: FAIL");
	r = sys_memop(MEMOP_STACK_TOP, (uintptr_t)_stack_top);
	ktest_check(r.variant == SYS_SUCCESS, "memop 10 hint: Success");
	r = sys_memop(MEMOP_HEAP_START, brk);
	ktest_check(r.variant == SYS_SUCCESS, "memop 11 hint: Success");
	r = sys_memop(12, 0);
	ktest_check(fail(r, SYS_ENOSUPPORT), "memop 12: NOSUPPORT");
	ktest_check(brk == (uintptr_t)_app_break_init,
		    "sbrk(0) = crt0's break 0x%lx", (unsigned long)brk);
}

/* memop must leave a2 and a3 alone (doc/abi.md §2.3, libtock-c relies on it) */
static void test_memop_preserves_a2_a3(void)
{
	register uintptr_t a0 __asm__("a0") = MEMOP_MEM_START;
	register uintptr_t a1 __asm__("a1") = 0;
	register uintptr_t a2 __asm__("a2") = 0x2222;
	register uintptr_t a3 __asm__("a3") = 0x3333;
	register uintptr_t a4 __asm__("a4") = SYS_MEMOP;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3),
			       "+r"(a4)
			     :
			     : "memory");
	ktest_check(a2 == 0x2222 && a3 == 0x3333 && a4 == SYS_MEMOP,
		    "memop preserves a2, a3, a4");
}

static void test_brk(void)
{
	uintptr_t start = (uintptr_t)sys_sbrk(0);
	uintptr_t mem_end = tern_boot.mem_start + tern_boot.mem_len;
	uintptr_t kbrk = memop_val(MEMOP_GRANT_START);
	uint8_t *heap;
	bool zero = true;
	struct sys_return r;

	heap = sys_sbrk(64);
	ktest_check((uintptr_t)heap == start, "sbrk(64) returns the old break");
	ktest_check((uintptr_t)sys_sbrk(0) == start + 64,
		    "break moved up by 64");
	for (int i = 0; i < 64; i++)
		zero = zero && heap[i] == 0;
	ktest_check(zero, "memory granted by sbrk reads as zero");
	heap[63] = 0xa5; /* and is writable (else: a fault, no verdict) */
	ktest_check((uintptr_t)sys_sbrk(-64) == start + 64,
		    "sbrk(-64) returns the old break");
	ktest_check(sys_brk((void *)(kbrk + 4)) == SYS_ENOMEM,
		    "brk past the kernel break: NOMEM");
	ktest_check(sys_brk((void *)mem_end) == SYS_ENOMEM,
		    "brk to the RAM block end: NOMEM");
	ktest_check(sys_brk((void *)(tern_boot.mem_start - 4)) == SYS_ENOMEM,
		    "brk below mem_start: NOMEM");
	ktest_check((uintptr_t)sys_sbrk(0) == start,
		    "failed brks left the break alone");

	/* the allow high-water mark (doc/abi.md §6.2) */
	heap = sys_sbrk(64);
	r = sys_allow_rw(CONSOLE_DRIVER, 0, heap, 64);
	ktest_check(ok2(r, 0, 0), "RW allow of heap memory (%lu)", V(r));
	ktest_check(sys_brk(heap) == SYS_ENOMEM,
		    "brk below an allowed buffer: NOMEM");
	r = sys_allow_rw(CONSOLE_DRIVER, 0, NULL, 0);
	ktest_check(ok2(r, (uintptr_t)heap, 64),
		    "un-allow returns the buffer (0x%lx, %lu)", A(r, 0),
		    A(r, 1));
	ktest_check(r.variant == SYS_ALLOW_SUCCESS &&
			    sys_allow_rw(CONSOLE_DRIVER, 0, heap, 65).variant ==
				    SYS_ALLOW_FAILURE,
		    "allow answers with its own variants (%lu)", V(r));
	ktest_check(sys_brk(heap) == SYS_ENOMEM,
		    "brk still refused after un-allow (mark never drops)");
	ktest_check(sys_brk(heap + 64) == SYS_OK, "brk at the mark: Success");
}

/* ---- subscribe ---- */

static void test_subscribe(void)
{
	uintptr_t flash_start = memop_val(MEMOP_FLASH_START);
	sys_upcall_fn kern = (sys_upcall_fn)(uintptr_t)KERNEL_RAM;
	sys_upcall_fn hdr = (sys_upcall_fn)flash_start;
	struct sys_return r1, r2, r3, r;

	r = sys_subscribe(NODRV, 0, kern, &ud_a);
	ktest_check(fail2(r, SYS_EINVAL, (uintptr_t)kern, (uintptr_t)&ud_a),
		    "subscribe: bad fn on unknown driver -> INVAL first "
		    "(%lu, %lu)", V(r), A(r, 0));
	r = sys_subscribe(NODRV, 0, upcall_a, &ud_a);
	ktest_check(fail2(r, SYS_ENODEVICE, (uintptr_t)upcall_a,
			  (uintptr_t)&ud_a),
		    "subscribe: unknown driver -> NODEVICE (%lu, %lu)", V(r),
		    A(r, 0));
	r = sys_subscribe(CONSOLE_DRIVER, 1, hdr, NULL);
	ktest_check(fail2(r, SYS_EINVAL, (uintptr_t)hdr, 0),
		    "subscribe: fn in own TBF header -> INVAL (%lu, %lu)",
		    V(r), A(r, 0));
	r = sys_subscribe(CONSOLE_DRIVER, 3, upcall_a, NULL);
	ktest_check(fail2(r, SYS_ENOSUPPORT, (uintptr_t)upcall_a, 0),
		    "subscribe: slot 3 of 3 -> NOSUPPORT (%lu, %lu)", V(r),
		    A(r, 0));
	r = sys_subscribe(LED_DRIVER, 0, upcall_a, NULL);
	ktest_check(fail2(r, SYS_ENOMEM, (uintptr_t)upcall_a, 0),
		    "subscribe: driver without grant -> NOMEM (%lu, %lu)",
		    V(r), A(r, 0));

	/* slot 2 (read done): nothing in this test reads the console */
	r1 = sys_subscribe(CONSOLE_DRIVER, 2, upcall_a, &ud_a);
	r2 = sys_subscribe(CONSOLE_DRIVER, 2, upcall_b, &ud_b);
	r3 = sys_subscribe(CONSOLE_DRIVER, 2, NULL, NULL);
	ktest_check(ok2(r1, 0, 0), "subscribe: first returns (0, 0)");
	ktest_check(ok2(r2, (uintptr_t)upcall_a, (uintptr_t)&ud_a),
		    "subscribe: swap returns the previous fn and userdata");
	ktest_check(ok2(r3, (uintptr_t)upcall_b, (uintptr_t)&ud_b),
		    "subscribe: null upcall returns the previous pair");
	ktest_check(r3.variant == SYS_SUBSCRIBE_SUCCESS &&
			    r.variant == SYS_SUBSCRIBE_FAILURE,
		    "subscribe answers with its own variants (%lu, %lu)",
		    V(r3), V(r));
}

/* ---- allow ---- */

static void test_allow(void)
{
	uintptr_t flash_start = memop_val(MEMOP_FLASH_START);
	uintptr_t kbrk = memop_val(MEMOP_GRANT_START);
	uintptr_t mem_end = memop_val(MEMOP_MEM_END);
	uintptr_t brk = (uintptr_t)sys_sbrk(0);
	struct sys_return r1, r2, r3, r;
	static const struct {
		const char *what;
		uintptr_t addr;
		size_t len;
		bool ro_too; /* also refused read-only */
	} bad[] = {
		{ "wrapping range", 0xfffffff0u, 0x20, true },
		{ "kernel RAM", KERNEL_RAM, 4, true },
		{ "another process's RAM", PEER_RAM, 4, true },
		{ "MMIO", MMIO_UART, 4, true },
		{ "flash", (uintptr_t)in_flash, 4, false },
	};

	/* swap: previous pair comes back verbatim */
	r1 = sys_allow_ro(CONSOLE_DRIVER, 0, ram_a, 4);
	r2 = sys_allow_ro(CONSOLE_DRIVER, 0, ram_b, 8);
	r3 = sys_allow_ro(CONSOLE_DRIVER, 0, NULL, 0);
	ktest_check(ok2(r1, 0, 0), "RO allow: first returns (0, 0)");
	ktest_check(ok2(r2, (uintptr_t)ram_a, 4),
		    "RO allow: swap returns the previous buffer");
	ktest_check(ok2(r3, (uintptr_t)ram_b, 8),
		    "RO allow: un-allow returns the last buffer");
	r1 = sys_allow_rw(CONSOLE_DRIVER, 0, (void *)0xdeadbeefu, 0);
	r2 = sys_allow_rw(CONSOLE_DRIVER, 0, ram_a, 16);
	r3 = sys_allow_rw(CONSOLE_DRIVER, 0, NULL, 0);
	ktest_check(r1.variant == SYS_ALLOW_SUCCESS,
		    "RW allow: zero length at 0xdeadbeef accepted");
	ktest_check(ok2(r2, 0xdeadbeefu, 0),
		    "RW allow: 0xdeadbeef comes back verbatim");
	ktest_check(ok2(r3, (uintptr_t)ram_a, 16),
		    "RW allow: swap returns the previous buffer");

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = sys_allow_rw(CONSOLE_DRIVER, 0, (void *)bad[i].addr,
				 bad[i].len);
		ktest_check(fail2(r, SYS_EINVAL, bad[i].addr, bad[i].len),
			    "RW allow of %s -> INVAL (%lu, %lu)", bad[i].what,
			    V(r), A(r, 0));
		r = sys_allow_ro(CONSOLE_DRIVER, 0, (void *)bad[i].addr,
				 bad[i].len);
		if (bad[i].ro_too)
			ktest_check(fail2(r, SYS_EINVAL, bad[i].addr,
					  bad[i].len),
				    "RO allow of %s -> INVAL (%lu, %lu)",
				    bad[i].what, V(r), A(r, 0));
		else
			ktest_check(ok2(r, 0, 0),
				    "RO allow of %s after the header: Success "
				    "(%lu, %lu)", bad[i].what, V(r), A(r, 0));
		sys_allow_ro(CONSOLE_DRIVER, 0, NULL, 0);
	}
	r = sys_allow_ro(CONSOLE_DRIVER, 0, (void *)flash_start, 4);
	ktest_check(fail2(r, SYS_EINVAL, flash_start, 4),
		    "RO allow of own TBF header -> INVAL (%lu, %lu)", V(r),
		    A(r, 0));
	r = sys_allow_ro(CONSOLE_DRIVER, 0,
			 (void *)(flash_start + PROTECTED - 4), 8);
	ktest_check(r.variant == SYS_ALLOW_FAILURE && r.v[0] == SYS_EINVAL,
		    "RO allow straddling the protected region -> INVAL");
	r = sys_allow_rw(CONSOLE_DRIVER, 0, (void *)kbrk, 4);
	ktest_check(fail2(r, SYS_EINVAL, kbrk, 4),
		    "RW allow of own grant region (memop 6) -> INVAL");
	r = sys_allow_rw(CONSOLE_DRIVER, 0, (void *)(mem_end - 4), 4);
	ktest_check(fail2(r, SYS_EINVAL, mem_end - 4, 4),
		    "RW allow of the top of own RAM block -> INVAL");
	r = sys_allow_rw(CONSOLE_DRIVER, 0, (void *)(brk - 1), 2);
	ktest_check(fail2(r, SYS_EINVAL, brk - 1, 2),
		    "RW allow one byte past the break -> INVAL");
	r = sys_allow_rw(CONSOLE_DRIVER, 0, (void *)(brk - 1), 1);
	ktest_check(r.variant == SYS_ALLOW_SUCCESS,
		    "RW allow ending exactly at the break: Success");
	sys_allow_rw(CONSOLE_DRIVER, 0, NULL, 0);

	r = sys_allow_rw(NODRV, 0, (void *)0xfffffff0u, 0x20);
	ktest_check(fail2(r, SYS_ENODEVICE, 0xfffffff0u, 0x20),
		    "RW allow: unknown driver -> NODEVICE before INVAL");
	r = sys_allow_ro(NODRV, 0, ram_a, 4);
	ktest_check(fail2(r, SYS_ENODEVICE, (uintptr_t)ram_a, 4),
		    "RO allow: unknown driver -> NODEVICE");
	r = sys_allow_rw(CONSOLE_DRIVER, 2, ram_a, 4);
	ktest_check(fail2(r, SYS_ENOSUPPORT, (uintptr_t)ram_a, 4),
		    "RW allow: slot 2 of 2 -> NOSUPPORT (%lu, %lu)", V(r),
		    A(r, 0));
	r = sys_allow_ro(CONSOLE_DRIVER, 2, ram_a, 4);
	ktest_check(fail2(r, SYS_ENOSUPPORT, (uintptr_t)ram_a, 4),
		    "RO allow: slot 2 of 2 -> NOSUPPORT (%lu, %lu)", V(r),
		    A(r, 0));
	r = sys_allow_rw(LED_DRIVER, 0, ram_a, 4);
	ktest_check(fail2(r, SYS_ENOMEM, (uintptr_t)ram_a, 4),
		    "RW allow: driver without grant -> NOMEM (%lu, %lu)",
		    V(r), A(r, 0));
	r = sys_allow_userspace(CONSOLE_DRIVER, 0, ram_a, 4);
	ktest_check(fail2(r, SYS_ENOSUPPORT, (uintptr_t)ram_a, 4),
		    "userspace-readable allow unsupported -> NOSUPPORT "
		    "(%lu, %lu)", V(r), A(r, 0));
	r = sys_allow_userspace(NODRV, 0, ram_a, 4);
	ktest_check(fail2(r, SYS_ENODEVICE, (uintptr_t)ram_a, 4),
		    "userspace-readable allow: unknown driver -> NODEVICE");
}

/*
 * ---- hostile pointers ----
 *
 * Every class that takes an address against every kind of address a
 * process must not reach (doc/abi.md §4.2, §4.4-§4.7, §6.1): a range that
 * wraps, kernel RAM, the peer's RAM and flash, MMIO, its own grant region,
 * above its break, its own TBF header.  Allows must fail with INVAL (the passed
 * pair echoed), subscribe too, brk with NOMEM; the memop hints and
 * Yield-NoWait's flag accept anything and write nothing.
 */
struct hostile {
	const char *what;
	uintptr_t addr;
	size_t len;
};

static void test_hostile(void)
{
	uintptr_t flash_start = memop_val(MEMOP_FLASH_START);
	uintptr_t kbrk = memop_val(MEMOP_GRANT_START);
	uintptr_t brk = (uintptr_t)sys_sbrk(0);
	const struct hostile ram_bad[] = {
		{ "a wrapping range", 0xfffffff0u, 0x20 },
		{ "a range wrapping to 0", UINTPTR_MAX, 2 },
		{ "kernel RAM", KERNEL_RAM, 4 },
		{ "the peer's RAM", PEER_RAM, 4 },
		{ "the peer's flash", PEER_FLASH, 4 },
		{ "MMIO", MMIO_UART, 4 },
		{ "its grant region", kbrk, 4 },
		{ "the top of its grant region", kbrk + 8, 4 },
		{ "above its break", brk, 4 },
		{ "its own TBF header", flash_start, 4 },
		{ "its RAM and beyond, huge", tern_boot.mem_start, 0x7fffffff },
	};
	const struct hostile fn_bad[] = {
		{ "kernel RAM", KERNEL_RAM, 0 },
		{ "the peer's RAM", PEER_RAM, 0 },
		{ "the peer's flash", PEER_FLASH, 0 },
		{ "MMIO", MMIO_UART, 0 },
		{ "its grant region", kbrk, 0 },
		{ "above its break", brk, 0 },
		{ "the last 2 bytes of its flash", memop_val(MEMOP_FLASH_END) - 2,
		  0 },
		{ "the top of the address space", UINTPTR_MAX - 1, 0 },
	};
	struct sys_return r;
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(ram_bad) / sizeof(ram_bad[0]); i++) {
		const struct hostile *h = &ram_bad[i];

		r = sys_allow_userspace(CONSOLE_DRIVER, 0, (void *)h->addr,
					h->len);
		ktest_check(fail2(r, SYS_EINVAL, h->addr, h->len),
			    "userspace-readable allow of %s -> INVAL (%lu, %lu)",
			    h->what, V(r), A(r, 0));
		r = sys_allow_rw(CONSOLE_DRIVER, 0, (void *)h->addr, h->len);
		bad += !fail2(r, SYS_EINVAL, h->addr, h->len);
		r = sys_allow_ro(CONSOLE_DRIVER, 0, (void *)h->addr, h->len);
		bad += !fail2(r, SYS_EINVAL, h->addr, h->len);
	}
	ktest_check(bad == 0,
		    "RW and RO allow refuse all %u of them too (%u did not)",
		    (unsigned)(sizeof(ram_bad) / sizeof(ram_bad[0])), bad);
	r = sys_allow_userspace(CONSOLE_DRIVER, 0, (void *)KERNEL_RAM, 0);
	ktest_check(fail2(r, SYS_ENOSUPPORT, KERNEL_RAM, 0),
		    "userspace-readable allow, zero length: reaches the driver, "
		    "NOSUPPORT (%lu, %lu)", V(r), A(r, 0));

	bad = 0;
	for (unsigned i = 0; i < sizeof(fn_bad) / sizeof(fn_bad[0]); i++) {
		const struct hostile *h = &fn_bad[i];

		r = sys_subscribe(ALARM_DRIVER, 0, (sys_upcall_fn)h->addr,
				  &ud_a);
		if (!fail2(r, SYS_EINVAL, h->addr, (uintptr_t)&ud_a)) {
			bad++;
			ktest_check(false, "subscribe fn in %s -> INVAL (%lu, "
					   "%lu)", h->what, V(r), A(r, 0));
		}
	}
	ktest_check(bad == 0,
		    "subscribe refuses fns in kernel RAM, the peer's RAM and "
		    "flash, MMIO, grants, above the break, at the flash end, "
		    "at the top");

	/* brk and sbrk: NOMEM for every address outside its own block */
	bad = 0;
	bad += sys_brk((void *)(uintptr_t)KERNEL_RAM) != SYS_ENOMEM;
	bad += sys_brk((void *)(uintptr_t)PEER_RAM) != SYS_ENOMEM;
	bad += sys_brk((void *)(uintptr_t)MMIO_UART) != SYS_ENOMEM;
	bad += sys_brk((void *)(kbrk + 1)) != SYS_ENOMEM;
	bad += sys_brk(NULL) != SYS_ENOMEM;
	bad += sys_brk((void *)UINTPTR_MAX) != SYS_ENOMEM;
	bad += sys_sbrk(INTPTR_MAX) != NULL;
	bad += sys_sbrk(INTPTR_MIN) != NULL;
	bad += sys_sbrk(-(intptr_t)(brk - tern_boot.mem_start) - 4) != NULL;
	ktest_check(bad == 0 && (uintptr_t)sys_sbrk(0) == brk,
		    "brk/sbrk to kernel, peer, MMIO, grants, 0, the top, and "
		    "wrapping increments: NOMEM, break unchanged (%u wrong)",
		    bad);

	/* the debug hints accept anything (recorded only inside the block) */
	r = sys_memop(MEMOP_STACK_TOP, KERNEL_RAM);
	ktest_check(r.variant == SYS_SUCCESS,
		    "memop 10 with a kernel address: Success");
	r = sys_memop(MEMOP_HEAP_START, UINTPTR_MAX);
	ktest_check(r.variant == SYS_SUCCESS,
		    "memop 11 with the top address: Success");

	/* Yield-NoWait's flag: anything not below the break is ignored */
	{
		static const uintptr_t flags[] = { KERNEL_RAM, MMIO_UART,
						   PEER_RAM, PEER_FLASH };
		volatile uint8_t *last = (volatile uint8_t *)(brk - 1);

		for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			sys_yield_no_wait((uint8_t *)flags[i]);
		sys_yield_no_wait((uint8_t *)kbrk);
		sys_yield_no_wait((uint8_t *)brk);
		ktest_check(true, "yield no-wait with a flag in kernel RAM, "
				  "MMIO, the peer, grants, above the break: "
				  "returns, no fault");
		*last = 0xaa;
		sys_yield_no_wait((uint8_t *)last);
		ktest_check(*last == 0,
			    "a flag in the last byte below the break is "
			    "written (%u)", *last);
	}
}

/* ---- command, exit, class decoding ---- */

static void test_command(void)
{
	struct sys_return r;
	int n;

	r = sys_command(NODRV, 0, 0, 0);
	ktest_check(fail(r, SYS_ENODEVICE),
		    "command on unknown driver -> NODEVICE (%lu, %lu)", V(r),
		    A(r, 0));
	r = sys_command(CONSOLE_DRIVER, 99, 0, 0);
	ktest_check(fail(r, SYS_ENOSUPPORT),
		    "console command 99 -> NOSUPPORT (%lu, %lu)", V(r),
		    A(r, 0));
	r = sys_command(LED_DRIVER, 99, 0, 0);
	ktest_check(fail(r, SYS_ENOSUPPORT),
		    "LED command 99 -> NOSUPPORT (%lu, %lu)", V(r), A(r, 0));
	r = sys_command(LED_DRIVER, LED_CMD_COUNT, 0, 0);
	ktest_check(r.variant == SYS_SUCCESS_U32,
		    "LED command 0 is Success with u32 (%lu, count %lu)", V(r),
		    A(r, 0));
	n = (int)r.v[0];
	r = sys_command(LED_DRIVER, LED_CMD_ON, (uintptr_t)n, 0);
	ktest_check(fail(r, SYS_EINVAL),
		    "LED index = count -> INVAL (%lu, %lu)", V(r), A(r, 0));
	r = sys_command(ALARM_DRIVER, ALARM_CMD_EXISTS, 0, 0);
	ktest_check(r.variant == SYS_SUCCESS, "alarm command 0: Success");
	r = sys_command(ALARM_DRIVER, 4, 0, 0);
	ktest_check(fail(r, SYS_ENOSUPPORT), "alarm command 4 -> NOSUPPORT");
	r = sys_command(ALARM_DRIVER, ALARM_CMD_STOP, 0, 0);
	ktest_check(fail(r, SYS_EALREADY),
		    "alarm stop with none armed -> ALREADY (%lu, %lu)", V(r),
		    A(r, 0));
	r = sys_command(LLDEBUG_DRIVER, LLDEBUG_CMD_PRINT2, 0x5e, 0xca115);
	ktest_check(r.variant == SYS_SUCCESS, "low-level debug print: Success");

	/* only the low 8 bits of a4 pick the class (doc/abi.md §2.2) */
	r = sys_raw(0x100 | SYS_COMMAND, LED_DRIVER, LED_CMD_COUNT, 0, 0);
	ktest_check(r.variant == SYS_SUCCESS_U32,
		    "a4 = 0x102 is a command (%lu)", V(r));
	r = sys_exit(2, 0);
	ktest_check(fail(r, SYS_ENOSUPPORT),
		    "exit kind 2 -> NOSUPPORT (%lu, %lu)", V(r), A(r, 0));
}

/* command must preserve a4 and must not touch registers it does not name */
static void test_command_preserves_a4(void)
{
	register uintptr_t a0 __asm__("a0") = LED_DRIVER;
	register uintptr_t a1 __asm__("a1") = LED_CMD_COUNT;
	register uintptr_t a2 __asm__("a2") = 0x2222;
	register uintptr_t a3 __asm__("a3") = 0x3333;
	register uintptr_t a4 __asm__("a4") = SYS_COMMAND;
	register uintptr_t a5 __asm__("a5") = 0x5555;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3),
			       "+r"(a4), "+r"(a5)
			     :
			     : "memory");
	ktest_check(a0 == SYS_SUCCESS_U32 && a2 == 0x2222 && a3 == 0x3333 &&
			    a4 == SYS_COMMAND && a5 == 0x5555,
		    "Success-u32 writes a0, a1 only");
}

/* ---- yield ---- */

static volatile int alarm_calls;
static uint32_t alarm_args[3];
static void *alarm_ud;

static void alarm_fired(uint32_t now, uint32_t expiry, uint32_t z, void *ud)
{
	alarm_args[0] = now;
	alarm_args[1] = expiry;
	alarm_args[2] = z;
	alarm_ud = ud;
	alarm_calls++;
}

/* Yield-WaitFor(drv, sub) with a3 = 0x3333; out = a0..a3 afterwards. */
static void __attribute__((noinline))
wait_for_keep_a3(uint32_t drv, uint32_t sub, uintptr_t out[4])
{
	register uintptr_t a0 __asm__("a0") = SYS_YIELD_WAIT_FOR;
	register uintptr_t a1 __asm__("a1") = drv;
	register uintptr_t a2 __asm__("a2") = sub;
	register uintptr_t a3 __asm__("a3") = 0x3333;
	register uintptr_t a4 __asm__("a4") = SYS_YIELD;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
			     : "r"(a4)
			     : "memory");
	out[0] = a0;
	out[1] = a1;
	out[2] = a2;
	out[3] = a3;
}

static void test_yield(void)
{
	static const char raw[] = "syscalls: raw write\n";
	static volatile uint8_t flag_in_ram;
	struct sys_return r;
	uint32_t dt = alarm_ms_to_ticks(10), expiry;
	int iterations = 0;

	/* nothing is queued: Yield-NoWait stores 0 and returns at once */
	flag_in_ram = 0xaa;
	sys_yield_no_wait((uint8_t *)&flag_in_ram);
	ktest_check(flag_in_ram == 0,
		    "yield no-wait, empty queue: flag set to 0 (%u)",
		    flag_in_ram);
	sys_yield_no_wait(NULL);
	ktest_check(true, "yield no-wait without a flag returns");
	sys_yield_no_wait((uint8_t *)in_flash);
	ktest_check(in_flash[0] == 0x12345678,
		    "yield no-wait with a flash flag: returns, flash intact");

	/* an unknown yield number returns with registers untouched */
	r = sys_raw(SYS_YIELD, 7, 0x1111, 0x2222, 0x3333);
	ktest_check(r.variant == 7 && r.v[0] == 0x1111 && r.v[1] == 0x2222 &&
			    r.v[2] == 0x3333,
		    "yield 7 returns, a0..a3 untouched (%lu)", V(r));

	/* Yield-WaitFor returns the raw upcall values, leaves a3 alone */
	{
		uintptr_t out[4];
		struct sys_return w;

		sys_allow_ro(CONSOLE_DRIVER, 1, raw, sizeof(raw) - 1);
		w = sys_command(CONSOLE_DRIVER, CONSOLE_CMD_WRITE,
				sizeof(raw) - 1, 0);
		wait_for_keep_a3(CONSOLE_DRIVER, CONSOLE_SUB_WRITE, out);
		sys_allow_ro(CONSOLE_DRIVER, 1, NULL, 0);
		ktest_check(w.variant == SYS_SUCCESS, "console write: Success");
		ktest_check(out[0] == sizeof(raw) - 1 && out[1] == 0 &&
				    out[2] == 0,
			    "yield-wait-for returns raw (%lu, %lu, %lu)",
			    (unsigned long)out[0], (unsigned long)out[1],
			    (unsigned long)out[2]);
		ktest_check(out[3] == 0x3333, "yield-wait-for leaves a3 alone");
	}

	/* the alarm upcall arrives through Yield-Wait */
	alarm_calls = 0;
	r = sys_subscribe(ALARM_DRIVER, ALARM_SUB_FIRED, alarm_fired, &ud_a);
	ktest_check(ok2(r, 0, 0), "alarm subscribe: first returns (0, 0)");
	r = sys_command(ALARM_DRIVER, ALARM_CMD_ARM_RELATIVE, dt, 0);
	expiry = (uint32_t)r.v[0];
	ktest_check(r.variant == SYS_SUCCESS_U32, "alarm armed (%lu)", V(r));
	while (alarm_calls == 0 && iterations++ < 100)
		sys_yield_wait();
	ktest_check(alarm_calls == 1 && iterations == 1,
		    "alarm upcall ran in the first yield-wait (%d, %d)",
		    alarm_calls, iterations);
	ktest_check(alarm_args[1] == expiry && alarm_args[2] == 0,
		    "alarm upcall args (now, expiry, 0)");
	ktest_check((int32_t)(alarm_args[0] - expiry) >= 0,
		    "alarm did not fire early");
	ktest_check(alarm_ud == &ud_a, "alarm userdata comes back");

	/* Yield-WaitFor takes the alarm's values without calling the fn */
	alarm_calls = 0;
	r = sys_command(ALARM_DRIVER, ALARM_CMD_ARM_RELATIVE, dt, 0);
	expiry = (uint32_t)r.v[0];
	r = sys_yield_wait_for(ALARM_DRIVER, ALARM_SUB_FIRED);
	ktest_check(r.v[1] == expiry && r.v[2] == 0 && alarm_calls == 0,
		    "yield-wait-for on the alarm: values, no upcall");

	/* Yield-NoWait with something queued runs it and sets the flag */
	alarm_calls = 0;
	iterations = 0;
	sys_command(ALARM_DRIVER, ALARM_CMD_ARM_RELATIVE, dt, 0);
	do {
		flag_in_ram = 0xaa;
		sys_yield_no_wait((uint8_t *)&flag_in_ram);
		iterations++;
	} while (flag_in_ram == 0 && alarm_calls == 0);
	ktest_check(flag_in_ram == 1 && alarm_calls == 1,
		    "yield no-wait ran the alarm upcall and set the flag "
		    "(%u, %d, after %d)",
		    flag_in_ram, alarm_calls, iterations);
}

/* ---- gp and tp ---- */

/*
 * One ecall with gp and tp set to known values; true when both come back
 * unchanged.  They are the process's (apps are not gp-relative, so this
 * code may borrow them), and the HiFive1's kernel has a gp of its own
 * that its trap path swaps in and out.
 */
static bool __attribute__((noinline))
ecall_keeps_gp_tp(uintptr_t a0v, uintptr_t a1v, uintptr_t a2v, uintptr_t a4v)
{
	register uintptr_t a0 __asm__("a0") = a0v;
	register uintptr_t a1 __asm__("a1") = a1v;
	register uintptr_t a2 __asm__("a2") = a2v;
	register uintptr_t a3 __asm__("a3") = 0;
	register uintptr_t a4 __asm__("a4") = a4v;
	uintptr_t gp, tp, own_gp, own_tp;

	__asm__ __volatile__("mv %[og], gp\n\t"
			     "mv %[ot], tp\n\t"
			     "li gp, 0x5eed0003\n\t"
			     "li tp, 0x5eed0004\n\t"
			     "ecall\n\t"
			     "mv %[g], gp\n\t"
			     "mv %[t], tp\n\t"
			     "mv gp, %[og]\n\t"
			     "mv tp, %[ot]"
			     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3),
			       [og] "=&r"(own_gp), [ot] "=&r"(own_tp),
			       [g] "=&r"(gp), [t] "=&r"(tp)
			     : "r"(a4)
			     : "memory");
	return gp == 0x5eed0003 && tp == 0x5eed0004;
}

/*
 * Each way back from the kernel: the fast path, and after blocking (an
 * alarm 10 ms away: the process waits, the slow path saves it whole).
 */
static void test_gp_tp(void)
{
	ktest_check(ecall_keeps_gp_tp(LED_DRIVER, LED_CMD_COUNT, 0,
				      SYS_COMMAND),
		    "command keeps gp and tp");
	ktest_check(ecall_keeps_gp_tp(SYS_YIELD_NO_WAIT, 0, 0, SYS_YIELD),
		    "yield no-wait keeps gp and tp");
	sys_command(ALARM_DRIVER, ALARM_CMD_ARM_RELATIVE, alarm_ms_to_ticks(10),
		    0);
	ktest_check(ecall_keeps_gp_tp(SYS_YIELD_WAIT_FOR, ALARM_DRIVER,
				      ALARM_SUB_FIRED, SYS_YIELD),
		    "yield-wait-for the alarm (blocks) keeps gp and tp");
}

int main(void)
{
	tern_puts("syscalls: start");
	test_memop();
	test_memop_preserves_a2_a3();
	test_brk();
	test_subscribe();
	test_allow();
	test_hostile();
	test_command();
	test_command_preserves_a4();
	test_yield();
	test_gp_tp();
	return ktest_done("syscalls");
}
