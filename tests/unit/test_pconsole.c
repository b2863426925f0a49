// SPDX-License-Identifier: MIT
/*
 * Unit tests for the process console (drivers/pconsole.c) and its input
 * switch in the console driver: the command parser against hostile lines,
 * what each command does to a process, and that input typed for one side
 * never reaches the other.  Output is read from the host board's console.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/console.h"
#include "drivers/pconsole.h"
#include "kernel/allow/allow.h"
#include "kernel/board.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes_drivers.h"

/* Process i named name (the fakes name every process "fake"). */
static struct proc *named(unsigned i, const char *name)
{
	struct proc *p = mkproc(i);

	p->name = name;
	p->name_len = (uint8_t)strlen(name);
	p->state = PROC_RUNNABLE; /* as if it had run */
	return p;
}

static void run(const char *line)
{
	host_console_clear();
	pconsole_run(line, strlen(line));
}

static void assert_said(const char *what)
{
	if (strstr(host_console_text(), what) == NULL)
		fail_msg("console lacks '%s'; it says:\n%s", what,
			 host_console_text());
}

/* Exactly one line of output. */
static void assert_one_line(void)
{
	const char *s = host_console_text();
	const char *nl = strchr(s, '\n');

	assert_non_null(nl);
	assert_null(strchr(nl + 1, '\n'));
}

static void type(const char *s)
{
	host_uart_inject(s, strlen(s));
	console_uart_event();
	pconsole_service();
}

/* ==== parser ==== */

static void pconsole_unknown_and_garbage_lines_get_one_line(void **st)
{
	static const char *const lines[] = {
		"bogus", "lis", "listx", "stopp a", "LIST", "-", "\"list\"",
		"list extra", "help me", "stop a b", "stop a b c d e f",
		"kernel 7", "console-stopx", "reset now", "panic a", "resets",
		"panicx", "RESET", "rese", "pani",
	};

	(void)st;
	named(0, "a");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		run(lines[i]);
		assert_true(strstr(host_console_text(), "[console]") != NULL);
		assert_one_line();
	}
	/* nothing was done to the process */
	assert_int_equal(proc_table[0].state, PROC_RUNNABLE);
}

static void pconsole_names_are_matched_exactly(void **st)
{
	struct proc *p;

	(void)st;
	p = named(0, "blink");
	run("stop blin");
	assert_said("no process named 'blin'");
	run("stop blinky");
	assert_said("no process named 'blinky'");
	run("stop BLINK");
	assert_said("no process named");
	run("stop");
	assert_said("which process?");
	assert_int_equal(p->state, PROC_RUNNABLE);
	run("  stop   blink  ");
	assert_said("'blink' stopped");
	assert_int_equal(p->state, PROC_STOPPED);
}

static void pconsole_empty_and_blank_lines_print_nothing(void **st)
{
	(void)st;
	run("");
	assert_string_equal(host_console_text(), "");
	run("      ");
	assert_string_equal(host_console_text(), "");
}

/* Every line of up to 48 bytes from a noisy alphabet: one answer, no crash. */
static void pconsole_random_lines_never_crash(void **st)
{
	static const char alpha[] = "stoparlikenfuhbc- \x01\xff";
	char line[PCONSOLE_LINE_MAX];
	uint32_t x = 12345;

	(void)st;
	named(0, "a");
	named(1, "stop");
	for (int k = 0; k < 5000; k++) {
		size_t n;

		x = x * 1103515245u + 12345u;
		n = (x >> 16) % (PCONSOLE_LINE_MAX + 1);
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			line[i] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		host_console_clear();
		pconsole_run(line, n);
		/* bring both back, whatever the line did */
		for (unsigned i = 0; i < 2; i++)
			if (proc_table[i].state == PROC_STOPPED)
				sched_start(&proc_table[i]);
	}
}

/* ==== commands ==== */

