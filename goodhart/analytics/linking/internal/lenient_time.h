// A lenient timestamp parser for DevLake's tables, which mix "2023-04-10T06:51:47.000+00:00" with
// "2023-4-10 6:51:47" (single-digit fields that base's RFC 3339 ParseTimestampMillis rejects).
#pragma once

#include <cstdint>
#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::analytics::internal {

// Parses "YYYY-M-D", optionally followed by 'T' or ' ' and "H:M[:S[.fraction]]", optionally
// followed by a zone: "Z", "+HH:MM", "+HHMM", "+HH" (or '-'), or " UTC". Month, day, hour, minute
// and second take one or two digits; the fraction up to 9 digits (truncated to milliseconds). No
// zone means UTC. Surrounding spaces are ignored. InvalidArgument for anything else, including
// out-of-range fields (February 30th, hour 24).
Result<int64_t> ParseLenientTimestampMillis(std::string_view text);

}  // namespace goodhart::analytics::internal
