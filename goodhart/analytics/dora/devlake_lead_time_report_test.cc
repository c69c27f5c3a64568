#include "goodhart/analytics/dora/devlake_lead_time_report.h"

#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::dora {
namespace {

constexpr int64_t kMin = 60'000;
const int64_t kT0 = CivilToMillis(2026, 3, 2, 9);  // a Monday

model::Commit MakeCommit(std::string sha, std::vector<std::string> parents, int64_t authored) {
  model::Commit c;
  c.repo = "acme/app";
  c.sha = std::move(sha);
  c.parents = std::move(parents);
  c.authored_unix_ms = authored;
  c.committed_unix_ms = authored;
  return c;
}

model::Deployment Deploy(std::string id, std::string sha, int64_t finished,
                         std::string environment = "production") {
  return {.id = std::move(id),
          .service = "app",
          .environment = std::move(environment),
          .commit_sha = std::move(sha),
          .repo = "acme/app",
          .status = "success",
          .started_unix_ms = finished - 10 * kMin,
          .finished_unix_ms = finished};
}

// PR #1 is merged with a merge commit: its branch commits b1 (t0 + 0) and b2 (t0 + 60 min) are in
// the history. PR #2 is squash-merged; its branch is not. d0 runs the root, d1 ships PR #1, d2 in
// a second production region (prod-eu, a production environment of the service) ships PR #2.
struct Fixture {
  std::vector<model::Commit> commits = {
      MakeCommit("r00t", {}, kT0 - 1440 * kMin), MakeCommit("b1", {"r00t"}, kT0),
      MakeCommit("b2", {"b1"}, kT0 + 60 * kMin), MakeCommit("m1", {"r00t", "b2"}, kT0 + 300 * kMin),
      MakeCommit("s2", {"m1"}, kT0 + 600 * kMin)};
  std::vector<model::Change> changes;
  std::vector<model::Review> reviews;
  std::vector<model::Deployment> deployments = {
      Deploy("d0", "r00t", kT0 - 1000 * kMin), Deploy("d1", "m1", kT0 + 400 * kMin),
      Deploy("d-staging", "s2", kT0 + 610 * kMin, "staging"),
      Deploy("d2", "s2", kT0 + 700 * kMin, "prod-eu")};
  std::vector<model::Service> services = {
      {.id = "app", .repo = "acme/app", .production_environments = {"production", "prod-eu"}}};

  Fixture() {
    changes.push_back({.id = "pr1",
                       .repo = "acme/app",
                       .author = "alice",
                       .head_sha = "b2",
                       .merge_sha = "m1",
                       .created_unix_ms = kT0 + 120 * kMin,
                       .merged_unix_ms = kT0 + 300 * kMin,
                       .merged = true});
    changes.push_back({.id = "pr2",
                       .repo = "acme/app",
                       .author = "bob",
                       .head_sha = "feature-tip",
                       .merge_sha = "s2",
                       .created_unix_ms = kT0 + 500 * kMin,
                       .merged_unix_ms = kT0 + 600 * kMin,
                       .merged = true});
    changes.push_back({.id = "pr3", .repo = "acme/app", .author = "bob"});  // never merged
    reviews.push_back({.ref = {.raw_id = "c-own"},
                       .change_id = "pr1",
                       .reviewer = "alice",
                       .state = "commented",
                       .submitted_unix_ms = kT0 + 130 * kMin});
    reviews.push_back({.ref = {.raw_id = "c-carol"},
                       .change_id = "pr1",
                       .reviewer = "carol",
                       .state = "approved",
                       .submitted_unix_ms = kT0 + 150 * kMin});
  }
};

TEST(DevLakeLeadTimeReportTest, BuildsDevLakesTablesFromDeliveryRecords) {
  Fixture f;
  DevLakeLeadTimeInput in = DevLakeLeadTimeInputFrom(f.changes, f.reviews, f.deployments,
                                                     CommitGraph(f.commits), f.services);
  ASSERT_EQ(in.pull_request_commits.size(), 3u);  // b1, b2 of PR #1; the squash commit of PR #2
  EXPECT_EQ(in.pull_request_commits[0].change_id, "pr1");
  EXPECT_EQ(in.pull_request_commits[2].sha, "s2");
  ASSERT_EQ(in.deployment_commits.size(), 4u);
  EXPECT_EQ(in.deployment_commits[1].environment, "PRODUCTION");
  EXPECT_EQ(in.deployment_commits[2].environment, "staging");
  EXPECT_EQ(in.deployment_commits[3].environment, "PRODUCTION");

  std::vector<DevLakePrMetric> m = DevLakeChangeLeadTime(in);
  ASSERT_EQ(m.size(), 2u);  // merged PRs only
  // PR #1: first commit b1 at t0; created t0+120; first comment by someone else (carol) t0+150;
  // merged t0+300; d1 finished t0+400.
  EXPECT_EQ(m[0].first_commit_sha, "b1");
  EXPECT_EQ(m[0].pr_coding_time, 120);
  EXPECT_EQ(m[0].first_review_id, "c-carol");
  EXPECT_EQ(m[0].pr_pickup_time, 30);
  EXPECT_EQ(m[0].pr_review_time, 150);
  EXPECT_EQ(m[0].pr_deploy_time, 100);
  EXPECT_EQ(m[0].pr_cycle_time, 120 + 180 + 100);
  // PR #2: the squash commit is authored at the merge, after the PR was created, so no coding
  // time; no comment; deployed by d2 (prod-eu), not by the staging deployment.
  EXPECT_EQ(m[1].pr_coding_time, std::nullopt);
  EXPECT_EQ(m[1].pr_pickup_time, std::nullopt);
  EXPECT_EQ(m[1].pr_deploy_time, 100);
  EXPECT_EQ(m[1].pr_cycle_time, 0 + 100 + 100);

  DevLakeLeadTimeSummary all = SummarizeDevLakeLeadTime(m, kT0, kT0 + 1440 * kMin);
  EXPECT_EQ(all.pull_requests, 2);
  EXPECT_EQ(all.median_cycle_minutes, 200);  // DevLake's median of two is the smaller
  DevLakeLeadTimeSummary first = SummarizeDevLakeLeadTime(m, kT0, kT0 + 500 * kMin);
  EXPECT_EQ(first.pull_requests, 1);
  EXPECT_EQ(first.median_cycle_minutes, 400);
  EXPECT_EQ(SummarizeDevLakeLeadTime(m, kT0 - 10, kT0).median_cycle_minutes, std::nullopt);
}

}  // namespace
}  // namespace goodhart::analytics::dora
