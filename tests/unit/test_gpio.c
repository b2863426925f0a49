// SPDX-License-Identifier: MIT
/*
 * Unit tests for the GPIO driver (drivers/gpio.c, 0x4) over a fake pin
 * block that models the FE310's: the HiFive1's usable pins, pull-up but
 * no pull-down, an input that reads back the driven level when the
 * output is on, the pull-up level when floating, else what the test puts
 * on the pin from outside.  Commands go straight to the driver, as the
 * syscall layer would send them; upcalls are read back from the process's
 * task queue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/gpio.h"
#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/upcall.h"
#include "tests/unit/fakes.h"

#define UPCALL_FN 0x4000u
#define UPCALL_UD 0x77u
#define BRK 2048u

/* HiFive1 Rev B: GPIO 0-5, 9-13, 18, 20, 23 (gpio.h, README) */
#define PINS 0x00943E3Fu

const struct gpio_board gpio_board = {
	.pins = PINS,
	.pulls = 1u << GPIO_PULL_NONE | 1u << GPIO_PULL_UP,
};

/* ---- the fake pin block ---- */

static struct {
	bool out_en[32], in_en[32], pullup[32], port[32], rise[32], fall[32];
	bool outside[32]; /* level put on the pin from outside */
	unsigned calls;	  /* board_gpio_* calls */
	unsigned offs;	  /* GPIO_OFF, 8 and 9 */
	unsigned acks;	  /* GPIO_ACK */
} hw;

static bool level(unsigned pin)
{
	if (!hw.in_en[pin])
		return false;
	if (hw.out_en[pin])
		return hw.port[pin];
	return hw.outside[pin] || hw.pullup[pin];
}

bool board_gpio_op(unsigned pin, uint32_t cmd, unsigned mode)
{
	assert_true(pin < 32 && (PINS >> pin & 1)); /* only usable pins */
	hw.calls++;
	switch (cmd) {
	case 1:
		hw.out_en[pin] = true;
		break;
	case 2:
	case 3:
	case 4:
		hw.port[pin] = cmd == 2	  ? true
			       : cmd == 3 ? false
					  : !hw.port[pin];
		break;
	case 5:
		/* only what gpio_board.pulls offers: no pull-down */
		assert_true(mode == GPIO_PULL_NONE || mode == GPIO_PULL_UP);
		hw.in_en[pin] = true;
		hw.pullup[pin] = mode == GPIO_PULL_UP;
		break;
	case 6:
		break;
	case 7:
		assert_true(mode <= GPIO_EDGE_FALLING);
		hw.in_en[pin] = true;
		hw.rise[pin] = mode != GPIO_EDGE_FALLING;
		hw.fall[pin] = mode != GPIO_EDGE_RISING;
		break;
	case GPIO_ACK:
		hw.acks++;
		break;
	default:
		assert_true(cmd == GPIO_OFF || cmd == 8 || cmd == 9);
		hw.offs++;
		hw.out_en[pin] = hw.in_en[pin] = hw.pullup[pin] = false;
		hw.rise[pin] = hw.fall[pin] = false;
		break;
	}
	return level(pin);
}

/* ---- fixtures ---- */

static int setup(void **st)
{
	(void)st;
	fakes_reset();
	/*
	 * The driver's table of held pins outlives a test (the kernel boots
	 * once; each test starts the generations again): every slot's
	 * incarnation ends, as the kernel would tell the driver.
	 */
	for (unsigned i = 0; i < PROC_MAX; i++)
		gpio_driver.proc_gone(&proc_table[i]);
	memset(&hw, 0, sizeof(hw));
	return 0;
}

static struct proc *mkproc(unsigned i)
{
	struct proc *p = fakes_proc(i, 0);
	struct task t;
	uintptr_t of, ou;

	assert_true(upcall_pop(p, &t));
	assert_int_equal(proc_brk(p, p->mem_start + BRK), KERR_OK);
	assert_int_equal(grant_subscribe(p, &gpio_driver, 0, UPCALL_FN,
					 UPCALL_UD, &of, &ou),
			 KERR_OK);
	return p;
}

static struct sysret cmd(struct proc *p, uint32_t c, uintptr_t a,
			 uintptr_t b)
{
	uintptr_t more[2] = { 0, 0 };
	cmdret_t r = gpio_driver.command(p, c, a, b, more);

	return (struct sysret){ cmdret_variant(r),
				{ cmdret_value(r), more[0], more[1] } };
}

