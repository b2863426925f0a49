// SPDX-License-Identifier: MIT
/*
 * The process console; see pconsole.h.
 *
 * Design.  The console driver (console.c) hands every input byte here
 * while the input is switched to the console; this file only records it
 * (line buffer, flags), because input arrives from interrupt service and
 * from inside system calls.  pconsole_service(), called by the run loop
 * with no process half-way through a system call, does the rest: it asks
 * the console driver to hold writers back, waits until the UART carries no
 * process write, then echoes, prints and runs the line.  Printing is
 * kprintf() (blocking), so a command's whole answer goes out in one piece.
 *
 * A line is only ever a byte array of at most PCONSOLE_LINE_MAX bytes with
 * its length: it is never NUL-ended, never longer; a longer line is cut
 * there and refused, a line with a control byte is refused.
 */
#include "drivers/pconsole.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/console.h"
#include "kernel/board.h"
#include "kernel/div64.h"
#include "kernel/driver.h"
#include "kernel/fault.h"
#include "kernel/hw.h"
#include "kernel/kassert.h"
#include "kernel/kprintf.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"

/* Input and output state; written by pconsole_key/toggle, read by service. */
static struct {
	bool active;	/* the input goes to the console */
	bool announce;	/* the switch has not been shown yet */
	bool ready;	/* line[0..len) is finished, waiting to run */
	bool garbage;	/* a control or non-ASCII byte was typed */
	bool cut;	/* more than PCONSOLE_LINE_MAX bytes were typed */
	uint8_t len, echoed; /* bytes typed, bytes echoed so far */
	uint8_t rubout;	/* backspaces typed after the last echo */
	bool partial;	/* the console's last output line is unfinished */
	bool reprompt;	/* show the prompt and the line typed so far again */
	char line[PCONSOLE_LINE_MAX];
} pc;

/*
 * There is something to print or run: hold the writers back after the
 * write on the UART, and have the run loop call pconsole_service().
 */
static void wake(void)
{
	console_tx_hold(true);
	driver_loop_request();
}

/* Something for pconsole_service() to do? */
static bool pending(void)
{
	return pc.announce || pc.ready || pc.echoed != pc.len || pc.rubout ||
	       pc.reprompt;
}

bool pconsole_active(void)
{
	return pc.active;
}

bool pconsole_room(void)
{
	return !pc.ready;
}

void pconsole_toggle(void)
{
	pc.active = !pc.active;
	pc.announce = true;
	pc.len = pc.echoed = pc.rubout = 0;
	pc.garbage = pc.cut = pc.reprompt = false;
	wake();
}

void pconsole_key(uint8_t c)
{
	if (pc.ready)
		return; /* the driver asks pconsole_room() first */
	if (c == '\r' || c == '\n') {
		pc.ready = true;
	} else if (c == '\b' || c == 0x7f) {
		if (pc.len > 0) {
			pc.len--;
			if (pc.echoed > pc.len) {
				pc.echoed = pc.len;
				pc.rubout++;
			}
		}
	} else if (c < 0x20 || c > 0x7e) {
		pc.garbage = true;
	} else if (pc.len < PCONSOLE_LINE_MAX) {
		pc.line[pc.len++] = (char)c;
	} else {
		pc.cut = true;
	}
	wake();
}

#if defined(HOST_TEST)
void pconsole_reset(void)
{
	pc = (__typeof__(pc)){ .active = false };
}
#endif

/* ---- naming processes ---- */

static const char state_names[][11] = {
	"Free", "Unstarted", "Running", "Yielded", "YieldedFor",
	"Stopped", "Faulted", "Terminated",
};

static const char *state_name(const struct proc *p)
{
	return p->state < sizeof(state_names) / sizeof(state_names[0])
		       ? state_names[p->state]
		       : "?";
}

/* Does p's name equal the n bytes at s? */
static bool name_is(const struct proc *p, const char *s, size_t n)
{
	size_t len = p->name_len & PROC_NAME_LEN;
	bool same = p->name != NULL && len == n;

	/* the name lies in the process's flash */
	mpu_user_access_begin(p);
	for (size_t i = 0; same && i < n; i++)
		same = p->name[i] == s[i];
	mpu_user_access_end();
	return same;
}

