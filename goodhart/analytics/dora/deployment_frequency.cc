#include "goodhart/analytics/dora/deployment_frequency.h"

#include <set>

#include "goodhart/analytics/dora/internal/median.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::dora {
namespace {

constexpr int64_t kWeekMs = 7 * kMillisPerDay;
constexpr int64_t kMonthMs = 30 * kMillisPerDay;

}  // namespace

DeploymentFrequency ComputeDeploymentFrequency(const std::vector<int64_t>& finished_unix_ms,
                                               int64_t from_unix_ms, int64_t to_unix_ms) {
  DeploymentFrequency out;
  std::vector<int64_t> in_period;
  std::set<int64_t> days;
  for (int64_t t : finished_unix_ms) {
    if (t >= from_unix_ms && t < to_unix_ms) {
      in_period.push_back(t);
      days.insert(DayOfMillis(t));
    }
  }
  out.deployment_count = static_cast<int64_t>(in_period.size());
  out.deployment_days = static_cast<int64_t>(days.size());

  int64_t full_weeks = (to_unix_ms - from_unix_ms) / kWeekMs;
  std::vector<double> days_per_week, week_deployed;
  for (int64_t k = 0; k < full_weeks; ++k) {
    WeekDeployments week{.week_start_unix_ms = from_unix_ms + k * kWeekMs};
    std::set<int64_t> week_days;
    for (int64_t t : in_period) {
      if (t >= week.week_start_unix_ms && t < week.week_start_unix_ms + kWeekMs) {
        ++week.deployments;
        week_days.insert(DayOfMillis(t));
      }
    }
    week.deployment_days = static_cast<int64_t>(week_days.size());
    days_per_week.push_back(static_cast<double>(week.deployment_days));
    week_deployed.push_back(week.deployments > 0 ? 1.0 : 0.0);
    out.weeks.push_back(week);
  }
  out.days_per_week_median = internal::Median(days_per_week);
  if (!out.days_per_week_median) {
    return out;
  }
  if (out.deployment_count == 0) {
    out.bucket = kBucketNone;
  } else if (*out.days_per_week_median >= 3) {
    out.bucket = kBucketDaily;
  } else if (internal::Median(week_deployed).value_or(0) >= 1) {
    out.bucket = kBucketWeekly;
  } else {
    std::vector<double> per_month;
    for (int64_t start = from_unix_ms; start + kMonthMs <= to_unix_ms; start += kMonthMs) {
      int64_t n = 0;
      for (int64_t t : in_period) {
        n += (t >= start && t < start + kMonthMs) ? 1 : 0;
      }
      per_month.push_back(static_cast<double>(n));
    }
    bool monthly =
        per_month.empty() ? out.deployment_count > 0 : internal::Median(per_month).value_or(0) >= 1;
    out.bucket = monthly ? kBucketMonthly : kBucketYearly;
  }
  return out;
}

}  // namespace goodhart::analytics::dora
