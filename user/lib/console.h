/* SPDX-License-Identifier: MIT */
/*
 * Tern userspace: the console driver, number 0x1 (spec §9.1).
 *
 * Two ways to write.  console_write_start() is the asynchronous path
 * (subscribe, read-only allow, command 1); the caller then yields and its
 * callback gets (bytes_written, 0, 0).  console_write() is the synchronous
 * path libtock-c's printf uses: allow, command 1, Yield-WaitFor(1, 1),
 * un-allow; it needs no subscription and leaves any existing one alone.
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
