// UsageEvent: one unit of AI-tool usage in goodhart's canonical form, whatever source it came from
// (OTLP logs, metrics and spans; provider usage and cost reports; Copilot reports; canonical
// JSONL).
//
// Most events are one model call (kind kModelCall). Reports that only give per-bucket totals arrive
// as kUsageAggregate with `request_count` calls in [time_unix_ms, end_unix_ms). Human prompts
// (kPrompt) carry a keyed sketch instead of their text. Metric data points (signal kMetric) carry
// one counter increment each; see `Signal` for how they are counted once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/prompt_sketch.h"
#include "goodhart/model/token_counts.h"

namespace goodhart::model {

enum class UsageKind : uint8_t {
  kModelCall = 0,       // one request to a model (Claude Code api_request, a GenAI chat span, ...)
  kPrompt = 1,          // a human-initiated prompt (Claude Code user_prompt, codex.user_prompt)
  kToolCall = 2,        // an agent tool invocation (tool_result, execute_tool span)
  kUsageAggregate = 3,  // a report bucket: totals over many calls
  kSession = 4,         // a session or other activity marker with no tokens
  kOther = 5,           // any other recognised event kept for completeness (errors, decisions)
};
std::string_view UsageKindName(UsageKind kind);
Result<UsageKind> ParseUsageKind(std::string_view name);

// The same request can reach goodhart twice: as an event (log record or span) and as counter
// increments (claude_code.token.usage, gen_ai.client.token.usage). Events are the source of truth;
// metric increments count only for a (session, day) with no events, else for (actor, day, model)
// when the source gives no session (the store applies this rule in its rollup reads).
enum class Signal : uint8_t { kEvent = 0, kMetric = 1 };

enum class Temporality : uint8_t { kNone = 0, kDelta = 1, kCumulative = 2 };

struct UsageEvent {
  // Idempotency key, unique per real-world event: "req:<request_id>", "seq:<session>:<sequence>",
  // or "hash:<xxh3-128 of the record's canonical content>" as a last resort (formats.md §1).
  std::string event_key;

  // Where it came from: receiver/format ("otlp_logs", "otlp_metrics", "otlp_traces",
  // "anthropic_usage_report", "anthropic_cost_report", "claude_code_report",
  // "anthropic_analytics", "openai_usage",
  // "openai_costs", "copilot_usage", "copilot_billing", "canonical"), and the source's own id
  // for the record (request id, row key) so it can be traced back.
  std::string source;
  std::string raw_id;

  UsageKind kind = UsageKind::kModelCall;
  Signal signal = Signal::kEvent;
  std::string event_name;  // source's event name without vendor prefix: "api_request", "chat"

  int64_t time_unix_ms = 0;  // start of the call, or of the bucket
  int64_t end_unix_ms = 0;   // end of an aggregate bucket (exclusive); 0 for point events

  // Who: the best identity the source gave (email, account id/uuid, API key name, login), resolved
  // to a person by the directory at read time, so a directory change never rewrites rollups.
  std::string actor;
  std::string
      actor_kind;  // "email", "account_id", "account_uuid", "user_id", "api_key", "login", ""
  std::string organization;
  std::string session_id;
  std::string prompt_id;

  std::string tool;  // the AI tool: "claude-code", "codex", "copilot", "api", service.name
  std::string tool_version;
  std::string agent;         // sub-agent / agent name when the call came from one
  std::string query_source;  // Claude Code main|subagent|auxiliary|sdk
  std::string provider;      // "anthropic", "openai", "github", ... (gen_ai.provider.name)
  std::string model;

  TokenCounts tokens;
  int64_t request_count = 1;  // calls this record stands for (1, or a report's count)

  // Costs in micro-USD. `reported` is what the source said (absent if it said nothing); `computed`
  // comes from the price table for the tokens above (0 when the model has no price).
  std::optional<int64_t> reported_cost_micros;
  int64_t computed_cost_micros = 0;

  int64_t duration_ms = 0;
  std::string request_id;
  int64_t prompt_length = 0;  // characters, as the sender reported or as measured before dropping
  std::optional<PromptSketch> prompt_sketch;

  // kMetric only: the series this point belongs to (hash of resource, scope, metric and point
  // attributes), its temporality and start time. The store turns cumulative values into deltas.
  std::string series_key;
  Temporality temporality = Temporality::kNone;
  int64_t series_start_unix_ms = 0;

  // Claude Code tool_result for a successful `git commit`: the commit it made (E2 evidence).
  std::string git_commit_id;

  // kToolCall: the agent tool invoked ("Bash", "shell", a GenAI tool name) and a fingerprint of
  // the step — XXH3 of the tool, its arguments and its result (or their sizes and outcome when
  // the sender withholds the content). Only the hash is kept, never the arguments themselves.
  // 0 when the sender gave nothing to tell two steps apart. Feeds D5's loop signal.
  std::string tool_name;
  uint64_t tool_step_fingerprint = 0;

  bool operator==(const UsageEvent&) const = default;

  // Checks invariants every store relies on: non-empty event_key and source, time set, tokens
  // valid, request_count >= 1 for calls, end >= start for aggregates. Messages name the field.
  Status Validate() const;
};

}  // namespace goodhart::model
