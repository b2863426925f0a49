/* SPDX-License-Identifier: MIT */
/*
 * The process console: a person's view into the running kernel, on the
 * console UART (the `process_console` meson option).  It must never touch
 * a process's memory except to read a process's name, and never run a
 * command from inside a system call (only from pconsole_service(), which
 * the run loop calls between timeslices).
 *
 * Input.  The console UART's bytes go to the apps (console driver read)
 * until the person types PCONSOLE_ESCAPE (Ctrl-T).  From then on every byte
 * goes to the process console, which shows the prompt `tern$ `, until
 * Ctrl-T again (or `console-stop`).  A byte typed in one mode never reaches
 * the other.
 *
 * Output.  The console prints only between two process writes: while it
 * has something to print it holds the console driver's writers back
 * (console_tx_hold()), waits for the write on the UART to end and then
 * prints whole lines.  A process flooding the console gives way at the end
 * of each of its writes.
 *
 * Commands (Tock's names where Tock has the command): help, status, list,
 * stop, start, restart, terminate, boot, fault, process (each takes a
 * process name), kernel, console-stop, reset (reboots the board where
 * board_reset() can: the QEMU boards; the HiFive1 says it cannot), panic
 * (the kernel panics, as Tock's does: a report, then the board stops).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCONSOLE_ESCAPE 0x14u	/* Ctrl-T: switch the input */
#define PCONSOLE_LINE_MAX 48u	/* longest command line, bytes */

/* Is the input switched to the process console? */
bool pconsole_active(void);

/* The escape byte arrived: switch the input. */
void pconsole_toggle(void);

/* May the console take one more input byte now (no line waiting to run)? */
bool pconsole_room(void);

/*
 * One byte typed while the console has the input: printable bytes build
 * the line, backspace and DEL take one back, CR or LF ends it.  Other
 * bytes mark the line as garbage (it is refused when it ends).
 */
void pconsole_key(uint8_t c);

/*
 * The console driver's loop hook (kernel/driver.h: the run loop calls it
 * between timeslices, never inside a system call): once the UART is free of
 * process writes, echo, print the prompt and run a finished line.  Cheap
 * when there is nothing to do.
 */
void pconsole_service(void);

/*
 * The console driver is about to send a process write: if the console's
 * last line is unfinished (the prompt, typed text) end it first, and show
 * prompt and typed text again afterwards.  Requires: the UART carries
 * nothing else now.
 */
void pconsole_writer_starts(void);

/* Parse and run one command line of n bytes (n <= PCONSOLE_LINE_MAX). */
void pconsole_run(const char *line, size_t n);

#if defined(HOST_TEST)
/* Tests only: back to boot state: input to the apps, nothing typed. */
void pconsole_reset(void);
#endif
