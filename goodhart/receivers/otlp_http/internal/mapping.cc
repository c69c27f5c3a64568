#include "goodhart/receivers/otlp_http/internal/mapping.h"

#include <fmt/format.h>

#include <cmath>

#include "goodhart/base/hash.h"
#include "goodhart/base/time.h"
#include "goodhart/model/cost_units.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"

namespace goodhart::receivers::otlp::internal {

bool IsRedacted(std::string_view text) {
  return text.empty() || text == "REDACTED" || text == "<REDACTED>" || text == "[REDACTED]";
}

Status ReadCount(const AttrSet& attrs, AttrId id, int64_t* out, bool* present) {
  const AnyValue* value = attrs.Find(id);
  if (present != nullptr)
    *present = value != nullptr;
  if (value == nullptr)
    return Status::Ok();
  std::optional<int64_t> n = AsInt64(*value);
  if (!n) {
    return Status::InvalidArgument(fmt::format("{} is not an integer", AttrName(id)));
  }
  if (*n < 0)
    return Status::InvalidArgument(fmt::format("{} is negative ({})", AttrName(id), *n));
  *out = *n;
  return Status::Ok();
}

int64_t ReadLenientInt(const AttrSet& attrs, AttrId id) {
  const AnyValue* value = attrs.Find(id);
  if (value == nullptr)
    return 0;
  std::optional<int64_t> n = AsInt64(*value);
  return n && *n > 0 ? *n : 0;
}

Status ReadReportedCost(const AttrSet& attrs, std::optional<int64_t>* out) {
  if (const AnyValue* micros = attrs.Find(AttrId::kCostUsdMicros)) {
    std::optional<int64_t> n = AsInt64(*micros);
    if (!n)
      return Status::InvalidArgument("cost_usd_micros is not an integer");
    if (*n < 0)
      return Status::InvalidArgument(fmt::format("cost_usd_micros is negative ({})", *n));
    *out = *n;
    return Status::Ok();
  }
  if (const AnyValue* usd = attrs.Find(AttrId::kCostUsd)) {
    std::optional<double> d = AsDouble(*usd);
    if (!d || !std::isfinite(*d) || std::fabs(*d) > 1e12)
      return Status::InvalidArgument("cost_usd is not a number");
    if (*d < 0)
      return Status::InvalidArgument(fmt::format("cost_usd is negative ({})", *d));
    *out = model::ToMicroUsd(*d, model::MoneyUnit::kUsd);
  }
  return Status::Ok();
}

Result<int64_t> LogRecordTimeMillis(const LogRecordView& record) {
  if (record.time_unix_nano > 0)
    return NanosToMillis(record.time_unix_nano);
  if (record.observed_unix_nano > 0)
    return NanosToMillis(record.observed_unix_nano);
  std::string_view stamp = record.attrs.String(AttrId::kEventTimestamp);
  if (stamp.empty()) {
    return Status::InvalidArgument(
        "time is missing (no timeUnixNano, observedTimeUnixNano or event.timestamp)");
  }
  Result<int64_t> ms = ParseTimestampMillis(stamp);
  if (!ms.ok() || *ms <= 0)
    return Status::InvalidArgument("event.timestamp is not an ISO 8601 time after 1970");
  return *ms;
}

void FillIdentity(const AttrSet& attrs, model::UsageEvent* event) {
  struct Source {
    AttrId id;
    const char* kind;
  };
  static constexpr Source kActors[] = {
      {AttrId::kUserEmail, "email"},          {AttrId::kUserAccountUuid, "account_uuid"},
      {AttrId::kUserAccountId, "account_id"}, {AttrId::kUserId, "user_id"},
      {AttrId::kEnduserId, "user_id"},
  };
  for (const Source& source : kActors) {
    std::string_view actor = attrs.String(source.id);
    if (!IsRedacted(actor)) {
      event->actor = actor;
      event->actor_kind = source.kind;
      break;
    }
  }
  std::string_view org = attrs.String(AttrId::kOrganizationId);
  if (!IsRedacted(org))
    event->organization = org;
}

void FillTool(const AttrSet& attrs, std::string_view tool, model::UsageEvent* event) {
  event->tool = tool.empty() ? attrs.String(AttrId::kServiceName) : tool;
  std::string_view version = attrs.String(AttrId::kServiceVersion);
  event->tool_version = version.empty() ? attrs.String(AttrId::kAppVersion) : version;
}

void SketchPrompt(std::string_view text, const DecodeOptions& options, model::UsageEvent* event) {
  if (IsRedacted(text))
    return;
  if (event->prompt_length == 0)
    event->prompt_length = CountCodePoints(text);
  if (options.sketcher != nullptr)
    event->prompt_sketch = options.sketcher->Sketch(text);
}

int64_t CountCodePoints(std::string_view utf8) {
  int64_t n = 0;
  for (char c : utf8) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // count every byte but continuations
  }
  return n;
}

std::string HashKey(std::string_view a, std::string_view b, std::string_view c,
                    std::string_view d) {
  Hasher128 hasher;
  hasher.AddField(a);
  hasher.AddField(b);
  hasher.AddField(c);
  hasher.AddField(d);
  return "hash:" + hasher.FinishHex();
}

std::string SpanKey(std::string_view trace_id, std::string_view span_id) {
  if (trace_id.empty() || span_id.empty())
    return {};
  std::string key = "span:";
  key.reserve(5 + trace_id.size() + 1 + span_id.size());
  key += LowerHex(trace_id);
  key += ':';
  key += LowerHex(span_id);
  return key;
}

std::string RawHashKey(const ResourceView& resource, const ScopeView& scope,
                       std::string_view raw_json) {
  return HashKey(resource.raw_json, scope.raw_json, raw_json);
}

std::string LowerHex(std::string_view hex) {
  std::string out(hex);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string IntText(const AttrSet& attrs, AttrId id) {
  const AnyValue* value = attrs.Find(id);
  if (value == nullptr)
    return {};
  if (std::optional<int64_t> n = AsInt64(*value))
    return std::to_string(*n);
  return std::string(AsString(*value));
}

std::string ValueText(const AttrSet& attrs, AttrId id) {
  const AnyValue* value = attrs.Find(id);
  if (value == nullptr)
    return {};
  switch (value->type) {
    case ValueType::kBool:
      return value->bool_value ? "true" : "false";
    case ValueType::kInt:
      return std::to_string(value->int_value);
    case ValueType::kDouble:
      return fmt::format("{}", value->double_value);
    default:
      return std::string(value->text);
  }
}

void SetToolStep(const ToolStep& step, model::UsageEvent* event) {
  event->tool_name = step.tool;
  if (step.arguments.empty() && step.result.empty())
    return;
  Hasher128 hasher;
  hasher.AddField(step.tool);
  hasher.AddField(step.arguments);
  hasher.AddField(step.result);
  hasher.AddField(step.outcome);
  uint64_t fingerprint = hasher.Finish().low;
  event->tool_step_fingerprint = fingerprint != 0 ? fingerprint : 1;
}

}  // namespace goodhart::receivers::otlp::internal
