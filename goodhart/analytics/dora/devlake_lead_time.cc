#include "goodhart/analytics/dora/devlake_lead_time.h"

#include <cmath>
#include <map>

#include "goodhart/analytics/dora/internal/ascii.h"

namespace goodhart::analytics::dora {

std::optional<int64_t> DevLakeSpanMinutes(int64_t start_unix_ms, int64_t end_unix_ms) {
  double minutes = static_cast<double>(end_unix_ms - start_unix_ms) / 60'000.0;
  auto whole = static_cast<int64_t>(std::ceil(minutes));
  if (whole < 0) {
    return std::nullopt;
  }
  return whole;
}

namespace {

const DeploymentCommitRecord* FindDeployment(const DevLakeLeadTimeInput& in,
                                             const std::string& merge_sha) {
  std::map<std::string, const DeploymentCommitRecord*> by_id;
  for (const auto& d : in.deployment_commits) {
    by_id[d.id] = &d;
  }
  const DeploymentCommitRecord* best = nullptr;
  for (const auto& d : in.deployment_commits) {
    if (d.prev_success_deployment_commit_id.empty() ||
        !internal::EqualsIgnoreCase(d.environment, "production") ||
        !internal::EqualsIgnoreCase(d.result, "success")) {
      continue;
    }
    auto prev = by_id.find(d.prev_success_deployment_commit_id);
    std::string old_sha = prev != by_id.end() ? prev->second->commit_sha : "";
    bool ships = false;
    for (const auto& diff : in.commits_diffs) {
      ships = ships || (diff.new_commit_sha == d.commit_sha && diff.old_commit_sha == old_sha &&
                        diff.commit_sha == merge_sha);
    }
    if (!ships) {
      continue;
    }
    if (best == nullptr || d.started_unix_ms < best->started_unix_ms ||
        (d.started_unix_ms == best->started_unix_ms && d.id < best->id)) {
      best = &d;
    }
  }
  return best;
}

}  // namespace

std::vector<DevLakePrMetric> DevLakeChangeLeadTime(const DevLakeLeadTimeInput& in) {
  std::vector<DevLakePrMetric> out;
  for (const auto& pr : in.pull_requests) {
    if (pr.merged_unix_ms == 0) {
      continue;
    }
    DevLakePrMetric m{
        .id = pr.id, .pr_created_date = pr.created_unix_ms, .pr_merged_date = pr.merged_unix_ms};
    const PullRequestCommit* first_commit = nullptr;
    for (const auto& c : in.pull_request_commits) {
      if (c.change_id == pr.id &&
          (first_commit == nullptr || c.authored_unix_ms < first_commit->authored_unix_ms)) {
        first_commit = &c;
      }
    }
    if (first_commit != nullptr) {
      m.first_commit_sha = first_commit->sha;
      m.first_commit_authored_date = first_commit->authored_unix_ms;
      m.pr_coding_time = DevLakeSpanMinutes(first_commit->authored_unix_ms, pr.created_unix_ms);
    }
    const model::Review* first_review = nullptr;
    for (const auto& r : in.comments) {
      if (r.change_id == pr.id && r.reviewer != pr.author &&
          (first_review == nullptr || r.submitted_unix_ms < first_review->submitted_unix_ms)) {
        first_review = &r;
      }
    }
    if (first_review != nullptr) {
      m.first_review_id = first_review->ref.raw_id;
      m.first_comment_date = first_review->submitted_unix_ms;
      m.pr_pickup_time = DevLakeSpanMinutes(pr.created_unix_ms, first_review->submitted_unix_ms);
      m.pr_review_time = DevLakeSpanMinutes(first_review->submitted_unix_ms, pr.merged_unix_ms);
    }
    const DeploymentCommitRecord* deployment = FindDeployment(in, pr.merge_sha);
    if (deployment != nullptr && deployment->finished_unix_ms != 0) {
      m.deployment_commit_id = deployment->id;
      m.pr_deployed_date = deployment->finished_unix_ms;
      m.pr_deploy_time = DevLakeSpanMinutes(pr.merged_unix_ms, deployment->finished_unix_ms);
    }
    m.pr_cycle_time = m.pr_coding_time.value_or(0) +
                      DevLakeSpanMinutes(pr.created_unix_ms, pr.merged_unix_ms).value_or(0) +
                      m.pr_deploy_time.value_or(0);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace goodhart::analytics::dora
