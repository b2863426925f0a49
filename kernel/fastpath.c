// SPDX-License-Identifier: MIT
/*
 * The system-call fast path: a few common calls done in fewer
 * instructions than the reference path (kernel/syscall.c) takes, before
 * the reference path is asked.  Built when the meson option fastpath is
 * on (CONFIG_FASTPATH=1); off, syscall_entry() hands every ecall to
 * syscall_handle().
 *
 * The fast path takes exactly these calls, a4 being the class alone (no
 * bits above the low 8 set):
 *
 *   Yield-NoWait (a4 = 0, a0 = 0) with nothing queued for the caller and a
 *     flag address outside [mem_start, app_break): nothing to store or
 *     start; the caller goes on.
 *   Yield-WaitFor (a4 = 0, a0 = 2) with nothing queued for the caller:
 *     it blocks and the fast path switches, as for Yield-Wait below.
 *   Yield-Wait (a4 = 0, a0 = 1), always: with a call queued for the
 *     caller, it starts it with the reference path's own
 *     syscall_start_next() and answers SYSCALL_UPCALL; with none (or only
 *     return-value records, which it drops), the caller blocks, and
 *     instead of leaving the choice of the next process to the run loop,
 *     the fast path makes it (sched_switch(): what the run loop does
 *     between two processes) and answers SYSCALL_SWITCH with it (or
 *     SYSCALL_UPCALL when the caller itself was resumed meanwhile,
 *     SYSCALL_BLOCKED when nothing can run).
 *   Command (a4 = 2): the driver's command runs as in the reference path;
 *     a plain Success to a caller that goes on is written here, any other
 *     result by syscall_complete(); no driver with that number: Failure
 *     NODEVICE.
 *   Read-write and read-only allows (a4 = 3, 4) that allow_fast() can
 *     swap without a call: the caller running, the driver in the lookup
 *     cache, its grant allocated, a declared slot, a buffer empty or below
 *     the allow mark.
 *   Memop (a4 = 5) operations 2-6 (memory start and end, flash start and
 *     end, grant start): a read of the caller's bounds, answered here.
 *
 * Every other call, and each of these when the condition fails before
 * anything changed, goes to syscall_handle().  For every call the fast
 * path takes it must leave the same registers, memory and process states
 * as syscall_handle() followed by the run loop's choice of what runs next
 * (tests/unit/test_fuzz.c checks it call by call, both ways); only the
 * order of work differs, which no process can observe.
 */
#include "kernel/fastpath.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/tock.h"
#include "kernel/allow/allow.h"
#include "kernel/driver.h"
#include "kernel/kerr.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"

#ifndef CONFIG_FASTPATH
#error "CONFIG_FASTPATH: kernel executables take kernel_c_args (kernel/meson.build)"
#endif

#if CONFIG_FASTPATH

#define A(p, n) ((p)->ctx.x[CTX_A0 + (n)])

/*
 * Any other result of a command: the driver's compact result c with the
 * values it put in more[] (entries the variant does not name are never
 * written).  Out of line, so that command() keeps c where the driver
 * returned it.
 */
static __attribute__((noinline)) struct syscall_outcome
command_done(cmdret_t c, const uintptr_t *more, struct proc *p)
{
	struct sysret r = { cmdret_variant(c),
			    { cmdret_value(c), more[0], more[1] } };

	return syscall_complete(p, &r);
}

/*
 * A command (a4 = 2).  Out of line, so that the yields and allows in
 * syscall_entry() stay a leaf with no stack frame; its arguments sit where
 * syscall_entry() has them, so that the tail call moves none, and where
 * the driver's hook takes a1-a3 (noipa: the compiler must not drop a4 and
 * move p).
 */
static __attribute__((noipa)) struct syscall_outcome
command(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
	struct proc *p)
{
	const struct driver_slot *s = driver_lookup_reg(a0);
	/*
	 * p across the driver's call: one store and one load of a stack
	 * slot, where a callee-saved register would also cost its own save,
	 * restore and two moves (null Command 2 instructions less).  Not
	 * when optimizing for size (the HiFive1): there the lookup is a call
	 * too, p is in a callee-saved register across it anyway, and the
	 * slot would only add a store.
	 */
#ifdef __OPTIMIZE_SIZE__
	struct proc *keep;
#else
	struct proc *volatile keep;
#endif
	uintptr_t more[2];
	cmdret_t c;

