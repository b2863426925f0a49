/* SPDX-License-Identifier: MIT */
/*
 * Process faults: the report and the restart policy (doc/abi.md §8.3).
 *
 * Nothing a process does can stop the kernel: a fault stops, restarts or (if
 * the board chose the panic policy) halts, as the `restart_policy` and
 * `restart_max` meson options say.
 */
#pragma once

struct proc;
struct arch_trap;

/*
 * p faulted (trap t, or a kernel-detected error described by why; either
 * may be NULL).  Prints the fault report — cause, tval, pc, registers and
 * the process's memory map — then applies the restart policy.
 */
void fault_process(struct proc *p, const struct arch_trap *t, const char *why);
