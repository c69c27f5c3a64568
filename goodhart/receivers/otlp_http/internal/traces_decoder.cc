// resourceSpans[].scopeSpans[].spans[] -> UsageEvents: Claude Code's own spans and GenAI spans
// (plus prompts found in GenAI span events); every other span is counted as ignored.
#include "goodhart/receivers/otlp_http/internal/claude_code.h"
#include "goodhart/receivers/otlp_http/internal/decoders.h"
#include "goodhart/receivers/otlp_http/internal/genai.h"

namespace goodhart::receivers::otlp::internal {
namespace {

class TracesDecoder {
 public:
  explicit TracesDecoder(DecodeState& state) : state_(state) {}

  Status DecodeSpan(sj::value value, const RecordPath& path) {
    const char* start = value.raw_json_token().data();
    sj::object object;
    if (error_code error = value.get_object().get(object)) {
      if (!IsTypeError(error))
        return state_.BodyError(path.Format(), error);
      state_.Reject(path, "is not an object");
      return Status::Ok();
    }
    SpanView& span = span_;
    span.resource = &state_.resource;
    span.scope = &state_.scope;
    span.trace_id = span.span_id = span.name = {};
    span.start_unix_nano = span.end_unix_nano = 0;
    span.attrs.Clear();
    span.attrs.set_parent(&state_.resource.attrs);
    span.prompt_events.clear();
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
            ok = check(ReadAttributes(f.value(), &span.attrs, nullptr), "attributes is malformed");
          break;
        case 't':
          if (KeyIs(key, "traceId"))
            ok = check(ReadString(f.value(), &span.trace_id), "traceId is not a string");
          break;
        case 's':
          if (KeyIs(key, "spanId")) {
            ok = check(ReadString(f.value(), &span.span_id), "spanId is not a string");
          } else if (KeyIs(key, "startTimeUnixNano")) {
            ok = check(ReadInt64(f.value(), &span.start_unix_nano),
                       "startTimeUnixNano is not an int64");
          }
          break;
        case 'e':
          if (KeyIs(key, "endTimeUnixNano")) {
            ok =
                check(ReadInt64(f.value(), &span.end_unix_nano), "endTimeUnixNano is not an int64");
          } else if (KeyIs(key, "events")) {
            ok = check(ReadEvents(f.value()), "events is malformed");
          }
          break;
        case 'n':
          if (KeyIs(key, "name"))
            ok = check(ReadString(f.value(), &span.name), "name is not a string");
          break;
        default:
          break;
      }
      if (!ok)
        return state_.BodyError(path.Format(), "is not valid JSON");
    }
    span.raw_json = state_.RawSince(start);
    if (!problem.empty()) {
      state_.Reject(path, problem);
      return Status::Ok();
    }
    const DecodeOptions& options = state_.options();
    if (span.name.starts_with(kClaudeCodePrefix)) {
      state_.Emit(path, [&](model::UsageEvent* e) { return MapClaudeCodeSpan(span, options, e); });
      return Status::Ok();
    }
    if (!IsGenAi(span.attrs)) {
      ++state_.result().ignored;
      return Status::Ok();
    }
    if (state_.Emit(path, [&](model::UsageEvent* e) { return MapGenAiSpan(span, options, e); })) {
      for (const SpanPromptEvent& prompt : span.prompt_events) {
        state_.Emit(path, [&](model::UsageEvent* e) {
          return MapGenAiSpanPrompt(span, prompt, options, e);
        });
      }
    }
    return Status::Ok();
  }

 private:
  // Span events: keeps those that carry a prompt (gen_ai.user.message with `content`, the older
  // gen_ai.content.prompt with `gen_ai.prompt`).
  error_code ReadEvents(sj::value value) {
    sj::array events;
    if (error_code error = value.get_array().get(events)) {
      bool is_null = false;
      if (IsTypeError(error) && value.is_null().get(is_null) == simdjson::SUCCESS && is_null)
        return simdjson::SUCCESS;
      return error;
    }
    for (auto element : events) {
      sj::value event_value;
      if (error_code error = Unwrap(element, &event_value))
        return error;
      const char* start = event_value.raw_json_token().data();
      sj::object event;
      if (error_code error = event_value.get_object().get(event))
        return error;
      std::string_view name;
      int64_t time = 0;
      event_attrs_.Clear();
      for (auto field : event) {
        sj::field f;
        if (error_code error = Unwrap(field, &f))
          return error;
        const sj::raw_json_string key = f.key();
        error_code error = simdjson::SUCCESS;
        if (KeyIs(key, "name")) {
          error = ReadString(f.value(), &name);
        } else if (KeyIs(key, "timeUnixNano")) {
          error = ReadInt64(f.value(), &time);
        } else if (KeyIs(key, "attributes")) {
          error = ReadAttributes(f.value(), &event_attrs_, nullptr);
        }
        if (error)
          return error;
      }
      std::string_view text;
      if (name == "gen_ai.user.message") {
        text = event_attrs_.String(AttrId::kContent);
      } else if (name == "gen_ai.content.prompt") {
        text = event_attrs_.String(AttrId::kGenAiPrompt);
      }
      if (!text.empty())
        span_.prompt_events.push_back({time, text, state_.RawSince(start)});
    }
    return simdjson::SUCCESS;
  }

  DecodeState& state_;
  SpanView span_;
  AttrSet event_attrs_;
};

}  // namespace

Status DecodeTracesDocument(DecodeState& state, sj::document& doc) {
  TracesDecoder decoder(state);
  return WalkEnvelope(state, doc, kTraceNames, [&](sj::value value, const RecordPath& path) {
    return decoder.DecodeSpan(value, path);
  });
}

}  // namespace goodhart::receivers::otlp::internal
