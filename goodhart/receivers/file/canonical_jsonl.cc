#include "goodhart/receivers/file/canonical_jsonl.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <span>
#include <utility>

#include "goodhart/base/hash.h"
#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"
#include "goodhart/receivers/file/file_decoder.h"
#include "goodhart/receivers/file/internal/json_fields.h"
#include "goodhart/receivers/file/internal/record_sink.h"

namespace goodhart::receivers::file {
namespace {

using internal::Json;
using internal::Member;
using internal::ReadCount;
using internal::ReadString;
using model::UsageEvent;
using OrderedJson = nlohmann::ordered_json;

// The string fields, in the order they are written.
using StringField = std::string UsageEvent::*;
constexpr std::pair<std::string_view, StringField> kHeadStrings[] = {
    {"event_key", &UsageEvent::event_key},
    {"source", &UsageEvent::source},
    {"raw_id", &UsageEvent::raw_id},
};
constexpr std::pair<std::string_view, StringField> kWhoStrings[] = {
    {"event_name", &UsageEvent::event_name},
    {"actor", &UsageEvent::actor},
    {"actor_kind", &UsageEvent::actor_kind},
    {"organization", &UsageEvent::organization},
    {"session_id", &UsageEvent::session_id},
    {"prompt_id", &UsageEvent::prompt_id},
    {"tool", &UsageEvent::tool},
    {"tool_version", &UsageEvent::tool_version},
    {"agent", &UsageEvent::agent},
    {"query_source", &UsageEvent::query_source},
    {"provider", &UsageEvent::provider},
    {"model", &UsageEvent::model},
};
constexpr std::pair<std::string_view, StringField> kTailStrings[] = {
    {"request_id", &UsageEvent::request_id},
    {"series_key", &UsageEvent::series_key},
    {"git_commit_id", &UsageEvent::git_commit_id},
    {"tool_name", &UsageEvent::tool_name},
};
using CountField = int64_t UsageEvent::*;
constexpr std::pair<std::string_view, CountField> kCounts[] = {
    {"computed_cost_micros", &UsageEvent::computed_cost_micros},
    {"duration_ms", &UsageEvent::duration_ms},
    {"prompt_length", &UsageEvent::prompt_length},
};
using TokenField = int64_t model::TokenCounts::*;
constexpr std::pair<std::string_view, TokenField> kTokens[] = {
    {"input_uncached", &model::TokenCounts::input_uncached},
    {"cache_read", &model::TokenCounts::cache_read},
    {"cache_write", &model::TokenCounts::cache_write},
    {"output", &model::TokenCounts::output},
    {"reasoning", &model::TokenCounts::reasoning},
};

// Times from 1970 to 9999 are written in RFC 3339 ("time"); anything else as integer
// milliseconds ("time_unix_ms"), so every value, even an invalid one, survives a round trip.
constexpr int64_t kMaxFormattedMillis = 253'402'300'799'999;

void PutTime(OrderedJson& j, std::string_view name, int64_t unix_ms) {
  if (unix_ms > 0 && unix_ms <= kMaxFormattedMillis) {
    j[std::string(name)] = FormatMillis(unix_ms);
  } else {
    j[fmt::format("{}_unix_ms", name)] = unix_ms;
  }
}

std::string Hex64(uint64_t v) { return fmt::format("{:016x}", v); }

void PutStrings(OrderedJson& j, const UsageEvent& e,
                std::span<const std::pair<std::string_view, StringField>> fields) {
  for (const auto& [name, field] : fields) {
    if (!(e.*field).empty())
      j[std::string(name)] = e.*field;
  }
}

std::string_view SignalName(model::Signal s) {
  return s == model::Signal::kMetric ? "metric" : "event";
}

std::string_view TemporalityName(model::Temporality t) {
  switch (t) {
    case model::Temporality::kDelta:
      return "delta";
    case model::Temporality::kCumulative:
      return "cumulative";
    case model::Temporality::kNone:
      break;
  }
  return "none";
}

// `name` as RFC 3339 string or integer ms, or `name`_unix_ms; 0 when absent.
Result<int64_t> ReadTimeField(const Json& j, std::string_view name) {
  std::string ms_name = fmt::format("{}_unix_ms", name);
  const Json* text = Member(j, name);
  const Json* ms = Member(j, ms_name);
  if (text != nullptr && ms != nullptr)
    return Status::InvalidArgument(fmt::format("both {} and {} are set", name, ms_name));
  if (ms != nullptr) {
    if (!ms->is_number_integer())
      return Status::InvalidArgument(fmt::format("{} is not an integer", ms_name));
    return ms->get<int64_t>();
  }
  if (text == nullptr)
    return int64_t{0};
  if (text->is_number_integer())
    return text->get<int64_t>();
  if (!text->is_string())
    return Status::InvalidArgument(fmt::format("{} is not a timestamp string", name));
  auto t = ParseTimestampMillis(text->get_ref<const std::string&>());
  if (!t.ok())
    return t.status().WithPrefix(name);
  return *t;
}

Result<uint64_t> ParseHex64(std::string_view label, const Json& v) {
  if (!v.is_string())
    return Status::InvalidArgument(fmt::format("{} is not a hex string", label));
  const auto& s = v.get_ref<const std::string&>();
  uint64_t out = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty() || s.size() > 16)
    return Status::InvalidArgument(fmt::format("{} is not a 64-bit hex string", label));
  return out;
}

Result<model::PromptSketch> ReadSketch(const Json& j) {
  if (!j.is_object())
    return Status::InvalidArgument("prompt_sketch is not an object");
  model::PromptSketch sketch;
  const Json* simhash = Member(j, "simhash");
  if (simhash != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(sketch.simhash, ParseHex64("prompt_sketch.simhash", *simhash));
  }
  const Json* minhash = Member(j, "minhash");
  if (minhash != nullptr) {
    if (!minhash->is_array() || minhash->size() != sketch.minhash.size()) {
      return Status::InvalidArgument(fmt::format(
          "prompt_sketch.minhash is not an array of {} hex strings", sketch.minhash.size()));
    }
    for (size_t i = 0; i < sketch.minhash.size(); ++i) {
      GOODHART_ASSIGN_OR_RETURN(sketch.minhash[i],
                                ParseHex64("prompt_sketch.minhash[]", (*minhash)[i]));
    }
  }
  GOODHART_ASSIGN_OR_RETURN(int64_t words,
                            ReadCount(j, "token_estimate", "prompt_sketch.token_estimate"));
  if (words > std::numeric_limits<int32_t>::max())
    return Status::InvalidArgument("prompt_sketch.token_estimate is too large");
  sketch.token_estimate = static_cast<int32_t>(words);
  return sketch;
}

Status ReadStrings(const Json& j, UsageEvent& e,
                   std::span<const std::pair<std::string_view, StringField>> fields) {
  for (const auto& [name, field] : fields) {
    GOODHART_ASSIGN_OR_RETURN(e.*field, ReadString(j, name));
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeCanonicalJsonLine(const UsageEvent& e) {
  OrderedJson j = OrderedJson::object();
  j["event_key"] = e.event_key;
  j["source"] = e.source;
  PutStrings(j, e, std::span(kHeadStrings).subspan(2));
  j["kind"] = std::string(model::UsageKindName(e.kind));
  if (e.signal != model::Signal::kEvent)
    j["signal"] = std::string(SignalName(e.signal));
  PutTime(j, "time", e.time_unix_ms);
  if (e.end_unix_ms != 0)
    PutTime(j, "end", e.end_unix_ms);
  PutStrings(j, e, kWhoStrings);
  OrderedJson tokens = OrderedJson::object();
  for (const auto& [name, field] : kTokens)
    tokens[std::string(name)] = e.tokens.*field;
  j["tokens"] = std::move(tokens);
  j["request_count"] = e.request_count;
  if (e.reported_cost_micros)
    j["reported_cost_micros"] = *e.reported_cost_micros;
  for (const auto& [name, field] : kCounts) {
    if (e.*field != 0)
      j[std::string(name)] = e.*field;
  }
  if (e.prompt_sketch) {
    OrderedJson minhash = OrderedJson::array();
    for (uint64_t v : e.prompt_sketch->minhash)
      minhash.push_back(Hex64(v));
    j["prompt_sketch"] = {{"simhash", Hex64(e.prompt_sketch->simhash)},
                          {"minhash", std::move(minhash)},
                          {"token_estimate", e.prompt_sketch->token_estimate}};
  }
  if (e.temporality != model::Temporality::kNone)
    j["temporality"] = std::string(TemporalityName(e.temporality));
  if (e.series_start_unix_ms != 0)
    PutTime(j, "series_start", e.series_start_unix_ms);
  PutStrings(j, e, kTailStrings);
  if (e.tool_step_fingerprint != 0)
    j["tool_step_fingerprint"] = Hex64(e.tool_step_fingerprint);
  return JsonText(j);
}

Result<UsageEvent> DecodeCanonicalJsonLine(std::string_view line) {
  Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return Status::InvalidArgument("not JSON");
  if (!j.is_object())
    return Status::InvalidArgument("not a JSON object");
  UsageEvent e;
  GOODHART_RETURN_IF_ERROR(ReadStrings(j, e, kHeadStrings));
  GOODHART_RETURN_IF_ERROR(ReadStrings(j, e, kWhoStrings));
  GOODHART_RETURN_IF_ERROR(ReadStrings(j, e, kTailStrings));
  GOODHART_ASSIGN_OR_RETURN(std::string kind, ReadString(j, "kind"));
  if (!kind.empty()) {
    auto parsed = model::ParseUsageKind(kind);
    if (!parsed.ok())
      return Status::InvalidArgument(fmt::format("kind '{}' is unknown", kind.substr(0, 32)));
    e.kind = *parsed;
  }
  GOODHART_ASSIGN_OR_RETURN(std::string signal, ReadString(j, "signal"));
  if (signal == "metric") {
    e.signal = model::Signal::kMetric;
  } else if (!signal.empty() && signal != "event") {
    return Status::InvalidArgument(fmt::format("signal '{}' is unknown", signal.substr(0, 32)));
  }
  GOODHART_ASSIGN_OR_RETURN(std::string temporality, ReadString(j, "temporality"));
  if (temporality == "delta") {
    e.temporality = model::Temporality::kDelta;
  } else if (temporality == "cumulative") {
    e.temporality = model::Temporality::kCumulative;
  } else if (!temporality.empty() && temporality != "none") {
    return Status::InvalidArgument(
        fmt::format("temporality '{}' is unknown", temporality.substr(0, 32)));
  }
  GOODHART_ASSIGN_OR_RETURN(e.time_unix_ms, ReadTimeField(j, "time"));
  GOODHART_ASSIGN_OR_RETURN(e.end_unix_ms, ReadTimeField(j, "end"));
  GOODHART_ASSIGN_OR_RETURN(e.series_start_unix_ms, ReadTimeField(j, "series_start"));
  if (const Json* tokens = Member(j, "tokens"); tokens != nullptr) {
    if (!tokens->is_object())
      return Status::InvalidArgument("tokens is not an object");
    for (const auto& [name, field] : kTokens) {
      GOODHART_ASSIGN_OR_RETURN(e.tokens.*field,
                                ReadCount(*tokens, name, fmt::format("tokens.{}", name)));
    }
  }
  if (Member(j, "request_count") != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(e.request_count, ReadCount(j, "request_count"));
  }
  if (Member(j, "reported_cost_micros") != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(e.reported_cost_micros, ReadCount(j, "reported_cost_micros"));
  }
  for (const auto& [name, field] : kCounts) {
    GOODHART_ASSIGN_OR_RETURN(e.*field, ReadCount(j, name));
  }
  if (const Json* step = Member(j, "tool_step_fingerprint"); step != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(e.tool_step_fingerprint, ParseHex64("tool_step_fingerprint", *step));
  }
  if (const Json* sketch = Member(j, "prompt_sketch"); sketch != nullptr) {
    GOODHART_ASSIGN_OR_RETURN(e.prompt_sketch, ReadSketch(*sketch));
  }
  // A `prompt` key (text) is dropped here: canonical JSONL never brings text into storage.
  if (e.source.empty())
    e.source = "canonical";
  if (e.event_key.empty())
    e.event_key = "hash:" + Hash128Hex(EncodeCanonicalJsonLine(e));
  GOODHART_RETURN_IF_ERROR(e.Validate());
  return e;
}

Status DecodeCanonicalJsonl(std::string_view content, FileDecodeResult* out) {
  internal::RecordSink sink("canonical", out);
  internal::ForEachJsonLine(content, [&](int64_t line_number, std::string_view line) {
    auto event = DecodeCanonicalJsonLine(line);
    if (!event.ok()) {
      sink.Reject(fmt::format("line {}", line_number), event.status());
      return;
    }
    // Added as is: the line's own source and event_key are the event's identity.
    out->batch.usage.push_back(std::move(event).value());
  });
  return Status::Ok();
}

}  // namespace goodhart::receivers::file
