// SPDX-License-Identifier: MIT
/*
 * QEMU scenario "hello": the c_hello sequence (doc/abi.md §10.1, §10).
 *
 * Writes "Hello from Tern" with the asynchronous console path (subscribe,
 * read-only allow, command 1, Yield-Wait) and checks that the write-done
 * upcall reports exactly the bytes asked for, as (n, 0, 0) with our
 * userdata, and that it ran inside the Yield-Wait and not before.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

static const char msg[] = "Hello from Tern\n";

static struct {
	volatile int calls;
	uint32_t n, a1, a2;
	void *ud;
} done;

static int cookie;

static void wrote(uint32_t n, uint32_t a1, uint32_t a2, void *ud)
{
	done.n = n;
	done.a1 = a1;
	done.a2 = a2;
	done.ud = ud;
	done.calls++;
}

int main(void)
{
	const uint32_t len = sizeof(msg) - 1;
	int rc = console_write_start(msg, len, wrote, &cookie);
	int calls_before_yield = done.calls;

	if (rc == 0)
		sys_yield_wait();
	/* results first: the checks below print through the same console */
	ktest_check(rc == 0, "async write starts (%d)", rc);
	ktest_check(calls_before_yield == 0, "no upcall before the yield");
	ktest_check(done.calls == 1, "one write-done upcall in Yield-Wait (%d)",
		    done.calls);
	ktest_check(done.n == len, "upcall reports %" PRIu32 " bytes (%" PRIu32
				   ")", len, done.n);
	ktest_check(done.a1 == 0 && done.a2 == 0,
		    "upcall args 2 and 3 are 0 (%" PRIu32 ", %" PRIu32 ")",
		    done.a1, done.a2);
	ktest_check(done.ud == &cookie, "userdata comes back");
	return ktest_done("hello");
}
