#include "goodhart/analytics/linking/deployment_linker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/analytics/linking/internal/testing_commits.h"

namespace goodhart::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeCommit;

// A monorepo with two services:
//
//   c1 - c2 - c3 - c4 - m5 - c6
//                \       /
//                 f1 ----
//
//   c1  initial: README.md, services/payments/main.go, services/search/main.go
//   c2  services/payments/pay.go          c3  services/search/index.go
//   f1  services/payments/refund.go       c4  docs/runbook.md (neither service)
//   m5  merge of f1, no files of its own  c6  services/search/query.go + proto/search.proto
CommitGraph MonorepoGraph() {
  return CommitGraph({
      MakeCommit("c1", {}, {"README.md", "services/payments/main.go", "services/search/main.go"},
                 100),
      MakeCommit("c2", {"c1"}, {"services/payments/pay.go"}, 200),
      MakeCommit("c3", {"c2"}, {"services/search/index.go"}, 300),
      MakeCommit("f1", {"c3"}, {"services/payments/refund.go"}, 350),
      MakeCommit("c4", {"c3"}, {"docs/runbook.md"}, 400),
      MakeCommit("m5", {"c4", "f1"}, {}, 500),
      MakeCommit("c6", {"m5"}, {"services/search/query.go", "proto/search.proto"}, 600),
  });
}

std::vector<ServiceSpec> MonorepoServices() {
  ServiceSpec payments;
  payments.id = "payments";
  payments.repo = "acme/mono";
  payments.paths = {"services/payments/**"};
  payments.production_environments = {"production", "prod-eu"};
  ServiceSpec search;
  search.id = "search";
  search.repo = "acme/mono";
  search.paths = {"services/search/**", "*.proto"};
  return {payments, search};
}

model::Deployment MakeDeployment(std::string id, std::string service, std::string environment,
                                 std::string status, std::string sha, int64_t finished) {
  model::Deployment d;
  d.id = std::move(id);
  d.service = std::move(service);
  d.repo = "acme/mono";
  d.environment = std::move(environment);
  d.status = std::move(status);
  d.commit_sha = std::move(sha);
  d.started_unix_ms = finished - 10;
  d.finished_unix_ms = finished;
  return d;
}

const DeploymentLink* FindLink(const std::vector<DeploymentLink>& links, std::string_view id) {
  for (const auto& link : links) {
    if (link.deployment_id == id) {
      return &link;
    }
  }
  return nullptr;
}

class MonorepoChangeSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Deliberately not in time order.
    std::vector<model::Deployment> deployments = {
        MakeDeployment("pay-2", "payments", "production", "success", "m5", 1300),
        MakeDeployment("pay-1", "payments", "production", "success", "c2", 1000),
        MakeDeployment("search-1", "search", "production", "success", "c3", 1100),
        MakeDeployment("pay-failed", "payments", "production", "failure", "c4", 1200),
        MakeDeployment("pay-staging", "payments", "staging", "success", "c6", 1250),
        MakeDeployment("search-2", "search", "production", "SUCCESS", "c6", 1400),
        MakeDeployment("pay-redeploy", "payments", "production", "success", "m5", 1500),
        MakeDeployment("pay-eu", "payments", "prod-eu", "success", "c6", 1600),
    };
    links_ = LinkDeployments(deployments, MonorepoGraph(), MonorepoServices());
  }
  std::vector<DeploymentLink> links_;
};

TEST_F(MonorepoChangeSetTest, LinksOnlySuccessfulProductionDeploymentsInInputOrder) {
  std::vector<std::string> ids;
  for (const auto& link : links_) {
    ids.push_back(link.deployment_id);
  }
  EXPECT_THAT(ids, ElementsAre("pay-2", "pay-1", "search-1", "search-2", "pay-redeploy", "pay-eu"));
}

TEST_F(MonorepoChangeSetTest, FirstDeploymentShipsItsServicesHistory) {
  const DeploymentLink* pay1 = FindLink(links_, "pay-1");
  ASSERT_NE(pay1, nullptr);
  EXPECT_EQ(pay1->prev_success_deployment_id, "");
  EXPECT_EQ(pay1->prev_commit_sha, "");
  EXPECT_TRUE(pay1->complete);
  EXPECT_THAT(pay1->commit_shas, ElementsAre("c1", "c2"));

  // search's first deployment leaves out c2, which touched payments only.
  const DeploymentLink* search1 = FindLink(links_, "search-1");
  ASSERT_NE(search1, nullptr);
  EXPECT_EQ(search1->prev_success_deployment_id, "");
  EXPECT_THAT(search1->commit_shas, ElementsAre("c1", "c3"));
}

