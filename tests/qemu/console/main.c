// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "console": the console driver, number 0x1, from userspace
 * (doc/abi.md §10.1), writes and interrupt-driven reads.
 *
 * Writes: the asynchronous path with its (bytes_written, 0, 0) upcall,
 * a2 shorter and longer than the buffer, nothing allowed, a buffer in RAM
 * and one in flash.  console.toml checks what reached the
 * console.
 *
 * Reads need typing: tests/run types each input once this process prints
 * the matching prompt line ("console: type ...").  While a read waits, no
 * process runs and no timer is armed, so the kernel sleeps in wfi and only
 * the UART interrupt, through the PLIC, can wake it.  Checked: INVAL above
 * the 64-byte kernel buffer, a 0-byte read, a full read (status, n, 0) that
 * leaves the rest of the buffer alone, BUSY for a second reader (the peer,
 * console/peer.c, tries while this read waits; its line is the prompt for
 * that input), abort with nothing and with 3 bytes received, a buffer that
 * shrinks mid-read (SIZE, what fits) and one taken back (SIZE, 0).
 */
#include <string.h>

#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define V(r) ((unsigned long)(r).variant)
#define X(v) ((unsigned long)(v))

static volatile unsigned wcalls, rcalls;
static uint32_t wgot[3], rgot[3];

static void write_done(uint32_t a, uint32_t b, uint32_t c, void *ud)
{
	(void)ud;
	wgot[0] = a, wgot[1] = b, wgot[2] = c;
	wcalls++;
}

static void read_done(uint32_t a, uint32_t b, uint32_t c, void *ud)
{
	(void)ud;
	rgot[0] = a, rgot[1] = b, rgot[2] = c;
	rcalls++;
}

static struct sys_return cmd(uint32_t c, uintptr_t a)
{
	return sys_command(CONSOLE_DRIVER, c, a, 0);
}

/* Yield-Wait until *counter moves; true if it moved by exactly one. */
static bool wait_for(volatile unsigned *counter)
{
	unsigned start = *counter;

	for (int i = 0; i < 1000 && *counter == start; i++)
		sys_yield_wait();
	return *counter == start + 1;
}

/* Run queued upcalls without blocking; how many ran. */
static unsigned drain(void)
{
	unsigned n = 0;
	uint8_t flag;

	for (;;) {
		flag = 0;
		sys_yield_no_wait(&flag);
		if (!flag)
			return n;
		n++;
	}
}

/* Asynchronous write of buf[0..len) with command 1's a2; the upcall. */
static bool write_async(const void *buf, size_t len, uint32_t a2)
{
	struct sys_return r;

	r = sys_allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_RO_WRITE, buf, len);
	if (!sys_ok(r))
		return false;
	r = cmd(CONSOLE_CMD_WRITE, a2);
	if (r.variant != SYS_SUCCESS)
		return false;
	return wait_for(&wcalls);
}

static void test_write(void)
{
	static const char hello[] = "console: hello from flash\n";
	static const char cut[] = "console: cut here|NOTSENT\n";
	static char ram_text[] = "console: hello from RAM\n";
	struct sys_return r;
	bool ok[5];
	uint32_t got[5];

	r = cmd(CONSOLE_CMD_EXISTS, 0);
	ktest_check(r.variant == SYS_SUCCESS, "command 0: Success (%lu)", V(r));
	sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_WRITE, write_done, NULL);

	/* the results are printed after the writes, so the lines stay whole */
	ok[0] = write_async(hello, sizeof(hello) - 1, sizeof(hello) - 1);
	got[0] = wgot[0];
	ok[1] = write_async(ram_text, sizeof(ram_text) - 1, 100000);
	got[1] = wgot[0];
	ok[2] = write_async(cut, sizeof(cut) - 1, 17);
	got[2] = wgot[0];
	ok[3] = write_async("\n", 1, 1);
	got[3] = wgot[0];
	ok[4] = write_async(NULL, 0, 10);
	got[4] = wgot[0];
	ktest_check(ok[0] && got[0] == sizeof(hello) - 1 && wgot[1] == 0 &&
			    wgot[2] == 0,
		    "write from flash: upcall (%lu, 0, 0)", X(got[0]));
	ktest_check(ok[1] && got[1] == sizeof(ram_text) - 1,
		    "write from RAM, a2 > length: all %lu bytes",
		    X(got[1]));
	ktest_check(ok[2] && got[2] == 17 && ok[3] && got[3] == 1,
		    "a2 < length: only a2 bytes (%lu)", X(got[2]));
	ktest_check(ok[4] && got[4] == 0,
		    "nothing allowed: Success, upcall (0, 0, 0) (%lu)",
		    X(got[4]));
	ktest_check(drain() == 0, "one upcall per write");
	r = cmd(9, 0);
	ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_ENOSUPPORT,
		    "command 9: NOSUPPORT");
}

