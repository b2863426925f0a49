// SPDX-License-Identifier: MIT
/*
 * pmp_hw.c on the host: the only file that writes pmpaddrN/pmpcfgN, built
 * against a fake CSR layer (tests/unit/fake_csr/, whose csr.h shadows the
 * real one) that keeps the registers in variables and logs every write.
 * Built twice, as rv64 with 16 entries and as rv32 with 8 (meson.build),
 * because the cfg register numbering differs.  Its mpu_* functions are
 * renamed hw_mpu_* at build time so that they live beside the host
 * board's; processes come from the unit-test fakes.
 *
 * What is checked: init turns every entry OFF, cfg registers last; a load
 * writes pmpaddr0-3 and then pmpcfg0, and what the hart then enforces,
 * decoded from the registers, is exactly the process's records at every
 * boundary +-1; entries the plan leaves unused are OFF with address 0; a
 * load of the process whose records the hardware holds writes nothing,
 * and any change (brk, restart, another process, init) writes again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/proc/proc.h"
#include "platform/arch/riscv/csr.h"
#include "platform/arch/riscv/pmp_hw.h"
#include "platform/boards/host/host_board.h"
#include "tests/unit/fakes.h"

struct fake_csr fake_csr;

size_t hw_mpu_granule(void);
bool hw_mpu_fits(const struct mpu_region *r, unsigned n);
size_t hw_mpu_state_size(void);
void hw_mpu_configure(struct proc *p);
void hw_mpu_load(const struct proc *p);

#define XLEN __riscv_xlen
#define CFG_PER_REG (XLEN / 8)

void fake_csr_write_num(unsigned num, unsigned long v)
{
	/*
	 * (A pmpaddr may exceed 32 bits even as rv32: the host's process
	 * memory lies above 4 GiB.)
	 */
	if (num >= FAKE_CSR_PMPADDR && num < FAKE_CSR_PMPADDR + 16) {
		assert_true(num - FAKE_CSR_PMPADDR < RISCV_PMP_ENTRIES);
		fake_csr.pmpaddr[num - FAKE_CSR_PMPADDR] = v;
	} else if (num >= FAKE_CSR_PMPCFG && num < FAKE_CSR_PMPCFG + 16) {
		/* rv64 has only the even-numbered pmpcfg registers */
		if (XLEN == 64)
			assert_true(num % 2 == 0);
		if (XLEN == 32)
			assert_true(v <= 0xffffffffu);
		fake_csr.pmpcfg[num - FAKE_CSR_PMPCFG] = v;
	} else {
		fail_msg("write to CSR 0x%x", num);
	}
	assert_true(fake_csr.nwrites < 64);
	fake_csr.order[fake_csr.nwrites] = num;
	fake_csr.value[fake_csr.nwrites++] = v;
}

unsigned long fake_csr_read_num(unsigned num)
{
	if (num >= FAKE_CSR_PMPADDR && num < FAKE_CSR_PMPADDR + 16)
		return fake_csr.pmpaddr[num - FAKE_CSR_PMPADDR];
	assert_true(num >= FAKE_CSR_PMPCFG && num < FAKE_CSR_PMPCFG + 16);
	return fake_csr.pmpcfg[num - FAKE_CSR_PMPCFG];
}

unsigned fake_csr_num(const char *name)
{
	if (strncmp(name, "pmpaddr", 7) == 0)
		return FAKE_CSR_PMPADDR + (unsigned)atoi(name + 7);
	if (strncmp(name, "pmpcfg", 6) == 0)
		return FAKE_CSR_PMPCFG + (unsigned)atoi(name + 6);
	fail_msg("unknown CSR %s", name);
	return 0;
}

/* Registers full of junk, as firmware or the previous process left them. */
static void dirty(void)
{
	memset(&fake_csr, 0xa5, sizeof(fake_csr));
	fake_csr.nwrites = 0;
}

static uint8_t cfg_byte(unsigned i)
{
	unsigned reg = i / CFG_PER_REG * (XLEN / 32);

	return (uint8_t)(fake_csr.pmpcfg[reg] >> (8 * (i % CFG_PER_REG)));
}

