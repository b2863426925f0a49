// SPDX-License-Identifier: MIT
/*
 * The measuring app of `./tern bench` (always slot MAIN_SLOT).  It times
 * each kernel path the table lists, REPS times, and reports the smallest
 * count (the first run of a path can include one-off work such as a grant
 * allocation or a PMP plan; later runs repeat exactly).  NPROCS is the
 * number of processes in the image: with two or more, slot PARTNER_SLOT
 * runs partner.c and the switch is timed too; the others run filler.c.
 * EXTRA_ALLOWS read-write buffers are allowed before timing anything.
 * Ends by powering the board off through the bench driver, since the
 * partner and fillers never exit.
 */
#include "tests/bench/bench.h"

#define REPS 8
#define NODEV 0xdead0u /* no driver has this number */
#define RNG 0x40001u   /* drivers/rng.h */

/* Written by bench_upcall (below) at the first instruction of an upcall. */
volatile uint32_t bench_up_stamp, bench_up_arg;
void bench_upcall(uint32_t a0, uint32_t a1, uint32_t a2, void *ud);

/*
 * In assembly so that reading instret is the upcall's first instruction.
 * PC-relative addressing: apps live at 0x80000000 and up, which lui cannot
 * reach on rv64 (it sign-extends).
 */
__asm__(".section .text.bench_upcall, \"ax\", @progbits\n"
	".globl bench_upcall\n"
	"bench_upcall:\n"
	"	csrr t0, instret\n"
	"1:	auipc t1, %pcrel_hi(bench_up_stamp)\n"
	"	sw t0, %pcrel_lo(1b)(t1)\n"
	"2:	auipc t1, %pcrel_hi(bench_up_arg)\n"
	"	sw a0, %pcrel_lo(2b)(t1)\n"
	"	ret\n"
	".previous\n");

static uint32_t cal;
static uint8_t buf_a[64], buf_b[64], rng_buf[32];

/*
 * The copy rows: a process buffer in RAM to copy into, one in flash to
 * copy out of (read-only allows may name flash), both word-aligned as
 * buffers usually are, and 1 KiB of text for the console (in flash too,
 * so that the HiFive1's 3 KiB of process RAM need not hold it).
 */
static const size_t copy_sizes[] = { 64, 1024, 4096 };
static _Alignas(8) uint8_t copy_rw[BENCH_COPY_MAX];
static _Alignas(8) const uint8_t copy_ro[BENCH_COPY_MAX] = { 1, 2, 3 };
#define CONSOLE_LEN 1024
static const char console_text[CONSOLE_LEN] = {
	[0 ... CONSOLE_LEN - 2] = '.', [CONSOLE_LEN - 1] = '\n'
};
#define CONSOLE_DRV 0x1u

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Smallest cost of one call over REPS runs, calibration removed. */
static uint32_t time_call(uintptr_t cls, uintptr_t a0, uintptr_t a1,
			  uintptr_t a2, uintptr_t a3)
{
	uint32_t best = UINT32_MAX;

	for (int i = 0; i < REPS; i++)
		best = min_u32(best, bench_call(cls, a0, a1, a2, a3) - cal);
	return best;
}

static uint32_t pmp_loads(void)
{
	struct sys_return r = bench_cmd(BENCH_INFO, 3, 0);

	return sys_ok(r) ? (uint32_t)r.v[0] : 0;
}

static void check(struct sys_return r, const char *what)
{
	if (!sys_ok(r))
		tern_printf("BENCH-ERROR %s: error %" PRIu32 "\n", what,
			    sys_err(r));
}

/*
 * 32 random bytes: the Command that asks for them plus the Yield-WaitFor
 * that returns with the done upcall, the device's interrupt and the copy
 * into the buffer inside it.  0 on a board without an entropy device.
 */
/*
 * A buffer for the client to share with the service, as the hardware
 * exposes it exactly: 64 bytes at 64 (one NAPOT PMP entry), a whole page
 * on Sv39 (rv64).
 */
#define IPC_SHARED (__riscv_xlen == 64 ? 4096 : 64)
static _Alignas(IPC_SHARED) uint8_t ipc_shared[IPC_SHARED];

/* Smallest IPC round trip over REPS (see ipc_round_trip()). */
static uint32_t ipc_rounds(void)
{
	uint32_t best = UINT32_MAX;

	for (int i = 0; i < REPS; i++) {
		uint32_t t0 = bench_ipc_round(PARTNER_SLOT);

		best = min_u32(best, bench_up_stamp - t0 - cal);
	}
	return best;
}

