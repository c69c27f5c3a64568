#include "goodhart/receivers/otlp_http/internal/codex.h"

namespace goodhart::receivers::otlp::internal {
namespace {

// Codex's counts in OpenAI accounting: input includes cached, output includes reasoning.
Status ReadCodexTokens(const AttrSet& attrs, model::TokenCounts* tokens, bool* any) {
  int64_t input = 0, cached = 0, output = 0, reasoning = 0;
  bool has[4] = {false, false, false, false};
  GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kInputTokenCount, &input, &has[0]));
  GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kCachedTokenCount, &cached, &has[1]));
  GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kOutputTokenCount, &output, &has[2]));
  GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kReasoningTokenCount, &reasoning, &has[3]));
  *any = has[0] || has[1] || has[2] || has[3];
  if (!*any)
    return Status::Ok();
  GOODHART_ASSIGN_OR_RETURN(
      *tokens, model::TokenCounts::FromInclusiveInput(input, cached, 0, output, reasoning));
  return Status::Ok();
}

}  // namespace

Result<Mapped> MapCodexEvent(const LogRecordView& record, std::string_view name,
                             const DecodeOptions& options, model::UsageEvent* event) {
  const AttrSet& attrs = record.attrs;
  GOODHART_ASSIGN_OR_RETURN(event->time_unix_ms, LogRecordTimeMillis(record));
  event->source = "otlp_logs";
  event->event_name = name;
  FillIdentity(attrs, event);
  FillTool(attrs, "codex", event);
  event->provider = "openai";
  event->session_id = attrs.String(AttrId::kConversationId);
  event->model = attrs.String(AttrId::kModel);
  event->duration_ms = ReadLenientInt(attrs, AttrId::kDurationMs);
  event->request_count = 0;

  if (name == "sse_event" || name == "api_request") {
    bool any = false;
    GOODHART_RETURN_IF_ERROR(ReadCodexTokens(attrs, &event->tokens, &any));
    event->kind = any ? model::UsageKind::kModelCall : model::UsageKind::kOther;
    event->request_count = any ? 1 : 0;
  } else if (name == "user_prompt") {
    event->kind = model::UsageKind::kPrompt;
    GOODHART_RETURN_IF_ERROR(ReadCount(attrs, AttrId::kPromptLength, &event->prompt_length));
    SketchPrompt(attrs.String(AttrId::kPrompt), options, event);
  } else if (name == "tool_result") {
    event->kind = model::UsageKind::kToolCall;
    SetToolStep({.tool = attrs.String(AttrId::kToolName),
                 .arguments = ValueText(attrs, AttrId::kArguments),
                 .result = ValueText(attrs, AttrId::kOutput),
                 .outcome = ValueText(attrs, AttrId::kSuccess)},
                event);
  } else if (name == "conversation_starts") {
    event->kind = model::UsageKind::kSession;
  } else {
    event->kind = model::UsageKind::kOther;
  }
  event->event_key = RawHashKey(*record.resource, *record.scope, record.raw_json);
  event->raw_id = event->event_key.substr(5);
  return Mapped::kEvent;
}

}  // namespace goodhart::receivers::otlp::internal
