// Claude Code telemetry (formats.md §3) to UsageEvents: its log events (claude_code.api_request,
// user_prompt, tool_result, ...) and its own spans (claude_code.llm_request, ...).
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/internal/mapping.h"
#include "goodhart/receivers/otlp_http/internal/views.h"

namespace goodhart::receivers::otlp::internal {

inline constexpr std::string_view kClaudeCodePrefix = "claude_code.";

// Maps a Claude Code event; `name` is the short name ("api_request"):
//   api_request -> kModelCall, Anthropic token buckets, reported cost, event_key "req:<id>"
//   user_prompt -> kPrompt with prompt_length and (given a sketcher and real text) a sketch
//   tool_result -> kToolCall, with git_commit_id from tool_parameters when a commit succeeded
//   others      -> kOther
// Other events are keyed "seq:<session.id>:<event.sequence>", else by a hash of the raw JSON.
Result<Mapped> MapClaudeCodeEvent(const LogRecordView& record, std::string_view name,
                                  const DecodeOptions& options, model::UsageEvent* event);

// Maps a claude_code.* span. The same request also arrives as an api_request event, so an
// llm_request span with a request_id is keyed "req:<id>" (the store keeps one of the two);
// without one it is kept as kOther with no tokens, like every other claude_code.* span.
Result<Mapped> MapClaudeCodeSpan(const SpanView& span, const DecodeOptions& options,
                                 model::UsageEvent* event);

// The commit id in a tool_result's tool_parameters JSON ("git_commit_id":"<hex>"), or "" if
// there is none or it is not 7-64 hex digits.
std::string_view FindGitCommitId(std::string_view tool_parameters);

}  // namespace goodhart::receivers::otlp::internal
