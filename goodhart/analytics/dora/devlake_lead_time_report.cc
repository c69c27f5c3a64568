#include "goodhart/analytics/dora/devlake_lead_time_report.h"

#include "goodhart/analytics/dora/internal/median.h"
#include "goodhart/analytics/linking/deployment_linker.h"

namespace goodhart::analytics::dora {
namespace {

void AddPullRequestCommits(const model::Change& change, const CommitGraph& graph,
                           std::vector<PullRequestCommit>& out) {
  size_t before = out.size();
  const model::Commit* merge = graph.Find(change.merge_sha);
  if (merge != nullptr && merge->parents.size() > 1 && graph.Contains(change.head_sha)) {
    std::vector<std::string> base = {merge->parents[0]};
    for (const std::string& sha : graph.Range(change.head_sha, base).shas) {
      if (const model::Commit* c = graph.Find(sha); c != nullptr)
        out.push_back(
            {.change_id = change.id, .sha = sha, .authored_unix_ms = c->authored_unix_ms});
    }
  }
  if (out.size() == before && merge != nullptr) {
    out.push_back(
        {.change_id = change.id, .sha = merge->sha, .authored_unix_ms = merge->authored_unix_ms});
  }
  if (change.first_commit_unix_ms > 0) {
    out.push_back({.change_id = change.id,
                   .sha = change.head_sha,
                   .authored_unix_ms = change.first_commit_unix_ms});
  }
}

}  // namespace

DevLakeLeadTimeInput DevLakeLeadTimeInputFrom(const std::vector<model::Change>& changes,
                                              const std::vector<model::Review>& reviews,
                                              const std::vector<model::Deployment>& deployments,
                                              const CommitGraph& graph,
                                              const std::vector<model::Service>& services) {
  DevLakeLeadTimeInput in;
  for (const model::Change& c : changes) {
    in.pull_requests.push_back(c);
    if (c.merged_unix_ms > 0)
      AddPullRequestCommits(c, graph, in.pull_request_commits);
  }
  in.comments = reviews;
  // DevLake's deployment commits carry the environment *type*: every production environment of a
  // service is PRODUCTION, so a second region's deployment follows the first region's.
  std::vector<model::Deployment> typed = deployments;
  for (model::Deployment& d : typed) {
    const model::Service* service = nullptr;
    for (const model::Service& s : services) {
      if (s.id == d.service)
        service = &s;
    }
    d.environment = IsProductionDeployment(d, service) ? "PRODUCTION" : d.environment;
    d.environment_tier.clear();
  }
  std::vector<std::optional<size_t>> prev = PrevSuccessDeploymentCommit(typed);
  for (size_t i = 0; i < typed.size(); ++i) {
    const model::Deployment& d = typed[i];
    DeploymentCommitRecord r{.id = d.id + "|" + d.repo + "|" + d.commit_sha,
                             .deployment_id = d.id,
                             .commit_sha = d.commit_sha,
                             .result = d.status,
                             .environment = d.environment,
                             .started_unix_ms = d.started_unix_ms,
                             .finished_unix_ms = d.finished_unix_ms};
    if (prev[i]) {
      const model::Deployment& p = typed[*prev[i]];
      r.prev_success_deployment_commit_id = p.id + "|" + p.repo + "|" + p.commit_sha;
      std::vector<std::string> old = {p.commit_sha};
      for (const std::string& sha : graph.Range(d.commit_sha, old).shas) {
        in.commits_diffs.push_back(
            {.new_commit_sha = d.commit_sha, .old_commit_sha = p.commit_sha, .commit_sha = sha});
      }
    }
    in.deployment_commits.push_back(std::move(r));
  }
  return in;
}

DevLakeLeadTimeSummary SummarizeDevLakeLeadTime(const std::vector<DevLakePrMetric>& metrics,
                                                int64_t from_unix_ms, int64_t to_unix_ms) {
  std::vector<double> cycle;
  for (const DevLakePrMetric& m : metrics) {
    if (m.deployment_commit_id.empty() || !m.pr_deployed_date)
      continue;
    if (*m.pr_deployed_date < from_unix_ms || *m.pr_deployed_date >= to_unix_ms)
      continue;
    cycle.push_back(static_cast<double>(m.pr_cycle_time));
  }
  return {.pull_requests = static_cast<int64_t>(cycle.size()),
          .median_cycle_minutes = internal::DevLakeMedian(cycle)};
}

}  // namespace goodhart::analytics::dora
