// SPDX-License-Identifier: MIT
/*
 * Unit tests for the console driver 0x1 (drivers/console.c): writes from
 * read-only allows, reads into read-write allows, buffers that shrink or
 * vanish mid-transfer, several processes, dead writers and readers; run
 * against the host board's fake UART.
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
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes_drivers.h"

/* Read-only allow 1 (text to write), read-write allow 1 (read into). */
static void allow_text(struct proc *p, size_t off, size_t len)
{
	struct pbuf old;

	assert_int_equal(allow_ro(p, CONSOLE_DRIVER_NUM, 1,
				  p->mem_start + off, len, &old),
			 KERR_OK);
}

static void allow_rx(struct proc *p, size_t off, size_t len)
{
	struct pbuf old;

	assert_int_equal(allow_rw(p, CONSOLE_DRIVER_NUM, 1,
				  p->mem_start + off, len, &old),
			 KERR_OK);
}

/* ==== console: write ==== */

static void fill_text(struct proc *p, size_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		ram(p, off)[i] = (uint8_t)('a' + i % 26);
}

static void assert_uart_text(size_t from, const struct proc *p, size_t off,
			     size_t len)
{
	assert_true(host_uart.tx_len >= from + len);
	assert_memory_equal(host_uart.tx + from, ram(p, off), len);
}

static void console_write_sends_exactly_the_bytes_and_reports_n(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	memcpy(ram(p, 100), "Hello, Tern!\n", 13);
	allow_text(p, 100, 13);
	assert_success(cmd(&console_driver, p, 1, 13, 0));
	console_service();
	assert_int_equal(host_uart.tx_len, 13);
	assert_memory_equal(host_uart.tx, "Hello, Tern!\n", 13);
	/* exactly (bytes_written, 0, 0): no status word (doc/abi.md D1) */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 13, 0, 0);
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 1);
}

static void console_write_sends_min_of_count_and_buffer(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 40);
	assert_success(cmd(&console_driver, p, 1, 5, 0));
	assert_int_equal(host_uart.tx_len, 5);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 5, 0, 0);

	assert_success(cmd(&console_driver, p, 1, 1000, 0));
	assert_int_equal(host_uart.tx_len, 45);
	assert_uart_text(5, p, 0, 40);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 40, 0, 0);

	/*
	 * Command arguments arrive at full register width: 2^32 + 3 on the
	 * 64-bit host (as on qemu-virt-rv64) is a count above 40, not 3.
	 */
	assert_success(cmd(&console_driver, p, 1, (uintptr_t)UINT32_MAX + 4, 0));
	assert_int_equal(host_uart.tx_len, 85);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 40, 0, 0);
}

static void console_long_write_waits_for_the_uart_interrupt(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 200);
	allow_text(p, 0, 200);
	host_uart.tx_room = 50;
	assert_success(cmd(&console_driver, p, 1, 200, 0));
	assert_int_equal(host_uart.tx_len, 50);
	assert_true(host_uart.tx_irq);
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 1);

	host_uart.tx_room = 100;
	console_uart_event();
	assert_int_equal(host_uart.tx_len, 150);
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 1);

	host_uart.tx_room = HOST_UART_UNLIMITED;
	board_irq_service(); /* the host board routes UART interrupts here */
	assert_int_equal(host_uart.tx_len, 200);
	assert_uart_text(0, p, 0, 200);
	assert_false(host_uart.tx_irq);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 200, 0, 0);
}

static void console_shrunk_buffer_ends_the_write_early(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 100);
	host_uart.tx_room = 40; /* one chunk and a bit */
	assert_success(cmd(&console_driver, p, 1, 100, 0));
	assert_int_equal(host_uart.tx_len, 40);

	/* the process shrinks the buffer to 70 bytes mid-write */
	allow_text(p, 0, 70);
	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_service();
	assert_int_equal(host_uart.tx_len, 70);
	assert_uart_text(0, p, 0, 70);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 70, 0, 0);
}

static void console_buffer_shrunk_below_what_was_sent_reports_sent(void **st)
{
	struct proc *p;
	struct pbuf old;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 100);
	host_uart.tx_room = 40;
	assert_success(cmd(&console_driver, p, 1, 100, 0));
	/* two chunks are out of the process (40 sent, 24 in the kernel) when
	 * the process unallows the buffer */
	assert_int_equal(allow_ro(p, CONSOLE_DRIVER_NUM, 1, 0, 0, &old),
			 KERR_OK);
	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_service();
	assert_int_equal(host_uart.tx_len, 2 * CONSOLE_TX_CHUNK);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 2 * CONSOLE_TX_CHUNK, 0, 0);
}