static void pconsole_stop_and_start_keep_the_state(void **st)
{
	struct proc *p;

	(void)st;
	p = named(0, "app");
	p->state = PROC_YIELDED;
	run("stop app");
	assert_int_equal(p->state, PROC_STOPPED);
	run("stop app");
	assert_said("is not running");
	run("process app");
	/* a stopped process shows its registers */
	assert_said("state Stopped");
	assert_said(" pc 0x");
	run("start app");
	assert_said("'app' started");
	assert_int_equal(p->state, PROC_YIELDED);
	run("start app");
	assert_said("is not stopped");
}

static void pconsole_list_shows_every_process(void **st)
{
	(void)st;
	named(0, "first");
	named(2, "third");
	run("list");
	assert_said("first");
	assert_said("third");
	assert_said("Running");
	run("status");
	assert_said("2 processes (2 alive)");
}

static void pconsole_terminate_boot_restart_fault(void **st)
{
	struct proc *p;
	uint64_t gen;

	(void)st;
	p = named(0, "app");
	run("terminate app");
	assert_int_equal(p->state, PROC_TERMINATED);
	run("terminate app");
	assert_said("is not running");
	run("fault app");
	assert_said("is not running");
	gen = p->gen;
	run("boot app");
	assert_said("'app' booted");
	assert_int_equal(p->state, PROC_UNSTARTED);
	assert_true(p->gen > gen);
	run("boot app");
	assert_said("is running already");
	run("restart app");
	assert_int_equal(p->state, PROC_UNSTARTED);
	assert_int_equal(p->restart_count, 2);
	run("fault app");
	assert_said("forced by the process console");
	assert_said("faulted");
}

static void pconsole_process_shows_allowed_buffers(void **st)
{
	struct proc *p;
	struct pbuf old;

	(void)st;
	p = named(0, "app");
	assert_int_equal(allow_ro(p, CONSOLE_DRIVER_NUM, 1, p->mem_start + 16,
				  24, &old),
			 KERR_OK);
	run("process app");
	assert_said("allow driver 0x1 ro 1:");
	assert_said("24 bytes");
	assert_said("grants");
	run("kernel");
	assert_said("app flash");
}

/* ==== input switch ==== */

static void pconsole_typed_lines_run_and_cut_lines_do_not(void **st)
{
	char big[PCONSOLE_LINE_MAX + 20];
	struct proc *p;

	(void)st;
	p = named(0, "app");
	type("\x14");
	assert_true(pconsole_active());
	assert_said("tern$ ");
	type("stop app\r");
	assert_int_equal(p->state, PROC_STOPPED);
	/* backspace takes a byte back */
	type("start appx\b\r");
	assert_int_equal(p->state, PROC_RUNNABLE);
	/* overlong: cut, refused, never run */
	memset(big, 'a', sizeof(big));
	memcpy(big, "stop app ", 9);
	big[sizeof(big) - 2] = '\r';
	big[sizeof(big) - 1] = '\0';
	type(big);
	assert_said("line too long");
	assert_int_equal(p->state, PROC_RUNNABLE);
	/* a control byte spoils the line */
	type("stop\x01 app\r");
	assert_said("control or non-ASCII");
	assert_int_equal(p->state, PROC_RUNNABLE);
	type("\x14");
	assert_false(pconsole_active());
	assert_said("input to the apps");
}

static void pconsole_input_goes_only_where_it_is_meant(void **st)
{
	struct proc *p;

	(void)st;
	p = named(0, "app");
	subscribe(p, &console_driver, 2);
	memset(ram(p, 0), '.', 16);
	{
		struct pbuf old;

		assert_int_equal(allow_rw(p, CONSOLE_DRIVER_NUM, 1,
					  p->mem_start, 16, &old),
				 KERR_OK);
	}
	/* typed before the read starts: kept for it */
	type("hel");
	assert_success(cmd(&console_driver, p, 2, 6, 0));
	/* switch: a command goes to the console, not into the read */
	type("\x14list\r");
	assert_said("app");
	assert_no_upcall(p, CONSOLE_DRIVER_NUM, 2);
	type("\x14lo\n");
	assert_upcall(p, CONSOLE_DRIVER_NUM, 2, 0, 6, 0);
	assert_memory_equal(ram(p, 0), "hello\n..", 8);
}

