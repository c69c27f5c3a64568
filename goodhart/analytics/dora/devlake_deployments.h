// DevLake-compatible deployment frequency and change failure rate, as DevLake's Grafana DORA
// dashboard computes them (grafana/dashboards/DORA.json):
//
//   deployments  deployment commit records with result SUCCESS and environment PRODUCTION, grouped
//                by deployment id (pipeline fan-out counts once), finished at the group's last
//                finish; its day is the UTC date of that finish
//   frequency    over the calendar days in (from, to] (DevLake walks back from `to` while the day
//                is after `from`), grouped into Monday-start weeks and calendar months:
//                deployment days per week / month, each "median" being the largest value whose
//                percent_rank is <= 0.5. DORA 2023 level: >= 5 days/week "elite", >= 1 day/week
//                "high", >= 1 day/month "medium", otherwise "low" ("" with no deployment at all)
//   CFR          deployments finished in [from, to) with >= 1 linked incident / those deployments
//                (links: analytics::LinkIncidents, DevLake's ConnectIncidentToDeployment)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/analytics/linking/incident_linker.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::dora {

struct DevLakeDeployment {
  std::string deployment_id;
  int64_t finished_unix_ms = 0;
  bool operator==(const DevLakeDeployment&) const = default;
};

// The production deployments of `records` (one project's), in order of first appearance.
std::vector<DevLakeDeployment> DevLakeProductionDeployments(
    const std::vector<model::Deployment>& records);

struct DevLakeDeploymentFrequency {
  int64_t deployment_days = 0;
  std::optional<double> median_days_per_week, median_days_per_month;
  std::string level;  // "elite", "high", "medium", "low"; "" without deployments
  bool operator==(const DevLakeDeploymentFrequency&) const = default;
};

// REQUIRES: from_unix_ms < to_unix_ms.
DevLakeDeploymentFrequency ComputeDevLakeDeploymentFrequency(
    const std::vector<DevLakeDeployment>& deployments, int64_t from_unix_ms, int64_t to_unix_ms);

struct DevLakeChangeFailureRate {
  int64_t deployments = 0;
  int64_t deployments_with_incident = 0;
  std::optional<double> rate;  // nullopt without deployments
  bool operator==(const DevLakeChangeFailureRate&) const = default;
};

DevLakeChangeFailureRate ComputeDevLakeChangeFailureRate(
    const std::vector<DevLakeDeployment>& deployments, const std::vector<IncidentLink>& links,
    int64_t from_unix_ms, int64_t to_unix_ms);

}  // namespace goodhart::analytics::dora
