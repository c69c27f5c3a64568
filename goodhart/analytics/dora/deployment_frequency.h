// Deployment frequency (metrics.md §4): the median number of days per week with a qualifying
// production deployment (QPD-days), plus the QPD count and the Four Keys bucket.
//
// Weeks are the complete 7-day windows [from + 7k, from + 7(k+1)) inside the period [from, to);
// a trailing part-week is left out of the median (a 3-day stub would read as a slow week) but its
// deployments still count in `deployment_count`. Days are UTC calendar days. Counting days, not
// deployments, means splitting one day's work into many deployments gains nothing (DevLake and
// Four Keys count days for the same reason).
//
// Four Keys bucket (fourkeys METRICS.md), evaluated over the complete windows:
//   "daily"    median QPD-days per week >= 3
//   "weekly"   median over weeks of (the week had a QPD ? 1 : 0) >= 1, i.e. most weeks deploy
//   "monthly"  median QPDs per complete 30-day window >= 1; with no complete 30-day window, any QPD
//   "yearly"   otherwise
//   "none"     no QPD in the period
// With no complete week the median and the bucket are undefined (nullopt, "").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace goodhart::analytics::dora {

inline constexpr char kBucketDaily[] = "daily";
inline constexpr char kBucketWeekly[] = "weekly";
inline constexpr char kBucketMonthly[] = "monthly";
inline constexpr char kBucketYearly[] = "yearly";
inline constexpr char kBucketNone[] = "none";

struct WeekDeployments {
  int64_t week_start_unix_ms = 0;
  int64_t deployment_days = 0;  // distinct UTC days with a QPD
  int64_t deployments = 0;
  bool operator==(const WeekDeployments&) const = default;
};

struct DeploymentFrequency {
  int64_t deployment_count = 0;        // QPDs finished in [from, to)
  int64_t deployment_days = 0;         // distinct UTC days among them
  std::vector<WeekDeployments> weeks;  // the complete weeks, in order
  std::optional<double> days_per_week_median;
  std::string bucket;  // kBucket*; "" when undefined
  bool operator==(const DeploymentFrequency&) const = default;
};

// `finished_unix_ms`: one finish time per QPD (any order; times outside [from, to) are ignored).
// REQUIRES: from_unix_ms < to_unix_ms.
DeploymentFrequency ComputeDeploymentFrequency(const std::vector<int64_t>& finished_unix_ms,
                                               int64_t from_unix_ms, int64_t to_unix_ms);

}  // namespace goodhart::analytics::dora
