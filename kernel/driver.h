/* SPDX-License-Identifier: MIT */
/*
 * The driver interface and the syscall return variants.
 *
 * A driver is a const struct: its number, the shape of its per-process grant
 * (upcall, read-only and read-write allow slot counts, size of its own
 * record), its command handler, and the hooks through which the kernel core
 * and the board reach it without knowing it: service (polled work), irq (a
 * device interrupt routed to it), proc_gone (an incarnation ended).  The board lists its drivers by name in
 * its meson.build (board_drivers), from which the build generates
 * driver_table; the position of a driver in that table is its grant index.
 * The kernel core names no driver: it walks the table.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/tock.h" /* return variants (doc/abi.md §5.1): SYS_SUCCESS, ... */
#include "kernel/kerr.h"
#include "tern_config.h"

struct proc;
struct pbuf;

/*
 * A syscall result: the variant and up to three values.  For failures v[0]
 * is the error code.  A 64-bit value takes two entries, its low 32 bits
 * first (TRD104's layout; on 64-bit registers the encoding joins them).
 * Registers the variant does not name are left alone.  The system-call
 * layer's own results take this form; a driver's command returns the
 * compact cmdret_t below.
 */
struct sysret {
	uint32_t variant;
	uintptr_t v[3];
};

static inline struct sysret sysret_ok(void)
{
	return (struct sysret){ SYS_SUCCESS, { 0, 0, 0 } };
}
static inline struct sysret sysret_u32(uint32_t a)
{
	return (struct sysret){ SYS_SUCCESS_U32, { a, 0, 0 } };
}
static inline struct sysret sysret_err(enum kerr e)
{
	return (struct sysret){ SYS_FAILURE, { kerr_abi(e), 0, 0 } };
}

/*
 * A command's result as the driver returns it: the variant and the first
 * value packed into one scalar two registers wide, which the RISC-V
 * calling convention hands back in a0 and a1 (a struct sysret, four words,
 * would go through memory: the caller's stack, four stores, a load).  A
 * variant with more values puts values 1 and 2 in the hook's `more`
 * argument (cmdret_2u32() and friends do).  Build results with the
 * functions below; read them with cmdret_variant() and cmdret_value().
 */
#if UINTPTR_MAX == UINT32_MAX
typedef uint64_t cmdret_t;
#elif defined(__FRAMAC__)
/*
 * ./tern prove: Frama-C 25 has no 128-bit integer.  No proved function
 * uses cmdret_t; this only lets the headers parse on the LP64 model.
 */
typedef uint64_t cmdret_t;
#else
typedef unsigned __int128 cmdret_t;
#endif

#define CMDRET_HALF (sizeof(uintptr_t) * 8) /* bits per register */

static inline cmdret_t cmdret(uint32_t variant, uintptr_t v0)
{
	return (cmdret_t)v0 << CMDRET_HALF | variant;
}
static inline uint32_t cmdret_variant(cmdret_t r)
{
	return (uint32_t)(uintptr_t)r;
}
static inline uintptr_t cmdret_value(cmdret_t r)
{
	return (uintptr_t)(r >> CMDRET_HALF);
}

static inline cmdret_t cmdret_ok(void)
{
	return cmdret(SYS_SUCCESS, 0);
}
static inline cmdret_t cmdret_u32(uint32_t a)
{
	return cmdret(SYS_SUCCESS_U32, a);
}
static inline cmdret_t cmdret_err(enum kerr e)
{
	return cmdret(SYS_FAILURE, kerr_abi(e));
}
/* Success when rc is KERR_OK, else Failure with rc. */
static inline cmdret_t cmdret_status(enum kerr rc)
{
	return rc == KERR_OK ? cmdret_ok() : cmdret_err(rc);
}
static inline cmdret_t cmdret_2u32(uintptr_t *more, uint32_t a, uint32_t b)
{
	more[0] = b;
	return cmdret(SYS_SUCCESS_2U32, a);
}

/*
 * A command's arguments reach the driver at full register width (Tock's
 * usize).  A driver whose parameter is 32 bits refuses a wider value with
 * INVAL (driver_arg_u32() false), or, where the parameter is an upper
 * bound, clamps it (a length above 2^32 - 1 still means "all of the
 * buffer"); it never truncates it, which on rv64 would turn 1 << 32 into
 * 0.
 */
