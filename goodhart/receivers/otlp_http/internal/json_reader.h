// The simdjson on-demand layer shared by the three decoders: AnyValue and attribute readers,
// record paths, and the per-call DecodeState that rejects records and keeps events.
// Only this folder's decoders include it (simdjson.h is slow to compile and stays out of public
// headers).
//
// Error model: a simdjson error other than a type error means the body is not valid JSON and the
// whole decode fails; a type error (a string where a number belongs) only spoils the record it is
// in, which the decoders reject and count.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/internal/any_value.h"
#include "goodhart/receivers/otlp_http/internal/mapping.h"
#include "goodhart/receivers/otlp_http/internal/views.h"

namespace goodhart::receivers::otlp::internal {

namespace sj = simdjson::ondemand;
using simdjson::error_code;

// Type errors spoil one record; every other error is a broken body.
inline bool IsTypeError(error_code e) {
  return e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_OUT_OF_RANGE;
}

// Copies the value of an iteration result (a field or an array element) into *out.
template <typename T>
error_code Unwrap(simdjson::simdjson_result<T>& result, T* out) {
  if (error_code error = result.error())
    return error;
  *out = result.value_unsafe();
  return simdjson::SUCCESS;
}

// Compares an object key as sent (no unescaping) with a plain ASCII name.
inline bool KeyIs(const sj::raw_json_string& key, std::string_view name) {
  return key.unsafe_is_equal(name);
}

// The first character of a key, for a cheap dispatch before KeyIs.
inline char KeyFirst(const sj::raw_json_string& key) { return *key.raw(); }

// The names of one signal's three nesting levels.
struct SignalNames {
  std::string_view resource_list;  // resourceLogs
  std::string_view scope_list;     // scopeLogs
  std::string_view item_list;      // logRecords
};
inline constexpr SignalNames kLogNames = {"resourceLogs", "scopeLogs", "logRecords"};
inline constexpr SignalNames kMetricNames = {"resourceMetrics", "scopeMetrics", "metrics"};
inline constexpr SignalNames kTraceNames = {"resourceSpans", "scopeSpans", "spans"};

// Where a record is: resourceLogs[r].scopeLogs[s].logRecords[i], plus an optional fourth level
// (".dataPoints[j]") for metric points.
struct RecordPath {
  const SignalNames* names = nullptr;
  int depth = 3;  // levels Format() prints: 1 resource, 2 scope, 3 item
  size_t resource = 0;
  size_t scope = 0;
  size_t item = 0;
  std::string_view sub_list;  // "" or "dataPoints"
  size_t sub = 0;
  std::string Format() const;
};

// State of one Decode* call: the document, the result being built, reusable scratch views.
class DecodeState {
 public:
  // `input_end` is the end of the JSON text in the padded buffer.
  DecodeState(sj::document& doc, const char* input_end, const DecodeOptions& options,
              DecodeResult& result)
      : doc_(doc), input_end_(input_end), options_(options), result_(result) {}

  const DecodeOptions& options() const { return options_; }
  DecodeResult& result() { return result_; }

  // The current position in the input (the start of the next token, or the end).
  const char* Here() {
    auto location = doc_.current_location();
    return location.error() ? input_end_ : location.value_unsafe();
  }
  // Raw JSON from `start` to the current position, trailing whitespace trimmed.
  std::string_view RawSince(const char* start);

  // Counts a rejected record and keeps its message if it is the first.
  void Reject(const RecordPath& path, std::string_view what);
  // Maps a record: on kEvent validates and keeps the event, on kIgnored counts it, on error
  // rejects it. `fill` is Result<Mapped>(model::UsageEvent*). Returns true if an event was kept.
  template <typename Fill>
  bool Emit(const RecordPath& path, Fill&& fill);

  // A broken-body error naming where it happened.
  Status BodyError(std::string_view where, error_code error) const;
  Status BodyError(std::string_view where, std::string_view what) const;

  ResourceView resource;
  ScopeView scope;

 private:
  sj::document& doc_;
  const char* input_end_;
  const DecodeOptions& options_;
  DecodeResult& result_;
};

template <typename Fill>
bool DecodeState::Emit(const RecordPath& path, Fill&& fill) {
  std::vector<model::UsageEvent>& usage = result_.batch.usage;
  model::UsageEvent& event = usage.emplace_back();
  Result<Mapped> mapped = fill(&event);
  if (!mapped.ok()) {
    usage.pop_back();
    Reject(path, mapped.status().message());
    return false;
  }
  if (*mapped == Mapped::kIgnored) {
    usage.pop_back();
    ++result_.ignored;
    return false;
  }
  if (Status valid = event.Validate(); !valid.ok()) {
    usage.pop_back();
    Reject(path, valid.message());
    return false;
  }
  return true;
}

// Reads an OTLP AnyValue object into *out. Returns only body-breaking errors; a value of the
// wrong type becomes ValueType::kInvalid.
error_code ReadAnyValue(sj::value value, AnyValue* out);

// Reads an attributes array: known keys into *known (values of unknown keys are skipped without
// decoding), and every attribute into *all when it is not null. A type error (not an array) is
// returned as INCORRECT_TYPE.
error_code ReadAttributes(sj::value value, AttrSet* known, std::vector<Attribute>* all);

// An int64 sent as a JSON number or a decimal string. A null leaves *out as is. Wrong types and
// malformed strings return INCORRECT_TYPE, values past int64 NUMBER_OUT_OF_RANGE.
error_code ReadInt64(sj::value value, int64_t* out);
// A double sent as a number or a string ("1.5", "NaN", "Infinity").
error_code ReadDouble(sj::value value, double* out);
// A string; null leaves *out as is; other types return INCORRECT_TYPE.
error_code ReadString(sj::value value, std::string_view* out);
// An enum sent as an integer or a name: names are looked up in `names` (index = value).
error_code ReadEnum(sj::value value, std::initializer_list<std::string_view> names, int* out);

}  // namespace goodhart::receivers::otlp::internal
