// SPDX-License-Identifier: MIT
/*
 * Unit tests for the RNG driver (drivers/rng.c, 0x40001) over a fake
 * entropy device: the test plays the device, writing the bytes asked into
 * the driver's kernel buffer and reporting a length, honest or not.
 * Allows and subscribes go through the real syscall-side functions;
 * upcalls are read back from the process's task queue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/rng.h"
#include "kernel/allow/allow.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "tests/unit/fakes.h"

#define BRK 2048u	  /* bytes of process RAM made accessible */
#define UPCALL_FN 0x4000u /* a non-null upcall function address */
#define UPCALL_UD 0x77u
#define GUARD 0x5Au	  /* what process RAM around a buffer holds */

/* ---- the fake device ---- */

static struct {
	unsigned fills;
	uint8_t *buf;
	size_t len;
	enum kerr rc; /* what fill() answers */
	uint8_t next; /* next byte value the device produces */
} dev;

static enum kerr fake_fill(uint8_t *buf, size_t len)
{
	dev.fills++;
	dev.buf = buf;
	dev.len = len;
	return dev.rc;
}

static unsigned irqs, irq_line;

static void fake_irq(unsigned line)
{
	irqs++;
	irq_line = line;
}

static const struct rng_source fake_source = { fake_fill, fake_irq };

/* The device writes the bytes asked (1, 2, 3, ...) and reports len. */
static void device_done(size_t reported)
{
	for (size_t i = 0; i < dev.len; i++)
		dev.buf[i] = ++dev.next;
	rng_source_done(reported);
}

/* ---- fixtures ---- */

static int setup(void **st)
{
	(void)st;
	fakes_reset();
	rng_reset();
	memset(&dev, 0, sizeof(dev));
	rng_attach(&fake_source);
	return 0;
}

static struct proc *mkproc(unsigned i)
{
	struct proc *p = fakes_proc(i, 0);
	struct task t;

	assert_true(upcall_pop(p, &t)); /* the entry call */
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	memset((void *)p->mem_start, GUARD, BRK);
	return p;
}

static uint8_t *ram(const struct proc *p, size_t off)
{
	return (uint8_t *)(p->mem_start + off);
}

static void subscribe(struct proc *p)
{
	uintptr_t of, ou;

	assert_int_equal(grant_subscribe(p, &rng_driver, 0, UPCALL_FN,
					 UPCALL_UD, &of, &ou),
			 KERR_OK);
}

static enum kerr allow(struct proc *p, size_t off, size_t len)
{
	struct pbuf old;

	return allow_rw(p, RNG_DRIVER_NUM, 0, p->mem_start + off, len, &old);
}

/* A process with the upcall subscribed and len bytes at offset 64. */
static struct proc *client(unsigned i, size_t len)
{
	struct proc *p = mkproc(i);

	subscribe(p);
	assert_int_equal(allow(p, 64, len), KERR_OK);
	return p;
}

static struct sysret cmd(struct proc *p, uint32_t c, uintptr_t a)
{
	uintptr_t more[2] = { 0, 0 };
	cmdret_t r = rng_driver.command(p, c, a, 0, more);

	return (struct sysret){ cmdret_variant(r),
				{ cmdret_value(r), more[0], more[1] } };
}

static void assert_status(struct sysret r, enum kerr e)
{
	if (e == KERR_OK) {
		assert_int_equal(r.variant, SYS_SUCCESS);
		return;
	}
	assert_int_equal(r.variant, SYS_FAILURE);
	assert_int_equal(r.v[0], kerr_abi(e));
}

/* The oldest queued done upcall must be (0, n, 0). */
static void assert_done(struct proc *p, uint32_t n)
{
	struct task t;

	assert_true(upcall_take(p, RNG_DRIVER_NUM, 0, &t));
	assert_int_equal(t.kind, TASK_UPCALL);
	assert_int_equal(t.fn, UPCALL_FN);
	assert_int_equal(t.userdata, UPCALL_UD);
	assert_int_equal(t.arg[0], 0);
	assert_int_equal(t.arg[1], n);
	assert_int_equal(t.arg[2], 0);
}

static void assert_no_done(struct proc *p)
{
	struct task t;

	assert_false(upcall_take(p, RNG_DRIVER_NUM, 0, &t));
}

/* Bytes [off, off + n) of p's RAM hold 1.. from the device's first fill. */
static void assert_random(struct proc *p, size_t off, size_t n, uint8_t first)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(*ram(p, off + i), (uint8_t)(first + i));
}

static void assert_untouched(struct proc *p, size_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(*ram(p, off + i), GUARD);
}

/* ==== commands ==== */

