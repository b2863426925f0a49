/* SPDX-License-Identifier: MIT */
/*
 * The host board: what unit tests use in place of hardware.
 *
 * Process memory is ordinary host memory (tests hand proc_create() the
 * addresses of static arrays).  The protection backend records what it was
 * asked to program instead of programming it, and its limits can be changed
 * so that tests can play a PMP board (granule 4) or a page-table board
 * (granule 4096), or refuse a layout outright.
 *
 * The board services of kernel/board.h are fakes a test can steer and
 * inspect: a UART that records what it transmits, takes a limited number of
 * bytes when asked to, and receives bytes the test injects; a timer whose
 * counter the test sets and whose armed compare it reads back; a row of
 * LEDs.  host_board_reset() puts all of them back to their defaults.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/hw.h"
#include "tern_config.h"

struct host_mpu {
	size_t granule;		/* what mpu_granule() answers (default 4) */
	bool refuse;		/* mpu_fits() says no to everything */
	unsigned loads;		/* mpu_load() calls */
	unsigned configures;	/* mpu_configure() calls */
	const struct proc *loaded; /* last process loaded */
	/*
	 * What mpu_load() found in the process's per-process state: the
	 * copy of its records mpu_configure() made there, so a change that
	 * proc.c did not follow with mpu_configure() shows up here as stale
	 * records (the PMP backend keeps register values there).
	 */
	struct mpu_region regions[8];
#if CONFIG_IPC
	/*
	 * Exposures: mpu_expo_check() accepts at most expo_max of them
	 * (default 2), and on a granule above 4 only whole granules (as
	 * Sv39 does); expo[] is what mpu_load() found, as regions[].
	 */
	unsigned expo_max;
	struct mpu_region expo[CONFIG_MAX_PROCS];
#endif
	unsigned user_access_depth; /* inside mpu_user_access_begin/end */
	unsigned user_access_count; /* begin calls */
	/*
	 * The permission bit (sstatus.SUM): set by begin until the
	 * outermost end, and by mpu_user_permit() (the inline bracket of
	 * kernel/hw.h, for mpu_user_direct) until mpu_user_restore()
	 */
	bool user_permitted;
	unsigned user_permits; /* mpu_user_permit() calls */
};

extern struct host_mpu host_mpu;

/*
 * Fake console UART.  board_uart_try_tx() appends to tx[] while tx_room is
 * non-zero (each byte taken uses one unit; HOST_UART_UNLIMITED never runs
 * out); board_uart_try_rx() hands out injected bytes in order.
 */
#define HOST_UART_UNLIMITED SIZE_MAX
struct host_uart {
	uint8_t tx[4096];   /* bytes taken, in order (beyond 4096: counted only) */
	size_t tx_len;	    /* bytes taken so far */
	size_t tx_room;	    /* bytes the UART still takes (default unlimited) */
	uint8_t rx[256];    /* injected, not yet received: rx[rx_head..rx_len) */
	size_t rx_head, rx_len;
	bool tx_irq, rx_irq; /* last board_uart_irq_enable() arguments */
	unsigned irq_enables; /* board_uart_irq_enable() calls */
	unsigned rx_polls;    /* board_uart_try_rx() calls */
};

/* Fake timer: the counter is whatever the test sets. */
#define HOST_TIMER_FREQ_DEFAULT 10000000u /* like QEMU virt */
struct host_timer {
	uint64_t now;	  /* board_timer_now() */
	uint32_t freq;	  /* board_timer_freq() */
	uint64_t armed;	  /* last board_timer_arm() deadline (reset: UINT64_MAX) */
	unsigned arms;	  /* board_timer_arm() calls */
};

/* Fake LEDs. */
#define HOST_LEDS_MAX 8
struct host_leds {
	unsigned count; /* board_led_count() (default 4, at most HOST_LEDS_MAX) */
	bool on[HOST_LEDS_MAX];
	unsigned sets;	/* board_led_set() calls */
};

/* Fake interrupt service and power switch. */
struct host_misc {
	unsigned irq_services; /* board_irq_service() calls */
	int poweroff_code;     /* code of the last board_poweroff() */
	/* board_poweroff() longjmps here (value 1) if set, else aborts */
	void *poweroff_jmp;    /* a jmp_buf *, kept untyped to spare setjmp.h */
	unsigned resets;       /* board_reset() calls (it returns: no reset) */
	unsigned panics;       /* kpanic() calls */
	/* kpanic() longjmps here (value 1) if set, else aborts */
	void *panic_jmp;
};

extern struct host_uart host_uart;
extern struct host_timer host_timer;
extern struct host_leds host_leds;
extern struct host_misc host_misc;

/* Back to defaults (granule 4, nothing loaded, idle UART, timer at 0, ...). */
void host_board_reset(void);

/* Queue n bytes for board_uart_try_rx(); excess beyond rx[] is dropped. */
void host_uart_inject(const void *bytes, size_t n);

/* Text the kernel printed since the last reset (kputs/kprintf). */
/* Forget the console text so far (the next test reads only its own). */
void host_console_clear(void);
const char *host_console_text(void);
