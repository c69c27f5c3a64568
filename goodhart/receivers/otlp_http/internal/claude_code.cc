#include "goodhart/receivers/otlp_http/internal/claude_code.h"

#include "goodhart/receivers/otlp_http/internal/genai.h"

namespace goodhart::receivers::otlp::internal {
namespace {

constexpr std::string_view kClaudeCodeTool = "claude-code";

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Claude Code's own token attributes, in Anthropic's disjoint accounting.
Status ReadClaudeTokens(const AttrSet& attrs, model::TokenCounts* tokens, bool* any) {
  int64_t input = 0, cache_read = 0, cache_creation = 0, output = 0;
  bool has[4] = {false, false, false, false};
  GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kInputTokens, &input, &has[0]));
  GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kCacheReadTokens, &cache_read, &has[1]));
  GOODHART_RETURN_IF_ERROR(
      ReadCount(attrs, AttrId::kCacheCreationTokens, &cache_creation, &has[2]));
  GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kOutputTokens, &output, &has[3]));
  *tokens = model::TokenCounts::FromAnthropic(input, cache_read, cache_creation, output);
  *any = has[0] || has[1] || has[2] || has[3];
  return Status::Ok();
}

// The fields every Claude Code event and span shares.
void FillCommon(const AttrSet& attrs, model::UsageEvent* event) {
  FillIdentity(attrs, event);
  FillTool(attrs, {}, event);
  if (event->tool.empty())
    event->tool = kClaudeCodeTool;
  event->provider = "anthropic";
  event->session_id = attrs.String(AttrId::kSessionId);
  event->prompt_id = attrs.String(AttrId::kPromptId);
  event->query_source = attrs.String(AttrId::kQuerySource);
  event->agent = attrs.String(AttrId::kAgentName);
  event->duration_ms = ReadLenientInt(attrs, AttrId::kDurationMs);
}

// "seq:<session>:<sequence>" when both exist, else a hash of the raw JSON.
void SetSequenceOrHashKey(const LogRecordView& record, model::UsageEvent* event) {
  std::string sequence = IntText(record.attrs, AttrId::kEventSequence);
  if (!event->session_id.empty() && !sequence.empty()) {
    event->raw_id = event->session_id + ":" + sequence;
    event->event_key = "seq:" + event->raw_id;
    return;
  }
  event->event_key = RawHashKey(*record.resource, *record.scope, record.raw_json);
  event->raw_id = event->event_key.substr(5);
}

}  // namespace

Result<Mapped> MapClaudeCodeEvent(const LogRecordView& record, std::string_view name,
                                  const DecodeOptions& options, model::UsageEvent* event) {
  const AttrSet& attrs = record.attrs;
  GOODHART_ASSIGN_OR_RETURN(event->time_unix_ms, LogRecordTimeMillis(record));
  event->source = "otlp_logs";
  event->event_name = name;
  FillCommon(attrs, event);
  event->model = attrs.String(AttrId::kModel);
  event->request_count = 0;

  if (name == "api_request") {
    event->kind = model::UsageKind::kModelCall;
    event->request_count = 1;
    bool any = false;
    GOODHART_RETURN_IF_ERROR(ReadClaudeTokens(attrs, &event->tokens, &any));
    GOODHART_RETURN_IF_ERROR(ReadReportedCost(attrs, &event->reported_cost_micros));
    std::string_view request_id = attrs.String(AttrId::kRequestId);
    if (!request_id.empty()) {
      event->request_id = request_id;
      event->raw_id = request_id;
      event->event_key = "req:" + event->request_id;
      return Mapped::kEvent;
    }
  } else if (name == "user_prompt") {
    event->kind = model::UsageKind::kPrompt;
    GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kPromptLength, &event->prompt_length));
    SketchPrompt(attrs.String(AttrId::kPrompt), options, event);
  } else if (name == "tool_result") {
    event->kind = model::UsageKind::kToolCall;
    std::string_view parameters = attrs.String(AttrId::kToolParameters);
    event->git_commit_id = FindGitCommitId(parameters);
    // tool_parameters only with OTEL_LOG_TOOL_DETAILS=1; the sizes always.
    std::string input_size = IntText(attrs, AttrId::kToolInputSizeBytes);
    std::string result_size = IntText(attrs, AttrId::kToolResultSizeBytes);
    SetToolStep({.tool = attrs.String(AttrId::kToolName),
                 .arguments = !IsRedacted(parameters) ? std::string(parameters)
                              : input_size.empty()    ? std::string()
                                                      : "input_bytes:" + input_size,
                 .result = result_size.empty() ? std::string() : "result_bytes:" + result_size,
                 .outcome = ValueText(attrs, AttrId::kSuccess) + "/" +
                            ValueText(attrs, AttrId::kErrorType)},
                event);
  } else {
    event->kind = model::UsageKind::kOther;
  }
  SetSequenceOrHashKey(record, event);
  return Mapped::kEvent;
}

