// SPDX-License-Identifier: MIT
/*
 * SBI calls for an S-mode kernel; see sbi.h.
 *
 * The calling convention (SBI spec, "Binary Encoding"): a7 = extension,
 * a6 = function, a0..a5 = arguments; ecall; a0 = error, a1 = value.  The
 * legacy extensions return only a0.  No state is kept beyond what probing
 * found, so this is safe to call from kpanic().
 */
#include "platform/arch/riscv/sbi.h"

#include "kernel/kprintf.h"

static struct {
	bool time, srst;
} has;

struct sbi_ret sbi_call(unsigned long ext, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r6), "r"(r7)
			     : "memory");
	return (struct sbi_ret){ (long)r0, (long)r1 };
}

const char *sbi_strerror(long error)
{
	switch (error) {
	case SBI_SUCCESS:
		return "success";
	case SBI_ERR_FAILED:
		return "failed";
	case SBI_ERR_NOT_SUPPORTED:
		return "not supported";
	case SBI_ERR_INVALID_PARAM:
		return "invalid parameter";
	case SBI_ERR_DENIED:
		return "denied";
	case SBI_ERR_INVALID_ADDRESS:
		return "invalid address";
	case SBI_ERR_ALREADY_AVAILABLE:
		return "already available";
	default:
		return "unknown error";
	}
}

bool sbi_has(unsigned long ext)
{
	/* base extension, function 3: probe_extension; 0 = absent */
	struct sbi_ret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);

	return r.error == SBI_SUCCESS && r.value != 0;
}

void sbi_init(void)
{
	/* base functions 0 (spec version), 1 (impl id), 2 (impl version) */
	struct sbi_ret spec = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0);
	struct sbi_ret impl = sbi_call(SBI_EXT_BASE, 1, 0, 0, 0);
	struct sbi_ret ver = sbi_call(SBI_EXT_BASE, 2, 0, 0, 0);

	has.time = sbi_has(SBI_EXT_TIME);
	has.srst = sbi_has(SBI_EXT_SRST);
	/* spec version: major in bits 30:24, minor in 23:0 */
	kprintf("[sbi] spec %lu.%lu, implementation %ld (%s) version 0x%lx; "
		"TIME %s, SRST %s\n",
		(unsigned long)(spec.value >> 24) & 0x7f,
		(unsigned long)spec.value & 0xffffff, impl.value,
		impl.error == SBI_SUCCESS && impl.value == 1 ? "OpenSBI" : "?",
		(unsigned long)ver.value, has.time ? "yes" : "legacy",
		has.srst ? "yes" : "legacy");
}

long sbi_set_timer(uint64_t when)
{
#if __riscv_xlen == 32
	unsigned long lo = (unsigned long)when, hi = (unsigned long)(when >> 32);
#else
	unsigned long lo = when, hi = 0;
#endif

	if (has.time)
		return sbi_call(SBI_EXT_TIME, 0, lo, hi, 0).error;
	/* legacy: no error convention beyond a0 */
	return sbi_call(SBI_EXT_LEGACY_SET_TIMER, 0, lo, hi, 0).error;
}

long sbi_shutdown(int code)
{
	unsigned long reason =
		code == 0 ? SBI_RESET_REASON_NONE : SBI_RESET_REASON_FAILURE;
	long err = SBI_ERR_NOT_SUPPORTED;

	if (has.srst)
		err = sbi_call(SBI_EXT_SRST, 0, SBI_RESET_SHUTDOWN, reason, 0)
			      .error;
	/* still here: SRST refused or absent; the legacy call cannot fail */
	sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
	return err;
}

long sbi_reboot(void)
{
	if (!has.srst)
		return SBI_ERR_NOT_SUPPORTED;
	return sbi_call(SBI_EXT_SRST, 0, SBI_RESET_COLD_REBOOT,
			SBI_RESET_REASON_NONE, 0)
		.error;
}
