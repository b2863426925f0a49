/* SPDX-License-Identifier: MIT */
/*
 * Packed string tables: NUL-terminated strings one after another, the
 * table ended by an empty string ("a\0bc\0" holds "a" and "bc"; the
 * literal's own NUL ends it).
 *
 * Tables of names indexed by a number (trap causes, TBF verdicts) take this
 * form to spare a pointer per name and the padding the compiler puts after
 * every string literal (doc/design.md#footprint).
 * Header-only, so that the host tools that share kernel sources (tbfpack)
 * need nothing more.
 */
#pragma once

/* The n-th string of tab (from 0); "" when tab holds n strings or fewer. */
static inline const char *strtab_get(const char *tab, unsigned n)
{
	for (; n > 0 && *tab; n--)
		while (*tab++)
			;
	return tab;
}