static void console_write_reissued_mid_write_starts_over(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 100);
	host_uart.tx_room = 40;
	assert_success(cmd(&console_driver, p, 1, 100, 0));
	/* 64 bytes left the process; now it asks for a 10-byte write */
	assert_success(cmd(&console_driver, p, 1, 10, 0));
	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_service();
	assert_int_equal(host_uart.tx_len, 2 * CONSOLE_TX_CHUNK + 10);
	assert_uart_text(0, p, 0, 2 * CONSOLE_TX_CHUNK);
	assert_uart_text(2 * CONSOLE_TX_CHUNK, p, 0, 10);
	/* one write-done, counting the new write only */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 10, 0, 0);
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 1);
}

static void console_write_with_nothing_allowed_reports_zero(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	assert_success(cmd(&console_driver, p, 1, 10, 0));
	assert_int_equal(host_uart.tx_len, 0);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 0, 0, 0);
}

static void console_write_of_a_restarted_writer_ends_silently(void **st)
{
	struct proc *p;
	struct task t;
	unsigned accesses;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 1);
	fill_text(p, 0, 100);
	allow_text(p, 0, 100);
	host_uart.tx_room = 10;
	assert_success(cmd(&console_driver, p, 1, 100, 0));
	assert_int_equal(host_uart.tx_len, 10);

	assert_int_equal(proc_restart(p), KERR_OK);
	assert_true(upcall_pop(p, &t));
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	subscribe(p, &console_driver, 1);
	allow_text(p, 0, 100);

	accesses = host_mpu.user_access_count;
	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_service();
	/* only the chunk already in the kernel went out */
	assert_int_equal(host_uart.tx_len, CONSOLE_TX_CHUNK);
	assert_int_equal(host_mpu.user_access_count, accesses);
	assert_int_equal(upcall_count(p, ALL_KINDS), 0);

	/* and the console is free for the new incarnation */
	memcpy(ram(p, 0), "ok", 2);
	assert_success(cmd(&console_driver, p, 1, 2, 0));
	assert_int_equal(host_uart.tx_len, CONSOLE_TX_CHUNK + 2);
	assert_memory_equal(host_uart.tx + CONSOLE_TX_CHUNK, "ok", 2);
	assert_upcall(p, CONSOLE_DRIVER_NUM, 1, 2, 0, 0);
}

static void console_writes_of_three_processes_are_served_in_order(void **st)
{
	struct proc *a, *b, *c;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	c = mkproc(2);
	subscribe(a, &console_driver, 1);
	subscribe(b, &console_driver, 1);
	subscribe(c, &console_driver, 1);
	memset(ram(a, 0), 'A', 50);
	memset(ram(b, 0), 'B', 30);
	memset(ram(c, 0), 'C', 10);
	allow_text(a, 0, 50);
	allow_text(b, 0, 30);
	allow_text(c, 0, 10);

	host_uart.tx_room = 0; /* UART busy: everybody waits */
	assert_success(cmd(&console_driver, c, 1, 10, 0));
	assert_success(cmd(&console_driver, b, 1, 30, 0));
	assert_success(cmd(&console_driver, a, 1, 50, 0));
	/* asking again while waiting keeps b's place in the line */
	assert_success(cmd(&console_driver, b, 1, 30, 0));
	assert_int_equal(host_uart.tx_len, 0);

	host_uart.tx_room = HOST_UART_UNLIMITED;
	console_uart_event();
	assert_int_equal(host_uart.tx_len, 90);
	/* in the order asked, whatever the slot order, never interleaved */
	for (size_t i = 0; i < 90; i++)
		assert_int_equal(host_uart.tx[i],
				 i < 10 ? 'C' : i < 40 ? 'B' : 'A');
	assert_upcall(c, CONSOLE_DRIVER_NUM, 1, 10, 0, 0);
	assert_upcall(b, CONSOLE_DRIVER_NUM, 1, 30, 0, 0);
	assert_upcall(a, CONSOLE_DRIVER_NUM, 1, 50, 0, 0);
}

/*
 * A flooding writer asks again while its write is on a UART that backs
 * up; a slow writer waits.  The flooder's restarted write goes behind the
 * slow one, so the slow one gets its turn after one chunk.
 */
