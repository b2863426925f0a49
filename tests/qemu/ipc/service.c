// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios ipc_unshare, ipc_swap and ipc_bystander, the service: finds
 * its own index by its name, subscribes with it, and answers the client's
 * notifications.  The first carries the client's buffer: it reads PING there,
 * writes PONG and replies.  The next comes after the client took the buffer
 * back (un-shared or swapped it): the service touches the old buffer again,
 * which must fault (the kernel revoked the exposure).  Restarted after that
 * fault, the new incarnation has no old buffer: the client's last notification
 * ends it.
 */
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

int main(void)
{
	static const char name[] = SERVICE_NAME;
	volatile uint32_t *old = NULL;
	struct sys_return r;
	uint32_t me;

	r = sys_allow_ro(IPC_DRV, 0, name, sizeof(name) - 1);
	ktest_check(sys_ok(r), "allow the name");
	r = sys_command(IPC_DRV, IPC_DISCOVER, 0, 0);
	if (!ktest_check(r.variant == SYS_SUCCESS_U32, "discover itself"))
		return ktest_done("ipc_service");
	me = (uint32_t)r.v[0];
	r = sys_subscribe(IPC_DRV, me, notified, NULL);
	ktest_check(sys_ok(r), "subscribe with its own index %u", (unsigned)me);
	for (;;) {
		got = 0;
		while (!got)
			sys_yield_wait();
		if (old == NULL && len == 0) {
			tern_printf("ipc_service: incarnation without a "
				    "buffer: done\n");
			return 0;
		}
		if (old == NULL) {
			old = (volatile uint32_t *)addr;
			tern_printf("ipc_service: client %u shares %u bytes, "
				    "reads 0x%x\n", (unsigned)from,
				    (unsigned)len, (unsigned)old[0]);
			if (old[0] != PING)
				tern_printf("ipc_service: KTEST FAIL no PING\n");
			old[0] = PONG;
			r = sys_command(IPC_DRV, IPC_NOTIFY_CLIENT, from, 0);
			ktest_check(sys_ok(r), "notify the client");
			continue;
		}
		tern_printf("ipc_service: touching the taken-back buffer %p\n",
			    (void *)old);
		old[1] = 0xbad;
		tern_printf("ipc_service: KTEST FAIL wrote to a revoked "
			    "buffer\n");
		return 1;
	}
}