static void test_read(void)
{
	static char big[100], buf[16];
	struct sys_return r;

	sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_READ, read_done, NULL);

	sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, big, sizeof(big));
	r = cmd(CONSOLE_CMD_READ, 65);
	ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_EINVAL,
		    "read of 65 bytes (> 64-byte kernel buffer): INVAL "
		    "(%lu, %lu)", V(r), X(r.v[0]));
	r = cmd(CONSOLE_CMD_READ, 0);
	ktest_check(r.variant == SYS_SUCCESS && wait_for(&rcalls) &&
			    rgot[0] == 0 && rgot[1] == 0 && rgot[2] == 0,
		    "read of 0 bytes: upcall (0, 0, 0) at once");

	/* a full read; the peer gets BUSY meanwhile and prompts the input */
	memset(buf, '#', sizeof(buf));
	sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, buf, sizeof(buf));
	r = cmd(CONSOLE_CMD_READ, 8);
	ktest_check(r.variant == SYS_SUCCESS, "read of 8 bytes: Success");
	r = cmd(CONSOLE_CMD_READ, 8);
	ktest_check(r.variant == SYS_FAILURE && r.v[0] == SYS_EBUSY,
		    "a second read while one is active: BUSY");
	ktest_check(wait_for(&rcalls) && rgot[0] == 0 && rgot[1] == 8 &&
			    rgot[2] == 0,
		    "read done: upcall (0, 8, 0): (%lu, %lu, %lu)", X(rgot[0]),
		    X(rgot[1]), X(rgot[2]));
	ktest_check(memcmp(buf, "hello123########", 16) == 0,
		    "the 8 typed bytes, the rest of the buffer untouched "
		    "(%.16s)", buf);

	/* abort with nothing received */
	r = cmd(CONSOLE_CMD_READ, 8);
	cmd(CONSOLE_CMD_ABORT_READ, 0);
	ktest_check(r.variant == SYS_SUCCESS && wait_for(&rcalls) &&
			    rgot[0] == SYS_ECANCEL && rgot[1] == 0,
		    "abort at once: upcall (CANCEL, 0, 0): (%lu, %lu)",
		    X(rgot[0]), X(rgot[1]));

	/* abort after 3 of 8 bytes */
	memset(buf, '#', sizeof(buf));
	r = cmd(CONSOLE_CMD_READ, 8);
	tern_puts("console: type xyz, then abort");
	alarm_delay_ms(1000); /* the kernel idles: real time passes */
	cmd(CONSOLE_CMD_ABORT_READ, 0);
	ktest_check(r.variant == SYS_SUCCESS && wait_for(&rcalls) &&
			    rgot[0] == SYS_ECANCEL && rgot[1] == 3 &&
			    memcmp(buf, "xyz#", 4) == 0,
		    "abort after 3 bytes: upcall (CANCEL, 3, 0): (%lu, %lu) "
		    "%.4s", X(rgot[0]), X(rgot[1]), buf);

	/* the buffer shrinks to 2 bytes mid-read: SIZE, what fits */
	memset(buf, '#', sizeof(buf));
	r = cmd(CONSOLE_CMD_READ, 8);
	sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, buf, 2);
	tern_puts("console: type 8 for a shrunk buffer");
	ktest_check(r.variant == SYS_SUCCESS && wait_for(&rcalls) &&
			    rgot[0] == SYS_ESIZE && rgot[1] == 2 &&
			    memcmp(buf, "ab###", 5) == 0,
		    "buffer shrunk to 2: upcall (SIZE, 2, 0): (%lu, %lu) %.5s",
		    X(rgot[0]), X(rgot[1]), buf);

	/*
	 * The buffer is taken back mid-read: the slot now holds an empty
	 * buffer, so nothing fits (SIZE, 0), as in Tock; NOMEM is for a
	 * buffer that can no longer be entered, which brk's allow mark
	 * keeps a live process from causing.
	 */
	memset(buf, '#', sizeof(buf));
	sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, buf, 8);
	r = cmd(CONSOLE_CMD_READ, 4);
	sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, NULL, 0);
	tern_puts("console: type 4 for a vanished buffer");
	ktest_check(r.variant == SYS_SUCCESS && wait_for(&rcalls) &&
			    rgot[0] == SYS_ESIZE && rgot[1] == 0 &&
			    memcmp(buf, "########", 8) == 0,
		    "buffer taken back: upcall (SIZE, 0, 0), buffer untouched "
		    "(%lu, %lu)", X(rgot[0]), X(rgot[1]));

	/* the synchronous helper */
	memset(buf, 0, sizeof(buf));
	tern_puts("console: type 5 for console_read");
	ktest_check(console_read(buf, 5) == 5 && memcmp(buf, "sync!", 6) == 0,
		    "console_read(): 5 bytes through Yield-WaitFor (%s)", buf);
	ktest_check(drain() == 0, "no upcall left over");
}

int main(void)
{
	test_write();
	test_read();
	return ktest_done("console");
}
