// Time helpers shared by every source: sources disagree on encodings (OTLP nanoseconds as strings,
// OpenAI unix seconds, Anthropic RFC 3339, Copilot calendar days), goodhart keeps UTC milliseconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart {

inline constexpr int64_t kMillisPerDay = 86'400'000;

// Parses RFC 3339 / ISO 8601: "2026-10-08T08:15:18.137Z", "2026-10-08 08:15:18+02:00",
// "2026-10-08T08:15:18" (taken as UTC) or a bare date "2026-10-08" (midnight UTC).
Result<int64_t> ParseTimestampMillis(std::string_view text);

// Days since 1970-01-01 (UTC) for a unix-milliseconds instant; floors for negative values.
int64_t DayOfMillis(int64_t unix_ms);

// "2026-10-08T08:15:18.137Z".
std::string FormatMillis(int64_t unix_ms);
// "2026-10-08".
std::string FormatDay(int64_t day);

// Milliseconds since the epoch for a civil date (proleptic Gregorian, UTC).
int64_t CivilToMillis(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

// Midnight UTC of the first day of the calendar quarter holding `unix_ms` (S_ref is frozen per
// quarter, and D10's own baseline is the quarter before).
int64_t QuarterStartMillis(int64_t unix_ms);

}  // namespace goodhart
