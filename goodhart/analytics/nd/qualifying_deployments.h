// Qualifying production deployments (metrics.md §3.2): which deployment records let a change earn
// credit, and, for every record that does not, why. ND never counts deployments (a QPD earns
// nothing by itself); a QPD is the delivery event of the changes in its change set.
//
// ClassifyDeployments gives each record one status:
//   non_production  the environment is not on the service's production allow-list
//   pending         still running, or finished less than health_window ago ("inactive", GitHub's
//                   state for a deployment a newer one replaced, counts as success)
//   failed          not successful, rollout short of rollout_target_fraction, or superseded by a
//                   later rollback (`rolled_back_by` says which)
//   duplicate       pipeline fan-out: an earlier record with the same (service, environment, repo,
//                   digest) from the same pipeline run (pipeline_id) or started within
//                   fanout_window
//   redeploy        the digest already running in that (service, environment, repo)
//   rollback        a digest that ran there within rollback_lookback; the deployments it
//                   supersedes become failed, and their digests no longer count as "seen", so
//                   deploying them again later is a re-delivery, not another rollback
//   qpd             everything else; MarkNoopDeployments later turns a QPD whose change set has
//                   zero substance into
//   noop
// The digest is `artifact_digest`, or the commit sha when a record carries no digest. Records are
// walked by finished time (started when unfinished; ties keep input order), per (service,
// environment, repo): a multi-repo deployment (records sharing an id) is one record per repo.
//
// Change sets come from analytics::LinkDeployments run over the records that *landed*: the QPDs,
// redeploys, rollbacks and the QPDs later rolled back (they did run). So a canary that stopped at
// 10% or a failed deployment never becomes the base of the next change set, and after a rollback
// the next deployment ships again what was rolled back.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/analytics/linking/commit_graph.h"
#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::nd {

enum class DeploymentStatus {
  kQpd,
  kFailed,
  kRedeploy,
  kRollback,
  kNoop,
  kNonProduction,
  kDuplicate,
  kPending,
};
// "qpd", "failed", "redeploy", "rollback", "noop", "non_production", "duplicate", "pending".
std::string_view DeploymentStatusName(DeploymentStatus status);

struct DeploymentVerdict {
  // The record, as given.
  std::string deployment_id, service, environment, repo, commit_sha, artifact_digest, pipeline_id,
      pipeline;
  int64_t started_unix_ms = 0, finished_unix_ms = 0;

  DeploymentStatus status = DeploymentStatus::kQpd;
  std::string reason;  // one plain sentence: why this status
  // The other deployment the status refers to: the fan-out original (duplicate), the deployment
  // that put the digest in place (redeploy), the deployment whose digest was restored (rollback),
  // or the rollback that superseded this one (failed).
  std::string related_deployment_id;
  // The rollback that superseded this deployment, and when it finished (failed by rollback only).
  std::string rolled_back_by;
  int64_t rolled_back_unix_ms = 0;
  // True when the deployment reached production and ran: qpd, noop, redeploy, rollback, and the
  // deployments later rolled back.
  bool landed = false;

  // Change set (landed deployments only): commits reachable from commit_sha and not from
  // prev_commit_sha that touch the service's paths, parents first.
  std::string prev_deployment_id, prev_commit_sha;
  std::vector<std::string> commit_shas;
  bool change_set_complete = true;  // false when the commit graph could not answer fully

  // Filled by the ND engine: meaningful lines the deployment shipped to its service, and the
  // changes it delivered (completed), in merge order.
  double substance = 0;
  std::vector<std::string> delivered_change_ids;

  bool qualifying() const { return status == DeploymentStatus::kQpd; }
  bool operator==(const DeploymentVerdict&) const = default;
};

// One verdict per record started (or finished) at or before `as_of_unix_ms`, in input order;
// later records are left out. A deployment finished after as_of is pending. `services` supplies
// production environments and path globs (a record whose service is unknown gets linking's
// defaults: `production`/`prod`, whole repository).
// REQUIRES: params.Validate().ok().
std::vector<DeploymentVerdict> ClassifyDeployments(std::span<const model::Deployment> deployments,
                                                   const CommitGraph& graph,
                                                   const std::vector<model::Service>& services,
                                                   const NdParams& params, int64_t as_of_unix_ms);

// Sets `substance` of every QPD to substance(verdict) and turns the QPDs with zero substance and
// a complete change set into no-ops (§3.2 item 4). A QPD whose change set is incomplete stays a
// QPD: missing history is not evidence of an empty deployment.
void MarkNoopDeployments(std::vector<DeploymentVerdict>& verdicts,
                         const std::function<double(const DeploymentVerdict&)>& substance);

}  // namespace goodhart::analytics::nd