/* What the hart decides at a from the registers: perm | 8 on a match. */
static unsigned hart(uintptr_t a)
{
	for (unsigned i = 0; i < RISCV_PMP_ENTRIES; i++) {
		uint64_t y = fake_csr.pmpaddr[i], lo, hi;
		unsigned cfg = cfg_byte(i), t;

		switch (cfg & PMP_A_MASK) {
		case PMP_A_OFF:
			continue;
		case PMP_A_TOR:
			lo = i ? (uint64_t)fake_csr.pmpaddr[i - 1] << 2 : 0;
			hi = y << 2;
			break;
		case PMP_A_NA4:
			lo = y << 2;
			hi = lo + 4;
			break;
		default:
			t = (unsigned)__builtin_ctzll(~y);
			lo = (y & ~(((uint64_t)1 << t) - 1)) << 2;
			hi = lo + ((uint64_t)1 << (t + 3));
			break;
		}
		assert_false(cfg & PMP_L);
		if (a >= lo && a < hi)
			return (cfg & 7) | 8;
	}
	return 0;
}

/* What p's records grant at a. */
static unsigned records(const struct proc *p, uintptr_t a)
{
	for (unsigned k = 0; k < PROC_REGIONS; k++) {
		const struct mpu_region *r = &p->regions[k];

		if (r->size && a >= r->base && a - r->base < r->size)
			return r->perm | 8;
	}
	return 0;
}

/* The hart enforces exactly p's records, around every edge. */
static void assert_enforces(const struct proc *p)
{
	for (unsigned k = 0; k < PROC_REGIONS; k++) {
		const struct mpu_region *r = &p->regions[k];
		uintptr_t at[] = { r->base, r->base + r->size };

		for (unsigned j = 0; j < 2; j++)
			for (int d = -4; d <= 4; d++) {
				uintptr_t a = at[j] + (uintptr_t)(intptr_t)d;

				assert_int_equal(hart(a), records(p, a));
			}
	}
	/* the kernel-owned top and the block's end are unreachable */
	assert_int_equal(hart(p->kernel_break), 0);
	assert_int_equal(hart(p->mem_end - 4), 0);
}

#if CONFIG_IPC && XLEN == 32
#include "kernel/proc/expo.h"

enum kerr hw_mpu_expo_check(const struct mpu_region *ex, unsigned n);

/*
 * Exposures (kernel/proc/expo.h) on rv32 with 8 entries: the 4 above the
 * process's own.  What the hart enforces is the process's records plus
 * exactly its exposed buffers, R+W, at every edge; entries beyond are off
 * for the next process without any; out of entries is NOMEM.
 */
static void exposures_take_the_entries_above_the_own_four(void **state)
{
	struct proc *a = fakes_proc_brk(0, 1024);
	struct proc *b = fakes_proc_brk(1, 1024);
	struct proc *c = fakes_proc_brk(2, 1024);
	uintptr_t tor = a->mem_start + 100; /* TOR: 2 entries */
	uintptr_t napot = c->mem_start + 256; /* 64 at 64: 1 entry */
	struct mpu_region ex[PROC_MAX] = { { 0 } };
	bool added;

	(void)state;
	host_mpu.expo_max = PROC_MAX;
	assert_int_equal(proc_expose(b, a, tor, 40, &added), KERR_OK);
	assert_int_equal(proc_expose(b, c, napot, 64, &added), KERR_OK);
	hw_mpu_configure(a);
	hw_mpu_configure(b);
	hw_mpu_configure(c);
	hw_mpu_load(b);
	assert_enforces(b);
	for (int d = -8; d <= 8; d += 4) {
		uintptr_t lo = tor + (uintptr_t)(intptr_t)d;
		uintptr_t hi = tor + 40 + (uintptr_t)(intptr_t)d;

		assert_int_equal(hart(lo), d >= 0 ? (MPU_R | MPU_W | 8) : 0);
		assert_int_equal(hart(hi), d < 0 ? (MPU_R | MPU_W | 8) : 0);
		assert_int_equal(hart(napot + (uintptr_t)(intptr_t)d),
				 d >= 0 ? (MPU_R | MPU_W | 8) : 0);
		assert_int_equal(hart(napot + 64 + (uintptr_t)(intptr_t)d),
				 d < 0 ? (MPU_R | MPU_W | 8) : 0);
	}
	/* nothing else of a or c */
	assert_int_equal(hart(a->mem_start), 0);
	assert_int_equal(hart(c->mem_start), 0);

	/* a without exposures: the entries above its four are off */
	hw_mpu_load(a);
	assert_enforces(a);
	for (unsigned i = PMP_IMAGE_ENTRIES; i < RISCV_PMP_ENTRIES; i++)
		assert_int_equal(cfg_byte(i), 0);
	assert_int_equal(hart(napot), 0); /* c's (tor is a's own) */

	/* revoked: b's next load has none of it */
	proc_expo_revoke(a, b->slot);
	hw_mpu_configure(b);
	hw_mpu_load(b);
	assert_int_equal(hart(tor), 0);
	assert_int_equal(hart(napot), MPU_R | MPU_W | 8);

	/* three TOR buffers need 6 entries of 4: NOMEM */
	ex[0] = (struct mpu_region){ tor, 40, MPU_R | MPU_W };
	ex[2] = (struct mpu_region){ c->mem_start + 500, 40, MPU_R | MPU_W };
	assert_int_equal(hw_mpu_expo_check(ex, PROC_MAX), KERR_OK);
	ex[3] = (struct mpu_region){ c->mem_start + 600, 40, MPU_R | MPU_W };
	assert_int_equal(hw_mpu_expo_check(ex, PROC_MAX), KERR_NOMEM);
	/* a length the PMP cannot express exactly: INVAL */
	ex[3] = (struct mpu_region){ 0 };
	ex[2].size = 41;
	assert_int_equal(hw_mpu_expo_check(ex, PROC_MAX), KERR_INVAL);

	/* once nobody holds any, a switch writes the four again only */
	proc_expo_owner_gone(c);
	hw_mpu_configure(b);
	hw_mpu_load(b);
	hw_mpu_load(a);
	fake_csr.nwrites = 0;
	hw_mpu_load(b);
	assert_int_equal(fake_csr.nwrites, 5);
}

