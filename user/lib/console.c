// SPDX-License-Identifier: MIT
/*
 * Tern userspace: console driver helpers (see user/lib/console.h).
 */
#include "user/lib/console.h"

int console_write_start(const void *buf, size_t len, sys_upcall_fn cb,
			void *ud)
{
	struct sys_return r;

	r = sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_WRITE, cb, ud);
	if (!sys_ok(r))
		return -(int)sys_err(r);
	r = sys_allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_RO_WRITE, buf, len);
	if (!sys_ok(r))
		return -(int)sys_err(r);
	r = sys_command(CONSOLE_DRIVER, CONSOLE_CMD_WRITE, len, 0);
	if (!sys_ok(r))
		return -(int)sys_err(r);
	return 0;
}

int console_write(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t done = 0;
	int rc = 0;

	while (done < len) {
		struct sys_return r;
		size_t n = len - done;

		r = sys_allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_RO_WRITE,
				 p + done, n);
		if (!sys_ok(r)) {
			rc = -(int)sys_err(r);
			break;
		}
		r = sys_command(CONSOLE_DRIVER, CONSOLE_CMD_WRITE, n, 0);
		if (!sys_ok(r)) {
			rc = -(int)sys_err(r);
			break;
		}
		/* the write-done upcall's first value is the byte count */
		r = sys_yield_wait_for(CONSOLE_DRIVER, CONSOLE_SUB_WRITE);
		if (r.v[0] == 0 || r.v[0] > n)
			break; /* no progress, or nonsense: don't spin */
		done += r.v[0];
	}
	/* take the buffer back so the kernel can no longer read it */
	sys_allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_RO_WRITE, NULL, 0);
	return done == 0 && rc != 0 ? rc : (int)done;
}

int console_read_start(void *buf, size_t len, sys_upcall_fn cb, void *ud)
{
	struct sys_return r;

	r = sys_subscribe(CONSOLE_DRIVER, CONSOLE_SUB_READ, cb, ud);
	if (!sys_ok(r))
		return -(int)sys_err(r);
	r = sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, buf, len);
	if (!sys_ok(r))
		return -(int)sys_err(r);
	r = sys_command(CONSOLE_DRIVER, CONSOLE_CMD_READ, len, 0);
	if (!sys_ok(r))
		return -(int)sys_err(r);
	return 0;
}

int console_read(void *buf, size_t len)
{
	struct sys_return r;
	int rc;

	r = sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, buf, len);
	if (!sys_ok(r))
		return -(int)sys_err(r);
	r = sys_command(CONSOLE_DRIVER, CONSOLE_CMD_READ, len, 0);
	if (!sys_ok(r)) {
		rc = -(int)sys_err(r);
	} else {
		/* read-done: (status, bytes_read, 0) */
		r = sys_yield_wait_for(CONSOLE_DRIVER, CONSOLE_SUB_READ);
		rc = r.v[0] != 0 && r.v[1] == 0 ? -(int)r.v[0] : (int)r.v[1];
	}
	sys_allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_RW_READ, NULL, 0);
	return rc;
}

int console_abort_read(void)
{
	struct sys_return r;

	r = sys_command(CONSOLE_DRIVER, CONSOLE_CMD_ABORT_READ, 0, 0);
	return sys_ok(r) ? 0 : -(int)sys_err(r);
}