TEST_F(MonorepoChangeSetTest, FailedAndStagingDeploymentsAreNotPrevious) {
  // pay-failed (c4) and pay-staging (c6) come between pay-1 and pay-2.
  const DeploymentLink* pay2 = FindLink(links_, "pay-2");
  ASSERT_NE(pay2, nullptr);
  EXPECT_EQ(pay2->service, "payments");
  EXPECT_EQ(pay2->repo, "acme/mono");
  EXPECT_EQ(pay2->commit_sha, "m5");
  EXPECT_EQ(pay2->prev_success_deployment_id, "pay-1");
  EXPECT_EQ(pay2->prev_commit_sha, "c2");
  EXPECT_TRUE(pay2->complete);
  // m5 ^c2 = c3, f1, c4, m5; of those only f1 touches payments.
  EXPECT_THAT(pay2->commit_shas, ElementsAre("f1"));
}

TEST_F(MonorepoChangeSetTest, ChangeSetsArePathRestrictedPerService) {
  const DeploymentLink* search2 = FindLink(links_, "search-2");
  ASSERT_NE(search2, nullptr);
  EXPECT_EQ(search2->prev_success_deployment_id, "search-1");
  // c6 ^c3 = f1, c4, m5, c6; only c6 touches search (services/search/** or *.proto).
  EXPECT_THAT(search2->commit_shas, ElementsAre("c6"));
}

TEST_F(MonorepoChangeSetTest, RedeployOfTheSameShaShipsNothing) {
  const DeploymentLink* redeploy = FindLink(links_, "pay-redeploy");
  ASSERT_NE(redeploy, nullptr);
  EXPECT_EQ(redeploy->prev_success_deployment_id, "pay-2");
  EXPECT_TRUE(redeploy->complete);
  EXPECT_THAT(redeploy->commit_shas, IsEmpty());
}

TEST_F(MonorepoChangeSetTest, SecondProductionEnvironmentFollowsTheFirst) {
  // prod-eu is on payments' production list; its previous is the redeploy in "production".
  const DeploymentLink* eu = FindLink(links_, "pay-eu");
  ASSERT_NE(eu, nullptr);
  EXPECT_EQ(eu->prev_success_deployment_id, "pay-redeploy");
  EXPECT_THAT(eu->commit_shas, IsEmpty());  // c6 touched search only
}

TEST(LinkDeploymentsTest, UnknownServiceTakesTheWholeRepository) {
  std::vector<model::Deployment> deployments = {
      MakeDeployment("web-1", "web", "Production", "success", "c2", 10),
      MakeDeployment("web-2", "web", "production", "success", "c4", 20)};
  auto links = LinkDeployments(deployments, MonorepoGraph(), MonorepoServices());
  ASSERT_EQ(links.size(), 2u);
  EXPECT_THAT(links[0].commit_shas, ElementsAre("c1", "c2"));
  EXPECT_THAT(links[1].commit_shas, ElementsAre("c3", "c4"));
}

TEST(LinkDeploymentsTest, EnvironmentTierMarksProductionWhenNoListIsGiven) {
  model::Deployment d = MakeDeployment("web-1", "web", "us-east-1", "success", "c2", 10);
  EXPECT_FALSE(IsProductionDeployment(d, nullptr));
  d.environment_tier = "production";
  EXPECT_TRUE(IsProductionDeployment(d, nullptr));
  EXPECT_EQ(LinkDeployments({d}, MonorepoGraph(), {}).size(), 1u);

  ServiceSpec spec;
  spec.id = "web";
  spec.production_environments = {"us-east-1"};
  d.environment_tier = "";
  EXPECT_TRUE(IsProductionDeployment(d, &spec));
  d.environment = "production";  // not on the service's own list
  EXPECT_FALSE(IsProductionDeployment(d, &spec));

  // A directory service that lists no environments leaves it to the deployment's own marking
  // (GitHub's production_environment) or a production name.
  spec.production_environments.clear();
  d.environment = "prod-eu";
  EXPECT_FALSE(IsProductionDeployment(d, &spec));
  d.environment_tier = "production";
  EXPECT_TRUE(IsProductionDeployment(d, &spec));
  d.environment_tier = "";
  d.environment = "Prod";
  EXPECT_TRUE(IsProductionDeployment(d, &spec));
}