/*
 * IPC round trip, main as the client and the partner as the service
 * (partner.c): notify service, the service's Yield-WaitFor returns, its
 * notify client, the client's upcall runs.  0 when the kernel has no IPC
 * driver.  *shared: the same with ipc_shared shared with the service
 * (exposed to it by the first notification, the rest find it exposed),
 * un-shared after.  Last of the partner's uses: it stays a service.
 */
static uint32_t ipc_round_trip(uint32_t *shared)
{
	uint32_t best;

	if (!sys_ok(sys_command(BENCH_IPC_DRV, 0, 0, 0)))
		return 0;
	check(bench_cmd(BENCH_NOTIFY, PARTNER_SLOT, BENCH_IPC_MODE),
	      "partner to IPC");
	bench_stamp_yield_wait();
	check(sys_subscribe(BENCH_IPC_DRV, PARTNER_SLOT, bench_upcall, NULL),
	      "subscribe to the service");
	best = ipc_rounds();
	check(sys_allow_rw(BENCH_IPC_DRV, PARTNER_SLOT, ipc_shared,
			   sizeof(ipc_shared)),
	      "share with the service");
	*shared = ipc_rounds();
	check(sys_allow_rw(BENCH_IPC_DRV, PARTNER_SLOT, NULL, 0), "unshare");
	return best;
}

static uint32_t rng_round_trip(void)
{
	uint32_t best = UINT32_MAX;

	if (!sys_ok(sys_command(RNG, 0, 0, 0)))
		return 0;
	check(sys_allow_rw(RNG, 0, rng_buf, sizeof(rng_buf)), "rng allow");
	for (int i = 0; i < REPS; i++) {
		uint32_t c = bench_call(SYS_COMMAND, RNG, 1, sizeof(rng_buf),
					0);
		uint32_t w = bench_call(SYS_YIELD, SYS_YIELD_WAIT_FOR, RNG, 0,
					0);

		best = min_u32(best, c + w - 2 * cal);
	}
	return best;
}

