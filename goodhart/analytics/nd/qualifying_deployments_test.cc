#include "goodhart/analytics/nd/qualifying_deployments.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

using Deployments = std::vector<model::Deployment>;  // ClassifyDeployments views them

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kMin = 60'000;
const int64_t kT0 = CivilToMillis(2026, 2, 2, 9);
const int64_t kAsOf = kT0 + 60 * kMillisPerDay;

model::Commit C(std::string sha, std::vector<std::string> parents, std::string path,
                double meaningful = 10) {
  model::Commit c;
  c.repo = "acme/pay";
  c.sha = std::move(sha);
  c.parents = std::move(parents);
  c.files.push_back({.path = std::move(path), .meaningful = meaningful});
  c.meaningful_lines = meaningful;
  return c;
}

// c1 - c2 - c3 - c4
CommitGraph Graph() {
  return CommitGraph({C("c1", {}, "a.go"), C("c2", {"c1"}, "b.go"), C("c3", {"c2"}, "c.go"),
                      C("c4", {"c3"}, "d.go")});
}

model::Deployment D(std::string id, std::string sha, int64_t finished, std::string digest = "",
                    std::string env = "production") {
  model::Deployment d;
  d.id = std::move(id);
  d.service = "pay";
  d.environment = std::move(env);
  d.repo = "acme/pay";
  d.commit_sha = std::move(sha);
  d.artifact_digest = digest.empty() ? "img:" + d.commit_sha : std::move(digest);
  d.pipeline_id = "p-" + d.id;
  d.status = "success";
  d.started_unix_ms = finished - 5 * kMin;
  d.finished_unix_ms = finished;
  return d;
}

std::vector<model::Service> Services() {
  model::Service s;
  s.id = "pay";
  s.repo = "acme/pay";
  s.production_environments = {"production", "prod-eu"};
  return {s};
}

std::vector<DeploymentStatus> Statuses(const std::vector<DeploymentVerdict>& v) {
  std::vector<DeploymentStatus> out;
  for (const auto& x : v)
    out.push_back(x.status);
  return out;
}

TEST(ClassifyDeploymentsTest, ProductionSuccessAndHealth) {
  auto staging = D("s", "c1", kT0, "", "staging");
  auto failed = D("f", "c1", kT0);
  failed.status = "failure";
  auto canary = D("k", "c1", kT0);
  canary.rollout_fraction = 0.1;
  auto running = D("r", "c1", kT0);
  running.status = "in_progress";
  auto young = D("y", "c2", kAsOf - 10 * kMin);
  auto future = D("z", "c2", kAsOf + kMin);
  future.started_unix_ms = kAsOf + kMin;
  auto v = ClassifyDeployments(Deployments{staging, failed, canary, running, young, future},
                               Graph(), Services(), NdParams(), kAsOf);
  EXPECT_THAT(Statuses(v), ElementsAre(DeploymentStatus::kNonProduction, DeploymentStatus::kFailed,
                                       DeploymentStatus::kFailed, DeploymentStatus::kPending,
                                       DeploymentStatus::kPending));
  EXPECT_THAT(v[0].reason, HasSubstr("'staging' is not a production environment of pay"));
  EXPECT_THAT(v[2].reason, HasSubstr("rollout reached 10% of the 100% target"));
  EXPECT_THAT(v[4].reason, HasSubstr("30 min health window"));
  for (const auto& x : v)
    EXPECT_FALSE(x.landed);
}

TEST(ClassifyDeploymentsTest, InactiveMeansReplacedNotFailed) {
  auto old = D("d1", "c1", kT0);
  old.status = "INACTIVE";
  auto v = ClassifyDeployments(Deployments{old, D("d2", "c2", kT0 + kMillisPerDay)}, Graph(),
                               Services(), NdParams(), kAsOf);
  EXPECT_THAT(Statuses(v), ElementsAre(DeploymentStatus::kQpd, DeploymentStatus::kQpd));
  EXPECT_THAT(v[1].commit_shas, ElementsAre("c2"));
}

TEST(ClassifyDeploymentsTest, FanOutRedeployAndChangeSets) {
  auto v = ClassifyDeployments(
      Deployments{D("d1", "c2", kT0), D("d1-bis", "c2", kT0 + 30 * kMin),
                  D("d2", "c2", kT0 + 3 * 60 * kMin), D("d3", "c4", kT0 + kMillisPerDay)},
      Graph(), Services(), NdParams(), kAsOf);
  EXPECT_THAT(Statuses(v), ElementsAre(DeploymentStatus::kQpd, DeploymentStatus::kDuplicate,
                                       DeploymentStatus::kRedeploy, DeploymentStatus::kQpd));
  EXPECT_EQ(v[1].related_deployment_id, "d1");
  EXPECT_EQ(v[2].related_deployment_id, "d1");
  EXPECT_THAT(v[0].commit_shas, ElementsAre("c1", "c2"));
  EXPECT_THAT(v[2].commit_shas, IsEmpty());
  EXPECT_EQ(v[3].prev_deployment_id, "d2");
  EXPECT_THAT(v[3].commit_shas, ElementsAre("c3", "c4"));
  EXPECT_FALSE(v[1].landed);
}

