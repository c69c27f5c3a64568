#include "goodhart/analytics/dora/devlake_deployments.h"

#include <algorithm>
#include <map>
#include <set>

#include "goodhart/analytics/dora/internal/ascii.h"
#include "goodhart/analytics/dora/internal/median.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::dora {
namespace {

// Days since the epoch of the Monday on or before `day` (1970-01-01 was a Thursday).
int64_t MondayOf(int64_t day) {
  int64_t weekday = ((day + 3) % 7 + 7) % 7;  // 0 = Monday
  return day - weekday;
}

// Days since the epoch of the first day of `day`'s month.
int64_t MonthOf(int64_t day) {
  std::string date = FormatDay(day);  // "YYYY-MM-DD"
  int year = std::stoi(date.substr(0, 4));
  int month = std::stoi(date.substr(5, 2));
  return DayOfMillis(CivilToMillis(year, month, 1));
}

}  // namespace

std::vector<DevLakeDeployment> DevLakeProductionDeployments(
    const std::vector<model::Deployment>& records) {
  std::vector<DevLakeDeployment> out;
  std::map<std::string, size_t> index;
  for (const auto& r : records) {
    if (!internal::EqualsIgnoreCase(r.status, "success") ||
        !internal::EqualsIgnoreCase(r.environment, "production") || r.finished_unix_ms == 0) {
      continue;
    }
    auto [it, inserted] = index.emplace(r.id, out.size());
    if (inserted) {
      out.push_back({.deployment_id = r.id, .finished_unix_ms = r.finished_unix_ms});
    }
    out[it->second].finished_unix_ms =
        std::max(out[it->second].finished_unix_ms, r.finished_unix_ms);
  }
  return out;
}

DevLakeDeploymentFrequency ComputeDevLakeDeploymentFrequency(
    const std::vector<DevLakeDeployment>& deployments, int64_t from_unix_ms, int64_t to_unix_ms) {
  std::set<int64_t> deployed_days;
  for (const auto& d : deployments) {
    deployed_days.insert(DayOfMillis(d.finished_unix_ms));
  }
  // DevLake's calendar: DATE(to - n days) for n = 0, 1, ... while to - n days > from.
  std::map<int64_t, std::set<int64_t>> weeks, months;
  for (int64_t t = to_unix_ms; t > from_unix_ms; t -= kMillisPerDay) {
    int64_t day = DayOfMillis(t);
    auto& week = weeks[MondayOf(day)];
    auto& month = months[MonthOf(day)];
    if (deployed_days.count(day) > 0) {
      week.insert(day);
      month.insert(day);
    }
  }
  DevLakeDeploymentFrequency out;
  std::vector<double> per_week, per_month;
  std::set<int64_t> counted;
  for (const auto& [start, days] : weeks) {
    per_week.push_back(static_cast<double>(days.size()));
    counted.insert(days.begin(), days.end());
  }
  for (const auto& [start, days] : months) {
    per_month.push_back(static_cast<double>(days.size()));
  }
  out.deployment_days = static_cast<int64_t>(counted.size());
  out.median_days_per_week = internal::DevLakeMedian(per_week);
  out.median_days_per_month = internal::DevLakeMedian(per_month);
  if (out.deployment_days == 0) {
    return out;
  }
  if (out.median_days_per_week.value_or(0) >= 5) {
    out.level = "elite";
  } else if (out.median_days_per_week.value_or(0) >= 1) {
    out.level = "high";
  } else if (out.median_days_per_month.value_or(0) >= 1) {
    out.level = "medium";
  } else {
    out.level = "low";
  }
  return out;
}

DevLakeChangeFailureRate ComputeDevLakeChangeFailureRate(
    const std::vector<DevLakeDeployment>& deployments, const std::vector<IncidentLink>& links,
    int64_t from_unix_ms, int64_t to_unix_ms) {
  std::set<std::string> with_incident;
  for (const auto& link : links) {
    with_incident.insert(link.deployment_id);
  }
  DevLakeChangeFailureRate out;
  for (const auto& d : deployments) {
    if (d.finished_unix_ms < from_unix_ms || d.finished_unix_ms >= to_unix_ms) {
      continue;
    }
    ++out.deployments;
    out.deployments_with_incident += with_incident.count(d.deployment_id) > 0 ? 1 : 0;
  }
  if (out.deployments > 0) {
    out.rate =
        static_cast<double>(out.deployments_with_incident) / static_cast<double>(out.deployments);
  }
  return out;
}

}  // namespace goodhart::analytics::dora
