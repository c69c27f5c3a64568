#include "goodhart/analytics/nd/nd_json.h"

#include <gtest/gtest.h>

#include "goodhart/analytics/nd/internal/testing_scenario.h"

namespace goodhart::analytics::nd {
namespace {

using namespace goodhart::analytics::nd::testing;  // NOLINT(google-build-using-namespace)

TEST(NdJsonTest, CarriesEveryNumberWithItsEvidence) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  nlohmann::json j = ToJson(s.Run(Day(30)));
  EXPECT_EQ(j["definition_version"], "nd-1.0");
  ASSERT_EQ(j["changes"].size(), 1u);
  const auto& l = j["changes"][0];
  EXPECT_EQ(l["stage"], "provisional");
  EXPECT_EQ(l["credit"]["band"], "linear");
  EXPECT_DOUBLE_EQ(l["credit"]["g"].get<double>(), 0.5);
  EXPECT_EQ(l["review"]["approvals"][0]["review_id"], "review-1");
  EXPECT_EQ(l["s_ref"]["pool"], "override");
  EXPECT_DOUBLE_EQ(l["nd_provisional"].get<double>(), 0.5);
  EXPECT_TRUE(l["nd_final"].is_null());
  EXPECT_EQ(l["shares"][0]["person_id"], "alice");
  EXPECT_EQ(j["deployments"][0]["status"], "qpd");
  EXPECT_EQ(j["deployments"][0]["delivered_change_ids"][0], "github:acme/mono#1");
  EXPECT_EQ(j["people"][0]["person_id"], "alice");
  EXPECT_EQ(j["teams"][0]["team_id"], "payments");
}

}  // namespace
}  // namespace goodhart::analytics::nd
