#include "goodhart/receivers/otlp_http/internal/genai.h"

namespace goodhart::receivers::otlp::internal {
namespace {

// The first of `ids` that is present, read strictly as a count.
Status ReadFirstCount(const AttrSet& attrs, std::initializer_list<AttrId> ids, int64_t* out,
                      bool* present) {
  for (AttrId id : ids) {
    GOODHART_RETURN_IF_ERROR(ReadCount(attrs, id, out, present));
    if (*present)
      return Status::Ok();
  }
  return Status::Ok();
}

std::string_view Provider(const AttrSet& attrs) {
  std::string_view provider = attrs.String(AttrId::kGenAiProviderName);
  return provider.empty() ? attrs.String(AttrId::kGenAiSystem) : provider;
}

// Fields a span, an operation.details event and a prompt share.
void FillOperationContext(const AttrSet& attrs, model::UsageEvent* event) {
  FillIdentity(attrs, event);
  FillTool(attrs, {}, event);
  event->provider = Provider(attrs);
  std::string_view model = attrs.String(AttrId::kGenAiResponseModel);
  event->model = model.empty() ? attrs.String(AttrId::kGenAiRequestModel) : model;
  std::string_view session = attrs.String(AttrId::kGenAiConversationId);
  event->session_id = session.empty() ? attrs.String(AttrId::kSessionId) : session;
  event->agent = attrs.String(AttrId::kGenAiAgentName);
}

// Kind and usage of one GenAI operation.
Status FillOperation(const AttrSet& attrs, model::UsageEvent* event) {
  std::string_view operation = attrs.String(AttrId::kGenAiOperationName);
  bool has_tokens =
      attrs.Has(AttrId::kGenAiUsageInputTokens) || attrs.Has(AttrId::kGenAiUsageOutputTokens) ||
      attrs.Has(AttrId::kGenAiUsagePromptTokens) ||
      attrs.Has(AttrId::kGenAiUsageCompletionTokens) || attrs.Has(AttrId::kLlmTokenCountPrompt) ||
      attrs.Has(AttrId::kLlmTokenCountCompletion);
  event->kind = KindForOperation(operation, has_tokens);
  event->event_name = operation;
  FillOperationContext(attrs, event);
  event->request_id = attrs.String(AttrId::kGenAiResponseId);
  if (event->kind == model::UsageKind::kModelCall) {
    bool any = false;
    GOODHART_RETURN_IF_ERROR(ReadGenAiTokens(attrs, &event->tokens, &any));
    event->request_count = 1;
  } else {
    event->request_count = 0;
  }
  if (event->kind == model::UsageKind::kToolCall) {
    // Arguments and result are opt-in content in the conventions; without them, no fingerprint.
    SetToolStep({.tool = attrs.String(AttrId::kGenAiToolName),
                 .arguments = ValueText(attrs, AttrId::kGenAiToolCallArguments),
                 .result = ValueText(attrs, AttrId::kGenAiToolCallResult)},
                event);
  }
  return Status::Ok();
}

}  // namespace

bool IsGenAi(const AttrSet& attrs) {
  return attrs.Has(AttrId::kGenAiOperationName) || attrs.Has(AttrId::kGenAiProviderName) ||
         attrs.Has(AttrId::kGenAiSystem) || attrs.Has(AttrId::kGenAiUsageInputTokens) ||
         attrs.Has(AttrId::kGenAiUsageOutputTokens) || attrs.Has(AttrId::kGenAiUsagePromptTokens) ||
         attrs.Has(AttrId::kGenAiUsageCompletionTokens) ||
         attrs.Has(AttrId::kLlmTokenCountPrompt) || attrs.Has(AttrId::kLlmTokenCountCompletion);
}

Status ReadGenAiTokens(const AttrSet& attrs, model::TokenCounts* tokens, bool* any) {
  int64_t input = 0, output = 0, cache_read = 0, cache_creation = 0, reasoning = 0;
  bool has[5] = {false, false, false, false, false};
  GOODHART_RETURN_IF_ERROR(
      ReadFirstCount(attrs,
                     {AttrId::kGenAiUsageInputTokens, AttrId::kGenAiUsagePromptTokens,
                      AttrId::kLlmTokenCountPrompt},
                     &input, &has[0]));
  GOODHART_RETURN_IF_ERROR(
      ReadFirstCount(attrs,
                     {AttrId::kGenAiUsageOutputTokens, AttrId::kGenAiUsageCompletionTokens,
                      AttrId::kLlmTokenCountCompletion},
                     &output, &has[1]));
  GOODHART_RETURN_IF_ERROR(
      ReadCount(attrs, AttrId::kGenAiUsageCacheReadInputTokens, &cache_read, &has[2]));
  GOODHART_RETURN_IF_ERROR(
      ReadCount(attrs, AttrId::kGenAiUsageCacheCreationInputTokens, &cache_creation, &has[3]));
  GOODHART_RETURN_IF_ERROR(
      ReadCount(attrs, AttrId::kGenAiUsageReasoningOutputTokens, &reasoning, &has[4]));
  *any = has[0] || has[1] || has[2] || has[3] || has[4];
  if (cache_read + cache_creation > input) {
    // Anthropic instrumentations that copy the API's disjoint input_tokens.
    *tokens = model::TokenCounts::FromAnthropic(input, cache_read, cache_creation, output);
    tokens->reasoning = reasoning;
    return tokens->Validate();
  }
  GOODHART_ASSIGN_OR_RETURN(*tokens, model::TokenCounts::FromInclusiveInput(
                                         input, cache_read, cache_creation, output, reasoning));
  return Status::Ok();
}

model::UsageKind KindForOperation(std::string_view operation, bool has_tokens) {
  if (operation == "chat" || operation == "text_completion" || operation == "generate_content" ||
      operation == "embeddings") {
    return model::UsageKind::kModelCall;
  }
  if (operation == "execute_tool")
    return model::UsageKind::kToolCall;
  if (operation.empty() && has_tokens)
    return model::UsageKind::kModelCall;
  return model::UsageKind::kOther;
}

Result<Mapped> MapGenAiSpan(const SpanView& span, const DecodeOptions& /*options*/,
                            model::UsageEvent* event) {
  if (span.start_unix_nano <= 0)
    return Status::InvalidArgument("startTimeUnixNano is missing");
  event->time_unix_ms = NanosToMillis(span.start_unix_nano);
  if (span.end_unix_nano > span.start_unix_nano)
    event->duration_ms = NanosToMillis(span.end_unix_nano - span.start_unix_nano);
  event->source = "otlp_traces";
  GOODHART_RETURN_IF_ERROR(FillOperation(span.attrs, event));
  if (event->event_name.empty())
    event->event_name = span.name;
  event->event_key = SpanKey(span.trace_id, span.span_id);
  if (event->event_key.empty())
    event->event_key = RawHashKey(*span.resource, *span.scope, span.raw_json);
  event->raw_id = event->event_key.substr(5);
  return Mapped::kEvent;
}

Result<Mapped> MapGenAiSpanPrompt(const SpanView& span, const SpanPromptEvent& prompt,
                                  const DecodeOptions& options, model::UsageEvent* event) {
  const int64_t nanos = prompt.time_unix_nano > 0 ? prompt.time_unix_nano : span.start_unix_nano;
  if (nanos <= 0)
    return Status::InvalidArgument("prompt event time is missing");
  event->time_unix_ms = NanosToMillis(nanos);
  event->source = "otlp_traces";
  event->kind = model::UsageKind::kPrompt;
  event->event_name = "user.message";
  event->request_count = 0;
  FillOperationContext(span.attrs, event);
  SketchPrompt(prompt.text, options, event);
  event->event_key = HashKey(LowerHex(span.trace_id), LowerHex(span.span_id), prompt.raw_json);
  event->raw_id = event->event_key.substr(5);
  return Mapped::kEvent;
}

Result<Mapped> MapGenAiEvent(const LogRecordView& record, std::string_view name,
                             const DecodeOptions& options, model::UsageEvent* event) {
  const std::string_view short_name = name.substr(7);  // without "gen_ai."
  if (short_name == "system.message" || short_name == "assistant.message" ||
      short_name == "tool.message" || short_name == "choice") {
    return Mapped::kIgnored;
  }
  GOODHART_ASSIGN_OR_RETURN(event->time_unix_ms, LogRecordTimeMillis(record));
  event->source = "otlp_logs";
  const AttrSet& attrs = record.attrs;
  if (short_name == "user.message") {
    event->kind = model::UsageKind::kPrompt;
    event->event_name = short_name;
    event->request_count = 0;
    FillOperationContext(attrs, event);
    std::string_view text = record.body_content;
    if (text.empty())
      text = record.body_string;
    if (text.empty())
      text = attrs.String(AttrId::kContent);
    SketchPrompt(text, options, event);
  } else if (short_name == "client.inference.operation.details") {
    GOODHART_RETURN_IF_ERROR(FillOperation(attrs, event));
    if (event->event_name.empty())
      event->event_name = short_name;
    event->event_key = SpanKey(record.trace_id, record.span_id);
  } else {
    event->kind = model::UsageKind::kOther;
    event->event_name = short_name;
    event->request_count = 0;
    FillOperationContext(attrs, event);
  }
  if (event->event_key.empty())
    event->event_key = RawHashKey(*record.resource, *record.scope, record.raw_json);
  event->raw_id = event->event_key.substr(5);
  return Mapped::kEvent;
}

}  // namespace goodhart::receivers::otlp::internal
