// OpenAI Codex CLI telemetry (formats.md §3, end) to UsageEvents. Codex sends only log events,
// named in the event.name attribute ("codex.sse_event"); token counts arrive on the
// response.completed sse_event, often as decimal strings, in OpenAI accounting (input includes
// cached tokens).
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/internal/mapping.h"
#include "goodhart/receivers/otlp_http/internal/views.h"

namespace goodhart::receivers::otlp::internal {

inline constexpr std::string_view kCodexPrefix = "codex.";

// Maps a Codex event; `name` is the short name ("sse_event"):
//   sse_event / api_request with token counts -> kModelCall (otherwise kOther)
//   user_prompt -> kPrompt (sketched), tool_result -> kToolCall,
//   conversation_starts -> kSession, others -> kOther.
// session = conversation.id, provider "openai", tool "codex"; keyed by a hash of the raw JSON
// (Codex events carry no sequence or request id).
Result<Mapped> MapCodexEvent(const LogRecordView& record, std::string_view name,
                             const DecodeOptions& options, model::UsageEvent* event);

}  // namespace goodhart::receivers::otlp::internal
