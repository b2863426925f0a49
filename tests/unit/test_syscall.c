// SPDX-License-Identifier: MIT
/*
 * System-call layer: class decoding, return-variant encoding, register
 * preservation, subscribe/allow/memop/exit/yield semantics (doc/abi.md §2-§5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/driver.h"
#include "kernel/fastpath.h"
#include "kernel/hw.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/tbf.h"
#include "kernel/syscall.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"
#include "tools/tbf_build.h"

#define PC0 ((uintptr_t)0x1000)
#define SENTINEL ((uintptr_t)0x5E57)

static struct proc *p;

static int setup(void **state)
{
	(void)state;
	fakes_reset();
	sched_init();
	p = fakes_proc(0, 0);
	assert_true(syscall_resume(p)); /* start: consume the entry call */
	assert_int_equal(p->state, PROC_RUNNABLE);
	return 0;
}

/*
 * Set p's registers for a system call: a4 = cls, a0..a3 = args, every
 * other register marked, the pc at the ecall.
 */
static void regs(uintptr_t cls, uintptr_t a0, uintptr_t a1, uintptr_t a2,
		 uintptr_t a3)
{
	for (unsigned i = 1; i < 32; i++)
		p->ctx.x[i] = SENTINEL + i;
	p->ctx.x[CTX_PC] = PC0;
	p->ctx.x[CTX_A0] = a0;
	p->ctx.x[CTX_A1] = a1;
	p->ctx.x[CTX_A2] = a2;
	p->ctx.x[CTX_A3] = a3;
	p->ctx.x[CTX_A4] = cls;
}

/*
 * Issue a system call as the trap path does: through syscall_entry(), the
 * fast path first when this test is built with it (unit-syscall), the
 * reference path alone otherwise (unit-syscall-nofast).
 */
static struct syscall_outcome sys(uintptr_t cls, uintptr_t a0, uintptr_t a1,
				  uintptr_t a2, uintptr_t a3)
{
	regs(cls, a0, a1, a2, a3);
	return fake_ecall(p, false);
}

#define REG(n) (p->ctx.x[CTX_A0 + (n)])

/* Registers other than a0..a4 and pc must still hold their marks. */
static void assert_others_preserved(uintptr_t cls)
{
	for (unsigned i = 1; i < 32; i++)
		if (i < CTX_A0 || i > CTX_A4)
			assert_int_equal(p->ctx.x[i], SENTINEL + i);
	assert_int_equal(p->ctx.x[CTX_A4], cls);
}

/*
 * The host's registers are as wide as its pointers, 64 bits: results use
 * Tock's 64-bit encoding (doc/abi.md D11), as on qemu-virt-rv64.  The
 * rv32 encoding is checked through syscall_encode(32, ...) below.
 */
#define WIDE (sizeof(uintptr_t) == 8)
#define SUB_OK (WIDE ? SYS_SUCCESS_FNPTR : SYS_SUCCESS_2U32)
#define SUB_FAIL (WIDE ? SYS_FAILURE_FNPTR : SYS_FAILURE_2U32)
#define ALLOW_OK (WIDE ? SYS_SUCCESS_PTR_LEN : SYS_SUCCESS_2U32)
#define ALLOW_FAIL (WIDE ? SYS_FAILURE_PTR_LEN : SYS_FAILURE_2U32)
#define MEMOP_PTR (WIDE ? SYS_SUCCESS_PTR : SYS_SUCCESS_U32)
#define MEMOP_ADDR (WIDE ? SYS_SUCCESS_ADDR : SYS_SUCCESS_U32)

static uintptr_t ram(size_t off)
{
	return p->mem_start + off;
}

static uintptr_t code(size_t off)
{
	return p->app_flash + off;
}

/* Every kerr reaches a process as an ABI code (kernel/kerr.h). */
static void internal_errors_reach_processes_as_abi_codes(void **s)
{
	static const struct {
		unsigned e, abi;
	} map[] = {
		{ KERR_OK, 0 },		   { KERR_FAIL, 1 },
		{ KERR_INVAL, 6 },	   { KERR_NODEVICE, 11 },
		{ KERR_NOACK, 13 },	   { KERR_NOACK + 1, KERR_FAIL },
		{ 0xff, KERR_FAIL },	   { KERR_NOSUCHAPP, KERR_INVAL },
		{ KERR_NOACCESS, KERR_INVAL }, { KERR_INACTIVE, KERR_FAIL },
		{ KERR_ENTERED, KERR_FAIL }, { KERR_ENTERED + 1, KERR_FAIL },
	};

	(void)s;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		assert_int_equal(kerr_abi((enum kerr)map[i].e), map[i].abi);
}

static void command_on_unknown_driver_fails_with_nodevice(void **s)
{
	(void)s;
	sys(2, FAKE_DRV_NONE, 0, 7, 8);
	assert_int_equal(REG(0), SYS_FAILURE);
	assert_int_equal(REG(1), KERR_NODEVICE);
	assert_int_equal(REG(2), 7); /* not named by plain Failure */
	assert_int_equal(REG(3), 8);
	assert_int_equal(p->ctx.x[CTX_PC], PC0 + 4);
	assert_others_preserved(2);
}

static void class_is_the_low_8_bits_of_a4(void **s)
{
	(void)s;
	sys(0x102, FAKE_DRV_A, 0, 0, 0);
	assert_int_equal(REG(0), SYS_SUCCESS);
	assert_int_equal(fake_calls.commands, 1);
	assert_int_equal(p->ctx.x[CTX_A4], 0x102); /* a4 survives */
}

static void success_writes_only_the_registers_its_variant_names(void **s)
{
	(void)s;
	sys(2, FAKE_DRV_A, 0, 0x11, 0x22);
	assert_int_equal(REG(0), SYS_SUCCESS);
	assert_int_equal(REG(1), 0); /* a1 = command number, untouched */
	assert_int_equal(REG(2), 0x11);
	assert_int_equal(REG(3), 0x22);
	assert_others_preserved(2);
}

