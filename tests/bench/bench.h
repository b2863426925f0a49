/* SPDX-License-Identifier: MIT */
/*
 * User side of `./tern bench`: timing system calls with instret.
 *
 * Under QEMU -icount shift=0 instret counts every instruction the hart
 * retires, in U-mode and in the kernel alike, and repeats exactly from run
 * to run.  U-mode may read it (the kernel sets mcounteren.IR at boot).  A
 * timed call is one asm block, "csrr; ecall; csrr", so that nothing of the
 * compiler's lands between the two reads; bench_cal() is the same block
 * without the ecall, and every figure is reported with it subtracted: the
 * instructions from the ecall up to and including the kernel's mret.
 *
 * Apps report "BENCH <key> <value>" lines; tools/tern_qemu.py (verb
 * bench) collects them into the table.
 */
#pragma once

#include <stdint.h>

#include "tests/bench/kernel/bench.h"
#include "user/lib/tern.h"

/* Commands of the bench driver (kernel/bench.h). */
enum {
	BENCH_NULL = 0,
	BENCH_COPY64 = 1,
	BENCH_TIME_MUT_ENTER = 2,
	BENCH_NOTIFY = 3,
	BENCH_INFO = 4,
	BENCH_POWEROFF = 5,
	BENCH_OPEN_INSTRET = 6,
	BENCH_COPY = 7,
};

/* What a yield may clobber: an upcall runs inside it as a C call. */
#define BENCH_CLOBBERS                                                    \
	"a5", "a6", "a7", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "ra", \
		"memory"

static inline uint32_t bench_instret(void)
{
	uint32_t v;

	__asm__ __volatile__("csrr %0, instret" : "=r"(v) : : "memory");
	return v;
}

/* Two back-to-back reads: what a timed block costs with no call in it. */
static inline uint32_t bench_cal(void)
{
	uint32_t t0, t1;

	__asm__ __volatile__("csrr %0, instret\n\t"
			     "csrr %1, instret"
			     : "=&r"(t0), "=&r"(t1)
			     :
			     : "memory");
	return t1 - t0;
}

/* Time one system call of class cls with a0..a3; the raw difference. */
static inline uint32_t bench_call(uintptr_t cls, uintptr_t x0, uintptr_t x1,
				  uintptr_t x2, uintptr_t x3)
{
	register uintptr_t a0 __asm__("a0") = x0;
	register uintptr_t a1 __asm__("a1") = x1;
	register uintptr_t a2 __asm__("a2") = x2;
	register uintptr_t a3 __asm__("a3") = x3;
	register uintptr_t a4 __asm__("a4") = cls;
	uint32_t t0, t1;

	__asm__ __volatile__("csrr %[t0], instret\n\t"
			     "ecall\n\t"
			     "csrr %[t1], instret"
			     : [t0] "=&r"(t0), [t1] "=&r"(t1), "+r"(a0),
			       "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4)
			     :
			     : BENCH_CLOBBERS);
	return t1 - t0;
}

/*
 * Yield-Wait, with instret read just before the ecall; returns that
 * reading.  The reading lives in a callee-saved register (everything else
 * is an operand or clobbered), so the upcall that ends the yield keeps it.
 */
static inline uint32_t bench_stamp_yield_wait(void)
{
	register uintptr_t a0 __asm__("a0") = SYS_YIELD_WAIT;
	register uintptr_t a1 __asm__("a1") = 0;
	register uintptr_t a4 __asm__("a4") = SYS_YIELD;
	uint32_t t0;

	__asm__ __volatile__("csrr %[t0], instret\n\t"
			     "ecall"
			     : [t0] "=&r"(t0), "+r"(a0), "+r"(a1), "+r"(a4)
			     :
			     : "a2", "a3", BENCH_CLOBBERS);
	return t0;
}

/*
 * Yield-WaitFor(drv, sub), with instret read just after the ecall returns;
 * returns that reading (and the first upcall value in *v0).
 */
static inline uint32_t bench_yield_wait_for_stamp(uint32_t drv, uint32_t sub,
						  uint32_t *v0)
{
	register uintptr_t a0 __asm__("a0") = SYS_YIELD_WAIT_FOR;
	register uintptr_t a1 __asm__("a1") = drv;
	register uintptr_t a2 __asm__("a2") = sub;
	register uintptr_t a4 __asm__("a4") = SYS_YIELD;
	uint32_t t1;

	__asm__ __volatile__("ecall\n\t"
			     "csrr %[t1], instret"
			     : [t1] "=&r"(t1), "+r"(a0), "+r"(a1), "+r"(a2)
			     : "r"(a4)
			     : "memory");
	*v0 = (uint32_t)a0;
	return t1;
}

/* The IPC driver (drivers/ipc.h) and what the partner takes as "serve IPC". */
#define BENCH_IPC_DRV 0x10000u
#define BENCH_IPC_MODE 0x1bc0u

/*
 * One IPC round trip as the client: instret, then Command (notify service
 * svc) and at once Yield-Wait, in one block, so that the client's own
 * code between them is two instructions.  Returns the reading; the reply
 * upcall (bench_upcall) stamps its first instruction.
 */
static inline uint32_t bench_ipc_round(uint32_t svc)
{
	register uintptr_t a0 __asm__("a0") = BENCH_IPC_DRV;
	register uintptr_t a1 __asm__("a1") = 2; /* notify service */
	register uintptr_t a2 __asm__("a2") = svc;
	register uintptr_t a3 __asm__("a3") = 0;
	register uintptr_t a4 __asm__("a4") = SYS_COMMAND;
	uint32_t t0;

	__asm__ __volatile__("csrr %[t0], instret\n\t"
			     "ecall\n\t"
			     "li a0, %[wait]\n\t"
			     "li a4, %[yield]\n\t"
			     "ecall"
			     : [t0] "=&r"(t0), "+r"(a0), "+r"(a1), "+r"(a2),
			       "+r"(a3), "+r"(a4)
			     : [wait] "i"(SYS_YIELD_WAIT), [yield] "i"(SYS_YIELD)
			     : BENCH_CLOBBERS);
	return t0;
}

static inline struct sys_return bench_cmd(uint32_t cmd, uintptr_t arg0,
					  uintptr_t arg1)
{
	return sys_command(BENCH_DRIVER_NUM, cmd, arg0, arg1);
}

/* Allow nbufs read-write buffers of 16 bytes to bench slots first.. . */
void bench_allow_many(unsigned first, unsigned nbufs);

/* Print one result line. */
void bench_report(const char *key, uint32_t value);
