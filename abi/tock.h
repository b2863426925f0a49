/* SPDX-License-Identifier: MIT */
/*
 * The Tock 2.x system-call ABI as numbers (doc/abi.md
 * §2-§5, TRD104): what a process puts in a4 and a0, and what the kernel
 * answers in a0 and a1.  The one definition of them: the kernel
 * (kernel/syscall.c, kernel/driver.h, kernel/kerr.h) and Tern's userspace
 * (user/lib/sys.h) both include this file, so the two sides cannot drift
 * apart.  Numbers only: no types, no functions, nothing either side must
 * not see.
 */
#pragma once

/* Call classes (a4). */
enum sys_class {
	SYS_YIELD = 0,
	SYS_SUBSCRIBE = 1,
	SYS_COMMAND = 2,
	SYS_ALLOW_RW = 3,
	SYS_ALLOW_RO = 4,
	SYS_MEMOP = 5,
	SYS_EXIT = 6,
	SYS_ALLOW_USERSPACE = 7,
};

/* Yield variants (a0 of class 0). */
enum sys_yield {
	SYS_YIELD_NO_WAIT = 0,
	SYS_YIELD_WAIT = 1,
	SYS_YIELD_WAIT_FOR = 2,
};

/* Exit kinds (a0 of class 6). */
enum sys_exit_kind {
	SYS_EXIT_TERMINATE = 0,
	SYS_EXIT_RESTART = 1,
};

/* Memop operations (a0 of class 5, doc/abi.md §4.7). */
enum sys_memop {
	MEMOP_BRK = 0,
	MEMOP_SBRK = 1,
	MEMOP_MEM_START = 2,
	MEMOP_MEM_END = 3,
	MEMOP_FLASH_START = 4,
	MEMOP_FLASH_END = 5,
	MEMOP_GRANT_START = 6,
	MEMOP_WFR_COUNT = 7,
	MEMOP_WFR_START = 8,
	MEMOP_WFR_END = 9,
	MEMOP_STACK_TOP = 10,
	MEMOP_HEAP_START = 11,
};

/* Return variants (doc/abi.md §5.1): the value the kernel puts in a0. */
enum sys_variant {
	SYS_FAILURE = 0,
	SYS_FAILURE_U32 = 1,
	SYS_FAILURE_2U32 = 2,
	SYS_FAILURE_U64 = 3,
	SYS_SUCCESS = 128,
	SYS_SUCCESS_U32 = 129,
	SYS_SUCCESS_2U32 = 130,
	SYS_SUCCESS_U64 = 131,
	SYS_SUCCESS_3U32 = 132,
	SYS_SUCCESS_U32_U64 = 133,
	/*
	 * Tock's 64-bit encoding (doc/abi.md D11) adds these for values
	 * that are pointers or addresses.  With 32-bit registers the kernel
	 * writes the variant in brackets instead, and userspace never sees
	 * these.
	 */
	SYS_FAILURE_FNPTR = 4,	   /* error, function, userdata (2U32) */
	SYS_FAILURE_PTR_LEN = 5,   /* error, address, length (2U32) */
	SYS_SUCCESS_FNPTR = 134,   /* function, userdata (2U32) */
	SYS_SUCCESS_PTR_LEN = 135, /* address, length (2U32) */
	SYS_SUCCESS_PTR = 136,	   /* a pointer into the process (U32) */
	SYS_SUCCESS_ADDR = 137,	   /* an address not to dereference (U32) */
};

/* Error codes (doc/abi.md §5.3): a1 of a failure variant. */
enum sys_err {
	SYS_OK = 0,
	SYS_EFAIL = 1,
	SYS_EBUSY = 2,
	SYS_EALREADY = 3,
	SYS_EOFF = 4,
	SYS_ERESERVE = 5,
	SYS_EINVAL = 6,
	SYS_ESIZE = 7,
	SYS_ECANCEL = 8,
	SYS_ENOMEM = 9,
	SYS_ENOSUPPORT = 10,
	SYS_ENODEVICE = 11,
	SYS_EUNINSTALLED = 12,
	SYS_ENOACK = 13,
};