static void three_value_success_fills_a1_to_a3(void **s)
{
	(void)s;
	sys(2, FAKE_DRV_A, FAKE_CMD_ECHO, 0x11, 0x22);
	assert_int_equal(REG(0), SYS_SUCCESS_3U32);
	assert_int_equal(REG(1), 0x11);
	assert_int_equal(REG(2), 0x22);
	assert_int_equal(REG(3), FAKE_CMD_ECHO);
}

static void invalid_class_faults_the_process(void **s)
{
	uint64_t gen = p->gen;

	(void)s;
	sys(8, 0, 0, 0, 0);
	/* default policy restarts: a new incarnation, nothing written */
	assert_true(p->gen != gen || p->state == PROC_FAULTED);
	assert_non_null(strstr(host_console_text(), "invalid system call class"));
}

static void driver_restarting_its_caller_gets_no_return_written(void **s)
{
	uint64_t gen = p->gen;

	(void)s;
	sys(2, FAKE_DRV_A, FAKE_CMD_RESTART_CALLER, 0, 0);
	assert_true(p->gen != gen);
	assert_int_equal(p->state, PROC_UNSTARTED);
	/* restart cleared the registers; the 129/0x5a5a must not appear */
	assert_int_not_equal(REG(0), SYS_SUCCESS_U32);
	assert_int_not_equal(REG(1), 0x5a5a);
}

/* ---- subscribe ---- */

static void subscribe_checks_the_pointer_before_the_driver(void **s)
{
	(void)s;
	sys(1, FAKE_DRV_NONE, 0, 0x10, 0xabc); /* bad fn, unknown driver */
	assert_int_equal(REG(0), SUB_FAIL);
	assert_int_equal(REG(1), KERR_INVAL);
	assert_int_equal(REG(2), 0x10); /* echoes fn and userdata */
	assert_int_equal(REG(3), 0xabc);
}

static void subscribe_to_unknown_driver_with_null_fn_is_nodevice(void **s)
{
	(void)s;
	sys(1, FAKE_DRV_NONE, 0, 0, 0xabc);
	assert_int_equal(REG(0), SUB_FAIL);
	assert_int_equal(REG(1), KERR_NODEVICE);
}

static void subscribe_rejects_targets_outside_app_code_and_ram(void **s)
{
	static const size_t bad_off[] = { 0, 4, FAKE_PROTECTED - 4 };

	(void)s;
	for (unsigned i = 0; i < 3; i++) {
		sys(1, FAKE_DRV_A, 0, p->flash_start + bad_off[i], 0);
		assert_int_equal(REG(1), KERR_INVAL); /* TBF header */
	}
	sys(1, FAKE_DRV_A, 0, p->flash_end - 2, 0); /* runs past flash */
	assert_int_equal(REG(1), KERR_INVAL);
	sys(1, FAKE_DRV_A, 0, UINTPTR_MAX - 1, 0); /* wraps */
	assert_int_equal(REG(1), KERR_INVAL);
	sys(1, FAKE_DRV_A, 0, p->kernel_break, 0); /* grant region */
	assert_int_equal(REG(1), KERR_INVAL);
	sys(1, FAKE_DRV_A, 0, (uintptr_t)&p, 0); /* kernel data */
	assert_int_equal(REG(1), KERR_INVAL);
}

static void subscribe_swaps_and_returns_the_previous_pair(void **s)
{
	(void)s;
	sys(1, FAKE_DRV_A, 1, code(0x10), 0x1111);
	assert_int_equal(REG(0), SUB_OK);
	assert_int_equal(REG(1), 0);
	assert_int_equal(REG(2), 0);
	sys(1, FAKE_DRV_A, 1, code(0x20), 0x2222);
	assert_int_equal(REG(0), SUB_OK);
	assert_int_equal(REG(1), code(0x10));
	assert_int_equal(REG(2), 0x1111);
	assert_int_equal(REG(3), 0x2222); /* a3 untouched by 130 / 134 */
}

static void subscribe_slot_out_of_range_is_nosupport(void **s)
{
	(void)s;
	sys(1, FAKE_DRV_A, fake_drv_a.upcalls, code(0x10), 0);
	assert_int_equal(REG(0), SUB_FAIL);
	assert_int_equal(REG(1), KERR_NOSUPPORT);
}

static void subscribe_to_driver_without_grant_is_nomem(void **s)
{
	(void)s;
	sys(1, FAKE_DRV_NOGRANT, 0, 0, 0);
	assert_int_equal(REG(1), KERR_NOMEM);
}

/* ---- allow through the syscall layer ---- */

static void allow_failure_echoes_address_and_length(void **s)
{
	(void)s;
	sys(3, FAKE_DRV_A, 0, UINTPTR_MAX - 0xf, 0x20);
	assert_int_equal(REG(0), ALLOW_FAIL);
	assert_int_equal(REG(1), KERR_INVAL);
	assert_int_equal(REG(2), UINTPTR_MAX - 0xf); /* full width */
	assert_int_equal(REG(3), 0x20);
}

static void allow_success_returns_the_previous_buffer(void **s)
{
	(void)s;
	sys(5, 0, ram(256), 0, 0); /* brk */
	assert_int_equal(REG(0), SYS_SUCCESS);
	sys(3, FAKE_DRV_A, 1, ram(16), 32);
	assert_int_equal(REG(0), ALLOW_OK);
	assert_int_equal(REG(1), 0);
	assert_int_equal(REG(2), 0);
	sys(4, FAKE_DRV_A, 1, code(8), 4); /* RO from flash */
	assert_int_equal(REG(0), ALLOW_OK);
	sys(3, FAKE_DRV_A, 1, 0xDEADBEEF, 0);
	assert_int_equal(REG(1), ram(16));
	assert_int_equal(REG(2), 32);
	sys(3, FAKE_DRV_A, 1, 0, 0);
	assert_int_equal(REG(1), 0xDEADBEEF);
	assert_int_equal(REG(2), 0);
}

