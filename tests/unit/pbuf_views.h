/* SPDX-License-Identifier: MIT */
/*
 * Views of process-buffer descriptors that only the unit tests need: the
 * kernel itself reads a buffer only through pbuf_ro_enter() or
 * pbuf_rw_mut_enter(), so these are not part of kernel/allow/pbuf.h.
 */
#pragma once

#include <stdint.h>

#include "kernel/allow/pbuf.h"

/* addr if len != 0, else 0.  No liveness check. */
static inline uintptr_t pbuf_ro_ptr(const struct pbuf_ro *b)
{
	return b->raw.len != 0 ? b->raw.addr : 0;
}

static inline uintptr_t pbuf_rw_ptr(const struct pbuf_rw *b)
{
	return b->raw.len != 0 ? b->raw.addr : 0;
}

static inline uintptr_t pbuf_rw_mut_ptr(const struct pbuf_rw *b)
{
	return pbuf_rw_ptr(b);
}

/*
 * A read-only view of a read-write buffer: pbuf_ro_enter() on the same
 * record (the validation of a read-only enter accepts RAM, where every
 * read-write buffer lies).
 */
static inline enum kerr pbuf_rw_enter(const struct pbuf_rw *b, pbuf_fn fn,
				      void *ctx)
{
	const struct pbuf_ro ro = { b->raw };

	return pbuf_ro_enter(&ro, fn, ctx);
}
