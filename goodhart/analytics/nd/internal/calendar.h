// Calendar arithmetic for ND's windows, in UTC: working days (Monday to Friday; goodhart has no
// holiday calendar yet) for the grouping and break-glass windows, and calendar quarters for the
// frozen S_ref (metrics.md §3.3, §3.6, §3.8).
#pragma once

#include <cstdint>

#include "goodhart/base/time.h"  // QuarterStartMillis

namespace goodhart::analytics::nd::internal {

// True for Saturday and Sunday (UTC).
bool IsWeekend(int64_t unix_ms);

// The instant `working_days` working days after `unix_ms`, at the same time of day: each step moves
// to the next Monday-to-Friday day. Friday 10:00 + 3 = Wednesday 10:00; Saturday 10:00 + 1 =
// Monday 10:00. REQUIRES: working_days >= 0.
int64_t AddWorkingDays(int64_t unix_ms, int64_t working_days);

// The year and the quarter (1-4) holding `unix_ms`: 2026 and 3 for "2026-Q3".
int QuarterYear(int64_t unix_ms);
int QuarterNumber(int64_t unix_ms);

}  // namespace goodhart::analytics::nd::internal