static void command_0_is_nodevice_without_a_device(void **st)
{
	struct proc *p = mkproc(0);

	(void)st;
	rng_attach(NULL);
	assert_status(cmd(p, 0, 0), KERR_NODEVICE);
	assert_status(cmd(p, 1, 8), KERR_NODEVICE);
	assert_status(cmd(p, 2, 0), KERR_NODEVICE);
	assert_int_equal(dev.fills, 0);
}

static void irq_hook_passes_interrupts_to_the_device(void **st)
{
	(void)st;
	irqs = 0;
	rng_driver.irq(5);
	assert_int_equal(irqs, 1);
	assert_int_equal(irq_line, 5);
	rng_attach(NULL);
	rng_driver.irq(5); /* no device: nothing to pass on */
	assert_int_equal(irqs, 1);
}

static void command_0_succeeds_and_others_are_nosupport(void **st)
{
	struct proc *p = mkproc(0);
	static const uint32_t bad[] = { 2, 3, 0x10, UINT32_MAX };

	(void)st;
	assert_status(cmd(p, 0, 0), KERR_OK);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_status(cmd(p, bad[i], 8), KERR_NOSUPPORT);
	assert_int_equal(dev.fills, 0);
}

/* ==== one request ==== */

static void request_fills_the_buffer_and_upcalls_0_count_0(void **st)
{
	struct proc *p = client(0, 32);

	(void)st;
	assert_status(cmd(p, 1, 32), KERR_OK);
	assert_int_equal(dev.fills, 1);
	assert_int_equal(dev.len, 32);
	assert_no_done(p);
	device_done(32);
	assert_done(p, 32);
	assert_random(p, 64, 32, 1);
	assert_untouched(p, 0, 64);
	assert_untouched(p, 96, 64);
	assert_int_equal(dev.fills, 1); /* nothing more wanted */
}

static void long_request_takes_several_chunks(void **st)
{
	struct proc *p = client(0, 200);

	(void)st;
	assert_status(cmd(p, 1, 150), KERR_OK);
	assert_int_equal(dev.len, RNG_CHUNK);
	device_done(RNG_CHUNK);
	assert_no_done(p);
	assert_int_equal(dev.len, RNG_CHUNK);
	device_done(RNG_CHUNK);
	assert_int_equal(dev.len, 150 - 2 * RNG_CHUNK);
	device_done(150 - 2 * RNG_CHUNK);
	assert_done(p, 150);
	assert_random(p, 64, 150, 1);
	assert_untouched(p, 64 + 150, 50);
	assert_int_equal(dev.fills, 3);
}

static void request_larger_than_the_buffer_fills_the_buffer(void **st)
{
	struct proc *p = client(0, 16);

	(void)st;
	assert_status(cmd(p, 1, 100), KERR_OK);
	device_done(dev.len);
	assert_done(p, 16);
	assert_random(p, 64, 16, 1);
	assert_untouched(p, 80, 64);
}

static void full_width_length_is_never_a_truncated_alias(void **st)
{
	struct proc *p = client(0, 16);
	/* 2^32 + 5 on 64-bit registers: truncated, it would ask 5 bytes */
	uintptr_t n = (uintptr_t)((UINTPTR_MAX > UINT32_MAX)
					  ? ((uint64_t)1 << 32) + 5
					  : UINT32_MAX);

	(void)st;
	assert_status(cmd(p, 1, n), KERR_OK);
	assert_int_equal(dev.len, RNG_CHUNK);
	device_done(dev.len);
	assert_done(p, 16);
	assert_random(p, 64, 16, 1);
	/* and the largest value of all */
	assert_status(cmd(p, 1, UINTPTR_MAX), KERR_OK);
	device_done(dev.len);
	assert_done(p, 16);
}

static void request_of_0_bytes_completes_at_once(void **st)
{
	struct proc *p = client(0, 16);

	(void)st;
	assert_status(cmd(p, 1, 0), KERR_OK);
	assert_done(p, 0);
	assert_int_equal(dev.fills, 0);
	assert_untouched(p, 64, 16);
}

static void second_request_while_one_is_pending_is_busy(void **st)
{
	struct proc *p = client(0, 16);

	(void)st;
	assert_status(cmd(p, 1, 8), KERR_OK);
	assert_status(cmd(p, 1, 8), KERR_BUSY);
	assert_status(cmd(p, 1, 0), KERR_BUSY);
	assert_int_equal(dev.fills, 1);
	device_done(8);
	assert_done(p, 8);
	assert_no_done(p);
	/* and free again after the upcall */
	assert_status(cmd(p, 1, 4), KERR_OK);
	device_done(4);
	assert_done(p, 4);
	assert_random(p, 64, 4, 9);
}

/* ==== allow sizes ==== */

