// Deployment linking: which commits each production deployment shipped (its change set,
// metrics.md §3.2 item 5), and DevLake's "previous successful deployment" rule (formats.md §8).
//
// The change set of a successful production deployment D of service S from repository R is
//   git rev-list D.commit_sha ^P.commit_sha  -- restricted to commits touching S's path globs
// where P is the previous successful production deployment of S from R, by finished time. A
// first deployment (no P) ships everything reachable from its sha; a redeploy of P's sha ships
// nothing; failed deployments never serve as P. Rollbacks and fan-out de-duplication belong to the
// qualifying-deployment rules (metrics.md §3.2 items 3-4), which run after this.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "goodhart/analytics/linking/commit_graph.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics {

// A service as the directory declares it: id, repo, path globs (service_paths.h; none = the whole
// repository) and production environment names.
using ServiceSpec = model::Service;

// True when the deployment succeeded: `status` is "success" in any case (DevLake: SUCCESS).
bool IsSuccessfulDeployment(const model::Deployment& deployment);

// True when the deployment went to production. With a `service` that lists production
// environments, `environment` must be one of them (case-insensitive). Otherwise `environment_tier`
// or `environment` must be "production" or "prod" in any case (DevLake: PRODUCTION).
bool IsProductionDeployment(const model::Deployment& deployment, const ServiceSpec* service);

// DevLake's enrichPrevSuccessDeploymentCommits, over deployment records (one commit of one repo
// each; DevLake's cicd_deployment_commits rows). Successful records with a finish time, an
// environment and a repo are grouped by (service, repo, environment) — DevLake groups by
// (cicd_scope_id, repo_url, environment), and goodhart's service stands where the CI/CD scope
// does — and ordered by finished time (ties keep input order). Each gets the index of the record
// before it in its group. Every environment takes part, not only production.
// Returns one entry per input record: that index, or nullopt for the first of a group and for
// every record that does not take part (failed, unfinished, no environment or repo).
std::vector<std::optional<size_t>> PrevSuccessDeploymentCommit(
    std::span<const model::Deployment> deployments);

struct DeploymentLink {
  std::string deployment_id;
  std::string service;
  std::string repo;
  std::string commit_sha;                  // the deployed sha
  std::string prev_success_deployment_id;  // "" for the service's first deployment
  std::string prev_commit_sha;             // "" likewise
  // Reachable from commit_sha, not from prev_commit_sha, touching the service's paths; parents
  // before children.
  std::vector<std::string> commit_shas;
  // False when the graph could not answer fully. An unknown deployed sha, or a walk that reached a
  // commit whose parent the graph lacks (shallow history), may leave commits out; an unknown
  // previous sha excludes nothing, so commits shipped before may be in.
  bool complete = true;
  bool operator==(const DeploymentLink&) const = default;
};

// One link per successful production deployment record with a commit sha, in input order. A
// multi-repo deployment (records sharing `id`) gets one link per repo; the previous deployment is
// looked up per (service, repo), across the service's production environments, by finished time
// (started time when the finish is unknown; ties keep input order), so deploying the same sha to
// a second production region ships nothing new. A deployment whose service is not in
// `services` is linked with the defaults: whole repository, default production test.
std::vector<DeploymentLink> LinkDeployments(const std::vector<model::Deployment>& deployments,
                                            const CommitGraph& graph,
                                            const std::vector<ServiceSpec>& services);

}  // namespace goodhart::analytics