/*
 * A process that writes without pause cannot keep the console from
 * answering: the answer comes at the end of one of its writes, never in
 * the middle of one.
 */
static void pconsole_answers_a_person_despite_a_flooding_writer(void **st)
{
	struct proc *p;
	size_t at = 0;
	bool answered = false;

	(void)st;
	p = named(0, "flood");
	subscribe(p, &console_driver, 1);
	memset(ram(p, 0), 'F', 40);
	{
		struct pbuf old;

		assert_int_equal(allow_ro(p, CONSOLE_DRIVER_NUM, 1,
					  p->mem_start, 40, &old),
				 KERR_OK);
	}
	host_uart.tx_room = 7;
	assert_success(cmd(&console_driver, p, 1, 40, 0));
	host_uart_inject("\x14status\r", 8);
	for (int round = 0; round < 100 && !answered; round++) {
		struct task t;

		/* the flooder writes again as soon as its write is done */
		if (upcall_take(p, CONSOLE_DRIVER_NUM, 1, &t))
			assert_success(cmd(&console_driver, p, 1, 40, 0));
		host_uart.tx_room = 7;
		console_uart_event();
		at = host_uart.tx_len;
		pconsole_service();
		answered = strstr(host_console_text(), "uptime") != NULL;
	}
	assert_true(answered);
	/* it answered between two whole writes */
	assert_int_equal(at % 40, 0);
}

/*
 * A process write that starts while the person is typing a command gets
 * a line of its own: the console ends its line first, then shows the
 * prompt and what was typed again.
 */
static void pconsole_prompt_line_is_never_shared_with_a_write(void **st)
{
	struct proc *p;
	struct pbuf old;
	const char *s;

	(void)st;
	p = named(0, "app");
	subscribe(p, &console_driver, 1);
	memcpy(ram(p, 0), "hello\n", 6);
	assert_int_equal(allow_ro(p, CONSOLE_DRIVER_NUM, 1, p->mem_start, 6,
				  &old),
			 KERR_OK);
	type("\x14sta");
	s = host_console_text();
	assert_string_equal(s + strlen(s) - 9, "tern$ sta");
	assert_success(cmd(&console_driver, p, 1, 6, 0));
	/* the line was ended before the write went out */
	s = host_console_text();
	assert_string_equal(s + strlen(s) - 10, "tern$ sta\n");
	assert_int_equal(host_uart.tx_len, 6);
	pconsole_service();
	s = host_console_text();
	assert_string_equal(s + strlen(s) - 19, "tern$ sta\ntern$ sta");
	/* and the command still runs as typed */
	type("rt app\r");
	assert_said("'app' is not stopped");
}

/*
 * reset asks the board; the host board cannot reset (board_reset()
 * returns), which the console says.  Lines close to it do not reset.
 */
static void pconsole_reset_asks_the_board(void **st)
{
	(void)st;
	named(0, "a");
	run("reset");
	assert_int_equal(host_misc.resets, 1);
	assert_said("[console] reset\n");
	assert_said("[console] this board cannot reset\n");
	run(" reset ");
	assert_int_equal(host_misc.resets, 2);
	run("reset a");
	run("resetx");
	assert_int_equal(host_misc.resets, 2);
	assert_int_equal(proc_table[0].state, PROC_RUNNABLE);
}

/* panic panics the kernel (on the host: kpanic() longjmps back here). */
static void pconsole_panic_panics_the_kernel(void **st)
{
	jmp_buf jb;

	(void)st;
	host_misc.panic_jmp = &jb;
	if (setjmp(jb) == 0) {
		run("panic");
		fail_msg("panic returned; console says:\n%s",
			 host_console_text());
	}
	host_misc.panic_jmp = NULL;
	assert_int_equal(host_misc.panics, 1);
	/* and a line that is not exactly panic does not */
	run("panic now");
	run("Panic");
	assert_int_equal(host_misc.panics, 1);
}

