/* SPDX-License-Identifier: MIT */
/*
 * QEMU scenario "alarm": the timetable both processes share, in ticks of
 * the left-justified counter since QEMU started (mtime starts at 0), so no
 * message has to pass between them.  EXPECTED_HZ comes from
 * alarm.toml (the board's timer rate, timer_hz).
 *
 *   ROUND1_ARM_BY    main has armed round 1 (its later deadline) by now
 *   PEER_ARM_1       the peer arms round 1 (the earlier deadline)
 *   DEADLINE_1_*     round 1: the peer's fires 3 ms before main's
 *   PEER_ARM_2       the peer arms round 2 (main armed its one at ~203 ms)
 *   DEADLINE_2_*     round 2: main's fires 3 ms before the peer's
 */
#pragma once

#ifndef EXPECTED_HZ
#error "build with -DEXPECTED_HZ=<timer ticks per second>"
#endif

#define MS(n) ((uint32_t)((uint64_t)(n) * EXPECTED_HZ / 1000))

#define ROUND1_ARM_BY MS(100)
#define PEER_ARM_1 MS(150)
#define DEADLINE_1_EARLY MS(200)
#define DEADLINE_1_LATE MS(203)
#define PEER_ARM_2 MS(250)
#define DEADLINE_2_EARLY MS(300)
#define DEADLINE_2_LATE MS(303)
