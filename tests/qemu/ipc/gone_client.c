// SPDX-License-Identifier: MIT
/*
 * QEMU scenarios ipc_gone_*, the client.  Every incarnation starts alike:
 * it says hello to the service (a notification with nothing shared) and
 * waits 100 ms for an answer, which only the first incarnation gets (a
 * process cannot tell by itself that it was restarted: its memory is
 * wiped; the service remembers).  The first then does a round trip
 * through a shared buffer (PING, answered with PONG in place) and ends
 * its incarnation with the buffer still shared (-DENDING: 0 exit-terminate,
 * 1 exit-restart, 2 a fault, restarted by the restart policy).  A later
 * incarnation, whose hello made the old service touch the first one's
 * buffer and fault, shares its own buffer, marked BYE, with the restarted
 * service, which ends the scenario.
 */
#include <stdint.h>

#include "tests/qemu/ipc/ipc.h"
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

static volatile uint32_t buf[BUF_SIZE / 4] __attribute__((aligned(BUF_ALIGN)));
static volatile uint32_t replied;

static void reply(uint32_t service, uint32_t l, uint32_t a, void *ud)
{
	(void)service;
	(void)l;
	(void)a;
	(void)ud;
	replied = 1;
}

static void notify(uint32_t svc, const char *what)
{
	ktest_check(sys_ok(sys_command(IPC_DRV, IPC_NOTIFY_SERVICE, svc, 0)),
		    "notify the service: %s", what);
}

static void share(uint32_t svc, uint32_t mark)
{
	buf[0] = mark;
	ktest_check(sys_ok(sys_allow_rw(IPC_DRV, svc, (void *)buf,
					sizeof(buf))),
		    "share the buffer");
}

/* The first incarnation: a round trip, then the end, buffer shared. */
static void first(uint32_t svc)
{
	share(svc, PING);
	replied = 0;
	notify(svc, "ping");
	while (!replied)
		sys_yield_wait();
	ktest_check(buf[0] == PONG, "the service wrote PONG in place");
	tern_printf("ipc_client: round trip done\n");
#if ENDING == 0
	sys_exit_terminate(0);
#elif ENDING == 1
	sys_exit_restart(0);
#else
	/* kernel memory: a fault, and the restart policy restarts it */
	*(volatile uint32_t *)KERNEL_RAM = 0xbad;
	tern_printf("ipc_client: KTEST FAIL wrote to kernel memory\n");
	sys_exit_terminate(1);
#endif
}

int main(void)
{
	uint32_t svc = ipc_discover_service();

	ktest_check(sys_ok(sys_subscribe(IPC_DRV, svc, reply, NULL)),
		    "subscribe to the service's replies");
	ktest_check(alarm_delay_ms(10) == 0, "let the service subscribe");
	replied = 0;
	notify(svc, "hello, nothing shared");
	ktest_check(alarm_delay_ms(100) == 0, "wait for an answer");
	if (replied)
		first(svc);

	/* a later incarnation: the old service faulted on the old buffer */
	tern_printf("ipc_client: a new incarnation, no answer to hello\n");
	share(svc, BYE);
	notify(svc, "bye, to the restarted service");
	ktest_check(alarm_delay_ms(20) == 0, "let it end");
	return 0;
}
