// Helpers every mapper shares: reading counts and costs strictly, identity, timestamps, prompt
// sketching and event keys. Errors carry only the "what" ("input_tokens is negative (-4)"); the
// decoder adds "otlp_http: <path>: ".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/usage_event.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/internal/any_value.h"
#include "goodhart/receivers/otlp_http/internal/views.h"

namespace goodhart::receivers::otlp::internal {

// What a mapper did with one record.
enum class Mapped { kEvent, kIgnored };

// True for text a sender put in place of withheld content: "", "REDACTED", "<REDACTED>",
// "[REDACTED]" (Claude Code, the capture's scrubbed identities, Codex).
bool IsRedacted(std::string_view text);

// Reads a count attribute (tokens, lengths). Absent: leaves *out as is and returns false. Present:
// must be a non-negative int64 (number, decimal string, or integral double), else an error names
// the key. `present` (optional) tells whether the key was there.
Status ReadCount(const AttrSet& attrs, AttrId id, int64_t* out, bool* present = nullptr);

// Like ReadCount but lenient, for informational fields (duration_ms): invalid or negative -> 0.
int64_t ReadLenientInt(const AttrSet& attrs, AttrId id);

// Reported cost in micro-USD: cost_usd_micros (int), else cost_usd (USD, double). Absent leaves
// *out empty; negative or malformed is an error.
Status ReadReportedCost(const AttrSet& attrs, std::optional<int64_t>* out);

// Nanoseconds since the epoch to milliseconds.
inline int64_t NanosToMillis(int64_t nanos) { return nanos / 1'000'000; }

// A log record's time: timeUnixNano, else observedTimeUnixNano, else the event.timestamp
// attribute (ISO 8601). Missing everywhere or malformed is an error.
Result<int64_t> LogRecordTimeMillis(const LogRecordView& record);

// actor/actor_kind from user.email, user.account_uuid, user.account_id, user.id, enduser.id (the
// first that is present and not a redaction placeholder), and organization from organization.id.
void FillIdentity(const AttrSet& attrs, model::UsageEvent* event);

// tool = service.name, tool_version = service.version (else app.version), unless `tool` is given.
void FillTool(const AttrSet& attrs, std::string_view tool, model::UsageEvent* event);

// If `text` is real prompt text (not a redaction placeholder) and options has a sketcher, sets
// event->prompt_sketch from it; sets prompt_length to its length in characters when the sender
// gave none. The text itself is never stored.
void SketchPrompt(std::string_view text, const DecodeOptions& options, model::UsageEvent* event);

// Unicode code points in UTF-8 text (what Claude Code and Codex report as prompt_length).
int64_t CountCodePoints(std::string_view utf8);

// "hash:" + 32 hex of XXH3-128 over the length-prefixed parts.
std::string HashKey(std::string_view a, std::string_view b, std::string_view c,
                    std::string_view d = {});

// "span:<traceId>:<spanId>" in lowercase hex; "" when either id is missing.
std::string SpanKey(std::string_view trace_id, std::string_view span_id);

// The fallback key of a log record or span: HashKey over resource, scope and record raw JSON.
std::string RawHashKey(const ResourceView& resource, const ScopeView& scope,
                       std::string_view raw_json);

// Lowercase copy of a hex trace or span id ("5B8E..." -> "5b8e...").
std::string LowerHex(std::string_view hex);

// The decimal text of an int-like attribute (event.sequence as 15 or "15"); "" if absent.
std::string IntText(const AttrSet& attrs, AttrId id);

// Any attribute value as text: strings as sent, numbers in decimal, booleans as "true"/"false",
// arrays and kvlists as their raw JSON. "" when absent.
std::string ValueText(const AttrSet& attrs, AttrId id);

// The parts of one agent tool step that tell a repeated step from a new one (D5's loop signal).
// `arguments` and `result` are the content when the sender gives it (a Bash command's parameters,
// a tool's output), else what it gives instead (input and result sizes); `outcome` is the success
// flag and error type.
struct ToolStep {
  std::string_view tool;
  std::string arguments;
  std::string result;
  std::string outcome;
};

// Sets tool_name and tool_step_fingerprint (XXH3 over the four parts; never 0) on a kToolCall
// event. Leaves the fingerprint 0 when neither arguments nor result are known: a bare tool name
// and success flag would make every `Read` look like the last one.
void SetToolStep(const ToolStep& step, model::UsageEvent* event);

}  // namespace goodhart::receivers::otlp::internal