static void userspace_readable_allow_reaches_the_driver(void **s)
{
	(void)s;
	sys(5, 0, ram(64), 0, 0);
	sys(7, FAKE_DRV_USR, 0, ram(0), 8);
	assert_int_equal(REG(0), ALLOW_OK);
	assert_int_equal(fake_calls.usr_allows, 1);
	sys(7, FAKE_DRV_A, 0, ram(0), 8); /* driver has no hook */
	assert_int_equal(REG(0), ALLOW_FAIL);
	assert_int_equal(REG(1), KERR_NOSUPPORT);
}

/* ---- memop ---- */

static void memop_reports_the_layout(void **s)
{
	static const struct {
		uintptr_t op;
		size_t field;
		uint32_t variant;
	} rows[] = {
		{ 2, offsetof(struct proc, mem_start), MEMOP_PTR },
		{ 3, offsetof(struct proc, mem_end), MEMOP_PTR },
		{ 4, offsetof(struct proc, flash_start), MEMOP_PTR },
		{ 5, offsetof(struct proc, flash_end), MEMOP_PTR },
		{ 6, offsetof(struct proc, kernel_break), MEMOP_ADDR },
		/* the operand is 32 bits (Tock): the upper half is ignored */
		{ 2 | (uintptr_t)WIDE << 32, offsetof(struct proc, mem_start),
		  MEMOP_PTR },
	};

	(void)s;
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uintptr_t want;

		memcpy(&want, (const char *)p + rows[i].field, sizeof(want));
		sys(5, rows[i].op, 0, 0x2a, 0);
		assert_int_equal(REG(0), rows[i].variant);
		assert_int_equal(REG(1), want); /* full width */
		assert_int_equal(REG(2), 0x2a); /* untouched by 129 / 136 / 137 */
	}
}

static void memop_brk_and_sbrk_move_the_break(void **s)
{
	(void)s;
	sys(5, 0, ram(512), 0, 0);
	assert_int_equal(REG(0), SYS_SUCCESS);
	assert_int_equal(p->app_break, ram(512));
	sys(5, 1, 64, 0, 0);
	assert_int_equal(REG(0), MEMOP_PTR);
	assert_int_equal(REG(1), ram(512)); /* old break */
	assert_int_equal(p->app_break, ram(576));
	sys(5, 1, (uintptr_t)-76, 0, 0); /* shrink */
	assert_int_equal(REG(0), MEMOP_PTR);
	assert_int_equal(p->app_break, ram(500));
}

/* ---- register encoding for either XLEN (doc/abi.md §5.1, D11) ---- */

#define HI 0xAAAA0000BBBB0000ull /* a value with bits above 32 */
#define PTR 0x0000000480300010ull

/*
 * Each row: a result, then what a0..a3 must be for 32- and 64-bit
 * registers and how many registers each writes (a0 included).
 */
static const struct enc_row {
	struct sysret r;
	unsigned n32;
	uint64_t a32[4];
	unsigned n64;
	uint64_t a64[4];
} enc_rows[] = {
	/* plain TRD104 variants are the same, u32 values zero-extended */
	{ { SYS_SUCCESS, { 1, 2, 3 } }, 1, { 128 }, 1, { 128 } },
	{ { SYS_FAILURE, { 9, 2, 3 } }, 2, { 0, 9 }, 2, { 0, 9 } },
	{ { SYS_SUCCESS_U32, { 0xFFFFFFFF } }, 2, { 129, 0xFFFFFFFF },
	  2, { 129, 0xFFFFFFFF } },
	{ { SYS_FAILURE_U32, { 6, 7 } }, 3, { 1, 6, 7 }, 3, { 1, 6, 7 } },
	{ { SYS_SUCCESS_2U32, { 5, 6 } }, 3, { 130, 5, 6 }, 3, { 130, 5, 6 } },
	{ { SYS_FAILURE_2U32, { 6, 7, 8 } }, 4, { 2, 6, 7, 8 },
	  4, { 2, 6, 7, 8 } },
	{ { SYS_SUCCESS_3U32, { 1, 2, 3 } }, 4, { 132, 1, 2, 3 },
	  4, { 132, 1, 2, 3 } },
	/* 64-bit values: low word first in two registers, or one register */
	{ { SYS_SUCCESS_U64, { 0x11112222, 0x33334444 } },
	  3, { 131, 0x11112222, 0x33334444 },
	  2, { 131, 0x3333444411112222ull } },
	{ { SYS_FAILURE_U64, { 6, 0x11112222, 0x33334444 } },
	  4, { 3, 6, 0x11112222, 0x33334444 },
	  3, { 3, 6, 0x3333444411112222ull } },
	{ { SYS_SUCCESS_U32_U64, { 5, 0x11112222, 0x33334444 } },
	  4, { 133, 5, 0x11112222, 0x33334444 },
	  3, { 133, 5, 0x3333444411112222ull } },
	/* pointer variants: 32-bit equivalents, or kept and full width */
	{ { SYS_SUCCESS_FNPTR, { PTR, HI } }, 3,
	  { 130, 0x80300010, 0xBBBB0000 }, 3, { 134, PTR, HI } },
	{ { SYS_FAILURE_FNPTR, { 6, PTR, HI } },
	  4, { 2, 6, 0x80300010, 0xBBBB0000 }, 4, { 4, 6, PTR, HI } },
	{ { SYS_SUCCESS_PTR_LEN, { PTR, HI } },
	  3, { 130, 0x80300010, 0xBBBB0000 }, 3, { 135, PTR, HI } },
	{ { SYS_FAILURE_PTR_LEN, { 6, PTR, HI } },
	  4, { 2, 6, 0x80300010, 0xBBBB0000 }, 4, { 5, 6, PTR, HI } },
	{ { SYS_SUCCESS_PTR, { PTR } }, 2, { 129, 0x80300010 },
	  2, { 136, PTR } },
	{ { SYS_SUCCESS_ADDR, { PTR } }, 2, { 129, 0x80300010 },
	  2, { 137, PTR } },
	/* a u32 slot never leaks a wider value, nor does an error code */
	{ { SYS_SUCCESS_2U32, { HI, HI } }, 3, { 130, 0xBBBB0000, 0xBBBB0000 },
	  3, { 130, 0xBBBB0000, 0xBBBB0000 } },
	{ { SYS_FAILURE_PTR_LEN, { HI, PTR, 1 } },
	  4, { 2, 0xBBBB0000, 0x80300010, 1 }, 4, { 5, 0xBBBB0000, PTR, 1 } },
	/* not a variant: only a0 */
	{ { 200, { 1, 2, 3 } }, 1, { 200 }, 1, { 200 } },
};

