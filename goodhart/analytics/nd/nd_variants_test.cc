// Parameter variants of one input (metrics.md §6.4's ablations): Recredit reads one engine run
// under another credit function, ComputeNdVariants shares the delivery stages between runs; both
// equal separate engine runs. S_ref = 120, so rho * S_ref = 30.
#include <gtest/gtest.h>

#include <vector>

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

NdParams NoGrouping() {
  NdParams p;
  p.definition_version = "nd-test-no-grouping";
  p.group_logical_changes = false;
  return p;
}

// One L in each band of g, a hotfix earning the remediation floor, an L its author rewrites, a
// change split over two pull requests (one L when grouped), and deliveries that are final,
// provisional and pending at `as_of`.
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
  s.SquashPr(6, "carol", Day(60),
             {File("services/payments/e.go", 70), File("services/payments/f.go", 30)});
  s.Approve(6, "alice", Day(59.5));
  s.Deploy("d6", "payments-api", Day(60) + kHour);
  s.SquashPr(7, "carol", Day(61),
             {File("services/payments/f.go", 40), File("services/payments/g.go", 60)});
  s.Approve(7, "alice", Day(60.5));
  s.Deploy("d7", "payments-api", Day(61) + kHour);
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

TEST(ComputeNdVariantsTest, EachEqualsItsOwnEngineRun) {
  Scenario base, grouped_off, concave;
  const NdResult expected_base = Mixed(base, NdParams{});
  const NdResult expected_off = Mixed(grouped_off, NoGrouping());
  const NdResult expected_concave = Mixed(concave, Concave());
  ASSERT_NE(expected_base.changes.size(), expected_off.changes.size());  // grouping matters here
  const std::vector<NdParams> variants = {NoGrouping(), NdParams{}, Concave()};
  auto r = ComputeNdVariants(base.input(), variants);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0], expected_off);
  EXPECT_EQ((*r)[1], expected_base);
  EXPECT_EQ((*r)[2], expected_concave);
}

TEST(ComputeNdVariantsTest, RefusesVariantsThatChangeTheDeliveryStages) {
  Scenario s;
  Mixed(s, NdParams{});
  NdParams other = NoGrouping();
  other.w_fail_days = 3;
  auto r = ComputeNdVariants(s.input(), std::vector<NdParams>{NdParams{}, other});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "nd: variants[1]: differs from the input's parameters in more than how logical changes "
            "are formed and credited");
}

}  // namespace
}  // namespace goodhart::analytics::nd
