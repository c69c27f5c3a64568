// OpenTelemetry GenAI semantic conventions (formats.md §2, v1.41 plus legacy names) to
// UsageEvents: GenAI spans, gen_ai.client.inference.operation.details events, and the older
// per-message gen_ai.user.message events and span events.
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/token_counts.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/internal/mapping.h"
#include "goodhart/receivers/otlp_http/internal/views.h"

namespace goodhart::receivers::otlp::internal {

// True if the attributes mark a GenAI operation: gen_ai.operation.name, gen_ai.provider.name,
// gen_ai.system, or any usage count (current or legacy names).
bool IsGenAi(const AttrSet& attrs);

// The usage counts of a GenAI operation. Input comes from gen_ai.usage.input_tokens, else
// gen_ai.usage.prompt_tokens, else llm.token_count.prompt; output likewise with output_tokens /
// completion_tokens / llm.token_count.completion. Input includes cached tokens (semconv); when
// the cached counts exceed it, the sender used Anthropic's disjoint accounting and it is read so.
// `any` tells whether any count was present. Negative or malformed counts are errors.
Status ReadGenAiTokens(const AttrSet& attrs, model::TokenCounts* tokens, bool* any);

// kModelCall for chat, text_completion, generate_content and embeddings (or no operation name
// but usage counts), kToolCall for execute_tool, kOther otherwise (invoke_agent spans carry their
// children's usage, so their counts are not read).
model::UsageKind KindForOperation(std::string_view operation, bool has_tokens);

// A GenAI span; keyed "span:<traceId>:<spanId>" (lowercase hex).
Result<Mapped> MapGenAiSpan(const SpanView& span, const DecodeOptions& options,
                            model::UsageEvent* event);

// A prompt carried by one of a GenAI span's events (gen_ai.user.message content,
// gen_ai.content.prompt). kPrompt, sketched; keyed by a hash of the span ids and the event.
Result<Mapped> MapGenAiSpanPrompt(const SpanView& span, const SpanPromptEvent& prompt,
                                  const DecodeOptions& options, model::UsageEvent* event);

// A gen_ai.* log event; `name` is the full event name. operation.details maps like a span
// (keyed by its trace and span ids when present); gen_ai.user.message is a sketched kPrompt; the
// other per-message events (system, assistant, tool, choice) are ignored; the rest are kOther.
Result<Mapped> MapGenAiEvent(const LogRecordView& record, std::string_view name,
                             const DecodeOptions& options, model::UsageEvent* event);

}  // namespace goodhart::receivers::otlp::internal
