// The five DORA metrics with goodhart's definitions (metrics.md §4), computed from the ND engine's
// result for one scope (organisation, team, service) and period [from, to):
//
//   deployment frequency   median QPD-days per week + QPD count + Four Keys bucket
//                          (deployment_frequency.h)
//   change lead time       median over delivered logical changes L of
//                          (delivering QPD finish - first commit authored), L delivered in the
//                          period; bot-only L (no part has a human owner) are left out, as Four
//                          Keys debates for "automated changes"
//   change fail rate       failed deployments / (QPDs + failed deployments), deployments finished
//                          in the period; a QPD later found failed counts once, in both
//                          (failed_deployments.h lists the signals)
//   recovery time          median (restore - failure detection) over the period's failed
//                          deployments that have recovered
//   deployment rework rate unplanned deployments responding to incidents / all deployments, where
//                          "all deployments" are the landed production deployments other than
//                          pure redeploys (QPDs, no-ops, rollbacks, deployments later rolled back),
//                          and a deployment is responding when it
//                            - is a rollback (it undoes a production change: unplanned by nature),
//                            - delivers a change recorded as an incident's remediation, or
//                            - ships a revert commit (model::Commit::reverts_sha);
//                          with DoraOptions::open_window_counts_as_rework, also any deployment of
//                          the incident's service finished while the incident was open
//                          [began, resolved) — off by default: during a long incident ordinary
//                          feature deployments would count as rework.
//
// Undefined values are nullopt: no delivered L (lead time), no deployment (CFR, rework), no
// recovered failure (recovery), no complete week (deployment frequency).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "goodhart/analytics/dora/deployment_frequency.h"
#include "goodhart/analytics/dora/dora_scope.h"
#include "goodhart/analytics/dora/failed_deployments.h"
#include "goodhart/analytics/nd/nd_engine.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/base/status.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::dora {

struct DoraOptions {
  bool open_window_counts_as_rework = false;
};

struct DoraInput {
  DoraScope scope;
  int64_t from_unix_ms = 0, to_unix_ms = 0;
  // The incidents and remediation links given to ComputeNd.
  std::vector<model::Incident> incidents;
  std::vector<nd::IncidentRemediation> remediations;
  // Commits of the delivered changes: authored times for lead time, reverts for rework. Not
  // owned: the vector it views must outlive the input.
  std::span<const model::Commit> commits;
  // Service -> owning team, for team scopes (the directory's services).
  std::vector<model::Service> services;
  DoraOptions options;
};

struct LeadTimeSample {
  std::string logical_change_id;
  int64_t first_authored_unix_ms = 0, delivered_unix_ms = 0;
  double hours = 0;
  bool operator==(const LeadTimeSample&) const = default;
};

struct DoraMetrics {
  DoraScope scope;
  int64_t from_unix_ms = 0, to_unix_ms = 0;

  DeploymentFrequency frequency;

  std::optional<double> lead_time_hours_median;
  std::vector<LeadTimeSample> lead_times;  // by delivery time
  int64_t bot_only_changes = 0;            // delivered L left out: no human owner
  int64_t changes_without_commits = 0;     // delivered L left out: no commit authored time

  int64_t failed_deployment_count = 0;
  int64_t cfr_deployment_count = 0;  // QPDs + failed deployments, each once
  std::optional<double> change_failure_rate;
  std::vector<FailedDeployment> failed_deployments;  // finished in the period

  std::optional<double> recovery_hours_median;
  int64_t unrecovered_count = 0;

  int64_t rework_deployment_count = 0;
  int64_t rework_denominator = 0;
  std::optional<double> rework_rate;
  std::vector<std::string> rework_deployment_ids;
  bool operator==(const DoraMetrics&) const = default;
};

// What ComputeDora derives from the NdResult and the input whatever the scope (the deployments
// folded per id, the failed deployments, the commits' authored times, the remediation changes and
// the revert commits, and each service's positions among them). A report computes the
// organisation and every team over one NdResult: it prepares this once instead of once per scope.
struct DoraShared;
// REQUIRES: ComputeDora gets the same `nd`, and inputs that differ from `input` only in scope.
std::shared_ptr<const DoraShared> PrepareDora(const nd::NdResult& nd, const DoraInput& input);

// InvalidArgument when to <= from.
Result<DoraMetrics> ComputeDora(const nd::NdResult& nd, const DoraInput& input);
Result<DoraMetrics> ComputeDora(const nd::NdResult& nd, const DoraInput& input,
                                const DoraShared& shared);

}  // namespace goodhart::analytics::dora
