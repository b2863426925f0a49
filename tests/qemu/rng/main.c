// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios rng_fast and rng_slow (rng.toml) and rng_none
 * (rng_none.toml): the RNG driver, number 0x40001, over the virtio entropy
 * device (virt boards) or without one (HAVE_RNG 0: the HiFive1, and a
 * virt board booted without the device).
 *
 * With a device: command 0; a 32-byte request into a buffer with guard
 * bytes on both sides, upcall (0, 32, 0) and bytes that are not all zero;
 * BUSY for a second request in flight; two draws that differ; a request
 * larger than the buffer fills the buffer only; a buffer revoked while the
 * device works gets nothing; a request of 0 bytes; on 64-bit registers a
 * length of 2^32 + 4 that must fill an 8-byte buffer, not ask 4 bytes.
 * The peer (peer.c) draws at the same time and leaves with a request in
 * flight; this process's last request checks the device still serves.
 */
#include <string.h>

#include "user/lib/alarm.h"
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

/*
 * SLOW_DEVICE: the spec adds a rate-limited device (64 bytes per 50 ms)
 * that the kernel finds first, so a 256-byte request is still in flight at
 * the next instruction: BUSY and the revoke are then certain, not raced.
 */
#ifndef SLOW_DEVICE
#define SLOW_DEVICE 0
#endif

/* the rv64 check of a length of 2^32 + 4 (rng.toml turns it on) */
#ifndef CHECK_FULL_WIDTH
#define CHECK_FULL_WIDTH 0
#endif

#ifndef HAVE_RNG
#error "build with -DHAVE_RNG=0 or 1"
#endif
#ifndef SCENARIO
#define SCENARIO "rng"
#endif

#define RNG 0x40001u
#define GUARD 0xA5u

static uint8_t area[16 + 256 + 16]; /* guard, buffer, guard */
static uint8_t *const buf = area + 16;

static bool is_err(struct sys_return r, uint32_t e)
{
	return r.variant == SYS_FAILURE && r.v[0] == e;
}

static bool guards_intact(size_t len)
{
	for (size_t i = 0; i < 16; i++)
		if (area[i] != GUARD)
			return false;
	for (size_t i = 16 + len; i < sizeof(area); i++)
		if (area[i] != GUARD)
			return false;
	return true;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* Allow len bytes, ask for n, wait: the count the upcall reports. */
static uint32_t draw(size_t len, uintptr_t n, struct sys_return *cmd)
{
	struct sys_return r;

	memset(area, GUARD, sizeof(area));
	memset(buf, 0, len);
	sys_allow_rw(RNG, 0, len ? buf : NULL, len);
	*cmd = sys_command(RNG, 1, n, 0);
	if (cmd->variant != SYS_SUCCESS)
		return UINT32_MAX;
	r = sys_yield_wait_for(RNG, 0);
	if (r.v[0] != 0 || r.v[2] != 0)
		return UINT32_MAX - 1;
	return (uint32_t)r.v[1];
}

static void with_device(void)
{
	uint8_t first[32];
	struct sys_return c, r;
	uint32_t n;

	ktest_check(sys_command(RNG, 0, 0, 0).variant == SYS_SUCCESS,
		    "command 0: Success");
	ktest_check(is_err(sys_command(RNG, 2, 0, 0), SYS_ENOSUPPORT),
		    "command 2: NOSUPPORT");
	r = sys_subscribe(RNG, 0, NULL, NULL);
	ktest_check(r.variant == SYS_SUBSCRIBE_SUCCESS, "subscribe 0");

	n = draw(32, 32, &c);
	ktest_check(n == 32, "32 bytes asked: upcall (0, 32, 0) (got %lu)",
		    (unsigned long)n);
	ktest_check(!all_zero(buf, 32), "the 32 bytes are not all zero");
	ktest_check(guards_intact(32), "nothing written around the buffer");
	memcpy(first, buf, 32);
	n = draw(32, 32, &c);
	ktest_check(n == 32 && memcmp(first, buf, 32) != 0,
		    "a second draw of 32 bytes differs from the first");

	/*
	 * QEMU's device may answer before the next instruction: the second
	 * request is BUSY if the first is still in flight, and otherwise
	 * must be a request of its own with its own upcall.
	 */
	memset(area, GUARD, sizeof(area));
	sys_allow_rw(RNG, 0, buf, 256);
	c = sys_command(RNG, 1, 256, 0);
	r = sys_command(RNG, 1, 256, 0);
	if (is_err(r, SYS_EBUSY)) {
		struct sys_return u = sys_yield_wait_for(RNG, 0);

		ktest_check(c.variant == SYS_SUCCESS && u.v[1] == 256,
			    "second request in flight: BUSY; the first "
			    "completes with 256");
	} else if (!SLOW_DEVICE) {
		struct sys_return u1 = sys_yield_wait_for(RNG, 0);
		struct sys_return u2 = sys_yield_wait_for(RNG, 0);

		ktest_check(r.variant == SYS_SUCCESS && u1.v[1] == 256 &&
				    u2.v[1] == 256,
			    "second request after the first completed: "
			    "two upcalls of 256");
	} else {
		ktest_check(false, "second request in flight: BUSY (got %lu)",
			    (unsigned long)r.variant);
	}

	n = draw(16, 200, &c);
	ktest_check(n == 16 && guards_intact(16),
		    "200 bytes into a 16-byte buffer: 16 written, no more");

	n = draw(1, 1, &c);
	ktest_check(n == 1 && guards_intact(1), "a 1-byte buffer: 1 byte");

	n = draw(32, 0, &c);
	ktest_check(n == 0 && all_zero(buf, 32),
		    "0 bytes asked: upcall (0, 0, 0), nothing written");

	memset(area, GUARD, sizeof(area));
	memset(buf, 0, 256);
	sys_allow_rw(RNG, 0, buf, 256);
	c = sys_command(RNG, 1, 256, 0);
	sys_allow_rw(RNG, 0, NULL, 0); /* revoked while the device works */
	r = sys_yield_wait_for(RNG, 0);
	/* (unless the device was quicker: then all of it came before) */
	ktest_check(c.variant == SYS_SUCCESS && guards_intact(256) &&
			    ((r.v[1] == 0 && all_zero(buf, 256)) ||
			     (!SLOW_DEVICE && r.v[1] == 256 &&
			      !all_zero(buf, 256))),
		    "buffer revoked mid-request: (0, 0, 0) and nothing "
		    "written (count %lu)",
		    (unsigned long)r.v[1]);

	if (CHECK_FULL_WIDTH && UINTPTR_MAX > UINT32_MAX) {
		uintptr_t big = (uintptr_t)(((uint64_t)1 << 32) + 4);

		n = draw(8, big, &c);
		ktest_check(n == 8 && guards_intact(8),
			    "2^32 + 4 bytes asked into 8: 8 written (a "
			    "truncated length would give 4; got %lu)",
			    (unsigned long)n);
	}

	/* the peer leaves with a request in flight well before this */
	alarm_delay_ms(100);
	n = draw(32, 32, &c);
	ktest_check(n == 32 && !all_zero(buf, 32),
		    "after the peer died mid-request: 32 bytes again");
}

int main(void)
{
	if (HAVE_RNG) {
		with_device();
	} else {
		ktest_check(is_err(sys_command(RNG, 0, 0, 0), SYS_ENODEVICE),
			    "command 0: NODEVICE (no entropy device)");
		ktest_check(is_err(sys_command(RNG, 1, 8, 0), SYS_ENODEVICE),
			    "command 1: NODEVICE");
	}
	return ktest_done(SCENARIO);
}
