// OTLP/HTTP JSON decoding: request bodies of POST /v1/logs, /v1/metrics and /v1/traces turned into
// goodhart's UsageEvents. Pure functions with no I/O; the HTTP server (api/otlp_routes) un-gzips
// the body, calls one of these and answers with the OTLP partial-success counts.
//
// What is mapped (formats.md §1-§3):
//   logs     Claude Code events (claude_code.*), Codex events (codex.*), GenAI events
//            (gen_ai.client.inference.operation.details, the older gen_ai.user.message)
//   metrics  claude_code.token.usage, claude_code.cost.usage, gen_ai.client.token.usage: one
//            UsageEvent (signal kMetric) per data point, with its series key and temporality
//   traces   GenAI spans (gen_ai.*, including the legacy usage names) and Claude Code's own spans
// Other records (plain application logs and spans, other metrics) are accepted and counted in
// DecodeResult::ignored. Prompt text is never copied: with a sketcher it becomes a PromptSketch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"

namespace goodhart::processors {
class PromptSketcher;
}

namespace goodhart::receivers::otlp {

// Readable bytes the JSON parser may read past the end of a body passed with body_is_padded.
inline constexpr size_t kBodyPaddingBytes = 64;

struct DecodeOptions {
  // Turns prompt text into a keyed sketch. Null: prompts are kept without a sketch.
  const processors::PromptSketcher* sketcher = nullptr;
  // The caller guarantees that kBodyPaddingBytes zero bytes follow the body in memory, so it is
  // parsed in place instead of first copied into a padded buffer (the HTTP route reads bodies
  // that way). The body is only read.
  bool body_is_padded = false;
};

struct DecodeResult {
  model::EventBatch batch;
  int64_t rejected = 0;       // records dropped as invalid (OTLP partial success)
  std::string error_message;  // the first rejection's message, "" if none
  int64_t ignored = 0;        // valid records that carry no AI usage (not an error)
};

// Whole-body problems (not JSON, not an object, resourceLogs not an array, a record that is not an
// object) return InvalidArgument and nothing is kept. Per-record problems (negative token counts,
// no timestamp, a token count that is not an integer) reject that record only: it is counted in
// `rejected`, its message (with its path, e.g. "otlp_http: resourceLogs[0].scopeLogs[0].
// logRecords[3]: input_tokens is negative (-4)") kept if it is the first, and the rest is decoded.
//
// Thread-safe: each thread reuses its own parser and padded buffer. Unless body_is_padded, the
// body is copied once into that buffer; nothing in the result points into `body`.
Result<DecodeResult> DecodeLogs(std::string_view body, const DecodeOptions& options);
Result<DecodeResult> DecodeMetrics(std::string_view body, const DecodeOptions& options);
Result<DecodeResult> DecodeTraces(std::string_view body, const DecodeOptions& options);

}  // namespace goodhart::receivers::otlp