static void check_encoding(unsigned xlen)
{
	for (unsigned i = 0; i < sizeof(enc_rows) / sizeof(enc_rows[0]); i++) {
		const struct enc_row *e = &enc_rows[i];
		unsigned want = xlen == 32 ? e->n32 : e->n64;
		const uint64_t *wa = xlen == 32 ? e->a32 : e->a64;
		uint64_t a[4] = { ~0ull, ~0ull, ~0ull, ~0ull };

		assert_int_equal(syscall_encode(xlen, &e->r, a), want);
		for (unsigned k = 0; k < 4; k++)
			assert_int_equal(a[k], k < want ? wa[k] : ~0ull);
	}
}

static void rv32_encoding_is_trd104_with_pointer_variants_narrowed(void **s)
{
	(void)s;
	check_encoding(32);
}

static void rv64_encoding_keeps_pointers_wide_and_joins_64_bit_values(
	void **s)
{
	(void)s;
	check_encoding(64);
}

/*
 * The driver sees a2 and a3 whole (Tock's usize), so that it can refuse a
 * value it cannot take: truncated, 1 << 32 would reach it as 0.
 */
static void command_arguments_reach_the_driver_at_full_width(void **s)
{
	uintptr_t big = WIDE ? (uintptr_t)1 << (WIDE * 32) : 0x80000000;

	(void)s;
	sys(2, FAKE_DRV_A, 0, big | 5, UINTPTR_MAX);
	assert_int_equal(fake_calls.last_arg0, big | 5);
	assert_int_equal(fake_calls.last_arg1, UINTPTR_MAX);
	/* the command number stays 32-bit, as in Tock */
	sys(2, FAKE_DRV_A, big, 1, 2);
	assert_int_equal(fake_calls.last_cmd, 0);
	assert_int_equal(REG(0), SYS_SUCCESS);
}

static void memop_brk_refusals_are_all_nomem(void **s)
{
	(void)s;
	sys(5, 0, p->mem_end, 0, 0);
	assert_int_equal(REG(0), SYS_FAILURE);
	assert_int_equal(REG(1), KERR_NOMEM);
	sys(5, 0, p->mem_start - 4, 0, 0);
	assert_int_equal(REG(1), KERR_NOMEM);
	sys(5, 1, (uintptr_t)-8, 0, 0); /* below mem_start */
	assert_int_equal(REG(1), KERR_NOMEM);
	assert_int_equal(p->app_break, p->mem_start);
}

static void memop_hints_are_recorded_only_inside_ram(void **s)
{
	(void)s;
	sys(5, 10, ram(100), 0, 0);
	assert_int_equal(REG(0), SYS_SUCCESS);
	assert_int_equal(p->hint_stack, ram(100));
	sys(5, 11, 0x10, 0, 0);
	assert_int_equal(REG(0), SYS_SUCCESS);
	assert_int_equal(p->hint_heap, 0);
}

static void memop_unknown_and_flash_region_ops(void **s)
{
	(void)s;
	sys(5, 12, 0, 0, 0);
	assert_int_equal(REG(0), SYS_FAILURE);
	assert_int_equal(REG(1), KERR_NOSUPPORT);
	sys(5, 7, 0, 0, 0);
	assert_int_equal(REG(0), SYS_SUCCESS_U32);
	assert_int_equal(REG(1), 0);
	sys(5, 8, 0, 0, 0);
	assert_int_equal(REG(0), SYS_FAILURE);
	assert_int_equal(REG(1), KERR_FAIL);
}

/* ---- writeable flash regions (memop 7, 8, 9) ---- */

/*
 * Write a TBF header for p's flash with n writeable flash regions (offset,
 * size pairs from the start of the object), its protected region ending at
 * FAKE_PROTECTED, as the loader would have found it.
 */
static void tbf_with_regions(const uint32_t (*wfr)[2], unsigned n)
{
	uint8_t tlv[4 + 8 * TBF_WFR_MAX];
	struct tbf_build b = {
		.total_size = FAKE_FLASH_SIZE,
		.flags = TBF_FLAG_ENABLED,
		.init_fn_offset = 0,
		.extra = tlv,
		.extra_len = 4 + 8 * n,
	};
	size_t hs;

	tlv[0] = TBF_TLV_WFR;
	tlv[1] = 0;
	tlv[2] = (uint8_t)(8 * n);
	tlv[3] = 0;
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < 2; k++)
			for (unsigned j = 0; j < 4; j++)
				tlv[4 + 8 * i + 4 * k + j] =
					(uint8_t)(wfr[i][k] >> (8 * j));
	hs = tbf_build_header(NULL, 0, &b);
	assert_true(hs > 0 && hs <= FAKE_PROTECTED);
	b.protected_trailer_size = (uint32_t)(FAKE_PROTECTED - hs);
	assert_int_equal(tbf_build_header((uint8_t *)p->flash_start,
					  FAKE_PROTECTED, &b),
			 hs);
}

