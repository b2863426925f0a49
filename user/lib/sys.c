// SPDX-License-Identifier: MIT
/*
 * Tern userspace: system-call wrappers (see user/lib/sys.h).
 *
 * Each wrapper pins its arguments to a0..a4 with register variables and
 * names as outputs exactly the registers the kernel may write (doc/abi.md
 * §2.3); the "memory" clobber is there because the kernel reads allowed buffers
 * and writes the Yield-NoWait flag behind the compiler's back.
 */
#include "user/lib/sys.h"

/*
 * Caller-saved registers an upcall run inside a yield may change (a0..a4
 * are operands where used and so not listed).  Callee-saved registers, sp,
 * gp and tp survive: the upcall is an ordinary C function (doc/abi.md §3.1).
 */
#define UPCALL_CLOBBERS                                                   \
	"a5", "a6", "a7", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "ra", \
		"memory"

/* Yield-NoWait and Yield-Wait: an upcall may run inside. */
static inline void yield_upcall(uintptr_t kind, uintptr_t flag)
{
	register uintptr_t a0 __asm__("a0") = kind;
	register uintptr_t a1 __asm__("a1") = flag;
	register uintptr_t a4 __asm__("a4") = SYS_YIELD;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1), "+r"(a4)
			     :
			     : "a2", "a3", UPCALL_CLOBBERS);
}

void sys_yield_no_wait(uint8_t *flag)
{
	yield_upcall(SYS_YIELD_NO_WAIT, (uintptr_t)flag);
}

void sys_yield_wait(void)
{
	yield_upcall(SYS_YIELD_WAIT, 0);
}

struct sys_return sys_yield_wait_for(uint32_t drv, uint32_t sub)
{
	register uintptr_t a0 __asm__("a0") = SYS_YIELD_WAIT_FOR;
	register uintptr_t a1 __asm__("a1") = drv;
	register uintptr_t a2 __asm__("a2") = sub;
	register uintptr_t a4 __asm__("a4") = SYS_YIELD;

	/* no upcall runs: only a0..a2 change (doc/abi.md §4.1) */
	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1), "+r"(a2)
			     : "r"(a4)
			     : "memory");
	/* there is no variant code: report the raw values as three u32s */
	return (struct sys_return){ SYS_SUCCESS_3U32, { a0, a1, a2 } };
}

/* The four-argument classes share one shape. */
static inline struct sys_return call4(uintptr_t cls, uintptr_t x0,
				      uintptr_t x1, uintptr_t x2,
				      uintptr_t x3)
{
	register uintptr_t a0 __asm__("a0") = x0;
	register uintptr_t a1 __asm__("a1") = x1;
	register uintptr_t a2 __asm__("a2") = x2;
	register uintptr_t a3 __asm__("a3") = x3;
	register uintptr_t a4 __asm__("a4") = cls;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
			     : "r"(a4)
			     : "memory");
	return (struct sys_return){ (uint32_t)a0, { a1, a2, a3 } };
}

struct sys_return sys_subscribe(uint32_t drv, uint32_t sub, sys_upcall_fn fn,
				void *userdata)
{
	return call4(SYS_SUBSCRIBE, drv, sub, (uintptr_t)fn,
		     (uintptr_t)userdata);
}

struct sys_return sys_command(uint32_t drv, uint32_t cmd, uintptr_t arg0,
			      uintptr_t arg1)
{
	return call4(SYS_COMMAND, drv, cmd, arg0, arg1);
}

struct sys_return sys_allow_rw(uint32_t drv, uint32_t num, void *addr,
			       size_t len)
{
	return call4(SYS_ALLOW_RW, drv, num, (uintptr_t)addr, len);
}

struct sys_return sys_allow_ro(uint32_t drv, uint32_t num, const void *addr,
			       size_t len)
{
	return call4(SYS_ALLOW_RO, drv, num, (uintptr_t)addr, len);
}

struct sys_return sys_allow_userspace(uint32_t drv, uint32_t num, void *addr,
				      size_t len)
{
	return call4(SYS_ALLOW_USERSPACE, drv, num, (uintptr_t)addr, len);
}

/*
 * The two-argument classes, memop and exit: the kernel writes at most a0
 * and a1 (doc/abi.md §2.3).
 */
static inline struct sys_return call2(uintptr_t cls, uintptr_t x0,
				      uintptr_t x1)
{
	register uintptr_t a0 __asm__("a0") = x0;
	register uintptr_t a1 __asm__("a1") = x1;
	register uintptr_t a4 __asm__("a4") = cls;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1)
			     : "r"(a4)
			     : "memory");
	return (struct sys_return){ (uint32_t)a0, { a1, 0, 0 } };
}

struct sys_return sys_memop(uint32_t op, uintptr_t arg)
{
	return call2(SYS_MEMOP, op, arg);
}

uint32_t sys_brk(void *addr)
{
	return sys_err(sys_memop(MEMOP_BRK, (uintptr_t)addr));
}

void *sys_sbrk(intptr_t incr)
{
	struct sys_return r = sys_memop(MEMOP_SBRK, (uintptr_t)incr);

	return r.variant == SYS_MEMOP_PTR ? (void *)r.v[0] : NULL;
}

struct sys_return sys_exit(uint32_t kind, uint32_t code)
{
	/* returns only with Failure (a0, a1) for an unknown kind */
	return call2(SYS_EXIT, kind, code);
}

void sys_exit_terminate(uint32_t code)
{
	for (;;)
		sys_exit(SYS_EXIT_TERMINATE, code);
}

void sys_exit_restart(uint32_t code)
{
	for (;;)
		sys_exit(SYS_EXIT_RESTART, code);
}

struct sys_return sys_raw(uintptr_t cls, uintptr_t x0, uintptr_t x1,
			  uintptr_t x2, uintptr_t x3)
{
	register uintptr_t a0 __asm__("a0") = x0;
	register uintptr_t a1 __asm__("a1") = x1;
	register uintptr_t a2 __asm__("a2") = x2;
	register uintptr_t a3 __asm__("a3") = x3;
	register uintptr_t a4 __asm__("a4") = cls;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4)
			     :
			     : UPCALL_CLOBBERS);
	return (struct sys_return){ (uint32_t)a0, { a1, a2, a3 } };
}