/* The process named s[0..n), or NULL after a one-line error. */
static struct proc *find(const char *s, size_t n)
{
	if (n == 0) {
		kputs("[console] which process? give its name (see list)\n");
		return NULL;
	}
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct proc *p = &proc_table[i];

		if (p->state != PROC_FREE && name_is(p, s, n))
			return p;
	}
	kprintf("[console] no process named '%.*s' (see list)\n", (int)n, s);
	return NULL;
}

static void say_proc(const struct proc *p, const char *what)
{
	kputs("[console] '");
	proc_print_name(p);
	kprintf("' %s\n", what);
}

/* ---- commands ---- */

static void cmd_help(void)
{
	kputs("[console] commands: help status list kernel console-stop "
	      "reset panic\n"
	      "[console]   stop|start|restart|terminate|boot|fault|process "
	      "NAME\n"
	      "[console] Ctrl-T switches the input between apps and console\n");
}

/* Reboot the board where it can (the QEMU boards), else say it cannot. */
static void cmd_reset(void)
{
	kputs("[console] reset\n");
	board_reset();
	kputs("[console] this board cannot reset\n");
}

static void cmd_status(void)
{
	uint32_t freq = board_timer_freq(), rem;
	uint64_t s = div64_u32(board_timer_now(), freq, &rem);
	unsigned n = 0, alive = 0;
	uint32_t calls = 0; /* each slot counts its own (struct proc) */

	for (unsigned i = 0; i < PROC_MAX; i++) {
		n += proc_table[i].state != PROC_FREE;
		alive += proc_alive(&proc_table[i]);
		calls += proc_table[i].syscalls;
	}
	kprintf("[console] uptime %lu.%u s, %u processes (%u alive), "
		"%u timeslices, %u syscalls\n",
		(unsigned long)s, (unsigned)((uint64_t)rem * 10 / freq), n,
		alive, (unsigned)sched_slices, (unsigned)calls);
}

/* Bytes of p's grant region in use. */
static unsigned grant_bytes(const struct proc *p)
{
	return (unsigned)(p->kernel_break_init - p->kernel_break);
}

static unsigned queued(const struct proc *p)
{
	return proc_alive(p) ? p->queue->count : 0;
}

static void spaces(int n)
{
	while (n-- > 0)
		board_console_putc(' ');
}

static void cmd_list(void)
{
	kputs("[console]  idx name             state      restarts upcalls"
	      " grant syscalls\n");
	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct proc *p = &proc_table[i];
		int pad = 16 - (int)(p->name_len & PROC_NAME_LEN);
		const char *st;

		if (p->state == PROC_FREE)
			continue;
		st = state_name(p);
		kprintf("[console] %4u ", i);
		proc_print_name(p);
		spaces(pad < 1 ? 1 : pad);
		kputs(st);
		spaces(11 - (int)__builtin_strlen(st));
		kprintf("%8u %7u %5u %8u\n", p->restart_count, queued(p),
			grant_bytes(p), (unsigned)p->syscalls);
	}
}

#define ADDR(v) ((void *)(uintptr_t)(v))

/* Every allowed buffer of p, per driver. */
static void print_allows(struct proc *p)
{
	if (!proc_alive(p))
		return;
	for (unsigned d = 0; d < driver_count; d++) {
		struct grant_hdr *h = grant_hdr(p, d);

		if (h == NULL)
			continue;
		for (unsigned ro = 0; ro < 2; ro++) {
			for (uint32_t n = 0;; n++) {
				struct pbuf *b = grant_allow_slot(h, ro, n);

				if (b == NULL)
					break;
				if (b->len == 0)
					continue;
				kprintf("[console]   allow driver 0x%x %s %u: "
					"%p, %u bytes\n",
					(unsigned)driver_table[d]->num,
					ro ? "ro" : "rw", (unsigned)n,
					ADDR(b->addr), (unsigned)b->len);
			}
		}
	}
}

