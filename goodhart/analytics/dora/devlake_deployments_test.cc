#include "goodhart/analytics/dora/devlake_deployments.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::dora {
namespace {

model::Deployment Record(std::string id, std::string status, std::string environment,
                         int64_t finished) {
  model::Deployment d;
  d.id = std::move(id);
  d.status = std::move(status);
  d.environment = std::move(environment);
  d.finished_unix_ms = finished;
  return d;
}

TEST(DevLakeDeploymentsTest, PipelineFanOutCountsOnceAtItsLastFinish) {
  int64_t t = CivilToMillis(2023, 4, 10, 23, 0);
  std::vector<DevLakeDeployment> d = DevLakeProductionDeployments({
      Record("pipeline1", "SUCCESS", "PRODUCTION", t),
      Record("pipeline1", "SUCCESS", "PRODUCTION", t + 2 * 3'600'000),  // next day
      Record("pipeline2", "FAILURE", "PRODUCTION", t),
      Record("pipeline3", "SUCCESS", "STAGING", t),
  });
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].deployment_id, "pipeline1");
  EXPECT_EQ(d[0].finished_unix_ms, t + 2 * 3'600'000);
}

TEST(DevLakeDeploymentsTest, FrequencyOverCalendarWeeksAndMonths) {
  // (from, to] = 2023-05-31 .. 2023-06-14 ends: days June 1..14 (to is June 14 12:00, so DATE(to)
  // = June 14; from is May 31 12:00, so May 31 is not included). Weeks (Monday): May 29 (June 1-4),
  // June 5 (5-11), June 12 (12-14). Deployment days: June 2, June 6, June 7, June 13.
  // Per week {1, 2, 1}: sorted 1,1,2 -> percent_rank 0,0,1 -> largest with rank <= 0.5: 1.
  // Per month: June only -> 4. Level: >= 1 day per week -> "high".
  auto day = [](int m, int d) { return CivilToMillis(2023, m, d, 9); };
  std::vector<DevLakeDeployment> d = {
      {"p1", day(6, 2)}, {"p2", day(6, 6)}, {"p3", day(6, 7)}, {"p4", day(6, 13)}};
  DevLakeDeploymentFrequency f = ComputeDevLakeDeploymentFrequency(
      d, CivilToMillis(2023, 5, 31, 12), CivilToMillis(2023, 6, 14, 12));
  EXPECT_EQ(f.deployment_days, 4);
  EXPECT_DOUBLE_EQ(*f.median_days_per_week, 1.0);
  EXPECT_DOUBLE_EQ(*f.median_days_per_month, 4.0);
  EXPECT_EQ(f.level, "high");

  // Only June 2: weeks {1, 0, 0} -> sorted 0,0,1 -> 0; month {1} -> 1: "medium".
  f = ComputeDevLakeDeploymentFrequency({{"p1", day(6, 2)}}, CivilToMillis(2023, 5, 31, 12),
                                        CivilToMillis(2023, 6, 14, 12));
  EXPECT_DOUBLE_EQ(*f.median_days_per_week, 0.0);
  EXPECT_EQ(f.level, "medium");
  f = ComputeDevLakeDeploymentFrequency({}, CivilToMillis(2023, 5, 31, 12),
                                        CivilToMillis(2023, 6, 14, 12));
  EXPECT_EQ(f.level, "");
}

TEST(DevLakeDeploymentsTest, ChangeFailureRateCountsDeploymentsWithAnIncident) {
  // Three deployments in the period, one outside; p1 has two incidents, p3 one: 2/3.
  std::vector<DevLakeDeployment> d = {{"p1", 100}, {"p2", 200}, {"p3", 300}, {"p4", 900}};
  std::vector<IncidentLink> links = {
      {.incident_id = "i1", .deployment_id = "p1"},
      {.incident_id = "i2", .deployment_id = "p1"},
      {.incident_id = "i3", .deployment_id = "p3"},
      {.incident_id = "i4", .deployment_id = "p4"},
  };
  DevLakeChangeFailureRate cfr = ComputeDevLakeChangeFailureRate(d, links, 0, 500);
  EXPECT_EQ(cfr.deployments, 3);
  EXPECT_EQ(cfr.deployments_with_incident, 2);
  EXPECT_DOUBLE_EQ(*cfr.rate, 2.0 / 3.0);
  EXPECT_EQ(ComputeDevLakeChangeFailureRate(d, links, 1000, 2000).rate, std::nullopt);
}

}  // namespace
}  // namespace goodhart::analytics::dora
