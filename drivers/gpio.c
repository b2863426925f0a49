// SPDX-License-Identifier: MIT
/*
 * GPIO driver (Tock's driver 0x4); see gpio.h.
 *
 * No kernel RAM: who owns a pin is written only in the owners' grants (a
 * mask each), found by looking at every live process's grant.  When an
 * incarnation ends, its proc_gone hook turns its pins off (input, output,
 * pull and interrupts) before the grant vanishes, so a dead owner's output
 * stops driving at once and a free pin is always off: a new owner starts
 * from that state.
 */
#include "drivers/gpio.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"

enum { UPCALL_EDGE = 0 };

/* Per-process record, in the grant. */
struct gpio_rec {
	uint32_t owned; /* bit n: this incarnation owns pin n */
};

static enum kerr peek_owned(struct grant *g, void *v)
{
	*(uint32_t *)v = ((const struct gpio_rec *)grant_data(g))->owned;
	return KERR_OK;
}

/* The live process other than skip that owns pin, or NULL. */
static struct proc *owner(unsigned pin, const struct proc *skip)
{
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct proc *q = &proc_table[i];
		uint32_t owned = 0;

		if (q == skip || !proc_alive(q) ||
		    !grant_allocated(q, &gpio_driver))
			continue;
		if (grant_enter_own(q, &gpio_driver, peek_owned, &owned) ==
			    KERR_OK &&
		    (owned >> pin & 1))
			return q;
	}
	return NULL;
}

struct pin_op {
	uint32_t cmd;
	unsigned pin;
	uintptr_t mode;
	cmdret_t ret;
};

/* Commands 1-9 on a pin the caller may use; in the caller's grant. */
static enum kerr pin_in_grant(struct grant *g, void *v)
{
	struct pin_op *op = v;
	struct gpio_rec *r = grant_data(g);
	uint32_t bit = (uint32_t)1 << op->pin;
	unsigned pin = op->pin;
	bool level;

	r->owned |= bit;
	if (op->cmd == 9)
		r->owned &= ~bit;
	level = board_gpio_op(pin, op->cmd, (unsigned)op->mode);
	op->ret = op->cmd == 6 ? cmdret_u32(level) : cmdret_ok();
	return KERR_OK;
}

static cmdret_t gpio_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			     uintptr_t arg1, uintptr_t *more)
{
	uint32_t pins = gpio_board.pins;
	struct pin_op op;
	enum kerr rc;

	(void)more;
	if (cmd == 0)
		return cmdret_ok();
	if (cmd == 10)
		return cmdret_u32(pins ? 32u - (unsigned)__builtin_clz(pins)
				       : 0);
	if (cmd > 10)
		return cmdret_err(KERR_NOSUPPORT);
	/* the full registers: 2^32 + 2 is no alias of pin 2 */
	if (arg0 >= 32 || !(pins >> arg0 & 1))
		return cmdret_err(KERR_INVAL);
	if ((cmd == 5 && (arg1 > GPIO_PULL_DOWN ||
			  !(gpio_board.pulls >> arg1 & 1))) ||
	    (cmd == 7 && arg1 > GPIO_EDGE_FALLING))
		return cmdret_err(KERR_NOSUPPORT);
	if (owner((unsigned)arg0, p) != NULL)
		return cmdret_err(KERR_BUSY);
	op = (struct pin_op){ cmd, (unsigned)arg0, arg1, 0 };
	rc = grant_enter_own(p, &gpio_driver, pin_in_grant, &op);
	return rc == KERR_OK ? op.ret : cmdret_err(rc);
}

struct edge {
	unsigned pin;
	bool level;
};

static enum kerr edge_in_grant(struct grant *g, void *v)
{
	const struct edge *e = v;

	/* a full queue drops the upcall, as for every driver */
	(void)grant_upcall(g, UPCALL_EDGE, e->pin, e->level, 0);
	return KERR_OK;
}

void gpio_pin_event(unsigned pin)
{
	struct proc *q;
	struct edge e = { pin, false };

	if (pin >= 32 || !(gpio_board.pins >> pin & 1))
		return;
	e.level = board_gpio_op(pin, GPIO_ACK, 0);
	q = owner(pin, NULL);
	if (q == NULL) {
		/* nobody owns it (an edge latched before the pin went off) */
		(void)board_gpio_op(pin, GPIO_OFF, 0);
		return;
	}
	(void)grant_enter_own(q, &gpio_driver, edge_in_grant, &e);
}

static void gpio_irq(unsigned line)
{
	gpio_pin_event(line);
}

static enum kerr pins_off(struct grant *g, void *v)
{
	struct gpio_rec *r = grant_data(g);

	(void)v;
	for (unsigned pin = 0; pin < 32; pin++)
		if (r->owned >> pin & 1)
			(void)board_gpio_op(pin, GPIO_OFF, 0);
	r->owned = 0;
	return KERR_OK;
}

/* The dead incarnation's pins: off now, not when someone next claims them. */
static void gpio_proc_gone(struct proc *p)
{
	if (grant_allocated(p, &gpio_driver))
		(void)grant_enter_own(p, &gpio_driver, pins_off, NULL);
}

const struct driver gpio_driver = {
	.num = GPIO_DRIVER_NUM,
	.has_grant = true,
	.upcalls = 1,
	.ro_allows = 0,
	.rw_allows = 0,
	.data_size = sizeof(struct gpio_rec),
	.command = gpio_command,
	.irq = gpio_irq,
	.proc_gone = gpio_proc_gone,
};
