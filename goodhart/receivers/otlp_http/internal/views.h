// The parsed shape of OTLP resources, scopes, log records, spans and metric points as the mappers
// see them: plain structs of string_views and AttrSets, filled by the simdjson decoders and read by
// claude_code, codex, genai and metric_points. Views live only during one Decode* call.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "goodhart/receivers/otlp_http/internal/any_value.h"

namespace goodhart::receivers::otlp::internal {

struct ResourceView {
  AttrSet attrs;               // the known attributes, parent of every record's set
  std::vector<Attribute> all;  // every attribute, in order (series keys hash them all)
  std::string_view raw_json;   // "" when the resource is absent
};

struct ScopeView {
  std::string_view name;
  std::string_view version;
  std::string_view raw_json;
};

struct LogRecordView {
  const ResourceView* resource = nullptr;
  const ScopeView* scope = nullptr;
  int64_t time_unix_nano = 0;      // 0: absent
  int64_t observed_unix_nano = 0;  // 0: absent
  std::string_view event_name;     // LogRecord.eventName (newer OTel events)
  std::string_view body_string;    // body.stringValue
  std::string_view body_content;   // body.kvlistValue["content"] when it is a string
  std::string_view trace_id;       // hex as sent
  std::string_view span_id;
  std::string_view raw_json;  // the whole record, for hash keys
  AttrSet attrs;              // parent: resource->attrs
};

// A span event that may carry a prompt (gen_ai.user.message, gen_ai.content.prompt).
struct SpanPromptEvent {
  int64_t time_unix_nano = 0;
  std::string_view text;
  std::string_view raw_json;
};

struct SpanView {
  const ResourceView* resource = nullptr;
  const ScopeView* scope = nullptr;
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view name;
  int64_t start_unix_nano = 0;
  int64_t end_unix_nano = 0;
  std::string_view raw_json;
  AttrSet attrs;  // parent: resource->attrs
  std::vector<SpanPromptEvent> prompt_events;
};

struct MetricView {
  const ResourceView* resource = nullptr;
  const ScopeView* scope = nullptr;
  std::string_view name;
  int temporality = 0;  // 0 unspecified, 1 delta, 2 cumulative (AggregationTemporality)
  bool histogram = false;
};

struct PointView {
  int64_t start_unix_nano = 0;
  int64_t time_unix_nano = 0;
  AnyValue value;  // asInt (kInt) or asDouble (kDouble); histogram: sum (kDouble)
  AttrSet attrs;   // parent: resource->attrs
  std::vector<Attribute> all;
};

}  // namespace goodhart::receivers::otlp::internal