Result<Mapped> MapClaudeCodeSpan(const SpanView& span, const DecodeOptions& /*options*/,
                                 model::UsageEvent* event) {
  const AttrSet& attrs = span.attrs;
  if (span.start_unix_nano <= 0)
    return Status::InvalidArgument("startTimeUnixNano is missing");
  event->time_unix_ms = NanosToMillis(span.start_unix_nano);
  event->source = "otlp_traces";
  std::string_view name = span.name.substr(kClaudeCodePrefix.size());
  event->event_name = name;
  FillCommon(attrs, event);
  if (event->duration_ms == 0 && span.end_unix_nano > span.start_unix_nano)
    event->duration_ms = NanosToMillis(span.end_unix_nano - span.start_unix_nano);
  std::string_view model = attrs.String(AttrId::kGenAiResponseModel);
  if (model.empty())
    model = attrs.String(AttrId::kGenAiRequestModel);
  if (model.empty())
    model = attrs.String(AttrId::kModel);
  event->model = model;

  std::string_view request_id = attrs.String(AttrId::kRequestId);
  if (name == "llm_request" && !request_id.empty()) {
    event->kind = model::UsageKind::kModelCall;
    bool any = false;
    GOODHART_RETURN_IF_ERROR(ReadClaudeTokens(attrs, &event->tokens, &any));
    if (!any)
      GOODHART_RETURN_IF_ERROR(ReadGenAiTokens(attrs, &event->tokens, &any));
    GOODHART_RETURN_IF_ERROR(ReadReportedCost(attrs, &event->reported_cost_micros));
    event->request_id = request_id;
    event->raw_id = request_id;
    event->event_key = "req:" + event->request_id;
    return Mapped::kEvent;
  }
  event->kind = model::UsageKind::kOther;
  event->request_count = 0;
  event->event_key = SpanKey(span.trace_id, span.span_id);
  if (event->event_key.empty())
    event->event_key = RawHashKey(*span.resource, *span.scope, span.raw_json);
  event->raw_id = event->event_key.substr(5);
  return Mapped::kEvent;
}

std::string_view FindGitCommitId(std::string_view tool_parameters) {
  constexpr std::string_view kKey = "\"git_commit_id\"";
  const size_t at = tool_parameters.find(kKey);
  if (at == std::string_view::npos)
    return {};
  size_t i = at + kKey.size();
  auto skip_space = [&] {
    while (i < tool_parameters.size() &&
           (tool_parameters[i] == ' ' || tool_parameters[i] == '\t' || tool_parameters[i] == '\n' ||
            tool_parameters[i] == '\r')) {
      ++i;
    }
  };
  skip_space();
  if (i >= tool_parameters.size() || tool_parameters[i] != ':')
    return {};
  ++i;
  skip_space();
  if (i >= tool_parameters.size() || tool_parameters[i] != '"')
    return {};
  const size_t begin = ++i;
  while (i < tool_parameters.size() && IsHex(tool_parameters[i]))
    ++i;
  const size_t length = i - begin;
  if (i >= tool_parameters.size() || tool_parameters[i] != '"' || length < 7 || length > 64)
    return {};
  return tool_parameters.substr(begin, length);
}

}  // namespace goodhart::receivers::otlp::internal