/* memop 8 and 9 of region n: Success with the address, or FAIL. */
static void region_is(uintptr_t n, uintptr_t start, uintptr_t end)
{
	sys(5, 8, n, 0, 0);
	assert_int_equal(REG(0), MEMOP_PTR);
	assert_int_equal(REG(1), p->flash_start + start);
	sys(5, 9, n, 0, 0);
	assert_int_equal(REG(0), MEMOP_PTR);
	assert_int_equal(REG(1), p->flash_start + end);
}

static void no_region_is(uintptr_t n)
{
	for (uintptr_t op = 8; op <= 9; op++) {
		sys(5, op, n, 0, 0);
		assert_int_equal(REG(0), SYS_FAILURE);
		assert_int_equal(REG(1), KERR_FAIL);
	}
}

static void memop_counts_writeable_flash_regions(void **s)
{
	static const uint32_t one[][2] = { { 0x100, 0x40 } };
	static const uint32_t four[][2] = {
		{ 0x200, 0x100 }, { 0x400, 0x10 }, { 0x800, 0x200 },
		{ 0x300, 0x8 },
	};

	(void)s;
	tbf_with_regions(NULL, 0);
	sys(5, 7, 0, 0, 0);
	assert_int_equal(REG(0), SYS_SUCCESS_U32);
	assert_int_equal(REG(1), 0);
	no_region_is(0);

	tbf_with_regions(one, 1);
	sys(5, 7, 0, 0, 0);
	assert_int_equal(REG(1), 1);
	region_is(0, 0x100, 0x140);
	no_region_is(1);

	tbf_with_regions(four, 4);
	sys(5, 7, 0, 0, 0);
	assert_int_equal(REG(1), 4);
	for (unsigned i = 0; i < 4; i++)
		region_is(i, four[i][0], four[i][0] + four[i][1]);
	no_region_is(4);
}

static void memop_regions_at_the_limits_of_the_binary(void **s)
{
	/* from the end of the protected region to the end of the object */
	static const uint32_t edge[][2] = {
		{ FAKE_PROTECTED, FAKE_FLASH_SIZE - FAKE_PROTECTED },
		{ FAKE_FLASH_SIZE - 4, 4 },
		{ 0x200, 0 }, /* empty: counted, but has no address */
	};

	(void)s;
	tbf_with_regions(edge, 3);
	sys(5, 7, 0, 0, 0);
	assert_int_equal(REG(1), 3);
	region_is(0, FAKE_PROTECTED, FAKE_FLASH_SIZE);
	region_is(1, FAKE_FLASH_SIZE - 4, FAKE_FLASH_SIZE);
	no_region_is(2);
}

static void memop_region_index_out_of_range_is_fail(void **s)
{
	static const uint32_t one[][2] = { { 0x100, 0x40 } };

	(void)s;
	tbf_with_regions(one, 1);
	no_region_is(1);
	no_region_is(UINT32_MAX);
	no_region_is(UINTPTR_MAX);
	/* the index is full width: 2^32 on 64-bit registers is not 0 */
	if (WIDE)
		no_region_is((uintptr_t)UINT32_MAX + 1);
	/* a process whose flash holds no TBF (never loaded so) has none */
	memset((void *)p->flash_start, 0, FAKE_PROTECTED);
	sys(5, 7, 0, 0, 0);
	assert_int_equal(REG(1), 0);
	no_region_is(0);
}

/* ---- exit ---- */

static void exit_terminate_stops_and_writes_nothing(void **s)
{
	(void)s;
	sys(6, 0, 42, 0, 0);
	assert_int_equal(p->state, PROC_TERMINATED);
	assert_int_equal(p->exit_code, 42);
	assert_int_equal(REG(0), 0); /* a0 as the process left it */
}

static void exit_restart_makes_a_new_incarnation(void **s)
{
	uint64_t gen = p->gen;

	(void)s;
	sys(6, 1, 0, 0, 0);
	assert_true(p->gen > gen);
	assert_int_equal(p->state, PROC_UNSTARTED);
	assert_int_equal(p->restart_count, 1);
}

static void exit_with_unknown_kind_is_nosupport(void **s)
{
	(void)s;
	sys(6, 2, 0, 0, 0);
	assert_int_equal(REG(0), SYS_FAILURE);
	assert_int_equal(REG(1), KERR_NOSUPPORT);
	assert_int_equal(p->state, PROC_RUNNABLE);
}

/* ---- yield and upcalls ---- */

static void push(uint8_t kind, uint32_t drv, uint32_t sub, uintptr_t fn,
		 uint32_t a0)
{
	struct task t = { kind, drv, sub, fn, 0x77, { a0, a0 + 1, a0 + 2 } };

	assert_int_equal(upcall_push(p, &t), KERR_OK);
}

static void yield_no_wait_with_nothing_queued_returns_and_writes_zero(void **s)
{
	volatile uint8_t *flag;

	(void)s;
	sys(5, 0, ram(64), 0, 0);
	flag = (volatile uint8_t *)ram(10);
	*flag = 0x55;
	sys(0, 0, ram(10), 0, 0);
	assert_int_equal(*flag, 0);
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_int_equal(REG(0), 0); /* no variant written */
	assert_int_equal(REG(1), ram(10));
}

