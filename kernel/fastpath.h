/* SPDX-License-Identifier: MIT */
/*
 * The system-call entry of the trap path: the fast path (meson option
 * fastpath) in front of the reference path, syscall_handle().
 */
#pragma once

#include <stdint.h>

#include "kernel/syscall.h"

struct proc;

/*
 * The trap path calls this for every ecall from U-mode, on the kernel
 * stack (kernel/hw.h, arch_run()).  a0-a4 are the caller's registers as
 * they were at the ecall (the trap path leaves them where C takes its
 * first five arguments, and passes p sixth).  Returns what happens next,
 * exactly as syscall_handle(p) would, except that a call after which p
 * cannot run may answer SYSCALL_SWITCH with the process to run instead
 * (see kernel/fastpath.c for which calls the fast path takes).
 *
 * Requires: p is running; p->ctx holds pc (already past the ecall), ra,
 * sp, t0-t6 and a0-a7.  s0-s11, gp and tp still hold the user's values in
 * the registers (callee-saved, and the kernel never uses tp, nor gp
 * unless the trap path reloads it), so their ctx slots are stale: nothing
 * here reads them, nor faults p (a fault report needs them:
 * SYSCALL_INVALID leaves that to the run loop).
 */
struct syscall_outcome syscall_entry(uintptr_t a0, uintptr_t a1, uintptr_t a2,
				     uintptr_t a3, uintptr_t a4,
				     struct proc *p);
