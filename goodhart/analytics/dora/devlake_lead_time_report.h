// DevLake-compatible lead time from goodhart's stored delivery records, for `goodhart report
// --dora-mode devlake`. It builds the tables DevLake's calculateChangeLeadTime reads
// (devlake_lead_time.h) and summarises them as DevLake's Grafana DORA dashboard does:
//
//   pull_request_commits     a merge-commit PR: the branch commits (rev-list head ^first-parent of
//                            the merge) when the history holds them; otherwise the merge commit,
//                            plus the PR's own first-commit time when the source gave one
//   pull_request_comments    every review (DevLake counts review comments as comments)
//   cicd_deployment_commits  every deployment record, environment PRODUCTION when
//                            IsProductionDeployment says so for its service (the directory's
//                            production environments), prev_success_deployment_commit_id from
//                            PrevSuccessDeploymentCommit; calculateChangeLeadTime itself keeps
//                            the successful production ones
//   commits_diffs            rev-list new ^old for each record with a previous one
//
//   median lead time         DevLake's median (largest pr_cycle_time whose percent_rank <= 0.5)
//                            over merged PRs whose deployment finished in [from, to)
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "goodhart/analytics/dora/devlake_lead_time.h"
#include "goodhart/analytics/linking/commit_graph.h"
#include "goodhart/model/delivery.h"

namespace goodhart::analytics::dora {

DevLakeLeadTimeInput DevLakeLeadTimeInputFrom(const std::vector<model::Change>& changes,
                                              const std::vector<model::Review>& reviews,
                                              const std::vector<model::Deployment>& deployments,
                                              const CommitGraph& graph,
                                              const std::vector<model::Service>& services);

struct DevLakeLeadTimeSummary {
  int64_t pull_requests = 0;                   // merged PRs deployed in the period
  std::optional<double> median_cycle_minutes;  // nullopt without any
  bool operator==(const DevLakeLeadTimeSummary&) const = default;
};

DevLakeLeadTimeSummary SummarizeDevLakeLeadTime(const std::vector<DevLakePrMetric>& metrics,
                                                int64_t from_unix_ms, int64_t to_unix_ms);

}  // namespace goodhart::analytics::dora