static void no_buffer_gets_0_bytes(void **st)
{
	struct proc *p = mkproc(0);

	(void)st;
	subscribe(p);
	assert_status(cmd(p, 1, 8), KERR_OK);
	device_done(dev.len);
	assert_done(p, 0);
	assert_untouched(p, 0, BRK);
}

static void buffer_of_1_byte_gets_1_byte(void **st)
{
	struct proc *p = client(0, 1);

	(void)st;
	assert_status(cmd(p, 1, 64), KERR_OK);
	device_done(dev.len);
	assert_done(p, 1);
	assert_random(p, 64, 1, 1);
	assert_untouched(p, 65, 64);
}

static void huge_allows_are_refused_and_change_nothing(void **st)
{
	struct proc *p = client(0, 8);
	static const size_t huge[] = { BRK, SIZE_MAX, SIZE_MAX - 63,
				       (size_t)1 << 31 };

	(void)st;
	for (unsigned i = 0; i < sizeof(huge) / sizeof(huge[0]); i++)
		assert_int_not_equal(allow(p, 64, huge[i]), KERR_OK);
	/* the 8-byte buffer is still the one allowed */
	assert_status(cmd(p, 1, 100), KERR_OK);
	device_done(dev.len);
	assert_done(p, 8);
	assert_untouched(p, 72, 64);
}

/* ==== a buffer that changes mid-request ==== */

static void buffer_revoked_mid_request_gets_nothing(void **st)
{
	struct proc *p = client(0, 32);

	(void)st;
	assert_status(cmd(p, 1, 32), KERR_OK);
	assert_int_equal(allow(p, 0, 0), KERR_OK); /* revoke */
	device_done(32);
	assert_done(p, 0);
	assert_untouched(p, 0, BRK);
	/* the device goes on serving */
	assert_int_equal(allow(p, 64, 8), KERR_OK);
	assert_status(cmd(p, 1, 8), KERR_OK);
	device_done(8);
	assert_done(p, 8);
}

static void buffer_swapped_for_a_shorter_one_ends_with_nothing(void **st)
{
	struct proc *p = client(0, 128);

	(void)st;
	assert_status(cmd(p, 1, 128), KERR_OK);
	device_done(RNG_CHUNK);
	/* 64 written; the new buffer is shorter than that */
	assert_int_equal(allow(p, 512, 32), KERR_OK);
	device_done(RNG_CHUNK);
	assert_done(p, 0);
	assert_untouched(p, 512, 64);
}

static void buffer_shrunk_mid_request_is_filled_to_its_end(void **st)
{
	struct proc *p = client(0, 128);

	(void)st;
	assert_status(cmd(p, 1, 128), KERR_OK);
	device_done(RNG_CHUNK);
	/* same start, 80 bytes: 16 more fit */
	assert_int_equal(allow(p, 64, 80), KERR_OK);
	device_done(dev.len);
	assert_done(p, 80);
	assert_untouched(p, 64 + 80, 64);
}

/* ==== hostile device ==== */

static void device_reporting_more_than_asked_writes_only_what_was_asked(
	void **st)
{
	struct proc *p = client(0, 8);
	static const size_t lies[] = { 9, 1000, SIZE_MAX };

	(void)st;
	for (unsigned i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		assert_status(cmd(p, 1, 8), KERR_OK);
		assert_int_equal(dev.len, 8);
		device_done(lies[i]);
		assert_done(p, 8);
		assert_untouched(p, 72, 256);
	}
}

static void device_reporting_more_than_a_chunk_copies_one_chunk(void **st)
{
	struct proc *p = client(0, 256);

	(void)st;
	assert_status(cmd(p, 1, 256), KERR_OK);
	assert_int_equal(dev.len, RNG_CHUNK);
	/* believed, it would copy kernel memory past the chunk buffer */
	device_done(100000);
	assert_no_done(p);
	assert_random(p, 64, RNG_CHUNK, 1);
	assert_untouched(p, 64 + RNG_CHUNK, 256 - RNG_CHUNK);
}

static void device_reporting_fewer_bytes_is_asked_again(void **st)
{
	struct proc *p = client(0, 16);

	(void)st;
	assert_status(cmd(p, 1, 16), KERR_OK);
	device_done(0);
	assert_no_done(p);
	assert_int_equal(dev.fills, 2);
	device_done(5); /* writes 16, says 5 */
	assert_no_done(p);
	assert_int_equal(dev.len, 11);
	device_done(11);
	assert_done(p, 16);
}

static void spurious_completion_is_ignored(void **st)
{
	struct proc *p = client(0, 16);

	(void)st;
	rng_source_done(16);
	assert_no_done(p);
	assert_untouched(p, 64, 16);
	assert_int_equal(dev.fills, 0);
}

