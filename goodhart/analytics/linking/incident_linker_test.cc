#include "goodhart/analytics/linking/incident_linker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace goodhart::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

model::Deployment MakeDeployment(std::string id, std::string service, std::string environment,
                                 std::string status, int64_t finished) {
  model::Deployment d;
  d.id = std::move(id);
  d.service = std::move(service);
  d.environment = std::move(environment);
  d.status = std::move(status);
  d.finished_unix_ms = finished;
  return d;
}

model::Incident MakeIncident(std::string id, std::string service, int64_t detected) {
  model::Incident incident;
  incident.id = std::move(id);
  incident.service = std::move(service);
  incident.detected_unix_ms = detected;
  return incident;
}

std::vector<model::Deployment> Deployments() {
  return {
      MakeDeployment("pay-1", "payments", "production", "success", 100),
      MakeDeployment("search-1", "search", "production", "success", 150),
      MakeDeployment("pay-2", "payments", "production", "failure", 180),
      MakeDeployment("pay-3", "payments", "staging", "success", 190),
      MakeDeployment("pay-4", "payments", "production", "success", 200),
      MakeDeployment("search-2", "search", "production", "success", 250),
  };
}

TEST(LinkIncidentsTest, LinksToTheServicesLatestProductionDeploymentBefore) {
  auto links = LinkIncidents({MakeIncident("inc-1", "payments", 199)}, Deployments(), {});
  // pay-2 failed and pay-3 went to staging; pay-4 finished after the incident.
  EXPECT_THAT(links, ElementsAre(IncidentLink{.incident_id = "inc-1",
                                              .deployment_id = "pay-1",
                                              .service = "payments",
                                              .evidence = kIncidentPreceding,
                                              .deployment_finished_unix_ms = 100}));
}

TEST(LinkIncidentsTest, FinishedExactlyAtTheIncidentIsNotBefore) {
  auto links = LinkIncidents({MakeIncident("inc-1", "payments", 200)}, Deployments(), {});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].deployment_id, "pay-1");
  links = LinkIncidents({MakeIncident("inc-1", "payments", 201)}, Deployments(), {});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].deployment_id, "pay-4");
}

TEST(LinkIncidentsTest, IncidentWithoutServiceTakesAnyService) {
  auto links = LinkIncidents({MakeIncident("inc-1", "", 240)}, Deployments(), {});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].deployment_id, "pay-4");
  EXPECT_EQ(links[0].service, "payments");
}

TEST(LinkIncidentsTest, StartTimeBeatsALaterDetection) {
  model::Incident incident = MakeIncident("inc-1", "", 260);
  incident.started_unix_ms = 220;
  EXPECT_EQ(IncidentBeganUnixMs(incident), 220);
  auto links = LinkIncidents({incident}, Deployments(), {});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].deployment_id, "pay-4");  // not search-2, finished after the start
}

TEST(LinkIncidentsTest, NamedDeploymentWins) {
  model::Incident named = MakeIncident("inc-1", "payments", 260);
  named.caused_by_deployment = "pay-2";
  model::Incident unknown = MakeIncident("inc-2", "payments", 260);
  unknown.caused_by_deployment = "pay-99";
  auto links = LinkIncidents({named, unknown}, Deployments(), {});
  EXPECT_THAT(links, ElementsAre(IncidentLink{.incident_id = "inc-1",
                                              .deployment_id = "pay-2",
                                              .service = "payments",
                                              .evidence = kIncidentCausedBy,
                                              .deployment_finished_unix_ms = 180},
                                 IncidentLink{.incident_id = "inc-2",
                                              .deployment_id = "pay-99",
                                              .service = "payments",
                                              .evidence = kIncidentCausedBy,
                                              .deployment_finished_unix_ms = 0}));
}

TEST(LinkIncidentsTest, NoEarlierDeploymentOrNoTimeGivesNoLink) {
  auto links =
      LinkIncidents({MakeIncident("early", "payments", 50), MakeIncident("timeless", "payments", 0),
                     MakeIncident("elsewhere", "billing", 1000)},
                    Deployments(), {});
  EXPECT_THAT(links, IsEmpty());
}

TEST(LinkIncidentsTest, ServiceProductionEnvironmentsApply) {
  ServiceSpec payments;
  payments.id = "payments";
  payments.production_environments = {"staging"};  // odd, but the directory decides
  auto links = LinkIncidents({MakeIncident("inc-1", "payments", 195)}, Deployments(), {payments});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].deployment_id, "pay-3");
}

TEST(LinkIncidentsTest, RecordsOfOneDeploymentCountOnce) {
  // Two records of "rel-1" (two repos); the latest-finishing one dates the deployment.
  std::vector<model::Deployment> deployments = {
      MakeDeployment("rel-1", "payments", "production", "success", 100),
      MakeDeployment("rel-1", "payments", "production", "success", 120)};
  model::Incident incident = MakeIncident("inc-1", "", 0);
  incident.caused_by_deployment = "rel-1";
  auto links = LinkIncidents({incident, MakeIncident("inc-2", "", 110)}, deployments, {});
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].deployment_finished_unix_ms, 120);
  EXPECT_EQ(links[1].deployment_id, "rel-1");
  EXPECT_EQ(links[1].deployment_finished_unix_ms, 100);
}

}  // namespace
}  // namespace goodhart::analytics