TEST(LinkDeploymentsTest, MultiRepoDeploymentGetsALinkPerRepo) {
  CommitGraph graph({MakeCommit("a1", {}, {"services/payments/x"}, 1),
                     MakeCommit("a2", {"a1"}, {"docs/y"}, 2), MakeCommit("b1", {}, {"lib/z"}, 1),
                     MakeCommit("b2", {"b1"}, {"lib/w"}, 2)});
  std::vector<model::Deployment> deployments = {
      MakeDeployment("rel-1", "payments", "production", "success", "a1", 10),
      MakeDeployment("rel-1", "payments", "production", "success", "b1", 10),
      MakeDeployment("rel-2", "payments", "production", "success", "a2", 20),
      MakeDeployment("rel-2", "payments", "production", "success", "b2", 20)};
  for (auto* d : {&deployments[1], &deployments[3]}) {
    d->repo = "acme/shared-lib";
  }
  auto links = LinkDeployments(deployments, graph, MonorepoServices());
  ASSERT_EQ(links.size(), 4u);
  EXPECT_THAT(links[2].commit_shas, IsEmpty());  // a2 only touched docs/
  // The globs belong to acme/mono; the shared library counts whole.
  EXPECT_EQ(links[3].repo, "acme/shared-lib");
  EXPECT_EQ(links[3].prev_commit_sha, "b1");
  EXPECT_THAT(links[3].commit_shas, ElementsAre("b2"));
}

TEST(LinkDeploymentsTest, UnknownShasMakeTheLinkIncomplete) {
  std::vector<model::Deployment> deployments = {
      MakeDeployment("pay-1", "payments", "production", "success", "gone", 10),
      MakeDeployment("pay-2", "payments", "production", "success", "c2", 20),
      MakeDeployment("pay-3", "payments", "production", "success", "nope", 30)};
  auto links = LinkDeployments(deployments, MonorepoGraph(), MonorepoServices());
  ASSERT_EQ(links.size(), 3u);
  EXPECT_FALSE(links[0].complete);
  EXPECT_FALSE(links[1].complete);  // previous sha unknown: c2's history is an upper bound
  EXPECT_THAT(links[1].commit_shas, ElementsAre("c1", "c2"));
  EXPECT_FALSE(links[2].complete);
  EXPECT_THAT(links[2].commit_shas, IsEmpty());
}

TEST(PrevSuccessDeploymentCommitTest, GroupsByServiceRepoAndEnvironment) {
  std::vector<model::Deployment> records = {
      MakeDeployment("p3", "svc", "PRODUCTION", "SUCCESS", "s3", 300),
      MakeDeployment("p1", "svc", "PRODUCTION", "SUCCESS", "s1", 100),
      MakeDeployment("p2", "svc", "PRODUCTION", "FAILURE", "s2", 200),
      MakeDeployment("s1", "svc", "STAGING", "SUCCESS", "s1", 150),
      MakeDeployment("s2", "svc", "STAGING", "SUCCESS", "s2", 250),
      MakeDeployment("o1", "other", "PRODUCTION", "SUCCESS", "s1", 50),
      MakeDeployment("u1", "svc", "PRODUCTION", "SUCCESS", "s4", 0),  // unfinished
      MakeDeployment("e1", "svc", "", "SUCCESS", "s5", 400),          // no environment
  };
  auto prev = PrevSuccessDeploymentCommit(records);
  ASSERT_EQ(prev.size(), records.size());
  EXPECT_EQ(prev[0], std::optional<size_t>(1));  // p3 follows p1; the failed p2 is skipped
  EXPECT_EQ(prev[1], std::nullopt);
  EXPECT_EQ(prev[2], std::nullopt);
  EXPECT_EQ(prev[3], std::nullopt);
  EXPECT_EQ(prev[4], std::optional<size_t>(3));
  EXPECT_EQ(prev[5], std::nullopt);
  EXPECT_EQ(prev[6], std::nullopt);
  EXPECT_EQ(prev[7], std::nullopt);
}

}  // namespace
}  // namespace goodhart::analytics
