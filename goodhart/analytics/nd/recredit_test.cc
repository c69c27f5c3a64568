// Recredit: one engine run read under another credit function equals a run with it (metrics.md
// §6.4's concave-credit ablation). S_ref = 120, so rho * S_ref = 30.
#include <gtest/gtest.h>

#include "goodhart/analytics/nd/internal/testing_scenario.h"
#include "goodhart/analytics/nd/nd_engine.h"

namespace goodhart::analytics::nd {
namespace {

using namespace goodhart::analytics::nd::testing;  // NOLINT(google-build-using-namespace)

NdParams Concave() {
  NdParams p;
  p.definition_version = "nd-test-sqrt";
  p.concave_credit = true;
  return p;
}

// One L in each band of g, a hotfix earning the remediation floor, an L its author rewrites, and
// deliveries that are final, provisional and pending at `as_of`.
NdResult Mixed(Scenario& s, const NdParams& params) {
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 200)});  // capped
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.Incident("INC-9", "P1", Day(0) + 3 * kHour, "");
  s.SquashPr(2, "bob", Day(0) + 5 * kHour, {File("services/payments/b.go", 3)});  // below floor
  s.Approve(2, "carol", Day(0) + 4 * kHour);
  s.Deploy("d2", "payments-api", Day(0) + 6 * kHour);
  s.input().remediations.push_back({.incident_id = "INC-9", .change_id = "github:acme/mono#2"});
  std::string rewritten =
      s.SquashPr(3, "bob", Day(50), {File("services/payments/c.go", 60)});  // linear
  s.Approve(3, "carol", Day(49.5));
  s.Deploy("d3", "payments-api", Day(50) + kHour);
  s.Rewrite(4, "bob", Day(55), rewritten, "services/payments/c.go", 12);  // ramp (12 < 30)
  s.Approve(4, "carol", Day(54.5));
  s.Deploy("d4", "payments-api", Day(55) + kHour);
  s.SquashPr(5, "alice", Day(100), {File("services/payments/d.go", 20)});  // ramp, pending
  s.Approve(5, "carol", Day(99.5));
  s.Deploy("d5", "payments-api", Day(100) + kHour);
  s.input().period_to_unix_ms = Day(120);
  s.input().params = params;
  return s.Run(Day(105));
}

TEST(RecreditTest, EqualsARunWithTheOtherCreditFunction) {
  Scenario a, b;
  NdResult linear = Mixed(a, NdParams{}), concave = Mixed(b, Concave());
  ASSERT_NE(linear.changes, concave.changes);
  const directory::Directory* dir = a.input().directory;
  auto r = Recredit(linear, NdParams{}, Concave(), dir);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, concave);
  EXPECT_EQ(r->definition_version, "nd-test-sqrt");
  // And back: the concave run read with the ramp is the ramp's run.
  auto back = Recredit(concave, Concave(), NdParams{}, dir);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, linear);
}

TEST(RecreditTest, RefusesParametersThatChangeMoreThanTheCreditFunction) {
  Scenario s;
  NdResult linear = Mixed(s, NdParams{});
  NdParams other = Concave();
  other.group_logical_changes = false;
  auto r = Recredit(linear, NdParams{}, other, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "nd: recredit: the parameters differ in more than the credit function");
  NdParams floor = NdParams{};
  floor.s_floor_lines = 10;
  EXPECT_FALSE(Recredit(linear, NdParams{}, floor, nullptr).ok());
}

}  // namespace
}  // namespace goodhart::analytics::nd