static inline bool driver_arg_u32(uintptr_t v)
{
	return (uint64_t)v >> 32 == 0; /* no range warning on rv32 */
}

static inline uint32_t driver_arg_clamp_u32(uintptr_t v)
{
	return driver_arg_u32(v) ? (uint32_t)v : UINT32_MAX;
}

struct driver {
	uint32_t num;
	/* grant shape; a driver with has_grant false has no per-process state */
	bool has_grant;
	uint8_t upcalls, ro_allows, rw_allows;
	uint16_t data_size; /* bytes of the driver's own per-process record */
#if CONFIG_IPC
	/*
	 * Read-write allow number i is a buffer the driver may expose to
	 * the process in slot i (kernel/proc/expo.h): a new allow on it
	 * (swap or revoke) revokes that exposure.  The IPC driver's.
	 */
	bool rw_exposed;
#endif

	/*
	 * Command (class 2).  p is the caller, alive; arg0 and arg1 are the
	 * caller's a2 and a3, whole (see driver_arg_u32()).  Values 1 and 2 of a result
	 * that has them go to more[0] and more[1].  Never NULL.
	 */
	cmdret_t (*command)(struct proc *p, uint32_t cmd, uintptr_t arg0,
			    uintptr_t arg1, uintptr_t *more);
	/*
	 * Userspace-readable allow (class 7), already validated: b is the new
	 * buffer; on success the driver writes the buffer it gives back into
	 * *b.  NULL: the driver does not support it (NOSUPPORT).
	 */
	enum kerr (*allow_userspace)(struct proc *p, uint32_t num,
				     struct pbuf *b);
	/*
	 * Polled work (a UART that takes bytes without an interrupt, a
	 * timeout to notice): called by driver_service_all() after the
	 * driver asked with driver_service_request().  It is called again
	 * only after the next request, so a hook that has work left asks
	 * again before it returns.  It may also be called when another
	 * driver asked: cheap when idle.  NULL: no polled work.
	 */
	void (*service)(void);
	/*
	 * A device interrupt the board routed to this driver (its irq route
	 * table, platform/arch/riscv/board_riscv.h): line is the route's
	 * number, for a driver with several (a GPIO pin); the source is
	 * already claimed, and completed after the hook returns.  NULL: the
	 * driver takes no interrupts.
	 */
	void (*irq)(unsigned line);
	/*
	 * p's incarnation has ended (terminated, faulted or about to be
	 * restarted): release what it held outside its grant, at once (a
	 * GPIO pin it drives).  Called by driver_proc_gone_all() while p's
	 * grants are still there to read, before they and its memory are
	 * dropped.  It must not end or resume p.  Restarting a process that
	 * had already ended calls it again: p is then not alive and has no
	 * grant, and the hook finds nothing to release.  NULL: nothing of a
	 * process outlives its grant in this driver (a
	 * driver that meets a stale process id later, as the console and
	 * alarm do, needs no hook).
	 */
	void (*proc_gone)(struct proc *p);
	/*
	 * Work that must not run inside a system call, because it may stop,
	 * restart or inspect any process (the process console): called by
	 * the run loop between two timeslices, through driver_loop_all(),
	 * after the driver asked with driver_loop_request(); again only
	 * after the next request.  NULL: none.  Only the process console
	 * has one, so the hook exists only with it (flash on the HiFive1).
	 */
#if CONFIG_PROCESS_CONSOLE
	void (*loop)(void);
#endif
};

/*
 * Generated from the board's driver list (platform/meson.build), or
 * provided by a unit test.  Numbers are distinct.
 */
extern const struct driver *const driver_table[];
extern const unsigned driver_count;

/*
 * A direct-mapped cache in front of driver_table, so that a system call
 * finds its driver and the driver's grant index in a few instructions
 * whatever the table's length: entry num % DRIVER_SLOTS holds the last
 * driver looked up that maps to it (Tock's numbers are small or sparse,
 * and no two of any board's drivers share an entry).  An empty entry holds
 * a number that does not map to it, which no lookup can match.
 */
#define DRIVER_SLOTS 16u

/*
 * Four words (16 bytes rv32, 32 rv64, padded there from 24): an entry's
 * address is then the number's low bits shifted once, two instructions
 * fewer on every Command on rv64, for 128 bytes of its kernel RAM.
 */
