// Metric data points to UsageEvents (signal kMetric, one per point): claude_code.token.usage,
// claude_code.cost.usage (sums) and gen_ai.client.token.usage (histogram; its `sum` is the value).
// Points are reported raw; the store turns cumulative series into deltas using series_key,
// temporality and series_start_unix_ms.
#pragma once

#include <string>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/internal/mapping.h"
#include "goodhart/receivers/otlp_http/internal/views.h"

namespace goodhart::receivers::otlp::internal {

// True for the metrics goodhart maps; points of every other metric are counted as ignored.
bool IsUsageMetric(std::string_view name);

// 32 hex of XXH3-128 over the resource attributes, scope name, metric name and point attributes
// (attributes sorted by key, values in canonical form).
std::string SeriesKey(const MetricView& metric, const PointView& point);

// Maps one point. The event_key hashes the series key, start, time and value, so an identical
// retry maps to the same key. Token points have request_count 0 (the number of calls is unknown).
// A point with an unknown token type is ignored; a missing time or value, or a negative value,
// is an error.
Result<Mapped> MapMetricPoint(const MetricView& metric, const PointView& point,
                              const DecodeOptions& options, model::UsageEvent* event);

}  // namespace goodhart::receivers::otlp::internal
