// SPDX-License-Identifier: MIT
/*
 * GPIO driver (Tock's driver 0x4); see gpio.h.
 *
 * Who holds a pin is a small kernel table, held[]: per process slot, the
 * pins and the generation of the incarnation that took them.  A record
 * counts only while that incarnation lives (same generation, alive), so a
 * restarted process never inherits its predecessor's pins.  When an
 * incarnation ends, its proc_gone hook turns its pins off (input, output,
 * pull and interrupts) and empties the record, so a dead owner's output
 * stops driving at once and a free pin is always off: a new owner starts
 * from that state.  (A record in each owner's grant would take no kernel
 * RAM, but finding an owner would then enter every process's grant: 112
 * bytes more of HiFive1 flash than this table, 8 bytes of RAM per slot
 * there.)
 */
#include "drivers/gpio.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/proc/grant.h"
#include "kernel/proc/proc.h"

enum { UPCALL_EDGE = 0 };

/* Written by gpio_command() and gpio_proc_gone() only. */
static struct {
	uint32_t pins;	/* bit n: pin n is held */
	proc_gen_t gen; /* by this incarnation of the slot */
} held[PROC_MAX];

/* The live process that holds pin, or NULL. */
static struct proc *owner(unsigned pin)
{
	for (unsigned i = 0; i < PROC_MAX; i++) {
		struct proc *q = &proc_table[i];

		if ((held[i].pins >> pin & 1) && held[i].gen == q->gen &&
		    proc_alive(q))
			return q;
	}
	return NULL;
}

static cmdret_t gpio_command(struct proc *p, uint32_t cmd, uintptr_t arg0,
			     uintptr_t arg1, uintptr_t *more)
{
	uint32_t pins = gpio_board.pins, bit;
	struct proc *q;
	bool level;

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
	if (!proc_alive(p)) /* the system-call layer never asks: belt */
		return cmdret_err(KERR_INACTIVE);
	q = owner((unsigned)arg0);
	if (q != NULL && q != p)
		return cmdret_err(KERR_BUSY);
	/* commit: p holds the pin from now on (or no longer, for 9) */
	bit = (uint32_t)1 << arg0;
	if (held[p->slot].gen != p->gen) /* an earlier incarnation's */
		held[p->slot].pins = 0;
	held[p->slot].gen = p->gen;
	held[p->slot].pins |= bit;
	if (cmd == 9)
		held[p->slot].pins &= ~bit;
	level = board_gpio_op((unsigned)arg0, cmd, (unsigned)arg1);
	return cmd == 6 ? cmdret_u32(level) : cmdret_ok();
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
	q = owner(pin);
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

/* The dead incarnation's pins: off now, not when someone next claims them. */
static void gpio_proc_gone(struct proc *p)
{
	uint32_t pins = held[p->slot].pins;

	for (unsigned pin = 0; pin < 32; pin++)
		if (pins >> pin & 1)
			(void)board_gpio_op(pin, GPIO_OFF, 0);
	held[p->slot].pins = 0;
}

const struct driver gpio_driver = {
	.num = GPIO_DRIVER_NUM,
	.has_grant = true,
	.upcalls = 1,
	.ro_allows = 0,
	.rw_allows = 0,
	.data_size = 0,
	.command = gpio_command,
	.irq = gpio_irq,
	.proc_gone = gpio_proc_gone,
};