static void cmd_process(struct proc *p)
{
	kputs("[console] process '");
	proc_print_name(p);
	kprintf("' slot %u generation %u state %s\n", p->slot,
		(unsigned)p->gen, state_name(p));
	kprintf("[console]   flash  %p..%p (header to %p)\n",
		ADDR(p->flash_start), ADDR(p->flash_end), ADDR(p->app_flash));
	kprintf("[console]   ram    %p..%p, break %p, high-water %p\n",
		ADDR(p->mem_start), ADDR(p->mem_end), ADDR(p->app_break),
		ADDR(p->allow_hwm));
	kprintf("[console]   grants %p..%p, %u bytes in use\n",
		ADDR(p->kernel_break), ADDR(p->kernel_break_init),
		grant_bytes(p));
	kprintf("[console]   upcalls queued %u, syscalls %u, restarts %u\n",
		queued(p), (unsigned)p->syscalls, p->restart_count);
	print_allows(p);
	if (p->state != PROC_STOPPED)
		return;
	/* x0 is always zero: its place shows the pc */
	for (unsigned i = 0; i < 32; i++) {
		if (i % 4 == 0)
			kputs("[console]  ");
		if (i == 0)
			kputs(" pc");
		else
			kprintf("%3s%u", i < 10 ? " x" : "x", i);
		kprintf(" %p%s", ADDR(p->ctx.x[i]), i % 4 == 3 ? "\n" : " ");
	}
}

/* The kernel's own memory, from the linker map (absent on the host). */
extern char _start[] __attribute__((weak));
extern char _data_start[] __attribute__((weak));
extern char _bss_start[] __attribute__((weak));
extern char _bss_end[] __attribute__((weak));
extern char _kernel_end[] __attribute__((weak));

static void cmd_kernel(void)
{
	kprintf("[console] kernel: text+rodata %p..%p, data %p..%p, "
		"bss %p..%p, stack ..%p\n",
		ADDR(_start), ADDR(_data_start), ADDR(_data_start),
		ADDR(_bss_start), ADDR(_bss_start), ADDR(_bss_end),
		ADDR(_kernel_end));
	kprintf("[console] app flash %p..%p, app RAM %p..%p, %u slots\n",
		ADDR(board.app_flash_start), ADDR(board.app_flash_end),
		ADDR(board.app_ram_start), ADDR(board.app_ram_end),
		(unsigned)PROC_MAX);
	for (unsigned i = 0; i < PROC_MAX; i++) {
		const struct proc *p = &proc_table[i];

		if (p->state == PROC_FREE)
			continue;
		kprintf("[console]   slot %u: flash %p..%p, RAM %p..%p\n", i,
			ADDR(p->flash_start), ADDR(p->flash_end),
			ADDR(p->mem_start), ADDR(p->mem_end));
	}
}

enum act { ACT_STOP, ACT_START, ACT_RESTART, ACT_TERMINATE, ACT_BOOT,
	   ACT_FAULT, ACT_PROCESS };

/* The process commands, as a packed table: index = enum act. */
static const char acts[][10] = {
	"stop", "start", "restart", "terminate", "boot", "fault", "process",
};

/* Restart p as a new incarnation and let the scheduler see it. */
static void restart(struct proc *p, const char *what)
{
	if (proc_restart(p) != KERR_OK) {
		say_proc(p, "cannot be restarted (slot retired)");
		return;
	}
	sched_notify(p);
	say_proc(p, what);
}

static void act(enum act a, struct proc *p)
{
	bool alive = proc_alive(p);

	switch (a) {
	case ACT_STOP:
		if (p->state == PROC_STOPPED || !alive) {
			say_proc(p, "is not running");
			return;
		}
		sched_stop(p);
		say_proc(p, "stopped");
		return;
	case ACT_START:
		if (p->state != PROC_STOPPED) {
			say_proc(p, "is not stopped");
			return;
		}
		sched_start(p);
		say_proc(p, "started");
		return;
	case ACT_RESTART:
		restart(p, "restarted");
		return;
	case ACT_TERMINATE:
		if (!alive) {
			say_proc(p, "is not running");
			return;
		}
		proc_terminate(p, 0);
		say_proc(p, "terminated");
		return;
	case ACT_BOOT:
		if (alive) {
			say_proc(p, "is running already");
			return;
		}
		restart(p, "booted");
		return;
	case ACT_FAULT:
		if (!alive) {
			say_proc(p, "is not running");
			return;
		}
		fault_process(p, NULL, "forced by the process console");
		return;
	case ACT_PROCESS:
		cmd_process(p);
		return;
	}
}

