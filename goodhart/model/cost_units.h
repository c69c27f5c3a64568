// The one unit table for money (formats.md §5): every source's cost encoding converted to integer
// micro-USD, so sums are exact and reported and computed costs compare directly.
//
// | source                              | field                   | encoding                      |
// | Claude Code telemetry               | cost_usd                | USD, float                    |
// | Claude Code telemetry               | cost_usd_micros         | micro-USD, int                |
// | Anthropic cost_report               | amount                  | cents, decimal string         |
// | Anthropic usage_report/claude_code  | estimated_cost.amount   | cents, number                 |
// | Anthropic Analytics API             | amount / list_amount    | fractional cents, string      |
// | OpenAI costs                        | amount.value            | USD, float (or string)        |
// | Copilot billing usage               | net_amount              | USD, float                    |
#pragma once

#include <cstdint>
#include <string_view>

#include "goodhart/base/status.h"

namespace goodhart::model {

enum class MoneyUnit { kUsd, kCents, kMicroUsd };

// Converts a number in `unit` to micro-USD, rounding half away from zero.
int64_t ToMicroUsd(double amount, MoneyUnit unit);

// Parses a decimal string ("123.78912", "-0.5", "7") exactly, without going through a double,
// and converts it to micro-USD (rounding half away from zero below one micro-USD).
Result<int64_t> DecimalStringToMicroUsd(std::string_view text, MoneyUnit unit);

}  // namespace goodhart::model
