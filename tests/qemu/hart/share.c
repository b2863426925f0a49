// SPDX-License-Identifier: MIT
/*
 * QEMU scenario hart_share: two processes (this source, built twice with
 * -DSELF="a" / "b" and -DPEER_RAM = the other's RAM block) run at once and
 * check that neither can see or change the other's hart state
 * (platform/arch/riscv/trap.h, "Hart state"):
 *
 *   - registers: rounds of hart_regs_round() (regs.S) with all 30 of its
 *     registers holding this process's values while the timer preempts it,
 *     while it makes fast-path system calls, and across a blocking yield
 *     that switches to the other process; every value must come back;
 *   - LR/SC: each round reserves its own first RAM word (lr), blocks so
 *     that the other runs, and then tries sc on the other's first word and
 *     on its own.  Both must fail: the reservation is dropped at every
 *     switch.  An sc that found the other's reservation still held would
 *     store into the other's RAM, which faults: the kernel's report then
 *     shows it;
 *   - time (-DHAS_TIME, the virt boards): readable and moving;
 *   - FP, vector, cycle, instret and the enables: tests/qemu/isolation
 *     lines fp_insn .. cbo_zero fault on each.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#ifndef SELF
#error "build with -DSELF=\"a\" or \"b\" and -DPEER_RAM"
#endif

void hart_regs_round(uintptr_t seed, uintptr_t spins, uintptr_t *out,
		     uintptr_t mode);

#define ROUNDS 15
/* 2 instructions a spin: 16M a round, more than a 10 ms timeslice */
#define SPINS 8000000

static volatile unsigned fired;

static void on_alarm(uint32_t a, uint32_t b, uint32_t c, void *ud)
{
	(void)a;
	(void)b;
	(void)c;
	(void)ud;
	fired++;
}

/* The registers mode keeps, checked against seed + <register number>. */
static bool regs_kept(uintptr_t seed, unsigned mode, const uintptr_t *out,
		      unsigned *bad)
{
	for (unsigned i = 1; i <= 30; i++) {
		bool callee = i == 3 || i == 4 || i == 8 || i == 9 ||
			      (i >= 18 && i <= 27);

		if (i == 2 || (mode == 1 && (i == 10 || i == 11 || i == 14)) ||
		    (mode == 2 && !callee))
			continue;
		if (out[i] != seed + i) {
			*bad = i;
			return false;
		}
	}
	return true;
}

/* lr on own, block (the other runs), then sc on peer and own: results. */
static void lr_switch_sc(uintptr_t own, uintptr_t peer, uintptr_t *sc_peer,
			 uintptr_t *sc_own)
{
	register uintptr_t a0 __asm__("a0") = SYS_YIELD_WAIT;
	register uintptr_t a4 __asm__("a4") = SYS_YIELD;
	uintptr_t v, rp, ro;

	__asm__ __volatile__("lr.w %[v], (%[own])\n\t"
			     "ecall\n\t"
			     "sc.w %[rp], %[v], (%[peer])\n\t"
			     "sc.w %[ro], %[v], (%[own])"
			     : [v] "=&r"(v), [rp] "=&r"(rp), [ro] "=&r"(ro),
			       "+r"(a0), "+r"(a4)
			     : [own] "r"(own), [peer] "r"(peer)
			     : "a1", "a2", "a3", "a5", "a6", "a7", "t0", "t1",
			       "t2", "t3", "t4", "t5", "t6", "ra", "memory");
	*sc_peer = rp;
	*sc_own = ro;
}

int main(void)
{
	uintptr_t seed = (SELF[0] == 'a' ? 0x5a000000u : 0xb5000000u);
	uintptr_t out[32];
	unsigned bad = 0, lost = 0, rounds_ok = 0, sc_ok = 0, preempted = 0;
	uint32_t tick = alarm_ms_to_ticks(1);

	tern_printf("hart_share_%s: start\n", SELF);
	for (unsigned r = 0; r < ROUNDS; r++) {
		unsigned mode = r % 3;
		uintptr_t s = seed + r * 0x100u;

		if (mode == 2) {
			unsigned f = fired;

			if (alarm_arm_relative(tick, on_alarm, NULL) != 0) {
				ktest_check(false, "alarm armed");
				break;
			}
			hart_regs_round(s, 0, out, 2);
			if (fired == f)
				lost++;
		} else if (mode == 1) {
			hart_regs_round(s, 20000, out, 1);
		} else {
			uint32_t t0 = alarm_now();

			hart_regs_round(s, SPINS, out, 0);
			/*
			 * Under QEMU -icount shift=0 an instruction is 1 ns:
			 * the spin alone takes 16 ms; 5 ms more means the
			 * other ran a (10 ms) timeslice in between.
			 */
			if (alarm_now() - t0 >
			    alarm_ms_to_ticks(2 * SPINS / 1000000 + 5))
				preempted++;
		}
		if (!regs_kept(s, mode, out, &bad)) {
			ktest_check(false, "round %u mode %u: x%u = %lx, not %lx",
				    r, mode, bad, (unsigned long)out[bad],
				    (unsigned long)(s + bad));
			break;
		}
		rounds_ok++;
	}
	ktest_check(rounds_ok == ROUNDS,
		    "%u rounds kept every register (preempted, fast path, "
		    "switched)", rounds_ok);
	ktest_check(lost == 0, "every blocking yield ran its upcall");
	ktest_check(preempted > 0, "preempted in %u spinning rounds",
		    preempted);

	for (unsigned r = 0; r < 20; r++) {
		uintptr_t rp = 0, ro = 0;

		if (alarm_arm_relative(tick, on_alarm, NULL) != 0)
			break;
		lr_switch_sc(tern_boot.mem_start, PEER_RAM, &rp, &ro);
		if (rp == 0 || ro == 0) {
			ktest_check(false, "round %u: sc after a switch "
				    "succeeded (peer %lu, own %lu)", r,
				    (unsigned long)rp, (unsigned long)ro);
			break;
		}
		sc_ok++;
	}
	ktest_check(sc_ok == 20, "sc after a switch failed %u times of 20",
		    sc_ok);
#if defined(HAS_TIME)
	{
		uintptr_t t0, t1;

		__asm__ __volatile__("csrr %0, time" : "=r"(t0));
		alarm_delay_ms(2);
		__asm__ __volatile__("csrr %0, time" : "=r"(t1));
		ktest_check(t1 != t0, "time readable and moving (%lx, %lx)",
			    (unsigned long)t0, (unsigned long)t1);
	}
#endif
	/* a's verdict is the scenario's (tests/qemu/run looks for it) */
	return ktest_done(SELF[0] == 'a' ? "hart_share" : "hart_share_b");
}
