// The outcome report (issue #4): ND, the DORA five and the companion metrics for a period, for the
// organisation and each team, and per person on request, as one JSON document that the CLI
// (`goodhart report`) and the API (`GET /api/v1/report`) both return. Pure: the inputs come from
// report_loader.h. Every report is stamped with the definition version and the parameters.
//
//   {"definition_version", "parameters", "period": {"from", "to"}, "as_of", "directory_version",
//    "org":   {"nd", "nd_final", "nd_provisional", "nd_pending", "changes", "cost_usd",
//              "cost_per_nd", "cost_per_nd_basis", "tokens", "ai_assisted_nd_share",
//              "orphan_token_share", "tokens_per_shipped_line", "review_coverage", "dora": {...}},
//    "teams": [{"team", "name", "members", "contributors", "nd", "nd_final", "nd_rate",
//               "nd_index", "nd_index_ci", "baseline": {...}, "cost_usd", "cost_per_nd", "tokens",
//               "ai_assisted_nd_share", "review_coverage", "dora": {...}}],
//    "people": [{"person", "team", "nd", "nd_star", "nd_final", "tokens", "cost_usd", "changes",
//                "flags"}],                                      only with `people`
//    ("nd_star": ND minus the ND effect of flags confirmed as gaming whose four-week period ends
//     in the report period; "flags": the person's flags overlapping the period, {id, detector,
//     status, disposition})
//    "notes": [...]}
//
// Choices (README.md): "nd" sums logical changes at their current stage (provisional and final);
// "nd_final" only final ones, which decisions use; cost per ND divides by final ND when there is
// any, else by provisional+final ND, and says which in "cost_per_nd_basis". The team baseline for
// "nd_index" is the window of the same length just before the period unless given.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/analytics/report/usage_sources.h"
#include "goodhart/base/status.h"
#include "goodhart/directory/directory.h"
#include "goodhart/store/store.h"

namespace goodhart::analytics::report {

struct ReportRequest {
  int64_t from_unix_ms = 0, to_unix_ms = 0;  // the period [from, to)
  int64_t as_of_unix_ms = 0;                 // evaluation time (usually now)
  std::optional<int64_t> baseline_from_unix_ms, baseline_to_unix_ms;  // default: the window before
  std::string team;     // "" all teams; else only this team in "teams"
  bool people = false;  // include "people" (a local operator, or an API caller allowed to)
  // "devlake" adds org.dora_devlake: Apache DevLake's median lead time (PR cycle time), deployment
  // frequency (production deployment days, pipeline fan-out once) and change failure rate
  // (deployments with an incident), for
  // comparison with an existing DevLake dashboard (analytics/dora/README.md).
  std::string dora_mode = "goodhart";
  nd::NdParams params;
};

// A shown flag about a person (detect/, review/), as the report needs it: listed on the person's
// row, and when a reviewer confirmed gaming its ND effect is removed from ND* (metrics.md §5.1).
struct PersonFlag {
  std::string flag_id, person, detector_id, status, disposition;
  int64_t period_from_unix_ms = 0, period_to_unix_ms = 0;
  double nd_effect = 0;  // the ND the flagged behaviour moved
};

struct ReportData {
  store::DeliveryRecords delivery;             // history from well before the baseline to as_of
  std::vector<store::UsageRollupRow> rollups;  // days of the period
  std::optional<directory::Directory> directory;
  int64_t directory_version = 0;         // 0: none imported
  std::vector<PersonFlag> person_flags;  // filled by callers that have the flag store
  // Daily-report rows set aside by the loader where telemetry covers the same person, day and
  // tool (usage_sources.h); not in `rollups`.
  SetAsideUsage usage_set_aside;
};

// Parses a period's bounds as the CLI and API take them: RFC 3339 timestamps or dates
// (YYYY-MM-DD). A date as `to` includes that whole day ("--from 2026-01-01 --to 2026-03-31" is the
// first quarter). Errors read "report: --to: ...".
Result<std::pair<int64_t, int64_t>> ParsePeriod(std::string_view from, std::string_view to,
                                                std::string_view from_name = "from",
                                                std::string_view to_name = "to");

// The baseline window a request uses.
std::pair<int64_t, int64_t> BaselineWindow(const ReportRequest& request);

// The ND engine over the request's period on the loaded data (the report's "nd" numbers).
Result<nd::NdResult> ComputePeriodNd(const ReportRequest& request, const ReportData& data);

// kInvalidArgument for an empty period or a team the directory does not know.
Result<nlohmann::json> BuildReport(const ReportRequest& request, const ReportData& data);

}  // namespace goodhart::analytics::report
