// SPDX-License-Identifier: MIT
/*
 * QEMU scenario fuzz_target, second process: the bystander.  While the
 * fuzzer (fuzzer.c) attacks the kernel it keeps its whole register file
 * full of its own values (tests/qemu/hart/regs.S: preempted spins and
 * fast-path calls) and a canary in its RAM, checks both after every
 * round, and must keep making progress (MIN_ROUNDS rounds at least) until
 * the fuzzer says it is done (LED 2 on; board state the fuzzer can set
 * without sharing memory), or RUN_MS of the board's time have passed.
 */
#include "user/lib/ktest.h"
#include "user/lib/tern.h"

#ifndef RUN_MS
#define RUN_MS 3000
#endif
#define MIN_ROUNDS 8
#define CANARY 64

void hart_regs_round(uintptr_t seed, uintptr_t spins, uintptr_t *out,
		     uintptr_t mode);

static volatile uint8_t canary[CANARY];

static uint8_t expected(unsigned i)
{
	return (uint8_t)(i * 7u + 3u);
}

int main(void)
{
	uint32_t t0 = alarm_now(), span = alarm_ms_to_ticks(RUN_MS);
	unsigned rounds = 0, bad = 0;
	uintptr_t out[32];

	for (unsigned i = 0; i < CANARY; i++)
		canary[i] = expected(i);
	bool done = false;

	while (!done && alarm_now() - t0 < span && !bad) {
		uintptr_t seed = 0xb0000000u + rounds * 0x40u;
		unsigned mode = rounds % 2;

		hart_regs_round(seed, mode ? 2000 : 500000, out, mode);
		for (unsigned i = 1; i <= 30; i++) {
			if (i == 2 || (mode && (i == 10 || i == 11 || i == 14)))
				continue;
			if (out[i] != seed + i && !bad++)
				ktest_check(false, "round %u: x%u = %lx",
					    rounds, i, (unsigned long)out[i]);
		}
		for (unsigned i = 0; i < CANARY; i++)
			if (canary[i] != expected(i) && !bad++)
				ktest_check(false, "round %u: canary byte %u",
					    rounds, i);
		rounds++;
		/* one more round after the fuzzer's last call */
		done = rounds > MIN_ROUNDS && led_read(2) == 1;
	}
	ktest_check(done, "the fuzzer finished while this ran");
	ktest_check(!bad && rounds >= MIN_ROUNDS,
		    "bystander: %u rounds, registers and canary intact",
		    rounds);
	return ktest_done("fuzz_bystander");
}
