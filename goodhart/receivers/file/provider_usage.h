// Provider usage blocks normalised to goodhart's disjoint token buckets (formats.md §2): what the
// Anthropic Messages API and the OpenAI Chat Completions and Responses APIs report for one call,
// whole or streamed as server-sent events. Used wherever a raw provider response is at hand
// (recorded exchanges, proxies); checked against the recorded cassettes in the corpora.
//
//   Anthropic  input_tokens EXCLUDES cache_read_input_tokens and cache_creation_input_tokens:
//              the buckets are disjoint already. No reasoning split is reported.
//   OpenAI     prompt_tokens / input_tokens INCLUDE cached_tokens, and completion_tokens /
//              output_tokens include reasoning_tokens: cached tokens are subtracted from input.
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/token_counts.h"

namespace goodhart::receivers::file {

// Accepts the `usage` object itself or a whole Messages response ({"type":"message", "usage":
// {...}}). cache_creation_input_tokens, or else the sum of cache_creation.ephemeral_5m/1h, is
// the cache write. An error response ({"type":"error"}) or a body without usage is
// InvalidArgument.
Result<model::TokenCounts> NormalizeAnthropicUsage(std::string_view usage_json);

// Accepts the `usage` object or a whole response, of either API: Chat Completions
// (prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens,
// completion_tokens_details.reasoning_tokens) or Responses (input_tokens, output_tokens,
// input_tokens_details.cached_tokens, output_tokens_details.reasoning_tokens). An error response
// ({"error": {...}}) or a body without usage is InvalidArgument.
Result<model::TokenCounts> NormalizeOpenAiUsage(std::string_view usage_json);

// Folds a Messages SSE stream: message_start.message.usage gives the input buckets and a
// placeholder output count (often 1 or 2); each message_delta.usage carries cumulative counts
// that replace the fields it names, so the final output count wins. An `error` event is
// InvalidArgument; a stream without message_start is NotFound.
Result<model::TokenCounts> UsageFromAnthropicStream(std::string_view sse_text);

// Folds an OpenAI SSE stream: Chat Completions send usage in a last chunk (only with
// stream_options.include_usage), Responses in response.completed (or .incomplete/.failed);
// the last usage seen wins. An error event is InvalidArgument; no usage at all is NotFound.
Result<model::TokenCounts> UsageFromOpenAiStream(std::string_view sse_text);

}  // namespace goodhart::receivers::file
