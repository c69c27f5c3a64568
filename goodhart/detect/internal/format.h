// Number and time formatting for flag explanations: "$1,940", "412M", "78%", "3 June",
// "2026-05-04 to 2026-05-31", "3 h 10 min". Plain ASCII so explanations read the same everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/detect/flag.h"

namespace goodhart::detect::internal {

// "$1,940" at or above $100, "$85.40" below, "$0" for nothing.
std::string Usd(double micros);
// "412M", "1.2B", "12.3k", "950".
std::string Count(double n);
// "78%" (0.78), "4.5%" below 10%.
std::string Pct(double share);
// "2026-06-03".
std::string Day(int64_t unix_ms);
// "02:05" UTC.
std::string TimeOfDay(int64_t unix_ms);
// "3 h 10 min", "45 min", "30 s".
std::string Duration(int64_t ms);
// "2026-05-04 to 2026-05-31" (the last day included).
std::string PeriodLabel(const Period& period);
// "a, b and c".
std::string JoinAnd(const std::vector<std::string>& items);
// Fixed-point with `digits` decimals.
std::string Fixed(double v, int digits);

}  // namespace goodhart::detect::internal