/* What the hart must grant at a with p loaded: p's records, p's buffers. */
static unsigned loaded(const struct proc *p, uintptr_t a)
{
	const struct proc_expos *x = proc_expos(p);

	for (unsigned i = 0; i < PROC_MAX; i++)
		if (x->r[i].size != 0 && a >= x->r[i].base &&
		    a - x->r[i].base < x->r[i].size)
			return MPU_R | MPU_W | 8;
	return records(p, a);
}

/*
 * A load writes only the exposure entries the loaded plan and the last
 * one use: after any order of loads of processes holding 3, 1 and 0
 * entries' worth, every entry past the loaded plan is OFF and the hart
 * grants exactly the loaded process's own and exposed memory, at both
 * edges of every buffer anyone holds (a stale exposure entry fails it).
 */
static void every_load_leaves_only_its_own_exposures_on(void **state)
{
	struct proc *pr[3];
	static const unsigned order[] = { 1, 0, 2, 1, 2, 0, 0, 2, 1, 1,
					  0, 1, 2, 2, 0, 2, 1, 0 };
	static const unsigned entries[] = { 0, 3, 1 }; /* planned, each */
	bool added;

	(void)state;
	for (unsigned i = 0; i < 3; i++)
		pr[i] = fakes_proc_brk(i, 1024);
	host_mpu.expo_max = PROC_MAX;
	/* 1 holds a TOR pair of 0's and a NAPOT of 2's, 2 a NAPOT of 0's */
	assert_int_equal(proc_expose(pr[1], pr[0], pr[0]->mem_start + 100, 40,
				     &added),
			 KERR_OK);
	assert_int_equal(proc_expose(pr[1], pr[2], pr[2]->mem_start + 256, 64,
				     &added),
			 KERR_OK);
	assert_int_equal(proc_expose(pr[2], pr[0], pr[0]->mem_start + 512, 64,
				     &added),
			 KERR_OK);
	for (unsigned i = 0; i < 3; i++)
		hw_mpu_configure(pr[i]);
	for (size_t n = 0; n < sizeof(order) / sizeof(order[0]); n++) {
		const struct proc *p = pr[order[n]];

		fake_csr.nwrites = 0; /* the log's room */
		hw_mpu_load(p);
		assert_enforces(p);
		for (unsigned i = PMP_IMAGE_ENTRIES + entries[order[n]];
		     i < RISCV_PMP_ENTRIES; i++)
			assert_int_equal(cfg_byte(i), 0);
		for (unsigned h = 0; h < 3; h++)
			for (unsigned o = 0; o < PROC_MAX; o++) {
				const struct mpu_region *r =
					&proc_expos(pr[h])->r[o];
				uintptr_t at[] = { r->base - 4, r->base,
						   r->base + r->size - 4,
						   r->base + r->size };

				if (r->size == 0)
					continue;
				for (unsigned j = 0; j < 4; j++)
					assert_int_equal(hart(at[j]),
							 loaded(p, at[j]));
			}
	}
}
#endif