static void yield_no_wait_ignores_a_flag_outside_its_ram(void **s)
{
	static volatile uint8_t kernel_byte = 0x55;

	(void)s;
	sys(0, 0, (uintptr_t)&kernel_byte, 0, 0);
	assert_int_equal(kernel_byte, 0x55);
	sys(5, 0, ram(16), 0, 0);
	sys(0, 0, ram(16), 0, 0); /* at the break: outside */
	assert_int_equal(p->state, PROC_RUNNABLE);
}

static void yield_no_wait_does_not_block_on_null_records(void **s)
{
	(void)s;
	push(TASK_NULL, FAKE_DRV_A, 0, 0, 1);
	sys(5, 0, ram(64), 0, 0);
	*(volatile uint8_t *)ram(3) = 0x55;
	sys(0, 0, ram(3), 0, 0);
	assert_int_equal(*(volatile uint8_t *)ram(3), 0);
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_int_equal(upcall_count(p, 1u << TASK_NULL), 1);
}

static void yield_no_wait_runs_a_queued_upcall_and_sets_the_flag(void **s)
{
	(void)s;
	sys(5, 0, ram(64), 0, 0);
	push(TASK_UPCALL, FAKE_DRV_A, 0, code(0x40), 5);
	sys(0, 0, ram(3), 0, 0);
	assert_int_equal(*(volatile uint8_t *)ram(3), 1);
	assert_int_equal(p->ctx.x[CTX_PC], code(0x40));
	assert_int_equal(p->state, PROC_RUNNABLE);
}

static void yield_wait_delivers_an_upcall_as_a_pushed_call(void **s)
{
	(void)s;
	push(TASK_UPCALL, FAKE_DRV_A, 1, code(0x40), 100);
	sys(0, 1, 0, 0, 0);
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_int_equal(p->ctx.x[CTX_PC], code(0x40));
	assert_int_equal(p->ctx.x[CTX_RA], PC0 + 4);
	assert_int_equal(REG(0), 100);
	assert_int_equal(REG(1), 101);
	assert_int_equal(REG(2), 102);
	assert_int_equal(REG(3), 0x77); /* userdata */
	assert_int_equal(p->ctx.x[CTX_SP], SENTINEL + CTX_SP);
}

static void yield_wait_blocks_until_a_call_is_queued(void **s)
{
	(void)s;
	push(TASK_NULL, FAKE_DRV_A, 0, 0, 1); /* discarded by Yield-Wait */
	sys(0, 1, 0, 0, 0);
	assert_int_equal(p->state, PROC_YIELDED);
	assert_false(syscall_resume(p));
	/* the call starts as it is queued (sched_notify()) */
	push(TASK_UPCALL, FAKE_DRV_A, 0, code(0x44), 9);
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_int_equal(p->ctx.x[CTX_PC], code(0x44));
	assert_int_equal(REG(0), 9);
}

static void yield_wait_for_returns_raw_values_and_calls_nothing(void **s)
{
	(void)s;
	push(TASK_UPCALL, FAKE_DRV_A, 0, code(0x40), 10);
	push(TASK_UPCALL, FAKE_DRV_A, 1, code(0x48), 20);
	sys(0, 2, FAKE_DRV_A, 1, 0x33);
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_int_equal(p->ctx.x[CTX_PC], PC0 + 4);
	assert_int_equal(REG(0), 20);
	assert_int_equal(REG(1), 21);
	assert_int_equal(REG(2), 22);
	assert_int_equal(REG(3), 0x33); /* a3 untouched */
	assert_int_equal(upcall_count(p, 1u << TASK_UPCALL), 1);
}

static void yield_wait_for_consumes_null_records_and_waits(void **s)
{
	(void)s;
	sys(0, 2, FAKE_DRV_B, 0, 0);
	assert_int_equal(p->state, PROC_YIELDED_FOR);
	push(TASK_UPCALL, FAKE_DRV_A, 0, code(0x40), 1); /* not ours */
	assert_int_equal(p->state, PROC_YIELDED_FOR);
	assert_false(syscall_resume(p));
	/* the record it waits for: Yield-WaitFor returns as it is queued */
	push(TASK_NULL, FAKE_DRV_B, 0, 0, 30);
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_int_equal(REG(0), 30);
	assert_int_equal(upcall_count(p, 1u << TASK_UPCALL), 1);
}

static void invalid_yield_number_returns_at_once_touching_nothing(void **s)
{
	(void)s;
	push(TASK_UPCALL, FAKE_DRV_A, 0, code(0x40), 1);
	sys(0, 3, 0x11, 0x22, 0x33);
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_int_equal(p->ctx.x[CTX_PC], PC0 + 4);
	assert_int_equal(REG(0), 3);
	assert_int_equal(REG(1), 0x11);
	assert_int_equal(upcall_count(p, 1u << TASK_UPCALL), 1);
}

static void entry_call_sets_the_start_registers(void **s)
{
	struct proc *q;

	(void)s;
	q = fakes_proc(1, 8192);
	assert_int_equal(q->state, PROC_UNSTARTED);
	assert_true(syscall_resume(q));
	assert_int_equal(q->ctx.x[CTX_PC], q->entry);
	assert_int_equal(q->ctx.x[CTX_A0], q->app_flash);
	assert_int_equal(q->ctx.x[CTX_A1], q->mem_start);
	assert_int_equal(q->ctx.x[CTX_A2], 8192);
	assert_int_equal(q->ctx.x[CTX_A3], q->mem_start); /* app break */
	assert_int_equal(q->ctx.x[CTX_SP], q->mem_start);
	assert_int_equal(q->ctx.x[CTX_RA], 0);
	assert_int_equal(q->ctx.x[CTX_S0], 0);
}

/* ---- the trap path's entry (syscall_entry) and its outcomes ---- */

static void outcome_is(struct syscall_outcome o, enum syscall_next next,
		       const struct proc *proc)
{
	assert_int_equal(syscall_out_next(o), next);
	assert_ptr_equal(syscall_out_proc(o), proc);
}

