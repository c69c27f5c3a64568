#include "goodhart/analytics/dora/dora_json.h"

#include <gtest/gtest.h>

namespace goodhart::analytics::dora {
namespace {

TEST(DoraJsonTest, SummaryKeysWithNullsWhereUndefined) {
  DoraMetrics m;
  m.scope = {.kind = ScopeKind::kTeam, .id = "core"};
  m.frequency.deployment_count = 0;
  m.frequency.days_per_week_median = 0.0;
  m.frequency.bucket = "none";
  nlohmann::json j = ToJson(m);
  EXPECT_EQ(j["deployment_days_per_week"], 0.0);
  EXPECT_EQ(j["deployment_count"], 0);
  EXPECT_EQ(j["deployment_frequency_bucket"], "none");
  EXPECT_TRUE(j["lead_time_hours_median"].is_null());
  EXPECT_TRUE(j["change_failure_rate"].is_null());
  EXPECT_TRUE(j["recovery_hours_median"].is_null());
  EXPECT_TRUE(j["rework_rate"].is_null());
  EXPECT_EQ(j["scope"]["kind"], "team");
}

TEST(DoraJsonTest, Values) {
  DoraMetrics m;
  m.frequency.deployment_count = 5;
  m.frequency.days_per_week_median = 2.5;
  m.lead_time_hours_median = 15.0;
  m.change_failure_rate = 0.25;
  m.recovery_hours_median = 2.0;
  m.rework_rate = 0.125;
  nlohmann::json j = ToJson(m);
  EXPECT_EQ(j["deployment_days_per_week"], 2.5);
  EXPECT_TRUE(j["deployment_frequency_bucket"].is_null());  // "" = undefined
  EXPECT_EQ(j["lead_time_hours_median"], 15.0);
  EXPECT_EQ(j["change_failure_rate"], 0.25);
  EXPECT_EQ(j["recovery_hours_median"], 2.0);
  EXPECT_EQ(j["rework_rate"], 0.125);
}

}  // namespace
}  // namespace goodhart::analytics::dora