TEST(ClassifyDeploymentsTest, SamePipelineIsFanOutEvenHoursApart) {
  auto a = D("a", "c2", kT0);
  auto b = D("b", "c2", kT0 + 5 * 60 * kMin);
  b.pipeline_id = a.pipeline_id;
  auto v = ClassifyDeployments(Deployments{a, b}, Graph(), Services(), NdParams(), kAsOf);
  EXPECT_EQ(v[1].status, DeploymentStatus::kDuplicate);
  EXPECT_THAT(v[1].reason, HasSubstr("from pipeline p-a"));
}

TEST(ClassifyDeploymentsTest, RollbackSupersedesAndFailsLaterDeployments) {
  auto v = ClassifyDeployments(Deployments{D("d1", "c1", kT0), D("d2", "c2", kT0 + kMillisPerDay),
                                           D("d3", "c3", kT0 + 2 * kMillisPerDay),
                                           D("back", "c1", kT0 + 2 * kMillisPerDay + 20 * kMin),
                                           D("d2-again", "c2", kT0 + 4 * kMillisPerDay)},
                               Graph(), Services(), NdParams(), kAsOf);
  EXPECT_THAT(Statuses(v), ElementsAre(DeploymentStatus::kQpd, DeploymentStatus::kFailed,
                                       DeploymentStatus::kFailed, DeploymentStatus::kRollback,
                                       DeploymentStatus::kQpd));
  EXPECT_EQ(v[1].rolled_back_by, "back");
  EXPECT_THAT(v[1].reason, HasSubstr("rolled back by back at"));
  EXPECT_THAT(v[2].reason, HasSubstr("aborted: rolled back by back 20 min after finishing"));
  EXPECT_TRUE(v[2].landed);
  EXPECT_EQ(v[3].related_deployment_id, "d1");
  // The superseded digests are forgotten: deploying c2 again is a re-delivery, shipping c2 anew.
  EXPECT_EQ(v[4].prev_deployment_id, "back");
  EXPECT_THAT(v[4].commit_shas, ElementsAre("c2"));
}

TEST(ClassifyDeploymentsTest, OldDigestsAreNotRollbacks) {
  NdParams p;
  p.rollback_lookback_days = 10;
  auto v = ClassifyDeployments(Deployments{D("d1", "c1", kT0), D("d2", "c2", kT0 + kMillisPerDay),
                                           D("d3", "c1", kT0 + 20 * kMillisPerDay)},
                               Graph(), Services(), p, kAsOf);
  EXPECT_EQ(v[2].status, DeploymentStatus::kQpd);
}

TEST(ClassifyDeploymentsTest, CanaryThenFullRolloutShipsOnce) {
  auto canary = D("canary", "c2", kT0);
  canary.rollout_fraction = 0.25;
  auto v = ClassifyDeployments(Deployments{canary, D("full", "c2", kT0 + 2 * 60 * kMin)}, Graph(),
                               Services(), NdParams(), kAsOf);
  EXPECT_EQ(v[0].status, DeploymentStatus::kFailed);
  EXPECT_EQ(v[1].status, DeploymentStatus::kQpd);
  EXPECT_THAT(v[1].commit_shas, ElementsAre("c1", "c2"));
}

TEST(MarkNoopDeploymentsTest, ZeroSubstanceCompleteChangeSets) {
  auto v = ClassifyDeployments(Deployments{D("d1", "c2", kT0), D("d2", "c3", kT0 + kMillisPerDay),
                                           D("ghost", "unknown-sha", kT0 + 2 * kMillisPerDay)},
                               Graph(), Services(), NdParams(), kAsOf);
  MarkNoopDeployments(
      v, [](const DeploymentVerdict& x) { return x.deployment_id == "d1" ? 20.0 : 0.0; });
  EXPECT_THAT(Statuses(v),
              ElementsAre(DeploymentStatus::kQpd, DeploymentStatus::kNoop, DeploymentStatus::kQpd));
  EXPECT_DOUBLE_EQ(v[0].substance, 20);
  EXPECT_THAT(v[1].reason, HasSubstr("1 commit(s) carry no meaningful lines"));
  EXPECT_FALSE(v[2].change_set_complete);
  EXPECT_THAT(v[2].reason, HasSubstr("not judged a no-op"));
}

TEST(DeploymentStatusNameTest, Names) {
  EXPECT_EQ(DeploymentStatusName(DeploymentStatus::kNonProduction), "non_production");
  EXPECT_EQ(DeploymentStatusName(DeploymentStatus::kQpd), "qpd");
}

}  // namespace
}  // namespace goodhart::analytics::nd
