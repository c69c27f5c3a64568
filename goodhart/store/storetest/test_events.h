// Builders for the usage events the conformance suites append, a reference rollup computed the
// obvious way, and readable renderings for comparing query results in failure messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/model/usage_event.h"
#include "goodhart/store/store.h"

namespace goodhart::store::storetest {

inline constexpr int64_t kDay = 20'400;  // 2025-11-08
inline constexpr int64_t kHourMs = 3'600'000;

// Unix milliseconds at `hour` (may exceed 24) plus `ms` on `day`.
inline int64_t At(int64_t day, int64_t hour, int64_t ms = 0) {
  return day * 86'400'000 + hour * kHourMs + ms;
}

// A deterministic sketch derived from `seed`.
model::PromptSketch SketchFor(uint64_t seed);

// A Claude Code api_request: otlp_logs, claude-code, anthropic; tokens scaled by `scale`.
model::UsageEvent ModelCall(std::string key, std::string actor, int64_t time_ms,
                            std::string model = "claude-sonnet-4-5", std::string session = "s1",
                            int64_t scale = 1);
// A user_prompt with a sketch.
model::UsageEvent Prompt(std::string key, std::string actor, int64_t time_ms,
                         std::string session = "s1");
// A claude_code.token.usage point (otlp_metrics): `input` uncached input tokens, no requests.
model::UsageEvent MetricPoint(std::string key, std::string actor, int64_t time_ms,
                              std::string session, std::string model, std::string series,
                              model::Temporality temporality, int64_t series_start, int64_t input);

// The rollup rows of signal-kEvent records (each counted once), sorted like SortRollups.
std::vector<UsageRollupRow> ReferenceRollups(const std::vector<model::UsageEvent>& events);

void SortRollups(std::vector<UsageRollupRow>* rows);
void SortSketches(std::vector<PromptSketchRow>* rows);
void SortCadence(std::vector<PromptCadenceRow>* rows);

// One line per row with every field, for EXPECT_EQ with readable diffs.
std::vector<std::string> Render(const std::vector<UsageRollupRow>& rows);
std::vector<std::string> Render(const std::vector<PromptSketchRow>& rows);
std::vector<std::string> Render(const std::vector<PromptCadenceRow>& rows);
std::vector<std::string> Render(const std::vector<model::UsageEvent>& events);
std::string Render(const model::UsageEvent& e);

}  // namespace goodhart::store::storetest
