// The Goodhart test's procedure (metrics.md §6.4): for each (seed, run), generate the organisation
// and everyone's honest work, compute every metric with the production code (the ND engine, the
// detectors), then replay the chosen engineer under each strategy S1-S9 with common random
// numbers against the unchanged honest peers, and record rank uplift, detection, honest flags
// and Kendall tau against the hidden true value.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/simulate/activity.h"
#include "goodhart/simulate/org.h"

namespace goodhart::simulate {

// The metrics of the §6.5 table, in column order.
enum Metric {
  kTokens,
  kDeploys,
  kPrs,
  kLines,
  kDeployDays,
  kNdPr,
  kNdSqrt,
  kNd,
  kNdStar,
  kMetricCount
};
std::string_view MetricName(int metric);
using MetricValues = std::array<double, kMetricCount>;

inline constexpr int kValueModels = 2;         // v1 = S^0.6 x noise, v2 = ln(1 + S) x noise
inline constexpr int kTauGroups = 1 + kRoles;  // all engineers, then each role

struct RunResult {
  uint64_t seed = 0;
  int run = 0;
  int engineers = 0;
  int gamer = 0;
  // Per strategy (Strategies() order).
  std::vector<MetricValues> uplift;                   // percentile points
  std::vector<bool> detected;                         // flagged in >= 2 of 3 test periods
  std::vector<std::vector<std::string>> detected_by;  // detectors flagging >= 2 of 3 periods
  std::vector<double> value_change;  // the gamer's true value (v1) under s minus honest
  // Honest run: engineers flagged in >= 2 of 3 periods, overall, by detector and by role.
  std::array<int, kRoles> role_engineers{};
  std::array<int, kRoles> role_flagged{};
  int flagged = 0;
  std::map<std::string, int> flagged_by_detector;
  int honest_other_flags = 0;  // pipeline, team, service flags raised in the honest run
  // Kendall tau-b of each metric against true value: [model][metric][group].
  std::array<std::array<std::array<double, kTauGroups>, kMetricCount>, kValueModels> tau{};
};

// One run, deterministic in (config, seed, run).
RunResult SimulateRun(const OrgConfig& config, uint64_t seed, int run);

struct SimulationOptions {
  OrgConfig org;
  std::vector<uint64_t> seeds = {11, 23};
  int runs = 100;
  int threads = 2;
  // Called from worker threads after each run (serialised by the caller's own lock if needed).
  std::function<void(int done, int total)> on_run_done;
};

// Every (seed, run), results ordered by seed then run (independent of thread timing).
std::vector<RunResult> RunSimulation(const SimulationOptions& options);

// ---- Building blocks, exposed for tests. ----

// The raw per-person metrics of §6.5 that need no ND (tokens, deploys, prs, lines, deploy days)
// over the test periods, from an engineer's activity and the deployments they triggered.
MetricValues RawMetrics(const Activity& activity, const std::vector<model::Deployment>& deployments,
                        const std::string& email);

// Percentile rank of `value` among `others` (ties count half), in [0, 100].
double PercentileRank(double value, const std::vector<double>& others);

// Kendall tau-b of two equally long series (0 when either is constant).
double KendallTau(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace goodhart::simulate
