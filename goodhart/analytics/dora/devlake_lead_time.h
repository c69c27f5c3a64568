// DevLake-compatible change lead time: Apache DevLake's calculateChangeLeadTime subtask (dora
// plugin, change_lead_time_calculator.go), per merged pull request of one project, every span in
// whole minutes:
//
//   pr_coding_time  first commit authored -> PR created
//   pr_pickup_time  PR created -> first comment by someone other than the PR's author
//   pr_review_time  that comment -> PR merged
//   pr_deploy_time  PR merged -> finish of the deployment that shipped the merge commit
//   pr_cycle_time   coding + (created -> merged) + deploy, a missing span counting 0
//
// A span is ceil(minutes) and is missing when negative (Go: int64(math.Ceil(d.Minutes())) < 0),
// so a span of -30 s reads 0. The first commit is the PR commit with the earliest authored time;
// the first comment the earliest comment not by the PR author (ties keep input order). The
// deployment is the earliest-started (then smallest id) deployment commit record that succeeded,
// is in PRODUCTION, has a previous successful deployment commit, and whose commits_diffs
// (new = its sha, old = the previous record's sha) hold the merge commit. Unmerged PRs get no row.
// DevLake's project scoping (project_mapping) is the caller's: pass one project's rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/model/delivery.h"

namespace goodhart::analytics::dora {

// pull_request_commits: a commit of a pull request.
struct PullRequestCommit {
  std::string change_id, sha;
  int64_t authored_unix_ms = 0;
};

// cicd_deployment_commits: one commit of one deployment.
struct DeploymentCommitRecord {
  std::string id;             // the record's id
  std::string deployment_id;  // cicd_deployment_id (the pipeline)
  std::string commit_sha, result, environment;
  int64_t started_unix_ms = 0, finished_unix_ms = 0;  // 0 when unknown
  std::string prev_success_deployment_commit_id;      // "" for none
};

// commits_diffs: `commit_sha` is reachable from `new_commit_sha` and not from `old_commit_sha`.
struct CommitsDiff {
  std::string new_commit_sha, old_commit_sha, commit_sha;
};

struct DevLakeLeadTimeInput {
  // Pull requests (id, author, merge_sha, created, merged; merged_unix_ms 0 = not merged).
  std::vector<model::Change> pull_requests;
  std::vector<PullRequestCommit> pull_request_commits;
  // pull_request_comments: change_id, reviewer (account), submitted time, ref.raw_id (its id).
  std::vector<model::Review> comments;
  std::vector<DeploymentCommitRecord> deployment_commits;
  std::vector<CommitsDiff> commits_diffs;
};

// project_pr_metrics: one row per merged PR. Spans in minutes; times in unix ms.
struct DevLakePrMetric {
  std::string id;
  std::string first_commit_sha;
  std::optional<int64_t> pr_coding_time;
  std::string first_review_id;
  std::optional<int64_t> pr_pickup_time, pr_review_time;
  std::string deployment_commit_id;
  std::optional<int64_t> pr_deploy_time;
  int64_t pr_cycle_time = 0;
  std::optional<int64_t> first_commit_authored_date, first_comment_date, pr_created_date,
      pr_merged_date, pr_deployed_date;
  bool operator==(const DevLakePrMetric&) const = default;
};

// DevLake's computeTimeSpan: ceil((end - start) in minutes), nullopt when negative.
std::optional<int64_t> DevLakeSpanMinutes(int64_t start_unix_ms, int64_t end_unix_ms);

// One metric per merged pull request, in input order.
std::vector<DevLakePrMetric> DevLakeChangeLeadTime(const DevLakeLeadTimeInput& input);

}  // namespace goodhart::analytics::dora
