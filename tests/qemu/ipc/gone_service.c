// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios ipc_gone_*, the service.  It answers the client's hello
 * (a notification with nothing shared) and the round trip that follows
 * (reads PING in the shared buffer, writes PONG, replies).  Then it waits
 * until the incarnation that shared the buffer has ended: the client is
 * gone (discovery by its name fails, polled every 5 ms) or a new
 * incarnation says hello.  It reads the old buffer then, which must
 * fault (the kernel revoked the exposure when the sharer's incarnation
 * ended).  Restarted after that fault, the new service incarnation has no
 * old buffer: it ends the scenario (KTEST PASS) when the client is gone,
 * or when the client's new incarnation shares a buffer marked BYE.
 */
#include <stdbool.h>

#include "tests/qemu/ipc/ipc.h"
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

static volatile uint32_t got, from, len;
static volatile uintptr_t addr;

static void notified(uint32_t client, uint32_t l, uint32_t a, void *ud)
{
	(void)ud;
	from = client;
	len = l;
	addr = a;
	got = 1;
}

/* Discover the name allowed last: its index, or -1 if none is alive. */
static int32_t discover(void)
{
	struct sys_return r = sys_command(IPC_DRV, IPC_DISCOVER, 0, 0);

	return r.variant == SYS_SUCCESS_U32 ? (int32_t)r.v[0] : -1;
}

/* Until a notification (true) or the client is gone (false). */
static bool wait_event(void)
{
	got = 0;
	for (;;) {
		if (got)
			return true;
		if (discover() < 0)
			return false;
		alarm_delay_ms(5);
	}
}

int main(void)
{
	static const char name[] = SERVICE_NAME, client[] = CLIENT_NAME;
	volatile uint32_t *old = NULL;
	int32_t me;
	bool note;

	ktest_check(sys_ok(sys_allow_ro(IPC_DRV, 0, name, sizeof(name) - 1)),
		    "allow its own name");
	me = discover();
	if (!ktest_check(me >= 0, "discover itself"))
		return ktest_done(SCENARIO);
	ktest_check(sys_ok(sys_subscribe(IPC_DRV, (uint32_t)me, notified,
					 NULL)),
		    "subscribe with its own index %d", (int)me);
	/* from now on discovery polls the client */
	ktest_check(sys_ok(sys_allow_ro(IPC_DRV, 0, client,
					sizeof(client) - 1)),
		    "allow the client's name");
	for (;;) {
		note = wait_event();
		if (old == NULL && !note) {
			tern_printf("ipc_service: incarnation without a "
				    "buffer: the client is gone, done\n");
			return ktest_done(SCENARIO);
		}
		if (old == NULL && len == 0) {
			/* hello: answer, sharing nothing */
			ktest_check(sys_ok(sys_command(IPC_DRV,
						       IPC_NOTIFY_CLIENT,
						       from, 0)),
				    "answer the hello");
			continue;
		}
		if (old == NULL && ((volatile uint32_t *)addr)[0] == BYE) {
			tern_printf("ipc_service: incarnation without a "
				    "buffer: bye from a new client, done\n");
			return ktest_done(SCENARIO);
		}
		if (old == NULL) {
			old = (volatile uint32_t *)addr;
			tern_printf("ipc_service: client %u shares %u bytes, "
				    "reads 0x%x\n", (unsigned)from,
				    (unsigned)len, (unsigned)old[0]);
			if (old[0] != PING)
				tern_printf("ipc_service: KTEST FAIL no PING\n");
			old[0] = PONG;
			ktest_check(sys_ok(sys_command(IPC_DRV,
						       IPC_NOTIFY_CLIENT,
						       from, 0)),
				    "notify the client");
			continue;
		}
		tern_printf("ipc_service: the client %s: reading its old "
			    "buffer %p\n", note ? "said hello again" :
			    "is gone", (void *)old);
		tern_printf("ipc_service: KTEST FAIL read 0x%x from a revoked "
			    "buffer\n", (unsigned)old[0]);
		old[1] = 0xbad;
		tern_printf("ipc_service: KTEST FAIL wrote to a revoked "
			    "buffer\n");
		return 1;
	}
}
