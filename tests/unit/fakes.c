// SPDX-License-Identifier: MIT
/* Fixtures shared by the unit tests; see fakes.h. */
#include "tests/unit/fakes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/alarm.h"
#include "drivers/console.h"
#if defined(FAKES_WITH_GPIO)
#include "drivers/gpio.h"
#endif
#include "drivers/ipc.h"
#include "drivers/led.h"
#include "drivers/lldebug.h"
#include "drivers/rng.h"
#include "kernel/allow/pbuf.h"
#include "kernel/fastpath.h"
#include "kernel/fault.h"
#include "platform/boards/host/host_board.h"

struct fake_calls fake_calls;

uint8_t fake_flash[PROC_MAX][FAKE_FLASH_SIZE] __attribute__((aligned(4096)));
uint8_t fake_ram[PROC_MAX][FAKE_RAM_SIZE] __attribute__((aligned(4096)));

/* Success with 3 u32, built as a driver would (no product driver needs it). */
static cmdret_t cmdret_3u32(uintptr_t *more, uint32_t a, uint32_t b,
			    uint32_t c)
{
	more[0] = b;
	more[1] = c;
	return cmdret(SYS_SUCCESS_3U32, a);
}

static cmdret_t fake_command(struct proc *p, uint32_t cmd, uintptr_t a,
			     uintptr_t b, uintptr_t *more)
{
	fake_calls.commands++;
	fake_calls.last_cmd = cmd;
	fake_calls.last_arg0 = a;
	fake_calls.last_arg1 = b;
	if (cmd == FAKE_CMD_RESTART_CALLER) {
		/* a driver that restarts its caller mid-call (tock#4872) */
		proc_terminate(p, 0);
		if (proc_restart(p) != KERR_OK)
			return cmdret_err(KERR_FAIL);
		return cmdret_u32(0x5a5a);
	}
	if (cmd == FAKE_CMD_ECHO)
		return cmdret_3u32(more, (uint32_t)a, (uint32_t)b, cmd);
	return cmd == 0 ? cmdret_ok() : cmdret_err(KERR_NOSUPPORT);
}

/* Accepts userspace-readable allow number 0 and hands back the old one. */
static struct pbuf usr_held[PROC_MAX];
static enum kerr fake_usr_allow(struct proc *p, uint32_t num, struct pbuf *b)
{
	struct pbuf old;

	if (num != 0)
		return KERR_NOSUPPORT;
	fake_calls.usr_allows++;
	old = usr_held[p->slot];
	usr_held[p->slot] = *b;
	*b = old;
	return KERR_OK;
}

const struct driver fake_drv_a = {
	.num = FAKE_DRV_A, .has_grant = true, .upcalls = 2, .ro_allows = 2,
	.rw_allows = 2, .data_size = 16, .command = fake_command,
};
const struct driver fake_drv_b = {
	.num = FAKE_DRV_B, .has_grant = true, .upcalls = 1, .ro_allows = 1,
	.rw_allows = 1, .data_size = 64, .command = fake_command,
};
const struct driver fake_drv_nogrant = {
	.num = FAKE_DRV_NOGRANT, .has_grant = false, .command = fake_command,
};
const struct driver fake_drv_usr = {
	.num = FAKE_DRV_USR, .has_grant = true, .upcalls = 1,
	.command = fake_command, .allow_userspace = fake_usr_allow,
};
const struct driver fake_drv_big = {
	.num = FAKE_DRV_BIG, .has_grant = true, .upcalls = 1,
	.data_size = 2048, .command = fake_command,
};

const struct driver *const driver_table[] = {
	&fake_drv_a, &fake_drv_b, &fake_drv_nogrant, &fake_drv_usr,
	&fake_drv_big,
	/* the real portable drivers (LED's number 0x2 is shadowed by the fake) */
	&alarm_driver, &console_driver, &led_driver, &lldebug_driver,
	&rng_driver, &ipc_driver,
#if defined(FAKES_WITH_GPIO)
	&gpio_driver, /* only unit-gpio links drivers/gpio.c */
#endif
};
const unsigned driver_count = sizeof(driver_table) / sizeof(driver_table[0]);

void fakes_reset(void)
{
	driver_slots_init();
	proc_table_init();
	host_board_reset();
	memset(&fake_calls, 0, sizeof(fake_calls));
	memset(usr_held, 0, sizeof(usr_held));
	memset(fake_flash, 0, sizeof(fake_flash));
	memset(fake_ram, 0xAA, sizeof(fake_ram));
}

struct proc *fakes_proc(unsigned i, size_t mem_len)
{
	struct proc_image img = {
		.flash_start = (uintptr_t)fake_flash[i],
		.flash_size = FAKE_FLASH_SIZE,
		.protected_size = FAKE_PROTECTED,
		.entry = (uintptr_t)fake_flash[i] + FAKE_PROTECTED,
		.name = "fake",
		.name_len = 4,
	};
	struct proc *p = NULL;

	assert_true(i < PROC_MAX);
	assert_int_equal(proc_create(&img, (uintptr_t)fake_ram[i],
				     mem_len ? mem_len : FAKE_RAM_SIZE, &p),
			 KERR_OK);
	assert_non_null(p);
	return p;
}

struct proc *fakes_proc_brk(unsigned i, size_t brk)
{
	struct proc *p = fakes_proc(i, 0);

	assert_int_equal(proc_brk(p, p->mem_start + brk), KERR_OK);
	return p;
}

struct syscall_outcome fake_ecall(struct proc *p, bool reference)
{
	struct arch_trap t = { ARCH_TRAP_SYSCALL_INVALID, 8, 0, p };
	const uintptr_t *x = p->ctx.x;
	struct syscall_outcome o;

	p->ctx.x[CTX_PC] += 4;
	if (reference)
		o = syscall_handle(p);
	else
		o = syscall_entry(x[CTX_A0], x[CTX_A0 + 1], x[CTX_A0 + 2],
				  x[CTX_A0 + 3], x[CTX_A4], p);
	if (syscall_out_next(o) == SYSCALL_INVALID)
		fault_process(p, &t, "invalid system call class");
	return o;
}
