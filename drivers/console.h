/* SPDX-License-Identifier: MIT */
/*
 * Console driver, number 0x1 (doc/abi.md §10.1): process text to and from the
 * console UART.
 *
 * Grant: 3 upcall slots, 2 read-only and 2 read-write allow slots (slot 0 of
 * each unused).  Commands:
 *   0  Success; allocates the grant (NOMEM if it cannot).
 *   1  write min(a2, len(RO 1)) bytes from the start of RO buffer 1.
 *      Success; completion queues upcall 1 with (bytes_written, 0, 0), no
 *      status word (doc/abi.md D1).  Writes of several processes are served
 *      one at a time, in the order they were issued.  The buffer's length
 *      is read again before every chunk: if the process shrinks or swaps it
 *      the write ends early and the upcall counts the bytes actually sent.
 *      A process that issues command 1 again before its write-done upcall
 *      restarts its write from the start of the buffer (the bytes already
 *      handed to the UART still go out); if its write was the one on the
 *      UART, the restarted write waits behind every writer already
 *      waiting, so no writer keeps the UART by asking again.
 *   2  read min(a2, len(RW 1)) bytes into RW buffer 1.  BUSY while any read
 *      is active (one reader system-wide); INVAL if that is more than
 *      CONSOLE_RX_MAX.  Completion queues upcall 2 with
 *      (status, bytes_read, 0): status 0, SIZE if the buffer shrank below
 *      what arrived, NOMEM if it vanished.
 *   3  abort the active read, whoever issued it (as Tock does): upcall 2
 *      with (CANCEL, bytes received so far, 0).  Always Success.
 *   other NOSUPPORT.
 *
 * Process memory is only ever touched through pbuf_ro_enter() /
 * pbuf_rw_mut_enter() on the descriptors the grant hands out, so a writer or
 * reader that exits or restarts mid-operation makes the operation end
 * without touching memory and without an upcall (its descriptors and grant
 * no longer resolve).
 */
#pragma once

#include <stdbool.h>

#include "kernel/driver.h"

#define CONSOLE_DRIVER_NUM 0x1u
#define CONSOLE_RX_MAX 64u   /* kernel receive buffer, bytes */
#define CONSOLE_TX_CHUNK 32u /* kernel transmit buffer, bytes */

extern const struct driver console_driver;

/*
 * The console UART raised an interrupt (transmitter ready or a byte
 * received): move bytes and complete operations.  The driver's irq hook,
 * which the board's interrupt routes reach.
 */
void console_uart_event(void);

/*
 * Make progress without an interrupt (a UART that takes bytes at once, like
 * QEMU's, or RX polling).  The driver's service hook, which the kernel's
 * driver_service_all() reaches while an operation is active; cheap when the
 * console is idle.
 */
void console_service(void);

/*
 * Process console only (CONFIG_PROCESS_CONSOLE): hold writers back after
 * the write on the UART (on) or let them go on (off); and whether the UART
 * carries no process write now.
 */
void console_tx_hold(bool on);
bool console_tx_idle(void);

/*
 * Process console only: did the last process write end mid-line?  Asking
 * clears it (the caller is about to end the line).
 */
bool console_tx_take_midline(void);

#if defined(HOST_TEST)
/* Tests only: forget every operation (the boot state is already idle). */
void console_reset(void);
#endif
