/* SPDX-License-Identifier: MIT */
/*
 * Fixtures shared by the driver tests (test_alarm.c, test_console.c,
 * test_led.c, test_lldebug.c, test_timer.c, test_driver.c): a setup that
 * resets the process table, the host board, the timer multiplexer and the
 * console; processes with their entry call consumed; and commands, allows
 * and subscribes made as the system-call layer makes them, with upcalls
 * read back from the process's task queue.
 *
 * Static inline, so each test file takes what it uses; include after
 * <cmocka.h>.
 */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "drivers/console.h"
#include "kernel/driver.h"
#include "kernel/proc/grant.h"
#include "drivers/pconsole.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "tests/unit/fakes.h"

#define BRK 2048u	      /* bytes of process RAM made accessible */
#define UPCALL_FN 0x4000u     /* a non-null upcall function address */
#define UPCALL_UD 0x77u	      /* its userdata */
#define ALL_KINDS ((1u << TASK_UPCALL) | (1u << TASK_NULL) | (1u << TASK_ENTRY))

static inline int setup(void **st)
{
	(void)st;
	fakes_reset();
	timer_reset();
	console_reset();
	pconsole_reset();
	return 0;
}

/* Process i, entry call consumed, BRK bytes of RAM accessible. */
static inline struct proc *mkproc(unsigned i)
{
	struct proc *p = fakes_proc(i, 0);
	struct task t;

	assert_true(upcall_pop(p, &t));
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	return p;
}

static inline uint8_t *ram(const struct proc *p, size_t off)
{
	return (uint8_t *)(p->mem_start + off);
}

static inline void subscribe(struct proc *p, const struct driver *d,
			     uint32_t sub)
{
	uintptr_t of, ou;

	assert_int_equal(grant_subscribe(p, d, sub, UPCALL_FN, UPCALL_UD, &of,
					 &ou),
			 KERR_OK);
}

/* A command straight to the driver, its result as a struct sysret. */
static inline struct sysret cmd(const struct driver *d, struct proc *p,
				 uint32_t c, uintptr_t a, uintptr_t b)
{
	uintptr_t more[2] = { 0, 0 };
	cmdret_t r = d->command(p, c, a, b, more);

	return (struct sysret){ cmdret_variant(r),
				{ cmdret_value(r), more[0], more[1] } };
}

static inline void assert_success(struct sysret r)
{
	assert_int_equal(r.variant, SYS_SUCCESS);
}

static inline void assert_u32(struct sysret r, uint32_t v)
{
	assert_int_equal(r.variant, SYS_SUCCESS_U32);
	assert_int_equal(r.v[0], v);
}

static inline void assert_failure(struct sysret r, enum kerr e)
{
	assert_int_equal(r.variant, SYS_FAILURE);
	assert_int_equal(r.v[0], e);
}

/* Take the oldest queued upcall of (drv, sub) and check its arguments. */
static inline void assert_upcall(struct proc *p, uint32_t drv, uint32_t sub,
			  uint32_t a0, uint32_t a1, uint32_t a2)
{
	struct task t;

	assert_true(upcall_take(p, drv, sub, &t));
	assert_int_equal(t.kind, TASK_UPCALL);
	assert_int_equal(t.fn, UPCALL_FN);
	assert_int_equal(t.userdata, UPCALL_UD);
	assert_int_equal(t.arg[0], a0);
	assert_int_equal(t.arg[1], a1);
	assert_int_equal(t.arg[2], a2);
}

static inline void assert_no_upcall(struct proc *p, uint32_t drv, uint32_t sub)
{
	struct task t;

	assert_false(upcall_take(p, drv, sub, &t));
}
