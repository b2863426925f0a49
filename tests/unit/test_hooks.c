// SPDX-License-Identifier: MIT
/*
 * The driver hooks the kernel core and the board walk (kernel/driver.h):
 * driver_service_all() calls service hooks only after a request, and again
 * only while a driver asks again; board_irq_service() reaches a driver's
 * irq hook.  Through the console driver, the one driver with both hooks,
 * on the host board (its UART interrupt goes to every irq hook).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/console.h"
#include "kernel/allow/allow.h"
#include "kernel/board.h"
#include "kernel/driver.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/timer.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"

#define BRK 2048u	  /* bytes of process RAM made accessible */
#define UPCALL_FN 0x4000u /* a non-null upcall function address */

static int setup(void **st)
{
	(void)st;
	fakes_reset();
	timer_reset();
	console_reset();
	driver_service_wanted = false;
	return 0;
}

/* Process 0, entry call consumed, subscribed to console upcalls 1 and 2. */
static struct proc *mkproc(void)
{
	struct proc *p = fakes_proc(0, 0);
	uintptr_t of, ou;
	struct task t;

	assert_true(upcall_pop(p, &t));
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	for (uint32_t sub = 1; sub <= 2; sub++)
		assert_int_equal(grant_subscribe(p, &console_driver, sub,
						 UPCALL_FN, 0, &of, &ou),
				 KERR_OK);
	return p;
}

static cmdret_t cmd(struct proc *p, uint32_t c, uintptr_t a)
{
	uintptr_t more[2] = { 0, 0 };

	return console_driver.command(p, c, a, 0, more);
}

/* A console write of "hooks" from p's RAM, the UART taking room bytes. */
static void start_write(struct proc *p, size_t room)
{
	struct pbuf old;

	memcpy((void *)(p->mem_start + 100), "hooks", 5);
	assert_int_equal(allow_ro(p, CONSOLE_DRIVER_NUM, 1,
				  p->mem_start + 100, 5, &old),
			 KERR_OK);
	host_uart.tx_room = room;
	assert_int_equal(cmdret_variant(cmd(p, 1, 5)), SYS_SUCCESS);
}

static void nothing_asked_nothing_called(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc();
	start_write(p, 0); /* the UART refuses: the write waits */
	assert_true(driver_service_wanted);
	driver_service_wanted = false; /* as if nobody had asked */
	host_uart.tx_room = HOST_UART_UNLIMITED;
	driver_service_all();
	assert_int_equal(host_uart.tx_len, 0); /* no hook was called */

	driver_service_request();
	driver_service_all();
	assert_int_equal(host_uart.tx_len, 5);
}

static void a_busy_driver_is_called_until_it_is_done(void **st)
{
	struct proc *p;
	struct task t;

	(void)st;
	p = mkproc();
	start_write(p, 2); /* the UART takes two bytes, then refuses */
	assert_true(driver_service_wanted);

	driver_service_all();
	assert_int_equal(host_uart.tx_len, 2);
	assert_true(driver_service_wanted); /* three bytes still to go */

	host_uart.tx_room = HOST_UART_UNLIMITED;
	driver_service_all();
	assert_int_equal(host_uart.tx_len, 5);
	assert_memory_equal(host_uart.tx, "hooks", 5);
	assert_true(upcall_take(p, CONSOLE_DRIVER_NUM, 1, &t));
	assert_int_equal(t.arg[0], 5);

	/* done: the next pass asks again, then nobody asks */
	driver_service_all();
	assert_false(driver_service_wanted);
}

static void the_board_routes_the_uart_interrupt_to_the_irq_hook(void **st)
{
	struct proc *p;
	struct task t;

	(void)st;
	p = mkproc();
	{
		struct pbuf old;

		assert_int_equal(allow_rw(p, CONSOLE_DRIVER_NUM, 1,
					  p->mem_start + 200, 3, &old),
				 KERR_OK);
	}
	assert_non_null(console_driver.irq);
	assert_int_equal(cmdret_variant(cmd(p, 2, 3)), SYS_SUCCESS);
	assert_false(upcall_take(p, CONSOLE_DRIVER_NUM, 2, &t));
	host_uart_inject("abc", 3);
	driver_service_wanted = false; /* only the interrupt may do it */
	board_irq_service();
	assert_true(upcall_take(p, CONSOLE_DRIVER_NUM, 2, &t));
	assert_int_equal(t.arg[0], 0); /* status */
	assert_int_equal(t.arg[1], 3); /* bytes */
	assert_memory_equal((void *)(p->mem_start + 200), "abc", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(nothing_asked_nothing_called, setup),
		cmocka_unit_test_setup(a_busy_driver_is_called_until_it_is_done,
				       setup),
		cmocka_unit_test_setup(
			the_board_routes_the_uart_interrupt_to_the_irq_hook,
			setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
