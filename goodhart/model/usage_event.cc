#include "goodhart/model/usage_event.h"

#include <fmt/format.h>

#include <array>

namespace goodhart::model {
namespace {
constexpr std::array<std::string_view, 6> kKindNames = {"model_call",      "prompt",  "tool_call",
                                                        "usage_aggregate", "session", "other"};
}

std::string_view UsageKindName(UsageKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

Result<UsageKind> ParseUsageKind(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name)
      return static_cast<UsageKind>(i);
  }
  return Status::InvalidArgument(fmt::format("model: kind: unknown usage kind '{}'", name));
}

Status UsageEvent::Validate() const {
  if (event_key.empty())
    return Status::InvalidArgument("model: event_key: empty");
  if (source.empty())
    return Status::InvalidArgument("model: source: empty");
  if (time_unix_ms <= 0) {
    return Status::InvalidArgument(
        fmt::format("model: time: missing or before 1970 ({})", time_unix_ms));
  }
  GOODHART_RETURN_IF_ERROR(tokens.Validate().WithPrefix("model"));
  if (request_count < 0) {
    return Status::InvalidArgument(
        fmt::format("model: request_count: negative ({})", request_count));
  }
  if (end_unix_ms != 0 && end_unix_ms < time_unix_ms) {
    return Status::InvalidArgument("model: end_unix_ms: before time_unix_ms");
  }
  if (reported_cost_micros && *reported_cost_micros < 0) {
    return Status::InvalidArgument(
        fmt::format("model: reported_cost: negative ({} micro-USD)", *reported_cost_micros));
  }
  if (signal == Signal::kMetric && series_key.empty()) {
    return Status::InvalidArgument("model: series_key: empty on a metric point");
  }
  return Status::Ok();
}

}  // namespace goodhart::model