/*
 * A line whose last key arrives while the console is echoing the keys
 * before it is read by that same pass, with the receive interrupt then
 * off (the line buffer is full until the line runs).  No interrupt will
 * come for it, so the pass must leave the loop hooks asked for: the run
 * loop does not sleep while they are (kernel/main.c), and the next pass
 * runs the line.  Before, the loop slept and the console hung until some
 * other interrupt came (seen with every process blocked).
 */
static void pconsole_line_finished_during_a_pass_gets_another_pass(void **st)
{
	(void)st;
	named(0, "a");
	type("\x14li");
	assert_said("tern$ li");
	/* the interrupt takes 's'; 't\r' arrives before the pass echoes it */
	host_uart_inject("s", 1);
	console_uart_event();
	host_uart_inject("t\r", 2);
	driver_loop_walk();
	assert_null(strstr(host_console_text(), "idx name"));
	assert_true(driver_loop_pending());
	driver_loop_walk();
	assert_said("tern$ list\n[console]  idx name");
	assert_false(driver_loop_pending());
}

/*
 * The syscalls column and the status total count every ecall once, in
 * the process that made it, whichever path answers it: the fast path's
 * yield, command (driver found or not), memop and allow, and the
 * reference path's subscribe and brk.
 */
static void pconsole_counts_every_system_call_once(void **st)
{
	static const uintptr_t calls[][3] = {
		/* class, a0, a1 */
		{ SYS_YIELD, SYS_YIELD_NO_WAIT, 0 },
		{ SYS_COMMAND, FAKE_DRV_A, 0 },
		{ SYS_COMMAND, 0xdead, 0 },
		{ SYS_MEMOP, MEMOP_MEM_START, 0 },
		{ SYS_ALLOW_RW, FAKE_DRV_A, 0 },
		{ SYS_SUBSCRIBE, FAKE_DRV_A, 0 },
		{ SYS_MEMOP, MEMOP_SBRK, 0 },
	};
	struct proc *p = named(0, "app");
	struct proc *q = named(1, "other");
	const char *line, *end;
	char want[64];

	(void)st;
	for (unsigned round = 0; round < 3; round++) {
		for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]);
		     i++) {
			p->ctx.x[CTX_A4] = calls[i][0];
			p->ctx.x[CTX_A0] = calls[i][1];
			p->ctx.x[CTX_A0 + 1] = calls[i][2];
			p->ctx.x[CTX_A0 + 2] = 0;
			p->ctx.x[CTX_A0 + 3] = 0;
			assert_int_equal(syscall_out_next(fake_ecall(p, false)),
					 SYSCALL_RETURN);
			assert_int_equal(p->state, PROC_RUNNABLE);
		}
	}
	assert_int_equal(p->syscalls, 3 * 7);
	assert_int_equal(q->syscalls, 0);
	run("list");
	line = strstr(host_console_text(), " app ");
	assert_non_null(line);
	end = strchr(line, '\n');
	assert_non_null(end);
	while (end > line && end[-1] != ' ')
		end--; /* the last column: syscalls */
	assert_int_equal(strtoul(end, NULL, 10), 3 * 7);
	run("status");
	snprintf(want, sizeof(want), "%u syscalls\n", 3u * 7u);
	assert_said(want);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(pconsole_unknown_and_garbage_lines_get_one_line),
		T(pconsole_names_are_matched_exactly),
		T(pconsole_empty_and_blank_lines_print_nothing),
		T(pconsole_random_lines_never_crash),
		T(pconsole_stop_and_start_keep_the_state),
		T(pconsole_list_shows_every_process),
		T(pconsole_terminate_boot_restart_fault),
		T(pconsole_process_shows_allowed_buffers),
		T(pconsole_typed_lines_run_and_cut_lines_do_not),
		T(pconsole_input_goes_only_where_it_is_meant),
		T(pconsole_answers_a_person_despite_a_flooding_writer),
		T(pconsole_prompt_line_is_never_shared_with_a_write),
		T(pconsole_reset_asks_the_board),
		T(pconsole_panic_panics_the_kernel),
		T(pconsole_line_finished_during_a_pass_gets_another_pass),
		T(pconsole_counts_every_system_call_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