static void assert_status(struct sysret r, enum kerr e)
{
	if (e == KERR_OK) {
		assert_int_equal(r.variant, SYS_SUCCESS);
		return;
	}
	assert_int_equal(r.variant, SYS_FAILURE);
	assert_int_equal(r.v[0], kerr_abi(e));
}

static void assert_u32(struct sysret r, uint32_t v)
{
	assert_int_equal(r.variant, SYS_SUCCESS_U32);
	assert_int_equal(r.v[0], v);
}

static void assert_edge(struct proc *p, unsigned pin, unsigned level)
{
	struct task t;

	assert_true(upcall_take(p, GPIO_DRIVER_NUM, 0, &t));
	assert_int_equal(t.fn, UPCALL_FN);
	assert_int_equal(t.userdata, UPCALL_UD);
	assert_int_equal(t.arg[0], pin);
	assert_int_equal(t.arg[1], level);
	assert_int_equal(t.arg[2], 0);
}

static void assert_no_edge(struct proc *p)
{
	struct task t;

	assert_false(upcall_take(p, GPIO_DRIVER_NUM, 0, &t));
}

/* ==== numbering ==== */

static void command_0_and_10_report_the_driver_and_the_pin_count(void **st)
{
	struct proc *p = mkproc(0);

	(void)st;
	assert_status(cmd(p, 0, 0, 0), KERR_OK);
	assert_u32(cmd(p, 10, 0, 0), 24); /* GPIO 23 is the highest usable */
	assert_status(cmd(p, 11, 0, 0), KERR_NOSUPPORT);
	assert_status(cmd(p, UINT32_MAX, 0, 0), KERR_NOSUPPORT);
	assert_int_equal(hw.calls, 0);
}

static void unusable_pins_are_inval_for_every_command(void **st)
{
	struct proc *p = mkproc(0);
	/* UART 16/17, LEDs 19/21/22, not bonded out, beyond 31, aliases */
	static const uintptr_t bad[] = {
		16, 17, 19, 21, 22, 6, 7, 8, 14, 15, 24, 31, 32, 33, 255,
		UINT32_MAX, UINTPTR_MAX,
#if UINTPTR_MAX > UINT32_MAX
		((uintptr_t)1 << 32) | 2, /* 2 if truncated */
		((uintptr_t)1 << 63) | 0,
#endif
	};

	(void)st;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (uint32_t c = 1; c <= 9; c++)
			assert_status(cmd(p, c, bad[i], 0), KERR_INVAL);
	assert_int_equal(hw.calls, 0);
}

/* ==== outputs and inputs ==== */

static void output_set_clear_toggle_and_read_back(void **st)
{
	struct proc *p = mkproc(0);

	(void)st;
	assert_status(cmd(p, 1, 0, 0), KERR_OK);
	assert_true(hw.out_en[0]);
	assert_status(cmd(p, 2, 0, 0), KERR_OK);
	assert_true(hw.port[0]);
	assert_status(cmd(p, 5, 0, GPIO_PULL_NONE), KERR_OK);
	assert_true(hw.out_en[0]); /* input beside output: a read-back */
	assert_u32(cmd(p, 6, 0, 0), 1);
	assert_status(cmd(p, 3, 0, 0), KERR_OK);
	assert_u32(cmd(p, 6, 0, 0), 0);
	assert_status(cmd(p, 4, 0, 0), KERR_OK);
	assert_u32(cmd(p, 6, 0, 0), 1);
	assert_status(cmd(p, 4, 0, 0), KERR_OK);
	assert_u32(cmd(p, 6, 0, 0), 0);
}

static void input_pulls_none_and_up_work_down_is_nosupport(void **st)
{
	struct proc *p = mkproc(0);
	static const uintptr_t bad_modes[] = {
		3, 255, UINT32_MAX, UINTPTR_MAX,
#if UINTPTR_MAX > UINT32_MAX
		((uintptr_t)1 << 32) | GPIO_PULL_UP,
#endif
	};

	(void)st;
	assert_status(cmd(p, 5, 23, GPIO_PULL_UP), KERR_OK);
	assert_u32(cmd(p, 6, 23, 0), 1);
	assert_status(cmd(p, 5, 23, GPIO_PULL_NONE), KERR_OK);
	assert_u32(cmd(p, 6, 23, 0), 0);
	hw.outside[23] = true;
	assert_u32(cmd(p, 6, 23, 0), 1);
	hw.outside[23] = false;
	/* the FE310 has no pull-down: refused, not faked as none */
	hw.calls = 0;
	assert_status(cmd(p, 5, 23, GPIO_PULL_DOWN), KERR_NOSUPPORT);
	for (unsigned i = 0; i < sizeof(bad_modes) / sizeof(bad_modes[0]); i++)
		assert_status(cmd(p, 5, 23, bad_modes[i]), KERR_NOSUPPORT);
	assert_int_equal(hw.calls, 0);
}

