/* SPDX-License-Identifier: MIT */
/*
 * Tern userspace: the console driver, number 0x1 (doc/abi.md §10.1).
 *
 * Two ways to write.  console_write_start() is the asynchronous path
 * (subscribe, read-only allow, command 1); the caller then yields and its
 * callback gets (bytes_written, 0, 0).  console_write() is the synchronous
 * path libtock-c's printf uses: allow, command 1, Yield-WaitFor(1, 1),
 * un-allow; it needs no subscription and leaves any existing one alone.
 *
 * Reading mirrors it: console_read_start() (subscribe, read-write allow,
 * command 2; the callback gets (status, bytes_read, 0)), console_read()
 * blocking in Yield-WaitFor(1, 2), and console_abort_read() (command 3).
 * One read is active system-wide; a second gets -SYS_EBUSY.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "user/lib/sys.h"

#define CONSOLE_DRIVER 0x1u

enum console_cmd {
	CONSOLE_CMD_EXISTS = 0,
	CONSOLE_CMD_WRITE = 1,
	CONSOLE_CMD_READ = 2,
	CONSOLE_CMD_ABORT_READ = 3,
};

enum console_sub {
	CONSOLE_SUB_WRITE = 1, /* (bytes_written, 0, 0) */
	CONSOLE_SUB_READ = 2,  /* (status, bytes_read, 0) */
};

#define CONSOLE_ALLOW_RO_WRITE 1u /* text to write */
#define CONSOLE_ALLOW_RW_READ 1u  /* receive buffer */

/*
 * Start writing buf[0..len) and return; cb(bytes_written, 0, 0, ud) runs at
 * a later yield.  buf stays allowed (the caller must not reuse it) until the
 * callback.  Returns 0 or -error (the first failing call's error).
 */
int console_write_start(const void *buf, size_t len, sys_upcall_fn cb,
			void *ud);

/*
 * Write all of buf[0..len), blocking in Yield-WaitFor.  Returns the bytes
 * written (less than len only if the console stopped taking bytes) or
 * -error if nothing could be started.
 */
int console_write(const void *buf, size_t len);

/*
 * Start reading up to len bytes into buf and return; cb(status, bytes_read,
 * 0, ud) runs at a later yield, status 0 or an error (SYS_ECANCEL after an
 * abort, SYS_ESIZE, SYS_ENOMEM).  buf stays allowed until the callback.
 * Returns 0 or -error (-SYS_EBUSY while any read is active, -SYS_EINVAL for
 * more than the kernel's receive buffer).
 */
int console_read_start(void *buf, size_t len, sys_upcall_fn cb, void *ud);

/*
 * Read exactly len bytes into buf, blocking in Yield-WaitFor(1, 2), then
 * take the buffer back.  Returns the bytes read or -error (a failed start,
 * or a read that ended with an error status and no bytes).
 */
int console_read(void *buf, size_t len);

/* Abort the active read (its callback reports what arrived); 0 or -error. */
int console_abort_read(void);
