// The ND engine end to end: the worked example of metrics.md §3.11 built from entities, and the
// gaming scenarios of §0-§3 (deploy-splitting, redeploys, no-ops, PR splitting, revert-and-reapply,
// self-merge, rollback, incidents, rewrites, a two-service monorepo). Every expected number is
// computed by hand in the comment above it, with S_ref = 120 (so rho * S_ref = 30) unless a test
// says otherwise.
#include "goodhart/analytics/nd/nd_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/analytics/nd/internal/testing_scenario.h"
#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::analytics::nd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace goodhart::analytics::nd::testing;  // NOLINT(google-build-using-namespace)

constexpr double kEps = 1e-9;

// §3.11, cell by cell. p = alice authored 70% of L1 and all of L3 and L5'.
//
//   L1  PR #1, merge commit: alice 42 lines + bob 18 lines = 60; carol approves after the last
//       push. 25 days after delivery alice rewrites 6 of its lines: D(21 d) = 1, D(90 d) = 54/60.
//   L2  PR #2 by bob, 12 lines: the ramp, (12/120)(12/30) = 0.04.
//   L3  PR #3 by alice, 400 lines: capped at 1.
//   L4  PR #4 by bob, 100 lines, self-merged: g = 100/120 but R = 0.
//   L5  PR #5 by alice, 80 lines: reverted 2 days after delivery (day 3): F = 0.
//   L5' PR #6 by alice, the same patch-id re-landed after the revert: credited once, here.
class WorkedExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string m1 = s_.MergePr(
        1, "alice", Day(1),
        {{.author = "alice", .at = Day(0), .files = {File("services/payments/ledger.go", 42)}},
         {.author = "bob",
          .at = Day(0.1),
          .files = {File("services/payments/ledger_rules.go", 18)}}});
    s_.Approve(1, "carol", Day(0.5));
    s_.Deploy("d1", "payments-api", Day(1) + kHour);
    l1_alice_commit_ = s_.commit(m1).parents[1];
    l1_alice_commit_ = s_.commit(l1_alice_commit_).parents[0];

    s_.SquashPr(2, "bob", Day(7), {File("services/payments/fees.go", 12)});
    s_.Approve(2, "carol", Day(6.5));
    s_.Deploy("d2", "payments-api", Day(7) + kHour);

    s_.SquashPr(3, "alice", Day(14), {File("services/payments/engine.go", 400)});
    s_.Approve(3, "bob", Day(13.5));
    s_.Deploy("d3", "payments-api", Day(14) + kHour);

    s_.SquashPr(4, "bob", Day(21), {File("services/payments/limits.go", 100)});
    s_.Deploy("d4", "payments-api", Day(21) + kHour);

    l5_ = s_.SquashPr(5, "alice", Day(28), {File("services/payments/retry.go", 80)}, "pid-retry");
    s_.Approve(5, "carol", Day(27.5));
    s_.Deploy("d5", "payments-api", Day(28) + kHour);
    s_.Revert("carol", Day(30), l5_);
    s_.Deploy("d6", "payments-api", Day(30) + kHour);

    s_.SquashPr(6, "alice", Day(31), {File("services/payments/retry.go", 80)}, "pid-retry");
    s_.Approve(6, "carol", Day(30.5));
    s_.Deploy("d7", "payments-api", Day(31) + kHour);

    // Alice rewrites 6 of L1's lines 25 days after its delivery (self-merged, never deployed).
    s_.Rewrite(10, "alice", Day(26), l1_alice_commit_, "services/payments/ledger.go", 6);
  }

  Scenario s_;
  std::string l1_alice_commit_, l5_;
};

