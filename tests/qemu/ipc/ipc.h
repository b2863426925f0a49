/* SPDX-License-Identifier: MIT */
/*
 * QEMU scenarios ipc_*: what the service (service.c), the client
 * (client.c), the bystander and the pair of ipc_gone (gone_service.c,
 * gone_client.c) share: the IPC driver's numbers (drivers/ipc.h), the
 * names, the buffer the client shares and how a client finds the
 * service (ipc_discover_service).  BUF_SIZE and
 * BUF_ALIGN come from the spec: a whole page where Sv39 protects (the
 * page rule, README IPC), 64 bytes elsewhere.
 */
#pragma once

#include <stdint.h>

#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#define IPC_DRV 0x10000u
#define IPC_EXISTS 0u
#define IPC_DISCOVER 1u
#define IPC_NOTIFY_SERVICE 2u
#define IPC_NOTIFY_CLIENT 3u

#define SERVICE_NAME "ipc_service"
#define CLIENT_NAME "ipc_client"
#define PING 0x50494e47u /* what the client writes first */
#define PONG 0x504f4e47u /* what the service writes back */
#define BYE 0x00425945u /* a later client incarnation: the scenario ends */

/* A client's first step: the service's index, found by its name. */
static inline uint32_t ipc_discover_service(void)
{
	static const char name[] = SERVICE_NAME;
	struct sys_return r;

	ktest_check(sys_ok(sys_allow_ro(IPC_DRV, 0, name, sizeof(name) - 1)),
		    "allow the service's name");
	r = sys_command(IPC_DRV, IPC_DISCOVER, 0, 0);
	ktest_check(r.variant == SYS_SUCCESS_U32, "discover the service");
	return (uint32_t)r.v[0];
}