static int setup(void **state)
{
	(void)state;
	fakes_reset();
	dirty();
	pmp_hw_init();
	return 0;
}

static void init_turns_every_entry_off_cfg_last(void **state)
{
	unsigned last_addr = 0, first_cfg = 64, cfgs = 0;

	(void)state;
	dirty();
	pmp_hw_init();
	for (unsigned i = 0; i < RISCV_PMP_ENTRIES; i++) {
		assert_int_equal(fake_csr.pmpaddr[i], 0);
		assert_int_equal(cfg_byte(i), 0);
	}
	for (unsigned w = 0; w < fake_csr.nwrites; w++) {
		if (fake_csr.order[w] >= FAKE_CSR_PMPADDR) {
			last_addr = w;
		} else {
			cfgs++;
			if (first_cfg == 64)
				first_cfg = w;
		}
	}
	assert_int_equal(cfgs, PMP_CFG_REGS);
	assert_int_equal(fake_csr.nwrites, RISCV_PMP_ENTRIES + PMP_CFG_REGS);
	assert_true(first_cfg > last_addr);
}

static void load_writes_four_addresses_then_cfg0(void **state)
{
	struct proc *p = fakes_proc_brk(0, 2048);

	(void)state;
	hw_mpu_configure(p);
	fake_csr.nwrites = 0;
	hw_mpu_load(p);
	assert_int_equal(fake_csr.nwrites, 5);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(fake_csr.order[i], FAKE_CSR_PMPADDR + i);
	assert_int_equal(fake_csr.order[4], FAKE_CSR_PMPCFG);
	assert_enforces(p);
	/* flash 4096 and RAM 2048, both aligned: one NAPOT entry each */
	assert_int_equal(cfg_byte(0) & PMP_A_MASK, PMP_A_NAPOT);
	assert_int_equal(cfg_byte(1) & PMP_A_MASK, PMP_A_NAPOT);
	for (unsigned i = 2; i < 4; i++) {
		assert_int_equal(fake_csr.pmpaddr[i], 0);
		assert_int_equal(cfg_byte(i), 0);
	}
	for (unsigned i = 4; i < RISCV_PMP_ENTRIES; i++)
		assert_int_equal(cfg_byte(i), 0);
}

static void a_tor_layout_is_enforced_exactly(void **state)
{
	struct proc *p = fakes_proc_brk(0, 2044);

	(void)state;
	hw_mpu_configure(p);
	hw_mpu_load(p);
	assert_int_equal(cfg_byte(1) & PMP_A_MASK, PMP_A_OFF);
	assert_int_equal(cfg_byte(2) & PMP_A_MASK, PMP_A_TOR);
	assert_enforces(p);
}

static void a_smaller_plan_leaves_nothing_of_the_previous_one(void **state)
{
	struct proc *big = fakes_proc_brk(0, 2044);
	struct proc *small = fakes_proc_brk(1, 1024);

	(void)state;
	hw_mpu_configure(big);
	hw_mpu_configure(small);
	hw_mpu_load(big);
	assert_int_equal(cfg_byte(2) & PMP_A_MASK, PMP_A_TOR);
	hw_mpu_load(small);
	assert_enforces(small);
	for (unsigned i = 2; i < RISCV_PMP_ENTRIES; i++)
		assert_int_equal(cfg_byte(i), 0);
	assert_int_equal(fake_csr.pmpaddr[2], 0);
	assert_int_equal(fake_csr.pmpaddr[3], 0);
	/* nothing of big's memory is reachable now */
	assert_int_equal(hart(big->mem_start), 0);
	assert_int_equal(hart(big->app_flash), 0);
}