int main(void)
{
	uint32_t null_cmd, nodev, nowait, memop, swap, copy, up, sw = 0;
	uint32_t with = UINT32_MAX, without = UINT32_MAX;
	uint32_t pmp_same, pmp_switch = 0, t0, rng, console, ipc = 0;
	uint32_t ipc_shared_rt = 0;

	/* first: instret is hidden from U-mode until the driver opens it */
	check(bench_cmd(BENCH_OPEN_INSTRET, 0, 0), "open instret");
	cal = UINT32_MAX;
	for (int i = 0; i < REPS; i++)
		cal = min_u32(cal, bench_cal());
	check(sys_subscribe(BENCH_DRIVER_NUM, 0, bench_upcall, NULL),
	      "subscribe");
	check(sys_allow_rw(BENCH_DRIVER_NUM, 0, buf_a, sizeof(buf_a)),
	      "allow");
	bench_allow_many(1, EXTRA_ALLOWS);
	if (NPROCS >= 2) {
		/* let the partner and the fillers start and settle */
		check(bench_cmd(BENCH_NOTIFY, PARTNER_SLOT, 0), "notify");
		bench_stamp_yield_wait();
	}

	pmp_same = pmp_loads();
	null_cmd = time_call(SYS_COMMAND, BENCH_DRIVER_NUM, BENCH_NULL, 0, 0);
	nodev = time_call(SYS_COMMAND, NODEV, 0, 0, 0);
	nowait = time_call(SYS_YIELD, SYS_YIELD_NO_WAIT, 0, 0, 0);
	memop = time_call(SYS_MEMOP, MEMOP_MEM_START, 0, 0, 0);
	swap = UINT32_MAX;
	for (int i = 0; i < REPS; i++) {
		uint8_t *b = i % 2 ? buf_a : buf_b;

		swap = min_u32(swap, bench_call(SYS_ALLOW_RW, BENCH_DRIVER_NUM,
						0, (uintptr_t)b, 64) - cal);
	}
	check(bench_cmd(BENCH_COPY64, 0, 0), "copy64");
	copy = time_call(SYS_COMMAND, BENCH_DRIVER_NUM, BENCH_COPY64, 0, 0);
	pmp_same = pmp_loads() - pmp_same;

	/* copies of 64 B, 1 KiB and 4 KiB, in and out, as far as the board has room */
	check(sys_allow_rw(BENCH_DRIVER_NUM, 0, copy_rw, sizeof(copy_rw)),
	      "allow copy_rw");
	check(sys_allow_ro(BENCH_DRIVER_NUM, 0, copy_ro, sizeof(copy_ro)),
	      "allow copy_ro");
	for (size_t i = 0; i < sizeof(copy_sizes) / sizeof(copy_sizes[0]);
	     i++) {
		static const char *const keys[][2] = {
			{ "copy_in_64", "copy_out_64" },
			{ "copy_in_1k", "copy_out_1k" },
			{ "copy_in_4k", "copy_out_4k" },
		};

		if (copy_sizes[i] > BENCH_COPY_MAX)
			break;
		for (int dir = 0; dir < 2; dir++) {
			check(bench_cmd(BENCH_COPY, copy_sizes[i], dir), "copy");
			bench_report(keys[i][dir],
				     time_call(SYS_COMMAND, BENCH_DRIVER_NUM,
					       BENCH_COPY, copy_sizes[i], dir));
		}
	}
	check(sys_allow_rw(BENCH_DRIVER_NUM, 0, buf_a, sizeof(buf_a)),
	      "allow back");

	/*
	 * Console write of 1 KiB: from just before the Command to the first
	 * instruction of its write-done upcall, which the driver queues once
	 * the last byte is in the UART.
	 */
	check(sys_subscribe(CONSOLE_DRV, 1, bench_upcall, NULL), "subscribe");
	check(sys_allow_ro(CONSOLE_DRV, 1, console_text, CONSOLE_LEN), "allow");
	console = UINT32_MAX;
	for (int i = 0; i < 2; i++) {
		t0 = bench_instret();
		check(sys_command(CONSOLE_DRV, 1, CONSOLE_LEN, 0), "write");
		bench_stamp_yield_wait();
		if (bench_up_arg != CONSOLE_LEN)
			tern_printf("BENCH-ERROR console wrote %" PRIu32 "\n",
				    bench_up_arg);
		console = min_u32(console, bench_up_stamp - t0 - cal);
	}
	check(sys_subscribe(CONSOLE_DRV, 1, NULL, NULL), "unsubscribe");
	check(sys_allow_ro(CONSOLE_DRV, 1, NULL, 0), "unallow");

	for (int i = 0; i < REPS; i++) {
		struct sys_return r = bench_cmd(BENCH_TIME_MUT_ENTER, 0, 0);

		check(r, "time mut_enter");
		with = min_u32(with, (uint32_t)r.v[0]);
		without = min_u32(without, (uint32_t)r.v[1]);
	}

	up = UINT32_MAX;
	for (int i = 0; i < REPS; i++) {
		check(bench_cmd(BENCH_NOTIFY, MAIN_SLOT, 0), "notify self");
		t0 = bench_stamp_yield_wait();
		up = min_u32(up, bench_up_stamp - t0 - cal);
	}

	if (NPROCS >= 2) {
		sw = UINT32_MAX;
		pmp_switch = pmp_loads();
		for (int i = 0; i < REPS; i++) {
			check(bench_cmd(BENCH_NOTIFY, PARTNER_SLOT, 0),
			      "notify partner");
			t0 = bench_stamp_yield_wait();
			/* the partner sent the instret it read on waking */
			sw = min_u32(sw, bench_up_arg - t0 - cal);
		}
		pmp_switch = pmp_loads() - pmp_switch;
	}

	if (NPROCS >= 2)
		ipc = ipc_round_trip(&ipc_shared_rt);
	rng = rng_round_trip();

	bench_report("procs", NPROCS);
	bench_report("allows", 1 + EXTRA_ALLOWS);
	bench_report("cal", cal);
	bench_report("null_command", null_cmd);
	bench_report("nodev_command", nodev);
	bench_report("yield_no_wait", nowait);
	bench_report("memop", memop);
	bench_report("allow_rw_swap", swap);
	bench_report("command_mut_enter_copy64", copy);
	bench_report("mut_enter", with);
	bench_report("mut_enter_unchecked", without);
	bench_report("upcall", up);
	bench_report("console_write_1k", console);
	bench_report("pmp_loads_same_process", pmp_same);
	if (rng != 0)
		bench_report("rng32", rng);
	if (ipc != 0) {
		bench_report("ipc_round_trip", ipc);
		bench_report("ipc_round_trip_shared", ipc_shared_rt);
	}
	if (NPROCS >= 2) {
		bench_report("switch", sw);
		/* each round switches twice: to the partner and back */
		bench_report("pmp_loads_per_switch", pmp_switch / (2 * REPS));
	}
	bench_report("sizeof_proc", (uint32_t)bench_cmd(BENCH_INFO, 0, 0).v[0]);
	bench_report("proc_ram_kernel_bytes",
		     (uint32_t)bench_cmd(BENCH_INFO, 1, 0).v[0]);
	bench_report("proc_max", (uint32_t)bench_cmd(BENCH_INFO, 2, 0).v[0]);
	tern_puts("BENCH done");
	bench_cmd(BENCH_POWEROFF, 0, 0);
	return 0;
}