struct driver_slot {
	uint32_t num;
	uint32_t idx; /* grant index: position in driver_table */
	const struct driver *d;
	cmdret_t (*command)(struct proc *p, uint32_t cmd, uintptr_t arg0,
			    uintptr_t arg1, uintptr_t *more); /* d->command */
} __attribute__((aligned(4 * sizeof(uintptr_t))));

extern struct driver_slot driver_slots[DRIVER_SLOTS];

/*
 * Make driver_slots valid: every entry empty, or holding what a lookup put
 * there.  Call it before the first lookup (kernel_main() does, and the unit
 * tests' fakes_reset()); calling it again only empties entry 0.  Requires:
 * driver_slots was zeroed (it is in .bss) and no entry was written since
 * but by lookups.
 */
void driver_slots_init(void);

/* driver_lookup() past the cache: scan driver_table, fill the entry. */
const struct driver_slot *driver_lookup_slow(uint32_t num);

/*
 * The driver registered under num, with its grant index, or NULL.  The
 * entry is only valid until the next lookup (another driver may take it):
 * copy what is needed out of it at once.
 */
static inline const struct driver_slot *driver_lookup(uint32_t num)
{
	const struct driver_slot *s = &driver_slots[num % DRIVER_SLOTS];

	if (__builtin_expect(s->num == num, 1))
		return s;
	return driver_lookup_slow(num);
}

/*
 * driver_lookup() of a driver number as a process passed it, in a whole
 * register, of which only the low 32 bits name the driver: a register
 * with a bit above them set never matches a cached number, so it takes
 * the slow lookup, with the low 32 bits.  The cached compare then needs
 * no truncation (rv64: one instruction less).
 */
static inline const struct driver_slot *driver_lookup_reg(uintptr_t num)
{
	const struct driver_slot *s = &driver_slots[num % DRIVER_SLOTS];

	if (__builtin_expect((uintptr_t)s->num == num, 1))
		return s;
	return driver_lookup_slow((uint32_t)num);
}

/* The driver registered under num, or NULL. */
const struct driver *driver_find(uint32_t num);

/* Index of d in driver_table (its grant index). */
unsigned driver_index(const struct driver *d);

/*
 * Some driver has polled work (set by driver_service_request(), cleared by
 * driver_service_walk() before it calls the service hooks).
 */
extern bool driver_service_wanted;

/*
 * A driver with polled work asks for the service hooks to be called on the
 * next pass (one flag for all drivers: each hook tells its own work).
 */
static inline void driver_service_request(void)
{
	driver_service_wanted = true;
}

/*
 * Tell every driver with a proc_gone hook that p's incarnation ended.  The
 * one caller is where terminate, fault and restart converge
 * (kernel/proc/proc.c).  To ./tern prove it writes nothing: the hooks
 * keep their own state, never a process's layout (doc/proofs.md).
 */
/*@ assigns \nothing; */
void driver_proc_gone_all(struct proc *p);

/* Some driver asked for its loop hook (driver_loop_request()). */
extern bool driver_loop_wanted;

/* A driver asks for its loop hook on the run loop's next pass. */
static inline void driver_loop_request(void)
{
	driver_loop_wanted = true;
}

/*
 * A loop hook asked for another pass.  The run loop must not sleep then:
 * the work it asked for may have no interrupt to wake the hart (the
 * process console reads a whole line from the UART inside its hook and
 * turns the receive interrupt off until the line has run).
 */
static inline bool driver_loop_pending(void)
{
#if CONFIG_PROCESS_CONSOLE
	return driver_loop_wanted;
#else
	return false;
#endif
}

/* Call every driver's loop hook (driver_loop_all() past its test). */
void driver_loop_walk(void);

/* The run loop's pass, between timeslices: the loop hooks that were asked. */
static inline void driver_loop_all(void)
{
#if CONFIG_PROCESS_CONSOLE
	if (__builtin_expect(driver_loop_wanted, 0))
		driver_loop_walk();
#endif
}

/* Call every driver's service hook (driver_service_all() past its test). */
void driver_service_walk(void);

/*
 * Give the drivers that asked their polled work.  The run loop and the
 * switch between processes call it on every pass: with nothing asked it is
 * one load and one branch.
 */
static inline void driver_service_all(void)
{
	if (__builtin_expect(driver_service_wanted, 0))
		driver_service_walk();
}