static void a_caller_that_stays_runnable_returns_at_once(void **s)
{
	unsigned loads = host_mpu.loads;

	(void)s;
	outcome_is(sys(2, FAKE_DRV_A, 0, 0x11, 0x22), SYSCALL_RETURN, p);
	assert_int_equal(REG(0), SYS_SUCCESS);
	assert_int_equal(p->ctx.x[CTX_PC], PC0 + 4);
	assert_others_preserved(2);
	assert_int_equal(p->state, PROC_RUNNABLE);
	/* the hardware still holds p's protection: nothing reloaded */
	assert_int_equal(host_mpu.loads, loads);
}

static void an_invalid_class_goes_to_the_run_loop_untouched(void **s)
{
	uintptr_t before[32];

	(void)s;
	regs(8, 1, 2, 3, 4);
	memcpy(before, p->ctx.x, sizeof(before));
	/* the trap path has moved the pc past the ecall */
	p->ctx.x[CTX_PC] = PC0 + 4;
	outcome_is(syscall_entry(1, 2, 3, 4, 8, p), SYSCALL_INVALID, p);
	/* the run loop faults p once every register is saved, pc at ecall */
	assert_memory_equal(p->ctx.x, before, sizeof(before));
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_null(strstr(host_console_text(), "invalid system call class"));
}

static void a_blocked_yield_with_nothing_to_run_goes_to_the_run_loop(void **s)
{
	(void)s;
	outcome_is(sys(0, 1, 0, 0, 0), SYSCALL_BLOCKED, p);
	assert_int_equal(p->state, PROC_YIELDED);
	assert_int_equal(p->ctx.x[CTX_PC], PC0 + 4);
	setup(NULL);
	outcome_is(sys(0, 2, FAKE_DRV_A, 0, 0), SYSCALL_BLOCKED, p);
	assert_int_equal(p->state, PROC_YIELDED_FOR);
}

/*
 * Yield-Wait with another process runnable: the fast path switches to it
 * itself, the reference path leaves the choice to the run loop, which
 * then picks the same process.
 */
static void a_blocked_yield_switches_to_the_next_process_on_the_fast_path(
	void **s)
{
	struct proc *q = fakes_proc(1, 0);
	unsigned loads;
	struct syscall_outcome o;

	(void)s;
	assert_true(syscall_resume(q));
	sched_notify(q);
	loads = host_mpu.loads;
	o = sys(0, 1, 0, 0, 0);
	assert_int_equal(p->state, PROC_YIELDED);
#if CONFIG_FASTPATH
	outcome_is(o, SYSCALL_SWITCH, q);
	/* its protection is the trap path's to load (kernel/hw.h) */
	assert_int_equal(host_mpu.loads, loads);
#else
	outcome_is(o, SYSCALL_BLOCKED, p);
	assert_int_equal(host_mpu.loads, loads);
	assert_ptr_equal(sched_next(), q);
#endif
}

static void a_queued_upcall_starts_at_once(void **s)
{
	(void)s;
	push(TASK_UPCALL, FAKE_DRV_A, 0, code(0x40), 0x10);
	/* the trap path is to load the new pc */
	outcome_is(sys(0, 1, 0, 0, 0), SYSCALL_UPCALL, p);
	assert_int_equal(p->state, PROC_RUNNABLE);
	assert_int_equal(p->ctx.x[CTX_PC], code(0x40));
	assert_int_equal(p->ctx.x[CTX_RA], PC0 + 4);
	assert_int_equal(REG(0), 0x10);
	assert_int_equal(REG(3), 0x77);
}

static void exits_go_to_the_run_loop(void **s)
{
	(void)s;
	outcome_is(sys(6, 1, 7, 0, 0), SYSCALL_BLOCKED, p);
	assert_int_equal(p->state, PROC_UNSTARTED);
	setup(NULL);
	outcome_is(sys(6, 0, 7, 0, 0), SYSCALL_BLOCKED, p);
	assert_int_equal(p->state, PROC_TERMINATED);
	/* an unknown exit kind returns like any call */
	setup(NULL);
	outcome_is(sys(6, 9, 7, 0, 0), SYSCALL_RETURN, p);
	assert_int_equal(REG(0), SYS_FAILURE);
}

static void brk_loads_the_new_protection_before_the_caller_goes_on(void **s)
{
	unsigned loads = host_mpu.loads;

	(void)s;
	outcome_is(sys(5, 0, ram(256), 0, 0), SYSCALL_RETURN, p);
	assert_int_equal(REG(0), SYS_SUCCESS);
	assert_true(host_mpu.loads > loads);
	assert_ptr_equal(host_mpu.loaded, p);
	assert_memory_equal(host_mpu.regions, p->regions, sizeof(p->regions));
}

/*
 * Every valid class, both ways: syscall_handle() (the reference path) and
 * syscall_entry() (the trap path's: the fast path first, when built) must
 * leave the same registers and state and give the same outcome.
 */