	(void)a4;
	if (s == NULL) {
		/*
		 * Failure NODEVICE names a0 and a1 (here, not in the
		 * reference path, whose second lookup would scan the driver
		 * table again)
		 */
		A(p, 0) = SYS_FAILURE;
		A(p, 1) = KERR_NODEVICE;
		return syscall_out(SYSCALL_RETURN, p);
	}
	keep = p;
	c = s->command(p, (uint32_t)a1, a2, a3, more);
	/*
	 * A plain Success names a0 only: the commonest answer, laid out as
	 * the straight line (the hint saves a jump to a shared epilogue).
	 * The whole low register is compared: cmdret() leaves nothing above
	 * the variant in it (rv64: no truncation), and a result that does
	 * not compare so is decoded in full by command_done().  Success
	 * names no value, so a caller that cannot go on gets cmdret_ok():
	 * the value's register is then free for p on the straight line.
	 */
	if (__builtin_expect((uintptr_t)c == SYS_SUCCESS, 1)) {
		p = keep;
		if (__builtin_expect(p->state == PROC_RUNNABLE, 1)) {
			A(p, 0) = SYS_SUCCESS;
			return syscall_out(SYSCALL_RETURN, p);
		}
		c = cmdret_ok();
	}
	return command_done(c, more, keep); /* c stays in a0-a1 */
}

/*
 * SuccessPtrLen (the allows' success) in this build's registers: 2U32 with
 * 32-bit registers (doc/abi.md D11).
 */
#define ALLOW_OK (sizeof(uintptr_t) == 4 ? SYS_SUCCESS_2U32 \
					 : SYS_SUCCESS_PTR_LEN)

/*
 * A read-write or read-only allow (a4 = 3, 4), out of line and with its
 * arguments in place for the same reasons as command().  Classes 3 and 4
 * differ in bit 2 of a4, which is set for read-only.
 */
_Static_assert(SYS_ALLOW_RW == 3 && SYS_ALLOW_RO == 4, "bit 2 says which");

static __attribute__((noipa)) struct syscall_outcome
allow(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
      struct proc *p)
{
	struct pbuf old;

	if (!allow_fast(p, (uint32_t)a0, (uint32_t)a1, a2, a3, a4 & 4, &old))
		return syscall_handle(p);
	A(p, 0) = ALLOW_OK;
	A(p, 1) = old.addr;
	A(p, 2) = old.len;
	return syscall_out(SYSCALL_RETURN, p);
}

/*
 * A memop (a4 = 5) that only reads one of p's bounds (operations 2-6:
 * memory start and end, flash start and end, grant start), found through
 * this table of where struct proc keeps each (in words: each is a
 * uintptr_t), so that the five take one load and no branch.  Success with
 * the address, in this build's variant (a u32 with 32-bit registers,
 * doc/abi.md D11).  Every other operation goes to the reference path.
 * Out of line and with its arguments in place, as command().
 */
#define WORD(f) (offsetof(struct proc, f) / sizeof(uintptr_t))
#define WORD_OK(f) (offsetof(struct proc, f) % sizeof(uintptr_t) == 0)

static const uint8_t memop_field[] = {
	WORD(mem_start), WORD(mem_end), WORD(flash_start),
	WORD(flash_end), WORD(kernel_break),
};
_Static_assert(MEMOP_GRANT_START - MEMOP_MEM_START + 1 ==
		       sizeof(memop_field),
	       "one entry per operation 2-6");
_Static_assert(WORD_OK(mem_start) && WORD_OK(mem_end) &&
		       WORD_OK(flash_start) && WORD_OK(flash_end) &&
		       WORD_OK(kernel_break) &&
		       sizeof(struct proc) / sizeof(uintptr_t) <= 255,
	       "each a whole word, its index fits in a byte");

static __attribute__((noipa)) struct syscall_outcome
memop(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
      struct proc *p)
{
	uint32_t i = (uint32_t)a0 - MEMOP_MEM_START;

	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	if (i >= sizeof(memop_field))
		return syscall_handle(p);
	if (sizeof(uintptr_t) == 4)
		A(p, 0) = SYS_SUCCESS_U32;
	else
		A(p, 0) = i == MEMOP_GRANT_START - MEMOP_MEM_START
				  ? SYS_SUCCESS_ADDR
				  : SYS_SUCCESS_PTR;
	A(p, 1) = ((const uintptr_t *)p)[memop_field[i]];
	return syscall_out(SYSCALL_RETURN, p);
}

