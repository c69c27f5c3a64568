// Failed deployments and their recovery (metrics.md §4, change fail rate and failed-deployment
// recovery time), from "shadow" failure signals so that the numbers do not hang on incident filing
// alone (detector D11). A production deployment is failed when any of these signals hits it:
//
//   signal        source                                   detected at            restored at
//   failed        verdict failed on its own (not success, the deployment's finish the next landed
//                 rollout short, aborted in health_window)                         deployment's
//                 finish
//   rolled_back   verdict failed by a later rollback       the rollback's start   the rollback's
//   finish revert        F gate: a change it delivered reverted   the revert commit      the first
//   landed
//                 within W_fail                                                   deployment
//                 shipping it
//   incident      F gate incident on a change it delivered, the incident began    incident resolved
//                 or model::Incident::caused_by_deployment
//                 naming it (any severity)
//   hotfix        F gate: a remediation hotfix to its      the remediated         the hotfix's
//   delivery
//                 files within 24 h                        incident began (else
//                                                          the hotfix delivery)
//
// A deployment's detection time is its earliest signal's; its restore time is the earliest
// restore among its signals at or after that detection. Recovery = restore - detection; a failed
// deployment with no restore yet is "unrecovered" and left out of the median.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/nd_engine.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::dora {

inline constexpr char kSignalFailed[] = "failed";
inline constexpr char kSignalRolledBack[] = "rolled_back";
inline constexpr char kSignalRevert[] = "revert";
inline constexpr char kSignalIncident[] = "incident";
inline constexpr char kSignalHotfix[] = "hotfix";

struct FailureSignal {
  std::string kind;         // kSignal*
  std::string evidence_id;  // rollback deployment, revert commit, incident or hotfix change id
  int64_t detected_unix_ms = 0;
  std::optional<int64_t> restored_unix_ms;
  bool operator==(const FailureSignal&) const = default;
};

struct FailedDeployment {
  std::string deployment_id, service;
  int64_t finished_unix_ms = 0;
  bool qualifying = false;             // it was a QPD (its failure surfaced after it qualified)
  std::vector<FailureSignal> signals;  // its own verdict, then the F gate, then incidents
  int64_t detected_unix_ms = 0;
  std::optional<int64_t> restored_unix_ms;
  std::optional<int64_t> recovery_ms;
  bool operator==(const FailedDeployment&) const = default;
};

// Every failed production deployment known to `nd` (all services, all times), in the order the
// verdicts first name them. `incidents` and `remediations` are the ones given to ComputeNd.
std::vector<FailedDeployment> FindFailedDeployments(
    const nd::NdResult& nd, const std::vector<model::Incident>& incidents,
    const std::vector<nd::IncidentRemediation>& remediations);

}  // namespace goodhart::analytics::dora
