// SPDX-License-Identifier: MIT
/*
 * Host board: simulated protection backend, console, UART, timer and LEDs
 * for unit tests.  See host_board.h.
 */
#include "platform/boards/host/host_board.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/driver.h"
#include "kernel/board.h"
#include "kernel/kassert.h"
#include "kernel/proc/proc.h"

struct host_mpu host_mpu = { .granule = 4 };
struct host_uart host_uart = { .tx_room = HOST_UART_UNLIMITED };
struct host_timer host_timer = { .freq = HOST_TIMER_FREQ_DEFAULT,
				 .armed = UINT64_MAX };
struct host_leds host_leds = { .count = 4 };
struct host_misc host_misc;

static char console[8192];
static size_t console_len;

void host_board_reset(void)
{
	memset(&host_mpu, 0, sizeof(host_mpu));
	host_mpu.granule = 4;
	mpu_user_direct = NULL;
#if CONFIG_IPC
	host_mpu.expo_max = 2;
#endif
	console_len = 0;
	console[0] = '\0';
	memset(&host_uart, 0, sizeof(host_uart));
	host_uart.tx_room = HOST_UART_UNLIMITED;
	memset(&host_timer, 0, sizeof(host_timer));
	host_timer.freq = HOST_TIMER_FREQ_DEFAULT;
	host_timer.armed = UINT64_MAX;
	memset(&host_leds, 0, sizeof(host_leds));
	host_leds.count = 4;
	memset(&host_misc, 0, sizeof(host_misc));
}

void host_console_clear(void)
{
	console_len = 0;
	console[0] = '\0';
}

const char *host_console_text(void)
{
	return console;
}

void board_console_putc(char c)
{
	if (console_len + 1 < sizeof(console)) {
		console[console_len++] = c;
		console[console_len] = '\0';
	}
}

/* ---- UART ---- */

void host_uart_inject(const void *bytes, size_t n)
{
	const uint8_t *b = bytes;

	if (host_uart.rx_head == host_uart.rx_len)
		host_uart.rx_head = host_uart.rx_len = 0;
	for (size_t i = 0; i < n && host_uart.rx_len < sizeof(host_uart.rx); i++)
		host_uart.rx[host_uart.rx_len++] = b[i];
}

bool board_uart_try_tx(uint8_t c)
{
	if (host_uart.tx_room == 0)
		return false;
	if (host_uart.tx_room != HOST_UART_UNLIMITED)
		host_uart.tx_room--;
	if (host_uart.tx_len < sizeof(host_uart.tx))
		host_uart.tx[host_uart.tx_len] = c;
	host_uart.tx_len++;
	return true;
}

bool board_uart_try_rx(uint8_t *c)
{
	host_uart.rx_polls++;
	if (host_uart.rx_head == host_uart.rx_len)
		return false;
	*c = host_uart.rx[host_uart.rx_head++];
	return true;
}

void board_uart_irq_enable(bool tx, bool rx)
{
	host_uart.irq_enables++;
	host_uart.tx_irq = tx;
	host_uart.rx_irq = rx;
}

/* ---- timer ---- */

uint64_t board_timer_now(void)
{
	return host_timer.now;
}

uint32_t board_timer_freq(void)
{
	return host_timer.freq;
}

void board_timer_arm(uint64_t deadline)
{
	host_timer.arms++;
	host_timer.armed = deadline;
}

/* ---- LEDs ---- */

unsigned board_led_count(void)
{
	return host_leds.count;
}

void board_led_set(unsigned i, bool on)
{
	KASSERT(i < host_leds.count && i < HOST_LEDS_MAX);
	host_leds.sets++;
	if (i < HOST_LEDS_MAX)
		host_leds.on[i] = on;
}

bool board_led_get(unsigned i)
{
	KASSERT(i < host_leds.count && i < HOST_LEDS_MAX);
	return i < HOST_LEDS_MAX && host_leds.on[i];
}

/* ---- interrupts and power ---- */

/*
 * Like a real board's UART interrupt, routed to every driver that takes
 * interrupts (the console driver does the work).
 */
void board_irq_service(void)
{
	host_misc.irq_services++;
	for (unsigned i = 0; i < driver_count; i++)
		if (driver_table[i]->irq)
			driver_table[i]->irq(0);
}

void board_poweroff(int code)
{
	host_misc.poweroff_code = code;
	if (host_misc.poweroff_jmp)
		longjmp(*(jmp_buf *)host_misc.poweroff_jmp, 1);
	abort();
}

/* The host board cannot reset: it counts the request and returns. */
void board_reset(void)
{
	host_misc.resets++;
}

/* ---- protection backend ---- */

size_t mpu_granule(void)
{
	return host_mpu.granule;
}

bool mpu_fits(const struct mpu_region *r, unsigned n)
{
	(void)r;
	return !host_mpu.refuse && n <= 8;
}

#if CONFIG_IPC
#define EXPO_BYTES sizeof(((struct proc_expos *)0)->r)
#else
#define EXPO_BYTES 0
#endif

size_t mpu_state_size(void)
{
	return sizeof(((struct proc *)0)->regions) + EXPO_BYTES;
}

void mpu_configure(struct proc *p)
{
	uint8_t *st = proc_mpu_state(p);

	host_mpu.configures++;
	memcpy(st, p->regions, sizeof(p->regions));
#if CONFIG_IPC
	memcpy(st + sizeof(p->regions), proc_expos(p)->r, EXPO_BYTES);
#endif
}

void mpu_load(const struct proc *p)
{
	const uint8_t *st = proc_mpu_state(p);

	host_mpu.loads++;
	host_mpu.loaded = p;
	memcpy(host_mpu.regions, st, sizeof(p->regions));
#if CONFIG_IPC
	memcpy(host_mpu.expo, st + sizeof(p->regions), EXPO_BYTES);
#endif
}

#if CONFIG_IPC
enum kerr mpu_expo_check(const struct mpu_region *ex, unsigned n)
{
	unsigned used = 0;
	size_t g = host_mpu.granule;

	for (unsigned i = 0; i < n; i++) {
		if (ex[i].size == 0)
			continue;
		if (ex[i].base % g != 0 || ex[i].size % g != 0)
			return KERR_INVAL;
		used++;
	}
	return used <= host_mpu.expo_max ? KERR_OK : KERR_NOMEM;
}
#endif

/*
 * The bracket, and the permission bit it sets (sstatus.SUM on Sv39): the
 * out-of-line bracket sets it until the outermost end, as sv39_hw.c's
 * does; the inline one (kernel/hw.h) sets it alone, and only for
 * mpu_user_direct, which a test sets.
 */
const struct proc *mpu_user_direct;

void mpu_user_access_begin(const struct proc *p)
{
	(void)p;
	host_mpu.user_access_depth++;
	host_mpu.user_access_count++;
	host_mpu.user_permitted = true;
}

void mpu_user_access_end(void)
{
	KASSERT(host_mpu.user_access_depth > 0);
	if (--host_mpu.user_access_depth == 0)
		host_mpu.user_permitted = false;
}

unsigned long mpu_user_permit(void)
{
	bool old = host_mpu.user_permitted;

	host_mpu.user_permitted = true;
	host_mpu.user_permits++;
	return old;
}

void mpu_user_restore(unsigned long old)
{
	KASSERT(host_mpu.user_permitted);
	if (!old)
		host_mpu.user_permitted = false;
}

void kpanic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "kpanic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	host_misc.panics++;
	if (host_misc.panic_jmp)
		longjmp(*(jmp_buf *)host_misc.panic_jmp, 1);
	abort();
}