static void console_writers_take_turns_when_one_keeps_asking(void **st)
{
	struct proc *a, *b;
	size_t before_b = 0;
	bool b_done = false;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	subscribe(a, &console_driver, 1);
	subscribe(b, &console_driver, 1);
	memset(ram(a, 0), 'A', 100);
	memset(ram(b, 0), 'B', 5);
	allow_text(a, 0, 100);
	allow_text(b, 0, 5);

	host_uart.tx_room = 4;
	assert_success(cmd(&console_driver, a, 1, 100, 0));
	assert_success(cmd(&console_driver, b, 1, 5, 0));
	for (int round = 0; round < 20 && !b_done; round++) {
		/* the flooder asks again every time the UART moves */
		assert_success(cmd(&console_driver, a, 1, 100, 0));
		host_uart.tx_room = 4;
		console_uart_event();
		b_done = upcall_count(b, ALL_KINDS) > 0;
	}
	assert_true(b_done);
	assert_upcall(b, CONSOLE_DRIVER_NUM, 1, 5, 0, 0);
	/* b's five bytes went out together, after at most a's one chunk */
	while (before_b < host_uart.tx_len && host_uart.tx[before_b] != 'B')
		before_b++;
	assert_true(before_b <= CONSOLE_TX_CHUNK);
	assert_memory_equal(host_uart.tx + before_b, "BBBBB", 5);
}

static void console_write_without_subscribe_leaves_a_null_record(void **st)
{
	struct proc *p;
	struct task t;

	(void)st;
	p = mkproc(0);
	memcpy(ram(p, 0), "xyz", 3);
	allow_text(p, 0, 3);
	assert_success(cmd(&console_driver, p, 1, 3, 0));
	/* what Yield-WaitFor(1, 1) of libtock-c's printf path consumes */
	assert_true(upcall_take(p, CONSOLE_DRIVER_NUM, 1, &t));
	assert_int_equal(t.kind, TASK_NULL);
	assert_int_equal(t.arg[0], 3);
}

/* ==== console: read ==== */

static void console_read_copies_received_bytes_and_reports_n(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 500, 10);
	memset(ram(p, 500), 0, 10);
	assert_success(cmd(&console_driver, p, 2, 5, 0));
	assert_true(host_uart.rx_irq);
	host_uart_inject("abc", 3);
	console_uart_event();
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 2);
	host_uart_inject("defgh", 5);
	console_uart_event();
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, 0, 5, 0);
	assert_memory_equal(ram(p, 500), "abcde\0\0\0\0\0", 10);
#if CONFIG_PROCESS_CONSOLE
	/* the UART stays watched (the escape key); the rest waits inside */
	assert_true(host_uart.rx_irq);
	assert_success(cmd(&console_driver, p, 2, 3, 0));
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, 0, 3, 0);
	assert_memory_equal(ram(p, 500), "fghde", 5);
#else
	assert_false(host_uart.rx_irq);
	/* bytes beyond the read stay in the UART for the next one */
	assert_int_equal(host_uart.rx_len - host_uart.rx_head, 3);
#endif
}

static void console_read_takes_bytes_already_waiting(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 4);
	host_uart_inject("wxyz", 4);
	assert_success(cmd(&console_driver, p, 2, 100, 0)); /* min(100, 4) */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, 0, 4, 0);
	assert_memory_equal(ram(p, 0), "wxyz", 4);
}

static void console_second_reader_gets_busy(void **st)
{
	struct proc *a, *b;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	allow_rx(a, 0, 8);
	allow_rx(b, 0, 8);
	assert_success(cmd(&console_driver, a, 2, 8, 0));
	assert_failure(cmd(&console_driver, b, 2, 8, 0), KERR_BUSY);
	assert_failure(cmd(&console_driver, a, 2, 8, 0), KERR_BUSY);
}

static void console_read_longer_than_the_kernel_buffer_is_inval(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 200);
	assert_failure(cmd(&console_driver, p, 2, CONSOLE_RX_MAX + 1, 0),
		       KERR_INVAL);
	/* full width: 2^32 + 1 is too long too, not a read of 1 */
	assert_failure(cmd(&console_driver, p, 2, (uintptr_t)UINT32_MAX + 2, 0),
		       KERR_INVAL);
	/* the refused read left the console free; exactly 64 is fine */
	assert_success(cmd(&console_driver, p, 2, CONSOLE_RX_MAX, 0));
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 2);
}

