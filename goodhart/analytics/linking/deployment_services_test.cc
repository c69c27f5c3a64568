#include "goodhart/analytics/linking/deployment_services.h"

#include <gtest/gtest.h>

namespace goodhart::analytics {
namespace {

model::Service Service(std::string id, std::string repo, std::vector<std::string> envs) {
  return {.id = std::move(id),
          .team = "t",
          .repo = std::move(repo),
          .production_environments = std::move(envs)};
}

model::Deployment Deployment(std::string repo, std::string environment, std::string service = "") {
  model::Deployment d;
  d.id = "github:" + repo + "/deployments/1";
  d.repo = std::move(repo);
  d.environment = std::move(environment);
  d.service = std::move(service);
  return d;
}

TEST(AssignDeploymentServicesTest, TheRepositorysOnlyService) {
  std::vector<model::Service> services = {Service("shop", "acme/shop", {"production"}),
                                          Service("billing", "acme/billing", {"production"})};
  std::vector<model::Deployment> d = {Deployment("acme/shop", "production"),
                                      Deployment("acme/billing", "staging"),
                                      Deployment("acme/unknown", "production")};
  EXPECT_EQ(AssignDeploymentServices(d, services), 2);
  EXPECT_EQ(d[0].service, "shop");
  EXPECT_EQ(d[1].service, "billing");  // the environment is judged later, by the ND engine
  EXPECT_EQ(d[2].service, "");
}

TEST(AssignDeploymentServicesTest, AServiceAlreadyNamedIsKept) {
  std::vector<model::Service> services = {Service("shop", "acme/shop", {"production"})};
  std::vector<model::Deployment> d = {Deployment("acme/shop", "production", "shop-worker")};
  EXPECT_EQ(AssignDeploymentServices(d, services), 0);
  EXPECT_EQ(d[0].service, "shop-worker");
}

TEST(AssignDeploymentServicesTest, AMonorepoNeedsOneServiceForTheEnvironment) {
  std::vector<model::Service> services = {
      Service("payments-api", "acme/mono", {"payments-prod"}),
      Service("search-api", "acme/mono", {"search-prod", "search-prod-eu"}),
      Service("web", "acme/mono", {"production"}), Service("admin", "acme/mono", {"production"})};
  std::vector<model::Deployment> d = {
      Deployment("acme/mono", "search-prod-eu"), Deployment("acme/mono", "Payments-Prod"),
      Deployment("acme/mono", "production"),  // web and admin both: ambiguous
      Deployment("acme/mono", "staging")};
  EXPECT_EQ(AssignDeploymentServices(d, services), 2);
  EXPECT_EQ(d[0].service, "search-api");
  EXPECT_EQ(d[1].service, "payments-api");  // environments compare in any case, as ND's do
  EXPECT_EQ(d[2].service, "");
  EXPECT_EQ(d[3].service, "");
}

// A monorepo service that lists no environments takes the deployments marked production by their
// source (GitHub's production_environment) or named production/prod, as the ND engine judges them.
TEST(AssignDeploymentServicesTest, AMonorepoServiceWithoutAListTakesProductionMarkedDeployments) {
  std::vector<model::Service> services = {Service("api", "acme/mono", {}),
                                          Service("docs", "acme/mono", {"docs-site"})};
  std::vector<model::Deployment> d = {Deployment("acme/mono", "live"),
                                      Deployment("acme/mono", "prod"),
                                      Deployment("acme/mono", "docs-site")};
  d[0].environment_tier = "production";
  EXPECT_EQ(AssignDeploymentServices(d, services), 3);
  EXPECT_EQ(d[0].service, "api");
  EXPECT_EQ(d[1].service, "api");
  EXPECT_EQ(d[2].service, "docs");
}

// A list that names the environment wins over a service without a list, even when the source also
// marks the deployment production; two lists naming it stay ambiguous rather than falling back.
TEST(AssignDeploymentServicesTest, AListNamingTheEnvironmentWinsOverTheFallback) {
  std::vector<model::Service> services = {Service("api", "acme/mono", {}),
                                          Service("payments", "acme/mono", {"payments-prod"}),
                                          Service("search", "acme/mono", {"shared-prod"}),
                                          Service("billing", "acme/mono", {"shared-prod"})};
  std::vector<model::Deployment> d = {Deployment("acme/mono", "payments-prod"),
                                      Deployment("acme/mono", "shared-prod")};
  d[0].environment_tier = d[1].environment_tier = "production";  // GitHub marks both
  EXPECT_EQ(AssignDeploymentServices(d, services), 1);
  EXPECT_EQ(d[0].service, "payments");
  EXPECT_EQ(d[1].service, "");  // search and billing both list it: not api's by the fallback
}

}  // namespace
}  // namespace goodhart::analytics
