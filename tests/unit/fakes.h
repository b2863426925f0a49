/* SPDX-License-Identifier: MIT */
/*
 * Shared fixtures for the unit tests: fake drivers, simulated process flash
 * and RAM, and a helper that creates a process over them.
 */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/driver.h"
#include "kernel/proc/proc.h"
#include "kernel/syscall.h"

/* Fake drivers in driver_table, in this order. */
#define FAKE_DRV_A 0x1000u    /* grant: 2 upcalls, 2 RO, 2 RW, 16 B record */
#define FAKE_DRV_B 0x1001u    /* grant: 1 upcall, 1 RO, 1 RW, 64 B record */
#define FAKE_DRV_NOGRANT 0x2u /* no grant (like LED) */
#define FAKE_DRV_USR 0x9u     /* grant; supports userspace-readable allow 0 */
#define FAKE_DRV_BIG 0x1002u  /* grant with a 2048 B record (exhausts RAM) */
#define FAKE_DRV_NONE 0xdeadu /* not registered */

extern const struct driver fake_drv_a, fake_drv_b, fake_drv_nogrant,
	fake_drv_usr, fake_drv_big;

/* Per-test process memory: flash image and RAM pool, 4096-aligned. */
#define FAKE_FLASH_SIZE 4096u
#define FAKE_RAM_SIZE 16384u
#define FAKE_PROTECTED 0x80u
extern uint8_t fake_flash[PROC_MAX][FAKE_FLASH_SIZE];
extern uint8_t fake_ram[PROC_MAX][FAKE_RAM_SIZE];

/*
 * Reset the process table and host board, then create a process in slot
 * order over fake_flash[i] / fake_ram[i] with mem_len bytes of RAM
 * (FAKE_RAM_SIZE if 0).  Fails the test on error.
 */
void fakes_reset(void);
struct proc *fakes_proc(unsigned i, size_t mem_len);

/* fakes_proc(i, 0), then brk so that brk bytes of RAM are accessible. */
struct proc *fakes_proc_brk(unsigned i, size_t brk);

/* Fake command numbers: restart the caller, echo (a2, a3, cmd) as 3 u32. */
#define FAKE_CMD_RESTART_CALLER 0x99u
#define FAKE_CMD_ECHO 0x77u

/* Calls recorded by the fake drivers. */
struct fake_calls {
	unsigned commands;
	uint32_t last_cmd;
	uintptr_t last_arg0, last_arg1; /* as the driver received them */
	unsigned usr_allows;
};
extern struct fake_calls fake_calls;

/*
 * cmocka's expect_assert_failure(call), but the line saying which
 * assertion fired is a TAP comment ("# ..."): under
 * CMOCKA_MESSAGE_OUTPUT=TAP, meson reports any other line as unknown TAP
 * output.  Fails the test if call returns without a failed assertion.
 */
#undef expect_assert_failure
#define expect_assert_failure(call)                                        \
	do {                                                               \
		if (setjmp(global_expect_assert_env) == 0) {               \
			global_expecting_assert = 1;                       \
			call;                                              \
			global_expecting_assert = 0;                       \
			fail_msg("no assertion failed in %s", #call);      \
		}                                                          \
		global_expecting_assert = 0;                               \
		print_message("# expected assertion %s occurred\n",        \
			      global_last_failed_assert);                  \
	} while (0)

/*
 * The trap path and the run loop for one ecall of p, as a board runs it
 * (platform/arch/riscv/trap.S, kernel/main.c): the pc moves past the
 * ecall, syscall_entry() (the fast path first when the test is built with
 * CONFIG_FASTPATH=1) runs with a0-a4 from p->ctx, and an invalid call
 * faults p.  reference: call syscall_handle() instead of syscall_entry().
 * Returns the outcome.
 */
struct syscall_outcome fake_ecall(struct proc *p, bool reference);