static void reloading_the_loaded_records_writes_nothing(void **state)
{
	struct proc *p = fakes_proc_brk(0, 1024);
	struct proc *q = fakes_proc_brk(1, 1024);

	(void)state;
	hw_mpu_configure(p);
	hw_mpu_configure(q);
	hw_mpu_load(p);
	fake_csr.nwrites = 0;
	hw_mpu_load(p);
	assert_int_equal(fake_csr.nwrites, 0);

	/* another process */
	hw_mpu_load(q);
	assert_int_equal(fake_csr.nwrites, 5);
	assert_enforces(q);
	hw_mpu_load(p);
	assert_int_equal(fake_csr.nwrites, 10);
	assert_enforces(p);

	/* p's records change: its epoch moves */
	assert_int_equal(proc_brk(p, p->mem_start + 2048), KERR_OK);
	hw_mpu_configure(p);
	hw_mpu_load(p);
	assert_int_equal(fake_csr.nwrites, 15);
	assert_enforces(p);

	/* a restart is a change too */
	proc_terminate(p, 0);
	assert_int_equal(proc_restart(p), KERR_OK);
	hw_mpu_configure(p);
	hw_mpu_load(p);
	assert_int_equal(fake_csr.nwrites, 20);
	assert_enforces(p);

	/* init forgets what the hardware held */
	pmp_hw_init();
	fake_csr.nwrites = 0;
	hw_mpu_load(p);
	assert_int_equal(fake_csr.nwrites, 5);
	assert_enforces(p);
}

static void a_process_in_a_freed_slot_is_loaded_afresh(void **state)
{
	struct proc *p = fakes_proc(0, 0), *q;

	(void)state;
	/* both incarnations' records change once only, at create */
	hw_mpu_configure(p);
	hw_mpu_load(p);
	proc_free(p);
	/* the same slot, other memory: the epoch must not come round again */
	q = fakes_proc(1, 0);
	assert_ptr_equal(q, p);
	hw_mpu_configure(q);
	fake_csr.nwrites = 0;
	hw_mpu_load(q);
	assert_int_equal(fake_csr.nwrites, 5);
	assert_enforces(q);
	assert_int_equal(hart((uintptr_t)fake_ram[0]), 0);
}

static void fits_only_what_four_entries_express(void **state)
{
	uintptr_t b = (uintptr_t)fake_ram[0];
	struct mpu_region two_tor[2] = { { b + 4, 100, MPU_R | MPU_X },
					 { b + 1024, 44, MPU_R | MPU_W } };
	struct mpu_region three[3] = { { b, 64, MPU_R }, { b + 64, 64, MPU_R },
				       { b + 128, 64, MPU_R } };
	struct mpu_region wonly[1] = { { b, 64, MPU_W } };
	struct mpu_region odd[1] = { { b + 2, 64, MPU_R } };

	(void)state;
	assert_int_equal(hw_mpu_granule(), 4);
#if CONFIG_IPC && XLEN == 32
	/* and the exposure entries' values after it */
	assert_true(hw_mpu_state_size() > sizeof(struct pmp_image));
#else
	assert_int_equal(hw_mpu_state_size(), sizeof(struct pmp_image));
#endif
	assert_true(hw_mpu_fits(two_tor, 2));
	assert_false(hw_mpu_fits(three, 3));
	assert_false(hw_mpu_fits(wonly, 1));
	assert_false(hw_mpu_fits(odd, 1));
	assert_true(hw_mpu_fits(three, 2));
	assert_true(hw_mpu_fits(three, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(init_turns_every_entry_off_cfg_last,
				       setup),
		cmocka_unit_test_setup(load_writes_four_addresses_then_cfg0,
				       setup),
		cmocka_unit_test_setup(a_tor_layout_is_enforced_exactly, setup),
		cmocka_unit_test_setup(
			a_smaller_plan_leaves_nothing_of_the_previous_one,
			setup),
		cmocka_unit_test_setup(reloading_the_loaded_records_writes_nothing,
				       setup),
		cmocka_unit_test_setup(a_process_in_a_freed_slot_is_loaded_afresh,
				       setup),
		cmocka_unit_test_setup(fits_only_what_four_entries_express,
				       setup),
#if CONFIG_IPC && XLEN == 32
		cmocka_unit_test_setup(
			exposures_take_the_entries_above_the_own_four, setup),
		cmocka_unit_test_setup(
			every_load_leaves_only_its_own_exposures_on, setup),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
