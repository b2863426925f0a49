/* SPDX-License-Identifier: MIT */
/*
 * Tern userspace: the raw Tock 2.x system calls (doc/abi.md §2–§5).
 *
 * One function per call class.  Each loads the class number into a4 and the
 * arguments into a0..a3, executes ecall and returns what the kernel wrote,
 * decoded into a struct sys_return.  Nothing here interprets driver
 * semantics; user/lib/console.h, alarm.h, led.h and lldebug.h do that.
 *
 * Register contract these wrappers rely on (doc/abi.md §2.3): the kernel writes
 * only the registers its return variant names and preserves a4 and every
 * other register, so the asm statements declare exactly a0..a3 (a0..a1 for
 * memop) as outputs.  Yield is different: an upcall may run inside it as an
 * ordinary C call, so it clobbers every caller-saved register.
 *
 * Works unchanged for XLEN 64: registers are uintptr_t.  There the kernel
 * uses Tock's 64-bit return encoding (doc/abi.md D11): subscribe, the
 * allows and the memop address queries answer with variants 4, 5 and
 * 134-137, which carry full-width pointers, and a 64-bit value takes one
 * register.  SYS_SUBSCRIBE_SUCCESS and friends name the variant each call
 * uses on the XLEN this is built for.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/tock.h" /* classes, variants, error codes, memops */

/* 64-bit registers: the kernel answers with the wide variants (abi/tock.h). */
#define SYS_WIDE (sizeof(uintptr_t) == 8)
/* What subscribe and the allows answer with. */
#define SYS_SUBSCRIBE_SUCCESS                                             \
	(SYS_WIDE ? SYS_SUCCESS_FNPTR : SYS_SUCCESS_2U32)
#define SYS_SUBSCRIBE_FAILURE                                             \
	(SYS_WIDE ? SYS_FAILURE_FNPTR : SYS_FAILURE_2U32)
#define SYS_ALLOW_SUCCESS (SYS_WIDE ? SYS_SUCCESS_PTR_LEN : SYS_SUCCESS_2U32)
#define SYS_ALLOW_FAILURE (SYS_WIDE ? SYS_FAILURE_PTR_LEN : SYS_FAILURE_2U32)
/* What memop sbrk and 2..5 (pointers), and 6 (the grant address) answer. */
#define SYS_MEMOP_PTR (SYS_WIDE ? SYS_SUCCESS_PTR : SYS_SUCCESS_U32)
#define SYS_MEMOP_ADDR (SYS_WIDE ? SYS_SUCCESS_ADDR : SYS_SUCCESS_U32)

/*
 * Not an ABI code: what libtern's helpers return when the kernel answered
 * with a variant the call does not define (libtock-c's BADRVAL).
 */
enum { SYS_EBADRVAL = 1024 };

/*
 * What one system call returned.  variant is a0; v[] are a1..a3 as the
 * kernel left them.  For a failure v[0] is the error code.  Registers the
 * variant does not name hold whatever was passed in (the kernel leaves
 * them alone), so compare only what the variant defines.
 */
struct sys_return {
	uint32_t variant;
	uintptr_t v[3];
};

/* True for the success variants (a0 >= 128, the test libtock-c uses). */
static inline bool sys_ok(struct sys_return r)
{
	return r.variant >= SYS_SUCCESS;
}

/* The error of a failure, 0 for a success. */
static inline uint32_t sys_err(struct sys_return r)
{
	return sys_ok(r) ? 0 : (uint32_t)r.v[0];
}

/* Upcall function: (arg0, arg1, arg2, userdata), doc/abi.md §3.1. */
typedef void (*sys_upcall_fn)(uint32_t, uint32_t, uint32_t, void *);

/* ---- Yield (class 0) ---- */

/*
 * Run one queued upcall if there is one, else return at once.  If flag is a
 * byte in this process's RAM the kernel stores 1 there when an upcall ran,
 * 0 when none was queued (NULL: no flag).
 */
void sys_yield_no_wait(uint8_t *flag);

/* Block until one upcall has run. */
void sys_yield_wait(void);

/*
 * Block until driver drv schedules upcall sub; return its three values
 * without calling the subscribed function (the raw a0..a2, no variant).
 */
struct sys_return sys_yield_wait_for(uint32_t drv, uint32_t sub);

/* ---- Subscribe, Command, Allow (classes 1, 2, 3, 4, 7) ---- */

/* Success (SYS_SUBSCRIBE_SUCCESS): v[0], v[1] = previous fn and userdata.
 * Failure (SYS_SUBSCRIBE_FAILURE): v[0] = error, v[1], v[2] = the fn and
 * userdata passed. */
struct sys_return sys_subscribe(uint32_t drv, uint32_t sub, sys_upcall_fn fn,
				void *userdata);

struct sys_return sys_command(uint32_t drv, uint32_t cmd, uintptr_t arg0,
			      uintptr_t arg1);

/* Success (SYS_ALLOW_SUCCESS): v[0], v[1] = previous address and length.
 * Failure (SYS_ALLOW_FAILURE): v[0] = error, v[1], v[2] = the address and
 * length passed. */
struct sys_return sys_allow_rw(uint32_t drv, uint32_t num, void *addr,
			       size_t len);
struct sys_return sys_allow_ro(uint32_t drv, uint32_t num, const void *addr,
			       size_t len);
struct sys_return sys_allow_userspace(uint32_t drv, uint32_t num, void *addr,
				      size_t len);

/* ---- Memop (class 5) ---- */

struct sys_return sys_memop(uint32_t op, uintptr_t arg);

/* brk to an absolute address; SYS_OK or the error. */
uint32_t sys_brk(void *addr);

/* Move the break by incr bytes; the old break, or NULL on failure. */
void *sys_sbrk(intptr_t incr);

/* ---- Exit (class 6) ---- */

__attribute__((noreturn)) void sys_exit_terminate(uint32_t code);
__attribute__((noreturn)) void sys_exit_restart(uint32_t code);

/*
 * The raw exit call with any kind (0 terminate, 1 restart, others are
 * answered with Failure NOSUPPORT, which this returns).
 */
struct sys_return sys_exit(uint32_t kind, uint32_t code);

/*
 * Escape hatch for tests: issue class a4 with a0..a3 and return what the
 * kernel left in a0..a3, declaring every caller-saved register clobbered
 * (safe for any class, including yields that run upcalls).
 */
struct sys_return sys_raw(uintptr_t a4, uintptr_t a0, uintptr_t a1,
			  uintptr_t a2, uintptr_t a3);
