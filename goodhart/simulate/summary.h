// The Goodhart test's results (metrics.md §6.5) and release gate (§6.6): per seed, the table of
// median and p90 rank uplift per strategy and metric, detection rates per strategy and detector,
// the honest flag rate by detector and role, Kendall tau against true value overall and within
// role under each value model; then P1-P6 evaluated. Rendered as a terminal table, JSON, or a
// self-contained HTML page with inline SVG charts.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "goodhart/simulate/simulation.h"

namespace goodhart::simulate {

struct Cell {
  double median = 0, p90 = 0;
};

struct SeedSummary {
  uint64_t seed = 0;
  int runs = 0;
  std::vector<std::array<Cell, kMetricCount>> uplift;  // per strategy (Strategies() order)
  std::vector<double> detected;                        // share of runs
  std::vector<std::map<std::string, double>> detected_by;
  std::vector<double> value_change;  // median change of the gamer's true value (v1)
  int64_t windows = 0;               // engineer-windows (engineers x runs)
  int64_t flagged = 0;
  std::map<std::string, int64_t> flagged_by_detector;
  std::array<int64_t, kRoles> role_windows{}, role_flagged{};
  int64_t other_flags = 0;  // non-person flags in honest runs (pipelines, teams, services)
  // Mean over runs: [value model][metric][group: all, product, platform, release].
  std::array<std::array<std::array<double, kTauGroups>, kMetricCount>, kValueModels> tau{};
};

struct Criterion {
  std::string id;  // "P1"
  std::string name;
  bool measured = true;  // false: not measurable in this configuration (e.g. P6 with one seed)
  bool pass = false;
  std::vector<std::string> details;  // the numbers, and what failed
};

struct Summary {
  OrgConfig org;
  int runs = 0;
  std::vector<SeedSummary> seeds;
  std::vector<Criterion> criteria;
  bool pass = false;    // every measured criterion passes
  std::string command;  // the command line that produced it, for the record
};

Summary Summarize(const std::vector<RunResult>& results, const OrgConfig& org, int runs);

std::string FormatTable(const Summary& summary);
std::string FormatJson(const Summary& summary);
std::string FormatHtml(const Summary& summary);

}  // namespace goodhart::simulate
