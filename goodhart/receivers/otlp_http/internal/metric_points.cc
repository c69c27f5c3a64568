#include "goodhart/receivers/otlp_http/internal/metric_points.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "goodhart/base/hash.h"
#include "goodhart/model/cost_units.h"

namespace goodhart::receivers::otlp::internal {
namespace {

constexpr std::string_view kClaudeTokens = "claude_code.token.usage";
constexpr std::string_view kClaudeCost = "claude_code.cost.usage";
constexpr std::string_view kGenAiTokens = "gen_ai.client.token.usage";

void AddSortedAttributes(const std::vector<Attribute>& attributes, Hasher128* hasher) {
  thread_local std::vector<const Attribute*> sorted;
  thread_local std::string canonical;
  sorted.clear();
  for (const Attribute& a : attributes)
    sorted.push_back(&a);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Attribute* a, const Attribute* b) { return a->key < b->key; });
  hasher->AddField(std::to_string(sorted.size()));
  for (const Attribute* a : sorted) {
    hasher->AddField(a->key);
    canonical.clear();
    AppendCanonical(a->value, &canonical);
    hasher->AddField(canonical);
  }
}

// The point's value as a non-negative double, or an error naming what is wrong.
Result<double> PointValue(const MetricView& metric, const PointView& point) {
  switch (point.value.type) {
    case ValueType::kInt:
      if (point.value.int_value < 0) {
        return Status::InvalidArgument(
            fmt::format("value is negative ({})", point.value.int_value));
      }
      return static_cast<double>(point.value.int_value);
    case ValueType::kDouble: {
      const double d = point.value.double_value;
      if (!std::isfinite(d) || d > 9e18)
        return Status::InvalidArgument("value is not a finite number");
      if (d < 0)
        return Status::InvalidArgument(fmt::format("value is negative ({})", d));
      return d;
    }
    case ValueType::kInvalid:
      return Status::InvalidArgument(std::string(point.value.text));
    default:
      return Status::InvalidArgument(metric.histogram ? "sum is missing"
                                                      : "value is missing (no asInt or asDouble)");
  }
}

// An integral count from the point's value: asInt as is, asDouble rounded.
int64_t PointCount(const PointView& point, double value) {
  return point.value.type == ValueType::kInt ? point.value.int_value : std::llround(value);
}

}  // namespace

bool IsUsageMetric(std::string_view name) {
  return name == kClaudeTokens || name == kClaudeCost || name == kGenAiTokens;
}

std::string SeriesKey(const MetricView& metric, const PointView& point) {
  Hasher128 hasher;
  AddSortedAttributes(metric.resource->all, &hasher);
  hasher.AddField(metric.scope->name);
  hasher.AddField(metric.name);
  AddSortedAttributes(point.all, &hasher);
  return hasher.FinishHex();
}

Result<Mapped> MapMetricPoint(const MetricView& metric, const PointView& point,
                              const DecodeOptions& /*options*/, model::UsageEvent* event) {
  const bool claude_tokens = metric.name == kClaudeTokens && !metric.histogram;
  const bool claude_cost = metric.name == kClaudeCost && !metric.histogram;
  const bool genai_tokens = metric.name == kGenAiTokens && metric.histogram;
  if (!claude_tokens && !claude_cost && !genai_tokens)
    return Mapped::kIgnored;

  const AttrSet& attrs = point.attrs;
  if (point.time_unix_nano <= 0)
    return Status::InvalidArgument("timeUnixNano is missing");
  GOODHART_ASSIGN_OR_RETURN(const double value, PointValue(metric, point));

  if (claude_cost) {
    if (point.value.type == ValueType::kInt) {
      if (point.value.int_value > INT64_MAX / 1'000'000)
        return Status::InvalidArgument("value is too large");
      event->reported_cost_micros = point.value.int_value * 1'000'000;
    } else {
      event->reported_cost_micros = model::ToMicroUsd(value, model::MoneyUnit::kUsd);
    }
  } else {
    const int64_t count = PointCount(point, value);
    std::string_view type = attrs.String(claude_tokens ? AttrId::kType : AttrId::kGenAiTokenType);
    if (type == "input") {
      event->tokens.input_uncached = count;
    } else if (type == "output") {
      event->tokens.output = count;
    } else if (claude_tokens && type == "cacheRead") {
      event->tokens.cache_read = count;
    } else if (claude_tokens && type == "cacheCreation") {
      event->tokens.cache_write = count;
    } else {
      return Mapped::kIgnored;  // a token type goodhart has no bucket for
    }
  }

  event->source = "otlp_metrics";
  event->signal = model::Signal::kMetric;
  event->kind = model::UsageKind::kModelCall;
  event->request_count = 0;
  event->event_name = genai_tokens ? metric.name : metric.name.substr(12);  // drop claude_code.
  event->time_unix_ms = NanosToMillis(point.time_unix_nano);
  event->series_start_unix_ms = NanosToMillis(point.start_unix_nano);
  if (metric.temporality != 1 && metric.temporality != 2) {
    // A count without delta or cumulative cannot be summed: the point is rejected (partial
    // success), not stored for the store to refuse the whole request.
    return Status::InvalidArgument(
        "aggregationTemporality: unspecified or unknown; a usage count must be a delta or "
        "cumulative sum");
  }
  event->temporality =
      metric.temporality == 1 ? model::Temporality::kDelta : model::Temporality::kCumulative;
  event->series_key = SeriesKey(metric, point);
  event->raw_id = event->series_key;
  std::string canonical;
  AppendCanonical(point.value, &canonical);
  event->event_key = HashKey(event->series_key, std::to_string(point.start_unix_nano),
                             std::to_string(point.time_unix_nano), canonical);

  FillIdentity(attrs, event);
  FillTool(attrs, {}, event);
  std::string_view session = attrs.String(AttrId::kSessionId);
  event->session_id = session.empty() ? attrs.String(AttrId::kGenAiConversationId) : session;
  if (genai_tokens) {
    std::string_view provider = attrs.String(AttrId::kGenAiProviderName);
    event->provider = provider.empty() ? attrs.String(AttrId::kGenAiSystem) : provider;
    std::string_view model = attrs.String(AttrId::kGenAiResponseModel);
    event->model = model.empty() ? attrs.String(AttrId::kGenAiRequestModel) : model;
  } else {
    event->provider = "anthropic";
    event->model = attrs.String(AttrId::kModel);
    event->query_source = attrs.String(AttrId::kQuerySource);
    event->agent = attrs.String(AttrId::kAgentName);
  }
  return Mapped::kEvent;
}

}  // namespace goodhart::receivers::otlp::internal
