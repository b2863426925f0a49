// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios ipc_unshare, ipc_swap and ipc_bystander, the client.  First
 * what sharing refuses at allow time (kernel memory, another process's RAM, its
 * own grant region) and, where Sv39 protects, a buffer that is not whole pages
 * (refused at notify).  Then a round trip: it shares a buffer with the service,
 * writes PING, notifies, and on the reply finds PONG, written by the service in
 * place (the kernel copies nothing).  Then it takes the buffer back
 * (-DTAKE_BACK: 0 un-share, 1 swap for another buffer) and notifies again: the
 * service's next access to the old buffer faults, and the client goes on.  Last
 * it ends the restarted service with a notification that carries no buffer.
 */
#include <stdint.h>

#include "tests/qemu/ipc/ipc.h"
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

static volatile uint32_t buf[BUF_SIZE / 4] __attribute__((aligned(BUF_ALIGN)));
static volatile uint32_t other[BUF_SIZE / 4]
	__attribute__((aligned(BUF_ALIGN)));
static volatile uint32_t replied, reply_len;

static void reply(uint32_t service, uint32_t l, uint32_t a, void *ud)
{
	(void)service;
	(void)a;
	(void)ud;
	reply_len = l;
	replied = 1;
}

/* A share of [a, a + n) must fail at allow time with INVAL. */
static void refused(uint32_t svc, uintptr_t a, size_t n, const char *what)
{
	struct sys_return r = sys_allow_rw(IPC_DRV, svc, (void *)a, n);

	ktest_check(!sys_ok(r) && sys_err(r) == SYS_EINVAL,
		    "sharing %s is refused (error %u)", what,
		    (unsigned)sys_err(r));
}

static void notify(uint32_t svc, const char *what)
{
	ktest_check(sys_ok(sys_command(IPC_DRV, IPC_NOTIFY_SERVICE, svc, 0)),
		    "notify the service: %s", what);
}

int main(void)
{
	uintptr_t grant = sys_memop(MEMOP_GRANT_START, 0).v[0];
	uint32_t svc = ipc_discover_service();
	struct sys_return r;

	ktest_check(sys_ok(sys_subscribe(IPC_DRV, svc, reply, NULL)),
		    "subscribe to the service's replies");
	refused(svc, KERNEL_RAM, 16, "kernel memory");
	refused(svc, PEER_RAM, 16, "the service's RAM");
	refused(svc, grant, 16, "its own grant region");
#if PAGE_TABLES
	/* the page rule: a part of a page is never exposed */
	ktest_check(sys_ok(sys_allow_rw(IPC_DRV, svc, (void *)&buf[2], 64)),
		    "share part of a page");
	r = sys_command(IPC_DRV, IPC_NOTIFY_SERVICE, svc, 0);
	ktest_check(!sys_ok(r) && sys_err(r) == SYS_EINVAL,
		    "notify with part of a page is refused (error %u)",
		    (unsigned)sys_err(r));
#endif

	/* the round trip, zero-copy */
	buf[0] = PING;
	ktest_check(sys_ok(sys_allow_rw(IPC_DRV, svc, (void *)buf,
					sizeof(buf))),
		    "share the buffer");
	ktest_check(alarm_delay_ms(10) == 0, "let the service subscribe");
	notify(svc, "ping");
	while (!replied)
		sys_yield_wait();
	ktest_check(buf[0] == PONG, "the service wrote PONG in place");
	ktest_check(reply_len == 0, "the service shares nothing back");
	tern_printf("ipc_client: round trip done\n");

	/* take it back, and let the service try the old buffer */
#if TAKE_BACK == 0
	r = sys_allow_rw(IPC_DRV, svc, NULL, 0);
#else
	other[0] = PING;
	r = sys_allow_rw(IPC_DRV, svc, (void *)other, sizeof(other));
#endif
	ktest_check(sys_ok(r) && r.v[0] == (uintptr_t)buf,
		    "take the buffer back");
	notify(svc, "after taking it back");
	ktest_check(alarm_delay_ms(60) == 0, "the service faults meanwhile");
	buf[1] = 0x600d;
	ktest_check(buf[0] == PONG && buf[1] == 0x600d,
		    "own buffer still its own");

	/* the restarted service ends on a notification without a buffer */
	sys_allow_rw(IPC_DRV, svc, NULL, 0);
	notify(svc, "the restarted service, nothing shared");
	ktest_check(alarm_delay_ms(20) == 0, "let it end");
	return ktest_done(SCENARIO);
}
