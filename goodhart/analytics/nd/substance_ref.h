// The reference size S_ref of a service (metrics.md §3.6) and the S_max guard (§3.5).
//
// S_ref is the substance-weighted median of S(L) over the logical changes delivered to the service
// in the trailing s_ref_window_days (180) ending s_ref_lag_days (30) before the quarter starts:
// the smallest S* with sum_{S(L) <= S*} S(L) >= half of sum S(L). It depends only on changes
// delivered before the quarter, so it is frozen for the quarter, and flooding a service with tiny
// changes barely moves it. Floor: s_ref_floor_lines (20).
//
// Pools, first with at least s_ref_min_changes (30) changes of positive S in the window:
//   "service"       the service's own changes;
//   "family:<f>"    every service of the same family (same language and type), for sparse services;
//   "organisation"  every service (goodhart's addition: the family is sparse too, or has no name);
//   "fallback"      none has enough: s_ref_fallback_lines (goodhart's addition, for a new install).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/analytics/nd/nd_params.h"

namespace goodhart::analytics::nd {

// The smallest value v with sum_{x <= v} x >= sum/2 over the positive values; 0 when there are
// none. {60, 12, 400, 100, 80} gives 400 (400 alone is over half of 652), {10, 10, 10, 30} 10.
double SubstanceWeightedMedian(std::vector<double> values);

// One delivered logical change, as an S_ref sample.
struct SRefSample {
  std::string service;
  std::string family;  // the service's family; "" when it has none
  int64_t delivered_unix_ms = 0;
  double s = 0;
};

struct SRef {
  std::string service;
  int64_t quarter_start_unix_ms = 0;  // the quarter it is frozen for
  int64_t window_from_unix_ms = 0;    // [from, to): the changes it was computed from
  int64_t window_to_unix_ms = 0;
  double value = 0;      // S_ref, after the floor
  double median = 0;     // the weighted median of the pool, before the floor
  int64_t changes = 0;   // changes in the pool
  std::string pool;      // "service", "family:<f>", "organisation", "fallback",
                         // or "override" (a value pinned by the caller)
  bool floored = false;  // the median was below s_ref_floor_lines
  bool operator==(const SRef&) const = default;
};

// S_ref of `service` (of `family`, "" for none) for the quarter starting at quarter_start_unix_ms
// (QuarterStartMillis, base/time.h), from every sample of every service.
SRef ComputeSRef(std::string_view service, std::string_view family, int64_t quarter_start_unix_ms,
                 std::span<const SRefSample> samples, const NdParams& params);

// S_max = s_max_multiple x S_ref: a larger logical change is credited at S_max and queued for
// manual classification.
double SMax(double s_ref, const NdParams& params);

}  // namespace goodhart::analytics::nd