/* ==== interrupts ==== */

static void interrupt_modes_set_the_edges_and_events_upcall_pin_level(
	void **st)
{
	struct proc *p = mkproc(0);

	(void)st;
	assert_status(cmd(p, 7, 9, GPIO_EDGE_RISING), KERR_OK);
	assert_true(hw.rise[9] && !hw.fall[9] && hw.in_en[9]);
	assert_status(cmd(p, 7, 9, GPIO_EDGE_FALLING), KERR_OK);
	assert_true(!hw.rise[9] && hw.fall[9]);
	assert_status(cmd(p, 7, 9, GPIO_EDGE_EITHER), KERR_OK);
	assert_true(hw.rise[9] && hw.fall[9]);
	assert_status(cmd(p, 7, 9, 3), KERR_NOSUPPORT);
	assert_status(cmd(p, 7, 9, UINTPTR_MAX), KERR_NOSUPPORT);
	assert_true(hw.rise[9] && hw.fall[9]); /* unchanged */
	hw.outside[9] = true;
	gpio_pin_event(9);
	assert_int_equal(hw.acks, 1);
	assert_edge(p, 9, 1);
	hw.outside[9] = false;
	gpio_pin_event(9);
	assert_edge(p, 9, 0);
	assert_no_edge(p);
	assert_status(cmd(p, 8, 9, 0), KERR_OK);
	assert_true(!hw.rise[9] && !hw.fall[9]);
}

static void events_of_pins_nobody_owns_turn_the_pin_off(void **st)
{
	struct proc *p = mkproc(0);

	(void)st;
	hw.rise[10] = true; /* left on by someone gone */
	gpio_pin_event(10);
	assert_false(hw.rise[10]);
	assert_no_edge(p);
	/* out of range or unusable: nothing touched */
	hw.calls = 0;
	gpio_pin_event(17);
	gpio_pin_event(32);
	gpio_pin_event(UINT32_MAX);
	assert_int_equal(hw.calls, 0);
}

/* ==== ownership ==== */

static void a_pin_is_its_first_users_until_disabled(void **st)
{
	struct proc *a = mkproc(0), *b = mkproc(1);

	(void)st;
	assert_status(cmd(a, 1, 4, 0), KERR_OK);
	for (uint32_t c = 1; c <= 9; c++)
		assert_status(cmd(b, c, 4, c == 5 || c == 7 ? 1 : 0),
			      KERR_BUSY);
	assert_status(cmd(b, 1, 5, 0), KERR_OK); /* another pin is free */
	assert_status(cmd(a, 1, 5, 0), KERR_BUSY);
	assert_status(cmd(a, 2, 4, 0), KERR_OK); /* the owner goes on */
	assert_true(hw.port[4] && hw.out_en[4]);
	assert_status(cmd(a, 9, 4, 0), KERR_OK);
	assert_false(hw.out_en[4]);
	assert_status(cmd(b, 1, 4, 0), KERR_OK);
	assert_status(cmd(a, 1, 4, 0), KERR_BUSY);
}

static void events_go_to_the_owner_only(void **st)
{
	struct proc *a = mkproc(0), *b = mkproc(1);

	(void)st;
	assert_status(cmd(a, 7, 11, GPIO_EDGE_EITHER), KERR_OK);
	assert_status(cmd(b, 7, 12, GPIO_EDGE_EITHER), KERR_OK);
	gpio_pin_event(11);
	gpio_pin_event(12);
	assert_edge(a, 11, 0);
	assert_edge(b, 12, 0);
	assert_no_edge(a);
	assert_no_edge(b);
}

