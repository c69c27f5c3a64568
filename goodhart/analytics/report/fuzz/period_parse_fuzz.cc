// Fuzz target: an input as the timestamps goodhart parses everywhere (RFC 3339 in payloads and
// --from/--to, the lenient form in imported tables) and as a report period ("FROM\nTO"). What
// parses must come back from FormatMillis to the same instant, and a period must be a clear
// `report` error or run forwards. docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "goodhart/analytics/linking/internal/lenient_time.h"
#include "goodhart/analytics/report/report.h"
#include "goodhart/base/testing/fuzz_checks.h"
#include "goodhart/base/time.h"

namespace {

using goodhart::Status;

void RequireRoundTrip(goodhart::Result<int64_t> parsed, std::string_view parser) {
  if (!parsed.ok()) {
    return;
  }
  auto again = goodhart::ParseTimestampMillis(goodhart::FormatMillis(*parsed));
  if (!again.ok() || *again != *parsed) {
    goodhart::testing::FuzzFailure(
        parser, Status::Internal(goodhart::FormatMillis(*parsed) + " does not parse back"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  RequireRoundTrip(goodhart::ParseTimestampMillis(text), "ParseTimestampMillis");
  RequireRoundTrip(goodhart::analytics::internal::ParseLenientTimestampMillis(text),
                   "ParseLenientTimestampMillis");
  const size_t newline = text.find('\n');
  const std::string_view from = text.substr(0, newline);
  const std::string_view to = newline == std::string_view::npos ? "" : text.substr(newline + 1);
  auto period = goodhart::analytics::report::ParsePeriod(from, to);
  goodhart::testing::RequireClearRejection(period.status(), "report");
  if (period.ok() && period->first >= period->second) {
    goodhart::testing::FuzzFailure("ParsePeriod", Status::Internal("an empty or reversed period"));
  }
  return 0;
}
