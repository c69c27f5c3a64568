// Builders of realistic OTLP/HTTP JSON bodies, shaped like the Claude Code 2.1.294 capture in
// shared/corpora/claude-code-otlp-capture, for integration tests and benchmarks.
#pragma once

#include <cstdint>
#include <string>

namespace goodhart::testing {

struct ClaudeCodeBodyOptions {
  int64_t first_request = 0;  // request ids are req_<n> for n in [first, first + count)
  int64_t count = 1;
  int64_t start_unix_ms = 1791447318137;
  int users = 200;  // actors cycle through user<k>@example.com
  int models = 10;
};

// /v1/logs body with `count` api_request records (distinct request ids), as Claude Code sends them.
std::string ClaudeCodeApiRequestLogs(const ClaudeCodeBodyOptions& options);

// The same events as JSONEachRow lines (one flat object per event) for ClickHouse's own insert.
std::string ClaudeCodeApiRequestJsonEachRow(const ClaudeCodeBodyOptions& options);

// /v1/logs body with one user_prompt record carrying `prompt_text` in its `prompt` attribute.
std::string ClaudeCodeUserPromptLogs(const std::string& session_id, int64_t sequence,
                                     const std::string& prompt_text, int64_t time_unix_ms);

}  // namespace goodhart::testing