static void a_dead_owners_pins_are_off_at_once_and_free(void **st)
{
	struct proc *a = mkproc(0), *b = mkproc(1);

	(void)st;
	assert_status(cmd(a, 1, 13, 0), KERR_OK);
	assert_status(cmd(a, 2, 13, 0), KERR_OK);
	assert_status(cmd(a, 5, 13, GPIO_PULL_UP), KERR_OK);
	assert_status(cmd(a, 7, 18, GPIO_EDGE_RISING), KERR_OK);
	assert_true(hw.out_en[13] && level(13));
	proc_terminate(a, 0);
	/* before anyone else asks: not driven, not read, no interrupts */
	assert_false(hw.out_en[13] || hw.in_en[13] || hw.pullup[13]);
	assert_false(level(13));
	assert_false(hw.rise[18] || hw.fall[18]);
	/* free for another process */
	assert_status(cmd(b, 5, 13, GPIO_PULL_NONE), KERR_OK);
	assert_u32(cmd(b, 6, 13, 0), 0);
	assert_status(cmd(b, 7, 18, GPIO_EDGE_FALLING), KERR_OK);
}

static void a_faulted_owners_pins_are_off_at_once(void **st)
{
	struct proc *a = mkproc(0), *b = mkproc(1);

	(void)st;
	assert_status(cmd(a, 1, 3, 0), KERR_OK);
	assert_status(cmd(a, 2, 3, 0), KERR_OK);
	assert_status(cmd(b, 1, 4, 0), KERR_OK);
	assert_status(cmd(b, 2, 4, 0), KERR_OK);
	proc_mark_faulted(a);
	assert_false(hw.out_en[3]);
	/* another process's pins are its own still */
	assert_true(hw.out_en[4] && hw.port[4]);
	assert_status(cmd(b, 1, 3, 0), KERR_OK);
}

static void a_restarted_owner_starts_with_no_pins(void **st)
{
	struct proc *a = mkproc(0), *b = mkproc(1);
	struct task t;

	(void)st;
	assert_status(cmd(a, 1, 20, 0), KERR_OK);
	assert_int_equal(proc_restart(a), KERR_OK);
	assert_false(hw.out_en[20]);
	assert_true(upcall_pop(a, &t));
	assert_status(cmd(b, 1, 20, 0), KERR_OK);
	assert_status(cmd(a, 1, 20, 0), KERR_BUSY);
}

/*
 * The table names the incarnation by its generation: a slot's next
 * incarnation holds nothing, even had the end of the previous one not
 * been told to the driver.
 */
static void a_pin_is_held_by_a_generation_not_a_slot(void **st)
{
	struct proc *a = mkproc(0), *b = mkproc(1);

	(void)st;
	assert_status(cmd(a, 1, 20, 0), KERR_OK);
	proc_test_set_gen(a, a->gen + 1); /* no proc_gone hook */
	assert_status(cmd(b, 1, 20, 0), KERR_OK);
	assert_status(cmd(a, 1, 2, 0), KERR_OK);
	assert_status(cmd(a, 1, 20, 0), KERR_BUSY);
	assert_status(cmd(b, 7, 20, GPIO_EDGE_EITHER), KERR_OK);
	gpio_pin_event(20);
	assert_no_edge(a);
	assert_edge(b, 20, 0);
	/* and the older generation is not taken back by the slot's number */
	proc_test_set_gen(b, b->gen + 1);
	assert_status(cmd(a, 1, 20, 0), KERR_OK);
}

static void commands_from_a_dead_process_change_nothing(void **st)
{
	struct proc *a = mkproc(0);
	struct sysret r;

	(void)st;
	proc_terminate(a, 0);
	hw.calls = 0;
	r = cmd(a, 1, 0, 0);
	assert_int_equal(r.variant, SYS_FAILURE);
	assert_int_equal(hw.calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(command_0_and_10_report_the_driver_and_the_pin_count),
		T(unusable_pins_are_inval_for_every_command),
		T(output_set_clear_toggle_and_read_back),
		T(input_pulls_none_and_up_work_down_is_nosupport),
		T(interrupt_modes_set_the_edges_and_events_upcall_pin_level),
		T(events_of_pins_nobody_owns_turn_the_pin_off),
		T(a_pin_is_its_first_users_until_disabled),
		T(events_go_to_the_owner_only),
		T(a_dead_owners_pins_are_off_at_once_and_free),
		T(a_faulted_owners_pins_are_off_at_once),
		T(a_restarted_owner_starts_with_no_pins),
		T(a_pin_is_held_by_a_generation_not_a_slot),
		T(commands_from_a_dead_process_change_nothing),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