/*
 * A yield that yield() does not finish itself: Yield-Wait with something
 * queued for p starts p's next call as in the reference path, with its own
 * syscall_start_next(); if the queue held only return-value records, p
 * blocks as with nothing queued.  Yield-WaitFor with nothing queued
 * blocks the same way (an IPC service's wait: IPC round trip on rv32
 * 1,450 -> 1,259).  Every other yield goes to the reference path.  Out of line, so that yield() stays short; a0 is read back from
 * p's saved registers, so that yield() calls it exactly as it would
 * syscall_handle() (with a0 as an argument GCC keeps p and a0 in other
 * registers on Yield-NoWait's straight line: 2 instructions more there).
 * The price: Yield-WaitFor with something queued and every other slow
 * yield reach syscall_handle() through this one more call, 4
 * instructions (the RNG row of ./tern bench on the virt boards, 2,569 ->
 * 2,573 on rv32); every arrangement with three callees in yield() tried
 * put the 2 back.
 */
static __attribute__((noipa)) struct syscall_outcome
yield_other(struct proc *p)
{
	if (A(p, 0) == SYS_YIELD_WAIT) {
		p->state = PROC_YIELDED;
		if (syscall_start_next(p))
			return syscall_out(SYSCALL_UPCALL, p);
		return sched_switch(p);
	}
	if (A(p, 0) != SYS_YIELD_WAIT_FOR || p->queue->count != 0)
		return syscall_handle(p);
	/*
	 * Yield-WaitFor with nothing queued, so nothing it waits for: it
	 * blocks, as in the reference path, with (driver, subscription)
	 * left in a1, a2; resumed meanwhile, it has its values in a0-a2
	 * and its pc past the ecall, which SYSCALL_UPCALL reloads.  The
	 * service side of an IPC exchange waits so.
	 */
	p->state = PROC_YIELDED_FOR;
	return sched_switch(p);
}

/*
 * A yield (a4 = 0): Yield-NoWait with nothing queued, Yield-Wait, and
 * in kernels with IPC Yield-WaitFor with nothing queued.
 * Out of line and with its arguments in place, as command().
 */
static __attribute__((noipa)) struct syscall_outcome
yield(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
      struct proc *p)
{
	(void)a2;
	(void)a3;
	(void)a4;
	/*
	 * Yield-NoWait with nothing queued and a flag outside [mem_start,
	 * app_break): mem_start <= app_break, so one unsigned compare tests
	 * both ends.  The commonest system call of all: the hint keeps its
	 * return the straight line.
	 */
	if (__builtin_expect(p->queue->count == 0 && a0 == SYS_YIELD_NO_WAIT &&
				     a1 - p->mem_start >=
					     p->app_break - p->mem_start,
			     1))
		return syscall_out(SYSCALL_RETURN, p);
	if (p->queue->count == 0 && a0 == SYS_YIELD_WAIT) {
		/*
		 * p blocks, and the next process runs straight from here:
		 * sched_switch() may also find p itself resumed meanwhile
		 * (the console queued it an upcall).
		 */
		p->state = PROC_YIELDED;
		return sched_switch(p);
	}
#if CONFIG_IPC
	if (p->queue->count == 0 && a0 == SYS_YIELD_WAIT_FOR) {
		/*
		 * As in yield_other(), but without its frame: 8 instructions
		 * fewer for an IPC service's wait (IPC round trip on rv32
		 * 766 -> 752).  Kernels with IPC only: on the HiFive1
		 * (link-time optimisation) Yield-NoWait's straight line
		 * took 4 instructions more with it.
		 */
		p->state = PROC_YIELDED_FOR;
		return sched_switch(p);
	}
#endif
	return yield_other(p);
}

#endif /* CONFIG_FASTPATH */

struct syscall_outcome syscall_entry(uintptr_t a0, uintptr_t a1, uintptr_t a2,
				     uintptr_t a3, uintptr_t a4,
				     struct proc *p)
{
#if CONFIG_PROCESS_CONSOLE
	/* for the process console's list and status */
	p->syscalls++;
#endif
#if CONFIG_FASTPATH
	if (a4 == SYS_YIELD)
		return yield(a0, a1, a2, a3, a4, p);
	if (a4 == SYS_COMMAND)
		return command(a0, a1, a2, a3, a4, p);
	if (a4 == SYS_ALLOW_RW || a4 == SYS_ALLOW_RO)
		return allow(a0, a1, a2, a3, a4, p);
	if (a4 == SYS_MEMOP)
		return memop(a0, a1, a2, a3, a4, p);
#else
	(void)a0;
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
#endif
	return syscall_handle(p);
}