TEST_F(WorkedExampleTest, EveryCellAtTheFinalStage) {
  NdResult r = s_.Run(Day(31) + 90 * kMillisPerDay + kHour);
  EXPECT_EQ(r.definition_version, "nd-1.0");

  const LogicalChangeCredit* l1 = FindL(r, 1);
  ASSERT_NE(l1, nullptr);
  EXPECT_EQ(l1->stage, NdStage::kFinal);
  EXPECT_DOUBLE_EQ(l1->s, 60);
  EXPECT_DOUBLE_EQ(l1->s_ref.value, 120);
  EXPECT_EQ(l1->s_ref.pool, "override");
  EXPECT_DOUBLE_EQ(l1->credit.g, 0.5);
  EXPECT_EQ(l1->review.value, 1);
  ASSERT_EQ(l1->review.approvals.size(), 1u);
  EXPECT_EQ(l1->review.approvals[0].review_id, "review-1");
  EXPECT_EQ(l1->review.approvals[0].reviewer, "carol");
  EXPECT_EQ(l1->failure.value, 1);
  EXPECT_DOUBLE_EQ(l1->durability.prov, 1.0);
  EXPECT_DOUBLE_EQ(l1->durability.final, 0.9);
  EXPECT_EQ(l1->durability.lines, 60);
  EXPECT_EQ(l1->durability.lost_final, 6);
  EXPECT_NEAR(l1->nd, 0.45, kEps);
  EXPECT_NEAR(*l1->nd_provisional, 0.5, kEps);
  EXPECT_NEAR(*l1->nd_final, 0.45, kEps);
  EXPECT_EQ(l1->delivered_by, "d1");
  ASSERT_EQ(l1->shares.size(), 2u);
  EXPECT_EQ(l1->shares[0].person_id, "alice");
  EXPECT_NEAR(l1->shares[0].share, 0.7, kEps);
  EXPECT_EQ(l1->shares[1].person_id, "bob");
  EXPECT_NEAR(l1->shares[1].share, 0.3, kEps);

  const LogicalChangeCredit* l2 = FindL(r, 2);
  ASSERT_NE(l2, nullptr);
  EXPECT_DOUBLE_EQ(l2->s, 12);
  EXPECT_EQ(l2->credit.band, CreditBand::kRamp);
  EXPECT_NEAR(l2->credit.g, 0.04, kEps);
  EXPECT_EQ(l2->review.value, 1);
  EXPECT_EQ(l2->failure.value, 1);
  EXPECT_DOUBLE_EQ(l2->d, 1);
  EXPECT_NEAR(l2->nd, 0.04, kEps);

  const LogicalChangeCredit* l3 = FindL(r, 3);
  ASSERT_NE(l3, nullptr);
  EXPECT_DOUBLE_EQ(l3->s, 400);
  EXPECT_EQ(l3->credit.band, CreditBand::kCapped);
  EXPECT_DOUBLE_EQ(l3->credit.g, 1);
  EXPECT_DOUBLE_EQ(l3->nd, 1);

  const LogicalChangeCredit* l4 = FindL(r, 4);
  ASSERT_NE(l4, nullptr);
  EXPECT_DOUBLE_EQ(l4->s, 100);
  EXPECT_NEAR(l4->credit.g, 100.0 / 120, kEps);
  EXPECT_EQ(l4->review.value, 0);
  EXPECT_THAT(l4->review.reason, HasSubstr("no approval"));
  EXPECT_EQ(l4->failure.value, 1);
  EXPECT_DOUBLE_EQ(l4->nd, 0);

  const LogicalChangeCredit* l5 = FindL(r, 5);
  ASSERT_NE(l5, nullptr);
  EXPECT_DOUBLE_EQ(l5->s, 80);
  EXPECT_NEAR(l5->credit.g, 80.0 / 120, kEps);
  EXPECT_EQ(l5->review.value, 1);
  EXPECT_EQ(l5->failure.value, 0);
  ASSERT_EQ(l5->failure.events.size(), 1u);
  EXPECT_EQ(l5->failure.events[0].kind, "revert");
  EXPECT_EQ(l5->failure.events[0].at_unix_ms, Day(30));
  EXPECT_DOUBLE_EQ(l5->nd, 0);

  const LogicalChangeCredit* l5b = FindL(r, 6);
  ASSERT_NE(l5b, nullptr);
  EXPECT_NE(l5b, l5) << "a re-landed patch-id is never grouped with the change it repeats";
  EXPECT_DOUBLE_EQ(l5b->s, 80);
  EXPECT_THAT(l5b->parts[0].duplicate_commit_shas, IsEmpty());
  EXPECT_EQ(l5b->duplicate_of, "");
  EXPECT_EQ(l5b->failure.value, 1);
  EXPECT_DOUBLE_EQ(l5b->d, 1);
  EXPECT_NEAR(l5b->nd, 80.0 / 120, kEps);  // 0.67 in the spec's table

  // 0.7 x 0.45 + 1.0 + 0.6667 = 1.98167; the spec's 1.985 adds the rounded 0.67.
  const PersonNd* alice = FindPerson(r, "alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_NEAR(alice->nd, 0.7 * 0.45 + 1.0 + 80.0 / 120, kEps);
  EXPECT_NEAR(alice->nd, 1.985, 0.005);
  EXPECT_NEAR(alice->nd_final, alice->nd, kEps);
  const PersonNd* bob = FindPerson(r, "bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_NEAR(bob->nd, 0.3 * 0.45 + 0.04, kEps);
  EXPECT_EQ(FindPerson(r, "carol")->nd, 0);
}

TEST_F(WorkedExampleTest, ProvisionalStageUsesDurabilityAtDay21) {
  // 21 days after the last delivery: every L is provisional; L1's rewrite (day 26) is after its
  // T_prov (day 22), so L1 earns 0.5 until the final stage.
  NdResult r = s_.Run(Day(31) + 21 * kMillisPerDay + kHour);
  const LogicalChangeCredit* l1 = FindL(r, 1);
  ASSERT_NE(l1, nullptr);
  EXPECT_EQ(l1->stage, NdStage::kProvisional);
  EXPECT_NEAR(l1->nd, 0.5, kEps);
  EXPECT_FALSE(l1->nd_final.has_value());
  const PersonNd* alice = FindPerson(r, "alice");
  EXPECT_NEAR(alice->nd, 0.7 * 0.5 + 1.0 + 80.0 / 120, kEps);
  EXPECT_NEAR(alice->nd_final, 0, kEps);
}

TEST_F(WorkedExampleTest, PendingChangesAreInNoSum) {
  // Day 40: L1 (delivered day 1) and L3 (day 14) are past T_prov; L4 (day 21) and L5' (day 31)
  // are not.
  NdResult r = s_.Run(Day(40));
  EXPECT_EQ(FindL(r, 1)->stage, NdStage::kProvisional);
  EXPECT_EQ(FindL(r, 3)->stage, NdStage::kProvisional);
  EXPECT_EQ(FindL(r, 4)->stage, NdStage::kPending);
  EXPECT_EQ(FindL(r, 6)->stage, NdStage::kPending);
  const PersonNd* alice = FindPerson(r, "alice");
  EXPECT_NEAR(alice->nd, 0.7 * 0.5 + 1.0, kEps);
  EXPECT_NEAR(alice->nd_pending, 80.0 / 120, kEps);
}

TEST_F(WorkedExampleTest, TeamRateDividesByEngineerWeeks) {
  // Payments: alice + bob + carol (FTE 0.5) over Q1 (90 days = 12.857 weeks): 2.5 x 90/7 weeks.
  // Carol contributed too: her revert is a logical change of S = 0 (reverts weigh nothing).
  NdResult r = s_.Run(Day(31) + 90 * kMillisPerDay + kHour);
  ASSERT_EQ(r.teams.size(), 2u);
  const TeamNd& payments = r.teams[0];
  EXPECT_EQ(payments.team_id, "payments");
  EXPECT_THAT(payments.members, ElementsAre("alice", "bob", "carol"));
  EXPECT_EQ(payments.contributors, 3);
  double nd = 0.45 + 0.04 + 1.0 + 80.0 / 120;
  EXPECT_NEAR(payments.nd, nd, kEps);
  EXPECT_NEAR(payments.engineer_weeks, 2.5 * 90 / 7, kEps);
  EXPECT_NEAR(*payments.nd_rate, nd / (2.5 * 90 / 7), kEps);
  EXPECT_EQ(r.teams[1].team_id, "search");
  EXPECT_DOUBLE_EQ(r.teams[1].nd, 0);
}

TEST(NdEngineTest, WithoutADirectoryEveryoneIsUnresolved) {
  // No services: whole repository, `production` qualifies; no S_ref override matters (the
  // service ids are the same), people are their emails, there are no teams.
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  NdResult r = s.Run(Day(100), /*with_directory=*/false);
  // The whole repository ships: the scenario's empty root commit is a (zero) direct push too.
  ASSERT_EQ(r.changes.size(), 2u);
  const LogicalChangeCredit* l = FindL(r, 1);
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->review.value, 1);  // carol is a human who is not the author
  EXPECT_NEAR(l->nd, 0.5, kEps);
  ASSERT_EQ(r.people.size(), 1u);
  EXPECT_EQ(r.people[0].person_id, "alice@example.com");
  EXPECT_FALSE(r.people[0].resolved);
  EXPECT_NEAR(r.people[0].nd, 0.5, kEps);
  EXPECT_THAT(r.teams, IsEmpty());
}

TEST(NdEngineTest, RejectsInvalidParamsAndEmptyPeriods) {
  NdInput in;
  in.period_from_unix_ms = 10;
  in.period_to_unix_ms = 10;
  EXPECT_THAT(ComputeNd(in).status(),
              goodhart::testing::StatusIs(StatusCode::kInvalidArgument, HasSubstr("period")));
  in.period_to_unix_ms = 20;
  in.params.ramp_rho = 2;
  EXPECT_THAT(ComputeNd(in).status(),
              goodhart::testing::StatusIs(StatusCode::kInvalidArgument, HasSubstr("ramp_rho")));
  in.params = NdParams();
  EXPECT_TRUE(ComputeNd(in).ok());
}

TEST(NdEngineTest, UnknownServiceIsWarnedAbout) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Deploy("d1", "billing", Day(0) + kHour);
  NdResult r = s.Run(Day(100));
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr("service 'billing' of deployment d1")));
  const LogicalChangeCredit* l = FindL(r, 1, "billing");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->s_ref.pool, "fallback");
  EXPECT_THAT(l->notes, ElementsAre(HasSubstr("S_ref = fallback 100")));
}

}  // namespace
}  // namespace goodhart::analytics::nd