static void failed_fill_is_retried_at_the_next_request(void **st)
{
	struct proc *p = client(0, 16), *q = client(1, 16);

	(void)st;
	dev.rc = KERR_BUSY;
	assert_status(cmd(p, 1, 16), KERR_OK);
	assert_int_equal(dev.fills, 1);
	dev.rc = KERR_OK;
	assert_status(cmd(q, 1, 16), KERR_OK);
	assert_int_equal(dev.fills, 2);
	device_done(16);
	assert_done(p, 16); /* the older request first */
	device_done(16);
	assert_done(q, 16);
}

/* ==== several processes ==== */

static void several_processes_are_served_in_request_order(void **st)
{
	struct proc *a = client(0, 16), *b = client(1, 16), *c = client(2, 16);

	(void)st;
	assert_status(cmd(b, 1, 16), KERR_OK);
	assert_status(cmd(c, 1, 16), KERR_OK);
	assert_status(cmd(a, 1, 16), KERR_OK);
	assert_int_equal(dev.fills, 1);
	device_done(16);
	assert_done(b, 16);
	assert_no_done(a);
	assert_no_done(c);
	device_done(16);
	assert_done(c, 16);
	device_done(16);
	assert_done(a, 16);
	assert_random(b, 64, 16, 1);
	assert_random(c, 64, 16, 17);
	assert_random(a, 64, 16, 33);
	assert_int_equal(dev.fills, 3);
}

static void process_dying_mid_request_leaves_the_device_usable(void **st)
{
	struct proc *a = client(0, 16), *b = client(1, 16);

	(void)st;
	assert_status(cmd(a, 1, 16), KERR_OK);
	proc_terminate(a, 0);
	assert_status(cmd(b, 1, 16), KERR_OK);
	assert_int_equal(dev.fills, 1); /* a's fill is still in flight */
	device_done(16);
	/* the bytes a asked for go to b, nobody gets them twice */
	assert_done(b, 16);
	assert_random(b, 64, 16, 1);
	assert_int_equal(dev.fills, 1);
	assert_status(cmd(b, 1, 16), KERR_OK);
	device_done(16);
	assert_done(b, 16);
}

static void dead_process_alone_completes_into_nothing(void **st)
{
	struct proc *a = client(0, 16);

	(void)st;
	assert_status(cmd(a, 1, 16), KERR_OK);
	proc_terminate(a, 0);
	device_done(16);
	assert_int_equal(dev.fills, 1);
	/* a dead process cannot ask: its grant is gone */
	assert_int_not_equal(cmd(a, 1, 16).variant, SYS_SUCCESS);
	assert_int_equal(dev.fills, 1);
}

static void restarted_process_starts_afresh(void **st)
{
	struct proc *a = client(0, 16);
	struct task t;

	(void)st;
	assert_status(cmd(a, 1, 16), KERR_OK);
	proc_terminate(a, 0);
	assert_int_equal(proc_restart(a), KERR_OK);
	assert_true(upcall_pop(a, &t));
	assert_int_equal(proc_brk(a, a->mem_start + BRK), KERR_OK);
	memset(ram(a, 0), GUARD, BRK);
	subscribe(a);
	assert_int_equal(allow(a, 64, 16), KERR_OK);
	/* not BUSY: the request died with the old incarnation */
	assert_status(cmd(a, 1, 8), KERR_OK);
	device_done(16); /* the old incarnation's fill */
	assert_done(a, 8);
	assert_untouched(a, 72, 8);
	assert_no_done(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(command_0_is_nodevice_without_a_device),
		T(command_0_succeeds_and_others_are_nosupport),
		T(irq_hook_passes_interrupts_to_the_device),
		T(request_fills_the_buffer_and_upcalls_0_count_0),
		T(long_request_takes_several_chunks),
		T(request_larger_than_the_buffer_fills_the_buffer),
		T(full_width_length_is_never_a_truncated_alias),
		T(request_of_0_bytes_completes_at_once),
		T(second_request_while_one_is_pending_is_busy),
		T(no_buffer_gets_0_bytes),
		T(buffer_of_1_byte_gets_1_byte),
		T(huge_allows_are_refused_and_change_nothing),
		T(buffer_revoked_mid_request_gets_nothing),
		T(buffer_swapped_for_a_shorter_one_ends_with_nothing),
		T(buffer_shrunk_mid_request_is_filled_to_its_end),
		T(device_reporting_more_than_asked_writes_only_what_was_asked),
		T(device_reporting_more_than_a_chunk_copies_one_chunk),
		T(device_reporting_fewer_bytes_is_asked_again),
		T(spurious_completion_is_ignored),
		T(failed_fill_is_retried_at_the_next_request),
		T(several_processes_are_served_in_request_order),
		T(process_dying_mid_request_leaves_the_device_usable),
		T(dead_process_alone_completes_into_nothing),
		T(restarted_process_starts_afresh),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
