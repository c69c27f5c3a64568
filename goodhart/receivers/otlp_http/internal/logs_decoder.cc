// resourceLogs[].scopeLogs[].logRecords[] -> UsageEvents. Each record is read in one pass (fields
// in any order), then handed to the mapper its event name selects.
#include "goodhart/receivers/otlp_http/internal/claude_code.h"
#include "goodhart/receivers/otlp_http/internal/codex.h"
#include "goodhart/receivers/otlp_http/internal/decoders.h"
#include "goodhart/receivers/otlp_http/internal/genai.h"

namespace goodhart::receivers::otlp::internal {
namespace {

constexpr std::string_view kClaudeCodeScope = "com.anthropic.claude_code";
constexpr std::string_view kGenAiPrefix = "gen_ai.";

// body.stringValue, or the string "content" entry of body.kvlistValue (old GenAI message events).
// A body of another shape is not an error: goodhart just does not read it.
error_code ReadBody(sj::value value, LogRecordView* record) {
  sj::object body;
  if (error_code error = value.get_object().get(body))
    return IsTypeError(error) ? simdjson::SUCCESS : error;
  for (auto field : body) {
    sj::field f;
    if (error_code error = Unwrap(field, &f))
      return error;
    const sj::raw_json_string key = f.key();
    if (KeyIs(key, "stringValue")) {
      error_code error = ReadString(f.value(), &record->body_string);
      if (error && !IsTypeError(error))
        return error;
    } else if (KeyIs(key, "kvlistValue")) {
      // {"values":[{"key":"content","value":{"stringValue":"..."}}, ...]}
      thread_local AttrSet entries;
      entries.Clear();
      sj::object kvlist;
      if (error_code error = f.value().get_object().get(kvlist))
        return IsTypeError(error) ? simdjson::SUCCESS : error;
      for (auto entry : kvlist) {
        sj::field e;
        if (error_code error = Unwrap(entry, &e))
          return error;
        if (KeyIs(e.key(), "values")) {
          error_code error = ReadAttributes(e.value(), &entries, nullptr);
          if (error && !IsTypeError(error))
            return error;
        }
      }
      record->body_content = entries.String(AttrId::kContent);
    }
  }
  return simdjson::SUCCESS;
}

Result<Mapped> MapLogRecord(const LogRecordView& record, const DecodeOptions& options,
                            model::UsageEvent* event) {
  // Claude Code puts "claude_code.<name>" in the body; Codex and OTel events use eventName or
  // the event.name attribute.
  std::string_view name = record.body_string;
  if (name.starts_with(kClaudeCodePrefix))
    return MapClaudeCodeEvent(record, name.substr(kClaudeCodePrefix.size()), options, event);
  if (name.starts_with(kCodexPrefix))
    return MapCodexEvent(record, name.substr(kCodexPrefix.size()), options, event);
  name = record.event_name;
  if (name.empty())
    name = record.attrs.String(AttrId::kEventName);
  if (name.starts_with(kClaudeCodePrefix))
    return MapClaudeCodeEvent(record, name.substr(kClaudeCodePrefix.size()), options, event);
  if (name.starts_with(kCodexPrefix))
    return MapCodexEvent(record, name.substr(kCodexPrefix.size()), options, event);
  if (name.starts_with(kGenAiPrefix))
    return MapGenAiEvent(record, name, options, event);
  if (!name.empty() && record.scope->name.starts_with(kClaudeCodeScope))
    return MapClaudeCodeEvent(record, name, options, event);
  return Mapped::kIgnored;
}

class LogsDecoder {
 public:
  explicit LogsDecoder(DecodeState& state) : state_(state) {}

  Status DecodeRecord(sj::value value, const RecordPath& path) {
    const char* start = value.raw_json_token().data();
    sj::object object;
    if (error_code error = value.get_object().get(object)) {
      if (!IsTypeError(error))
        return state_.BodyError(path.Format(), error);
      state_.Reject(path, "is not an object");
      return Status::Ok();
    }
    LogRecordView& record = record_;
    record.resource = &state_.resource;
    record.scope = &state_.scope;
    record.time_unix_nano = 0;
    record.observed_unix_nano = 0;
    record.event_name = record.body_string = record.body_content = {};
    record.trace_id = record.span_id = {};
    record.attrs.Clear();
    record.attrs.set_parent(&state_.resource.attrs);
    std::string_view problem;
    auto check = [&](error_code error, std::string_view what) {
      if (!error)
        return true;
      if (!IsTypeError(error))
        return false;
      if (problem.empty())
        problem = what;
      return true;
    };
    for (auto field : object) {
      sj::field f;
      if (error_code error = Unwrap(field, &f))
        return state_.BodyError(path.Format(), error);
      const sj::raw_json_string key = f.key();
      bool ok = true;
      switch (KeyFirst(key)) {
        case 'a':
          if (KeyIs(key, "attributes"))
            ok =
                check(ReadAttributes(f.value(), &record.attrs, nullptr), "attributes is malformed");
          break;
        case 't':
          if (KeyIs(key, "timeUnixNano")) {
            ok =
                check(ReadInt64(f.value(), &record.time_unix_nano), "timeUnixNano is not an int64");
          } else if (KeyIs(key, "traceId")) {
            ok = check(ReadString(f.value(), &record.trace_id), "traceId is not a string");
          }
          break;
        case 'o':
          if (KeyIs(key, "observedTimeUnixNano")) {
            ok = check(ReadInt64(f.value(), &record.observed_unix_nano),
                       "observedTimeUnixNano is not an int64");
          }
          break;
        case 'b':
          if (KeyIs(key, "body"))
            ok = check(ReadBody(f.value(), &record), "body is malformed");
          break;
        case 'e':
          if (KeyIs(key, "eventName"))
            ok = check(ReadString(f.value(), &record.event_name), "eventName is not a string");
          break;
        case 's':
          if (KeyIs(key, "spanId"))
            ok = check(ReadString(f.value(), &record.span_id), "spanId is not a string");
          break;
        default:
          break;
      }
      if (!ok)
        return state_.BodyError(path.Format(), "is not valid JSON");
    }
    record.raw_json = state_.RawSince(start);
    if (!problem.empty()) {
      state_.Reject(path, problem);
      return Status::Ok();
    }
    state_.Emit(path, [&](model::UsageEvent* event) {
      return MapLogRecord(record, state_.options(), event);
    });
    return Status::Ok();
  }

 private:
  DecodeState& state_;
  LogRecordView record_;
};

}  // namespace

Status DecodeLogsDocument(DecodeState& state, sj::document& doc) {
  LogsDecoder decoder(state);
  return WalkEnvelope(state, doc, kLogNames, [&](sj::value value, const RecordPath& path) {
    return decoder.DecodeRecord(value, path);
  });
}

}  // namespace goodhart::receivers::otlp::internal