static bool word_is(const char *w, size_t n, const char *name)
{
	size_t i = 0;

	while (i < n && name[i] != '\0' && w[i] == name[i])
		i++;
	return i == n && name[i] == '\0';
}

void pconsole_run(const char *s, size_t n)
{
	size_t i = 0, w, wn, a, an;

	while (i < n && s[i] == ' ')
		i++;
	w = i;
	while (i < n && s[i] != ' ')
		i++;
	wn = i - w;
	while (i < n && s[i] == ' ')
		i++;
	a = i;
	while (i < n && s[i] != ' ')
		i++;
	an = i - a;
	while (i < n && s[i] == ' ')
		i++;
	if (wn == 0)
		return; /* an empty line: just a new prompt */
	if (i < n) {
		kputs("[console] too many words (commands take one name)\n");
		return;
	}
	for (unsigned k = 0; k < sizeof(acts) / sizeof(acts[0]); k++) {
		struct proc *p;

		if (!word_is(s + w, wn, acts[k]))
			continue;
		p = find(s + a, an);
		if (p != NULL)
			act((enum act)k, p);
		return;
	}
	if (an != 0)
		kprintf("[console] '%.*s' takes no name\n", (int)wn, s + w);
	else if (word_is(s + w, wn, "help"))
		cmd_help();
	else if (word_is(s + w, wn, "status"))
		cmd_status();
	else if (word_is(s + w, wn, "list"))
		cmd_list();
	else if (word_is(s + w, wn, "kernel"))
		cmd_kernel();
	else if (word_is(s + w, wn, "console-stop"))
		pconsole_toggle();
	else if (word_is(s + w, wn, "reset"))
		cmd_reset();
	else if (word_is(s + w, wn, "panic"))
		kpanic("process console: panic command");
	else
		kprintf("[console] unknown command '%.*s' (try help)\n",
			(int)wn, s + w);
}

void pconsole_writer_starts(void)
{
	if (!pc.partial)
		return;
	board_console_putc('\n');
	pc.partial = false;
	pc.reprompt = pc.active;
	driver_loop_request(); /* it waits for the write to end */
}

/* Show what was typed since the last call (backspaces first). */
static void echo(void)
{
	if (pc.reprompt) {
		kputs("tern$ ");
		pc.reprompt = false;
		pc.echoed = pc.rubout = 0;
	}
	for (; pc.rubout; pc.rubout--)
		kputs("\b \b");
	while (pc.echoed < pc.len)
		board_console_putc(pc.line[pc.echoed++]);
}

static void run_line(void)
{
	kputs("\n");
	if (pc.garbage)
		kputs("[console] control or non-ASCII bytes in the line: "
		      "ignored\n");
	else if (pc.cut)
		kprintf("[console] line too long: cut at %u characters, "
			"not run\n", PCONSOLE_LINE_MAX);
	else
		pconsole_run(pc.line, pc.len);
	pc.len = pc.echoed = pc.rubout = 0;
	pc.garbage = pc.cut = false;
	pc.ready = false;
	if (pc.active)
		kputs("tern$ ");
}

void pconsole_service(void)
{
	if (!pending())
		return;
	if (!console_tx_idle()) {
		/* a process write is on the UART: after it */
		driver_loop_request();
		return;
	}
	if (console_tx_take_midline()) {
		/* never go on on a process's unfinished line */
		board_console_putc('\n');
		pc.reprompt = pc.active && !pc.announce;
	}
	if (pc.announce) {
		pc.announce = false;
		kputs(pc.active ? "\n[console] input to the process console "
				  "(Ctrl-T: back to the apps)\ntern$ "
				: "\n[console] input to the apps\n");
	}
	echo();
	if (pc.ready)
		run_line();
	/* after the prompt (and typing) the line is open */
	pc.partial = pc.active;
	console_tx_hold(false);
	/* the line buffer has room again: take what waits in the UART */
	console_uart_event();
}
