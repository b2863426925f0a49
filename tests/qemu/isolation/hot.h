/* SPDX-License-Identifier: MIT */
/*
 * QEMU scenarios "isolation_hot_*": the timetable the toucher and the
 * crosser share, in ticks since boot (EXPECTED_HZ from meson).
 */
#pragma once

#ifndef EXPECTED_HZ
#error "build with -DEXPECTED_HZ=<timer ticks per second>"
#endif

#define HOT_MS(n) ((uint32_t)((uint64_t)(n) * EXPECTED_HZ / 1000))

#define HOT_AT HOT_MS(30)	     /* toucher's alarm; the crosser's is 5 later */
#define HOT_CROSSER_DELAY 5	     /* ticks */
#define HOT_VERDICT_AT HOT_MS(100) /* the crosser has been stopped by then */
