// Usage that two kinds of source report for the same person, day and tool. Per-call telemetry
// (OTLP logs, traces and metrics) and a per-user daily report (the Claude Code usage report,
// Copilot usage metrics, Anthropic Analytics) describe the same calls: summed, they would count
// them twice. As with OTLP metrics against events (the finer signal wins, the coarser fills in),
// for a (person, day, tool) that has telemetry the daily report's rows are set aside, and the
// reports count for the person-days that have none. Identities are compared as people when the
// directory resolves them, else as the lowercased identity (companion/identity.h), so telemetry
// keyed by an account id and a report keyed by an email only meet through the directory.
// Organisation-level and API-key reports (Anthropic usage and cost reports, OpenAI usage and
// costs, Copilot billing, organisation-day totals) name no person and are not reconciled here
// (docs/ingest.md, "Overlapping sources").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "goodhart/analytics/linking/ai_linker.h"
#include "goodhart/directory/directory.h"
#include "goodhart/store/store.h"

namespace goodhart::analytics::report {

enum class SourceGrade { kTelemetry, kDailyReport, kOther };
SourceGrade GradeOf(std::string_view source);

// What was set aside: rows, their tokens and their cost (reported, else computed).
struct SetAsideUsage {
  int64_t rows = 0;
  int64_t tokens = 0;
  int64_t cost_micros = 0;
};

// The person id the directory gives an identity, "" for an identity it does not know as a
// person; with no directory (nullptr) every identity is unknown. `dir` must outlive the resolver.
IdentityResolver PersonResolver(const directory::Directory* dir);

// Removes from `rows` the daily-report rows of every (person, day, tool) that has telemetry rows;
// the order of the rows kept is unchanged.
SetAsideUsage SetAsideReportsCoveredByTelemetry(std::vector<store::UsageRollupRow>& rows,
                                                const IdentityResolver& resolve);

}  // namespace goodhart::analytics::report