static void the_trap_entry_and_the_reference_path_agree_on_every_class(
	void **s)
{
	enum { RAW, RAM, CODE };
	static const struct {
		uintptr_t cls, a0, a1, a2, a3;
		int a2_is;
	} calls[] = {
		{ 0, 0, 0, 0, 0, RAW },		 /* yield-no-wait */
		{ 0, 0, 0x20, 0, 0, RAM },	 /* ... with a flag */
		{ 0, 1, 0, 0, 0, RAW },		 /* yield-wait, blocks */
		{ 0, 2, FAKE_DRV_A, 1, 0, RAW }, /* yield-wait-for */
		{ 0, 7, 0, 0, 0, RAW },		 /* unknown yield */
		{ 1, FAKE_DRV_A, 0, 0x40, 5, CODE },
		{ 1, FAKE_DRV_A, 9, 0x40, 5, CODE },
		{ 1, FAKE_DRV_NONE, 0, 0, 0, RAW },
		{ 2, FAKE_DRV_A, 0, 0, 0, RAW },
		{ 2, FAKE_DRV_A, FAKE_CMD_ECHO, 1, 2, RAW },
		{ 2, FAKE_DRV_A, FAKE_CMD_RESTART_CALLER, 0, 0, RAW },
		{ 2, FAKE_DRV_A, 5, 0, 0, RAW },
		{ 2, FAKE_DRV_NONE, 0, 0, 0, RAW },
		{ 0x102, FAKE_DRV_A, 0, 0, 0, RAW },
		{ 3, FAKE_DRV_A, 0, 0x10, 8, RAM },
		{ 3, FAKE_DRV_A, 0, 0x10, 0, RAW },
		{ 3, FAKE_DRV_A, 7, 0x10, 8, RAM },
		{ 3, FAKE_DRV_B, 0, 0x10, 8, RAM },
		{ 4, FAKE_DRV_A, 0, 0x10, 8, CODE },
		{ 4, FAKE_DRV_A, 1, 0x10, 8, RAM },
		{ 5, 1, 64, 0, 0, RAW },
		{ 5, 2, 0, 0, 0, RAW },
		{ 5, 99, 0, 0, 0, RAW },
		{ 6, 0, 3, 0, 0, RAW },
		{ 6, 1, 3, 0, 0, RAW },
		{ 6, 9, 3, 0, 0, RAW },
		{ 7, FAKE_DRV_USR, 0, 0x10, 4, RAM },
		{ 8, 0, 0, 0, 0, RAW },
	};

	(void)s;
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		uintptr_t a2 = calls[i].a2, ctx[32];
		struct syscall_outcome want, got;
		uint8_t state;

		for (unsigned way = 0; way < 2; way++) {
			setup(NULL);
			/* a break above mem_start: RAM arguments are valid */
			outcome_is(sys(5, 0, ram(0x100), 0, 0), SYSCALL_RETURN,
				   p);
			/* a grant for driver A, so that allow_fast() can swap */
			sys(3, FAKE_DRV_A, 0, 0, 0);
			if (calls[i].a2_is != RAW)
				a2 = calls[i].a2 + (calls[i].a2_is == RAM
							    ? ram(0)
							    : code(0));
			regs(calls[i].cls, calls[i].a0, calls[i].a1, a2,
			     calls[i].a3);
			got = fake_ecall(p, way == 0);
			if (way == 0) {
				want = got;
				memcpy(ctx, p->ctx.x, sizeof(ctx));
				state = p->state;
				continue;
			}
			outcome_is(got, syscall_out_next(want), syscall_out_proc(want));
			assert_int_equal(p->state, state);
			assert_memory_equal(p->ctx.x, ctx, sizeof(ctx));
		}
	}
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(internal_errors_reach_processes_as_abi_codes),
		T(command_on_unknown_driver_fails_with_nodevice),
		T(class_is_the_low_8_bits_of_a4),
		T(success_writes_only_the_registers_its_variant_names),
		T(three_value_success_fills_a1_to_a3),
		T(invalid_class_faults_the_process),
		T(driver_restarting_its_caller_gets_no_return_written),
		T(subscribe_checks_the_pointer_before_the_driver),
		T(subscribe_to_unknown_driver_with_null_fn_is_nodevice),
		T(subscribe_rejects_targets_outside_app_code_and_ram),
		T(subscribe_swaps_and_returns_the_previous_pair),
		T(subscribe_slot_out_of_range_is_nosupport),
		T(subscribe_to_driver_without_grant_is_nomem),
		T(allow_failure_echoes_address_and_length),
		T(allow_success_returns_the_previous_buffer),
		T(userspace_readable_allow_reaches_the_driver),
		T(memop_reports_the_layout),
		T(memop_brk_and_sbrk_move_the_break),
		T(memop_brk_refusals_are_all_nomem),
		T(rv32_encoding_is_trd104_with_pointer_variants_narrowed),
		T(rv64_encoding_keeps_pointers_wide_and_joins_64_bit_values),
		T(command_arguments_reach_the_driver_at_full_width),
		T(memop_hints_are_recorded_only_inside_ram),
		T(memop_unknown_and_flash_region_ops),
		T(memop_counts_writeable_flash_regions),
		T(memop_regions_at_the_limits_of_the_binary),
		T(memop_region_index_out_of_range_is_fail),
		T(exit_terminate_stops_and_writes_nothing),
		T(exit_restart_makes_a_new_incarnation),
		T(exit_with_unknown_kind_is_nosupport),
		T(yield_no_wait_with_nothing_queued_returns_and_writes_zero),
		T(yield_no_wait_ignores_a_flag_outside_its_ram),
		T(yield_no_wait_does_not_block_on_null_records),
		T(yield_no_wait_runs_a_queued_upcall_and_sets_the_flag),
		T(yield_wait_delivers_an_upcall_as_a_pushed_call),
		T(yield_wait_blocks_until_a_call_is_queued),
		T(yield_wait_for_returns_raw_values_and_calls_nothing),
		T(yield_wait_for_consumes_null_records_and_waits),
		T(invalid_yield_number_returns_at_once_touching_nothing),
		T(entry_call_sets_the_start_registers),
		T(a_caller_that_stays_runnable_returns_at_once),
		T(an_invalid_class_goes_to_the_run_loop_untouched),
		T(a_blocked_yield_with_nothing_to_run_goes_to_the_run_loop),
		T(a_blocked_yield_switches_to_the_next_process_on_the_fast_path),
		T(a_queued_upcall_starts_at_once),
		T(exits_go_to_the_run_loop),
		T(brk_loads_the_new_protection_before_the_caller_goes_on),
		T(the_trap_entry_and_the_reference_path_agree_on_every_class),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
