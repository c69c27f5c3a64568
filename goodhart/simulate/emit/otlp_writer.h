// Writes a world's Claude Code telemetry (wire_records.h) as OTLP/HTTP JSON request bodies, as
// Claude Code's exporter sends them with OTEL_EXPORTER_OTLP_PROTOCOL=http/json and
// OTEL_LOG_USER_PROMPTS=1: `otlp/logs/<day>-<engineer>.json` for POST /v1/logs holds one
// engineer's events of one day (`claude_code.user_prompt` with the prompt text,
// `claude_code.api_request` with tokens and cost; resource service.name claude-code, scope
// com.anthropic.claude_code.events, intValue as bare numbers, event.sequence per session), and
// `otlp/metrics/<day>-<engineer>.json` for POST /v1/metrics the day's delta counters
// `claude_code.token.usage` (by type) and `claude_code.cost.usage`, one point per session and
// model. The metric points repeat what the api_request events say; goodhart counts a session's
// increments only where no event covers that session's day, so they add nothing here.
#pragma once

#include <string>

#include "goodhart/base/status.h"
#include "goodhart/simulate/emit/wire_records.h"

namespace goodhart::simulate::emit {

struct OtlpWriteStats {
  int64_t log_bodies = 0, log_records = 0;
  int64_t metric_bodies = 0, metric_points = 0;
  int64_t bytes = 0;
};

// Writes into <dir>/logs and <dir>/metrics (created).
Result<OtlpWriteStats> WriteOtlpBodies(const WireRecords& records, const std::string& dir);

}  // namespace goodhart::simulate::emit