static void console_abort_completes_with_what_was_received(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 16);
	memset(ram(p, 0), '.', 16);
	assert_success(cmd(&console_driver, p, 2, 16, 0));
	host_uart_inject("hi", 2);
	assert_success(cmd(&console_driver, p, 3, 0, 0));
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, KERR_CANCEL, 2, 0);
	assert_memory_equal(ram(p, 0), "hi..", 4);
	/* nothing left to abort: still Success, no second upcall */
	assert_success(cmd(&console_driver, p, 3, 0, 0));
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 2);
	/* with the process console the UART stays watched */
	assert_int_equal(host_uart.rx_irq, CONFIG_PROCESS_CONSOLE);
}

static void console_read_into_a_shrunk_buffer_reports_size(void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 8);
	memset(ram(p, 0), '.', 8);
	assert_success(cmd(&console_driver, p, 2, 4, 0));
	allow_rx(p, 0, 2); /* shrunk while the read is active */
	host_uart_inject("1234", 4);
	console_service();
	/* what fits is copied and counted; SIZE says bytes were dropped */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, KERR_SIZE, 2, 0);
	assert_memory_equal(ram(p, 0), "12..", 4);
}

static void console_read_into_an_unallowed_buffer_reports_size_0(void **st)
{
	struct proc *p;
	struct pbuf old;

	(void)st;
	p = mkproc(0);
	subscribe(p, &console_driver, 2);
	allow_rx(p, 0, 8);
	assert_success(cmd(&console_driver, p, 2, 4, 0));
	assert_int_equal(allow_rw(p, CONSOLE_DRIVER_NUM, 1, 0, 0, &old),
			 KERR_OK);
	host_uart_inject("1234", 4);
	console_service();
	/* an unallowed slot is an empty buffer of a live process, as in Tock */
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, KERR_SIZE, 0, 0);
}

static void console_read_of_a_dead_reader_frees_the_console(void **st)
{
	struct proc *a, *b;
	struct task t;

	(void)st;
	a = mkproc(0);
	b = mkproc(1);
	allow_rx(a, 0, 8);
	assert_success(cmd(&console_driver, a, 2, 8, 0));
	assert_int_equal(proc_restart(a), KERR_OK);
	assert_true(upcall_pop(a, &t));

	subscribe(b, &console_driver, 2);
	allow_rx(b, 0, 8);
	assert_success(cmd(&console_driver, b, 2, 2, 0));
	host_uart_inject("ok", 2);
	console_service();
	assert_upcall(b, CONSOLE_DRIVER_NUM, 2, 0, 2, 0);
	assert_int_equal(upcall_count(a, ALL_KINDS), 0);
}

static void console_command_0_allocates_and_others_are_not_supported(
	void **st)
{
	struct proc *p;

	(void)st;
	p = mkproc(0);
	assert_false(grant_allocated(p, &console_driver));
	assert_success(cmd(&console_driver, p, 0, 0, 0));
	assert_true(grant_allocated(p, &console_driver));
	assert_failure(cmd(&console_driver, p, 4, 0, 0), KERR_NOSUPPORT);
	assert_failure(cmd(&console_driver, p, 0xFFFF, 0, 0), KERR_NOSUPPORT);
	assert_int_equal(console_driver.upcalls, 3);
	assert_int_equal(console_driver.ro_allows, 2);
	assert_int_equal(console_driver.rw_allows, 2);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(console_write_sends_exactly_the_bytes_and_reports_n),
		T(console_write_sends_min_of_count_and_buffer),
		T(console_long_write_waits_for_the_uart_interrupt),
		T(console_shrunk_buffer_ends_the_write_early),
		T(console_buffer_shrunk_below_what_was_sent_reports_sent),
		T(console_write_reissued_mid_write_starts_over),
		T(console_write_with_nothing_allowed_reports_zero),
		T(console_write_of_a_restarted_writer_ends_silently),
		T(console_writes_of_three_processes_are_served_in_order),
		T(console_writers_take_turns_when_one_keeps_asking),
		T(console_write_without_subscribe_leaves_a_null_record),
		T(console_read_copies_received_bytes_and_reports_n),
		T(console_read_takes_bytes_already_waiting),
		T(console_second_reader_gets_busy),
		T(console_read_longer_than_the_kernel_buffer_is_inval),
		T(console_abort_completes_with_what_was_received),
		T(console_read_into_a_shrunk_buffer_reports_size),
		T(console_read_into_an_unallowed_buffer_reports_size_0),
		T(console_read_of_a_dead_reader_frees_the_console),
		T(console_command_0_allocates_and_others_are_not_supported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
