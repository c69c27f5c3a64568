// ND_index(team) = ND_rate(team, T) / ND_rate(team, baseline) (metrics.md §3.9): "vs own
// baseline", the only form in which teams may be compared, with a bootstrap confidence interval.
//
// ND_rate = the team's ND on `basis` (sum of its people's contributions to the period's L) /
// TeamNd::engineer_weeks. The two periods come from two ComputeNd runs.
//
// Bootstrap: each resample draws, with replacement, as many logical changes as each period has
// (the team's per-L ND; the engineer-weeks stay fixed) and recomputes the ratio; a resample whose
// baseline sum is 0 has no ratio and is skipped. The interval is the (1 - confidence) / 2 and
// 1 - (1 - confidence) / 2 quantiles of the ratios, linearly interpolated between order
// statistics (type 7). The generator is SplitMix64 from `seed`, so the interval is reproducible
// on every platform (std:: distributions are not).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "goodhart/analytics/companion/companion_scope.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/base/status.h"

namespace goodhart::analytics::companion {

struct BootstrapParams {
  int64_t resamples = 1000;
  double confidence = 0.90;
  uint64_t seed = 20260101;
  NdBasis basis = NdBasis::kFinal;
  // InvalidArgument unless resamples >= 1 and 0 < confidence < 1.
  Status Validate() const;
};

struct NdIndex {
  std::string team;
  NdBasis basis = NdBasis::kFinal;
  double nd = 0, nd_baseline = 0;
  double engineer_weeks = 0, engineer_weeks_baseline = 0;
  int64_t changes = 0, changes_baseline = 0;  // L the team has a part in
  std::optional<double> rate, rate_baseline;  // nullopt with no engineer-weeks
  std::optional<double> index;                // nullopt when the baseline rate is 0 or unknown
  std::optional<double> ci_low, ci_high;      // nullopt when no resample had a ratio
  int64_t resamples_used = 0;
  bool operator==(const NdIndex&) const = default;
};

// NotFound when `team` is not among either result's teams; InvalidArgument for bad params.
// `period_index` and `baseline_index` (optional) index the two results (CompanionScope::index).
Result<NdIndex> ComputeNdIndex(const nd::NdResult& period, const nd::NdResult& baseline,
                               const std::string& team, const BootstrapParams& params = {},
                               const ResultIndex* period_index = nullptr,
                               const ResultIndex* baseline_index = nullptr);

}  // namespace goodhart::analytics::companion
