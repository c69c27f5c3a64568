// Gaming and failure scenarios through the whole engine (metrics.md §0 item 2, §3.2-§3.8). Each
// builds a small history with the Scenario builder and checks the numbers by hand. S_ref = 120
// (rho * S_ref = 30) unless a test computes it from history; evaluation is 100+ days after the
// last delivery, so every logical change is final.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/analytics/nd/internal/testing_scenario.h"
#include "goodhart/analytics/nd/nd_engine.h"

namespace goodhart::analytics::nd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace goodhart::analytics::nd::testing;  // NOLINT(google-build-using-namespace)

constexpr double kEps = 1e-9;
const int64_t kFinal = Day(140);

double NdOf(const NdResult& r, const std::string& person) { return FindPerson(r, person)->nd; }

// ---- Deploy-splitting: the same change set over two deployments earns the same. ----

// PR #1 is rebased onto main as three commits of 20 lines (60 in all: g = 60/120 = 0.5).
NdResult DeploySplitting(bool split) {
  Scenario s;
  auto shas = s.RebasePr(1, "alice", Day(0),
                         {{File("services/payments/a.go", 20)},
                          {File("services/payments/b.go", 20)},
                          {File("services/payments/c.go", 20)}});
  s.Approve(1, "carol", Day(-0.5));
  if (split)
    s.Deploy("d1", "payments-api", Day(0) + kHour, shas[1]);
  s.Deploy("d2", "payments-api", Day(0) + 2 * kHour, shas[2]);
  return s.Run(kFinal);
}

TEST(DeploySplittingTest, TwoDeploymentsEarnWhatOneDoes) {
  NdResult once = DeploySplitting(false);
  NdResult split = DeploySplitting(true);
  EXPECT_NEAR(NdOf(once, "alice"), 0.5, kEps);
  EXPECT_NEAR(NdOf(split, "alice"), 0.5, kEps);
  ASSERT_EQ(split.changes.size(), 1u);
  EXPECT_DOUBLE_EQ(split.changes[0].s, 60);
  EXPECT_EQ(split.changes[0].delivered_by, "d2");
  // The first deployment shipped 40 lines of the change but completed no change.
  const DeploymentVerdict* d1 = FindDeployment(split, "d1");
  EXPECT_EQ(d1->status, DeploymentStatus::kQpd);
  EXPECT_DOUBLE_EQ(d1->substance, 40);
  EXPECT_THAT(d1->delivered_change_ids, IsEmpty());
  const DeploymentVerdict* d2 = FindDeployment(split, "d2");
  EXPECT_EQ(d2->status, DeploymentStatus::kQpd);
  EXPECT_THAT(d2->delivered_change_ids, ElementsAre("github:acme/mono#1"));
}

// ---- Redeploys, fan-out and a second region: zero extra. ----

TEST(RedeployTest, SameArtifactAgainEarnsNothing) {
  Scenario s;
  std::string sha = s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.Deploy("d1-fanout", "payments-api", Day(0) + kHour + 5 * kMinute);  // same digest, 5 min later
  s.Deploy("d1-again", "payments-api", Day(3), sha);                    // same digest, 3 days later
  s.Deploy("d1-eu", "payments-api", Day(0) + 2 * kHour, sha, "prod-eu");  // second region
  NdResult r = s.Run(kFinal);

  EXPECT_EQ(FindDeployment(r, "d1")->status, DeploymentStatus::kQpd);
  const DeploymentVerdict* fanout = FindDeployment(r, "d1-fanout");
  EXPECT_EQ(fanout->status, DeploymentStatus::kDuplicate);
  EXPECT_EQ(fanout->related_deployment_id, "d1");
  const DeploymentVerdict* again = FindDeployment(r, "d1-again");
  EXPECT_EQ(again->status, DeploymentStatus::kRedeploy);
  EXPECT_EQ(again->related_deployment_id, "d1");
  const DeploymentVerdict* eu = FindDeployment(r, "d1-eu");
  EXPECT_EQ(eu->status, DeploymentStatus::kNoop);  // prod-eu never ran it, but nothing is new
  EXPECT_THAT(eu->commit_shas, IsEmpty());

  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_NEAR(NdOf(r, "alice"), 0.5, kEps);
}

// ---- No-op deployments. ----

TEST(NoopDeployTest, ZeroSubstanceChangeSetIsNotAQpd) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  std::string sha = s.Deploy("d1", "payments-api", Day(0) + kHour).commit_sha;
  // A change of generated code only, and a rebuild of the running commit under a new digest.
  s.SquashPr(2, "alice", Day(2), {GeneratedFile("services/payments/api.pb.go", 900)});
  s.Approve(2, "carol", Day(1.5));
  s.Deploy("d2", "payments-api", Day(2) + kHour);
  s.Deploy("d3", "payments-api", Day(3), s.head()).artifact_digest = "sha256:rebuild";
  NdResult r = s.Run(kFinal);

  const DeploymentVerdict* d2 = FindDeployment(r, "d2");
  EXPECT_EQ(d2->status, DeploymentStatus::kNoop);
  EXPECT_THAT(d2->reason, HasSubstr("no meaningful lines"));
  const DeploymentVerdict* d3 = FindDeployment(r, "d3");
  EXPECT_EQ(d3->status, DeploymentStatus::kNoop);
  EXPECT_THAT(d3->reason, HasSubstr("ships no commit"));
  const LogicalChangeCredit* l2 = FindL(r, 2);
  ASSERT_NE(l2, nullptr);
  EXPECT_DOUBLE_EQ(l2->s, 0);
  EXPECT_DOUBLE_EQ(l2->nd, 0);
  EXPECT_NEAR(NdOf(r, "alice"), 0.5, kEps);
}

// ---- PR splitting: two PRs grouped into one L earn what one PR would. ----

// 200 lines as one PR: g = min(1, 200/120) = 1. Split into two PRs of 100 (g = 0.833 each) they
// would earn 1.67 ungrouped; grouped they are one L of S = 200 and earn 1.
TEST(PrSplittingTest, FileOverlapGroupsTheSplit) {
  Scenario whole;
  whole.SquashPr(1, "alice", Day(0),
                 {File("services/payments/a.go", 70), File("services/payments/b.go", 130)});
  whole.Approve(1, "carol", Day(-0.5));
  whole.Deploy("d1", "payments-api", Day(0) + kHour);
  EXPECT_NEAR(NdOf(whole.Run(kFinal), "alice"), 1.0, kEps);

  Scenario split;  // {a, b} then {b, c}: Jaccard 1/3 >= 0.3; Friday then Tuesday: 2 working days
  split.SquashPr(1, "alice", Day(4),
                 {File("services/payments/a.go", 70), File("services/payments/b.go", 30)});
  split.Approve(1, "carol", Day(3.5));
  split.Deploy("d1", "payments-api", Day(4) + kHour);
  split.SquashPr(2, "alice", Day(8),
                 {File("services/payments/b.go", 40), File("services/payments/c.go", 60)});
  split.Approve(2, "carol", Day(7.5));
  split.Deploy("d2", "payments-api", Day(8) + kHour);
  NdResult r = split.Run(kFinal);
  ASSERT_EQ(r.changes.size(), 1u);
  const LogicalChangeCredit& l = r.changes[0];
  EXPECT_EQ(l.parts.size(), 2u);
  EXPECT_THAT(l.grouping, ElementsAre(HasSubstr("file Jaccard 0.33")));
  EXPECT_DOUBLE_EQ(l.s, 200);
  EXPECT_DOUBLE_EQ(l.credit.g, 1);
  EXPECT_EQ(l.delivered_by, "d2");
  EXPECT_NEAR(NdOf(r, "alice"), 1.0, kEps);
}

TEST(PrSplittingTest, StackedPullRequestsAndWorkItemsGroupWithoutSharedFiles) {
  Scenario s;  // 30 + 30 lines, disjoint files: one L of 60 (g = 0.5), not 2 x 0.25
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 30)});
  s.SquashPr(2, "alice", Day(1), {File("services/payments/b.go", 30)});
  s.change(2).base_ref = s.change(1).head_ref;  // #2 was stacked on #1
  s.SquashPr(3, "bob", Day(0), {File("services/payments/c.go", 30)});
  s.SquashPr(4, "bob", Day(1), {File("services/payments/d.go", 30)});
  s.change(3).title = "PAY-7: retry budget";
  s.change(4).head_ref = "feature/PAY-7-metrics";
  for (int pr : {1, 2, 3, 4})
    s.Approve(pr, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(1) + kHour);
  NdResult r = s.Run(kFinal);
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(FindL(r, 1), FindL(r, 2));
  EXPECT_THAT(FindL(r, 1)->grouping, ElementsAre(HasSubstr("stacked on branch-1")));
  EXPECT_EQ(FindL(r, 3), FindL(r, 4));
  EXPECT_THAT(FindL(r, 3)->grouping, ElementsAre(HasSubstr("same work item PAY-7")));
  EXPECT_NEAR(NdOf(r, "alice"), 0.5, kEps);
  EXPECT_NEAR(NdOf(r, "bob"), 0.5, kEps);
}

TEST(PrSplittingTest, NotGroupedAcrossAuthorsOrOutsideTheWindow) {
  Scenario s;  // same files; bob's PR is another person's; alice's second PR 5 working days later
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.SquashPr(2, "bob", Day(1), {File("services/payments/a.go", 60)});
  s.SquashPr(3, "alice", Day(7), {File("services/payments/a.go", 60)});
  for (int pr : {1, 2, 3})
    s.Approve(pr, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(7) + kHour);
  NdResult r = s.Run(kFinal);
  EXPECT_EQ(r.changes.size(), 3u);
  EXPECT_NEAR(NdOf(r, "alice"), 1.0, kEps);  // two separate L of 0.5
}

// ---- Revert-and-reapply and cherry-picks: content is credited once. ----

TEST(ContentDedupTest, CherryPickOfCreditedContentEarnsNothing) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)}, "pid-fix");
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.SquashPr(2, "bob", Day(10), {File("services/payments/a.go", 60)}, "pid-fix");  // backport
  s.Approve(2, "carol", Day(9.5));
  s.Deploy("d2", "payments-api", Day(10) + kHour);
  NdResult r = s.Run(kFinal);
  const LogicalChangeCredit* l2 = FindL(r, 2);
  ASSERT_NE(l2, nullptr);
  EXPECT_EQ(l2->duplicate_of, "payments-api/github:acme/mono#1");
  EXPECT_EQ(l2->parts[0].duplicate_commit_shas.size(), 1u);
  EXPECT_DOUBLE_EQ(l2->s, 0);
  EXPECT_DOUBLE_EQ(l2->nd, 0);
  EXPECT_NEAR(NdOf(r, "alice"), 0.5, kEps);
  EXPECT_NEAR(NdOf(r, "bob"), 0, kEps);
}

TEST(ContentDedupTest, RevertAndReapplyNetsOneCredit) {
  Scenario s;
  std::string first =
      s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)}, "pid-feature");
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.Revert("alice", Day(1), first);
  s.Deploy("d2", "payments-api", Day(1) + kHour);
  s.SquashPr(2, "alice", Day(2), {File("services/payments/a.go", 60)}, "pid-feature");
  s.Approve(2, "carol", Day(1.5));
  s.Deploy("d3", "payments-api", Day(2) + kHour);
  NdResult r = s.Run(kFinal);
  EXPECT_EQ(FindL(r, 1)->failure.value, 0);
  EXPECT_DOUBLE_EQ(FindL(r, 1)->nd, 0);
  EXPECT_NEAR(FindL(r, 2)->nd, 0.5, kEps);
  EXPECT_NEAR(NdOf(r, "alice"), 0.5, kEps);  // the revert itself weighs nothing
}

// ---- Crediting only what a report sums. ----

// L1 is delivered before the credit window, its backport L2 inside it: L1 is not credited, but its
// patch-id is still in the ledger, so L2 still repeats it.
TEST(CreditWindowTest, EarlierChangesAreNotCreditedButStillDeduplicate) {
  auto history = [](Scenario& s) {
    s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)}, "pid-fix");
    s.Approve(1, "carol", Day(-0.5));
    s.Deploy("d1", "payments-api", Day(0) + kHour);
    s.SquashPr(2, "bob", Day(10), {File("services/payments/a.go", 60)}, "pid-fix");
    s.Approve(2, "carol", Day(9.5));
    s.Deploy("d2", "payments-api", Day(10) + kHour);
  };
  Scenario all, windowed;
  history(all);
  history(windowed);
  windowed.input().credit_from_unix_ms = Day(5);
  NdResult full = all.Run(kFinal), r = windowed.Run(kFinal);
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0], *FindL(full, 2));
  EXPECT_EQ(r.changes[0].duplicate_of, "payments-api/github:acme/mono#1");
  EXPECT_NEAR(NdOf(r, "alice"), 0, kEps);  // L1 is in the period but was not credited
  EXPECT_NEAR(NdOf(full, "alice"), 0.5, kEps);
}

// A failed L before the window keeps its patch-id out of the ledger: the re-application earns.
TEST(CreditWindowTest, AFailedEarlierChangeStillLetsItsReapplicationEarn) {
  Scenario s;
  std::string first =
      s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)}, "pid-feature");
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.Revert("alice", Day(1), first);
  s.Deploy("d2", "payments-api", Day(1) + kHour);
  s.SquashPr(2, "alice", Day(2), {File("services/payments/a.go", 60)}, "pid-feature");
  s.Approve(2, "carol", Day(1.5));
  s.Deploy("d3", "payments-api", Day(2) + kHour);
  s.input().credit_from_unix_ms = Day(1.5);
  NdResult r = s.Run(kFinal);
  EXPECT_EQ(FindL(r, 1), nullptr);
  EXPECT_NEAR(FindL(r, 2)->nd, 0.5, kEps);
}

// L1 by alice (S 60) delivered on day 0, L2 by bob (S 30) on day 10, summed over [from, to).
NdResult AliceThenBob(Scenario& s, int64_t from, int64_t to) {
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.SquashPr(2, "bob", Day(10), {File("services/payments/b.go", 30)});
  s.Approve(2, "carol", Day(9.5));
  s.Deploy("d2", "payments-api", Day(10) + kHour);
  s.input().period_from_unix_ms = from;
  s.input().period_to_unix_ms = to;
  return s.Run(kFinal);
}

// SplitPeriod gives the baseline what an engine run over the baseline would, and moves its
// changes out of the period's result when the windows do not overlap.
TEST(CreditWindowTest, SplitPeriodSumsTheSplitWindow) {
  Scenario period, baseline;
  NdResult r = AliceThenBob(period, Day(5), Day(20));
  NdResult expected = AliceThenBob(baseline, Day(-5), Day(5));
  NdResult split = SplitPeriod(r, Day(-5), Day(5), period.input().directory);
  EXPECT_EQ(split.people, expected.people);
  EXPECT_EQ(split.teams, expected.teams);
  ASSERT_EQ(split.changes.size(), 1u);
  EXPECT_EQ(split.changes[0], *FindL(expected, 1));
  ASSERT_EQ(r.changes.size(), 1u);  // moved: the period's result keeps L2 only
  EXPECT_EQ(r.changes[0].id, FindL(expected, 2)->id);
  EXPECT_NEAR(NdOf(r, "bob"), 0.25, kEps);

  // Overlapping windows: L2 is in both, so it is copied and the period keeps it.
  NdResult overlap = SplitPeriod(r, Day(5), Day(30), period.input().directory);
  EXPECT_EQ(overlap.changes.size(), 1u);
  EXPECT_EQ(r.changes.size(), 1u);
  EXPECT_NEAR(NdOf(overlap, "bob"), 0.25, kEps);
}

// SumPeriodTotals reads one engine run as another period: the sums an engine run over that period
// gives, without the run's records.
TEST(CreditWindowTest, SumPeriodTotalsAreTheRunOverTheOtherPeriod) {
  Scenario period, other;
  NdResult r = AliceThenBob(period, Day(5), Day(20));
  NdResult expected = AliceThenBob(other, Day(-5), Day(5));
  ASSERT_NE(r.people, expected.people);
  NdResult totals = SumPeriodTotals(r, Day(-5), Day(5), period.input().directory);
  EXPECT_EQ(totals.people, expected.people);
  EXPECT_EQ(totals.teams, expected.teams);
  EXPECT_EQ(totals.unattributed_nd, expected.unattributed_nd);
  EXPECT_EQ(totals.definition_version, expected.definition_version);
  EXPECT_EQ(totals.as_of_unix_ms, r.as_of_unix_ms);
  EXPECT_EQ(totals.period_from_unix_ms, Day(-5));
  EXPECT_EQ(totals.period_to_unix_ms, Day(5));
  EXPECT_TRUE(totals.changes.empty());
  EXPECT_TRUE(totals.deployments.empty());
  EXPECT_NEAR(NdOf(totals, "alice"), 0.5, kEps);
}

// ---- Review gate. ----

TEST(ReviewTest, SelfMergeEarnsNothingBreakGlassRestoresIt) {
  Scenario s;  // Friday merges
  s.SquashPr(1, "alice", Day(4), {File("services/payments/a.go", 60)});
  s.Approve(1, "alice", Day(3.9));  // her own approval does not count
  s.SquashPr(2, "bob", Day(4.1), {File("services/payments/b.go", 60)});
  s.Approve(2, "carol", Day(7));  // Monday: 1 working day after the merge (break-glass)
  s.SquashPr(3, "dave", Day(4.2), {File("services/payments/c.go", 60)});
  s.Approve(3, "carol", Day(9));  // Wednesday: 3 working days, too late
  s.Deploy("d1", "payments-api", Day(4.5));
  NdResult r = s.Run(kFinal);

  EXPECT_EQ(FindL(r, 1)->review.value, 0);
  EXPECT_THAT(FindL(r, 1)->review.reason, HasSubstr("approval by alice, an author"));
  EXPECT_EQ(FindL(r, 2)->review.value, 1);
  EXPECT_TRUE(FindL(r, 2)->review.approvals[0].break_glass);
  EXPECT_EQ(FindL(r, 3)->review.value, 0);
  EXPECT_THAT(FindL(r, 3)->review.reason, HasSubstr("break-glass window"));
  EXPECT_NEAR(NdOf(r, "alice"), 0, kEps);
  EXPECT_NEAR(NdOf(r, "bob"), 0.5, kEps);
  EXPECT_NEAR(NdOf(r, "dave"), 0, kEps);
}

// ---- Rollbacks. ----

// d1 ships PR #1, d2 ships PR #2, d3 rolls back to d1's artifact two days later. Optionally a
// fix (PR #3) re-delivers PR #2 `redeliver_after_days` after d2.
NdResult Rollback(double redeliver_after_days) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  std::string good = s.Deploy("d1", "payments-api", Day(0) + kHour).commit_sha;
  s.SquashPr(2, "bob", Day(1), {File("services/payments/b.go", 60)});
  s.Approve(2, "carol", Day(0.5));
  s.Deploy("d2", "payments-api", Day(1) + kHour);
  s.Deploy("d3", "payments-api", Day(3), good);
  if (redeliver_after_days > 0) {
    int64_t at = Day(1) + kHour + static_cast<int64_t>(redeliver_after_days * kMillisPerDay);
    s.SquashPr(3, "bob", at - kHour, {File("services/payments/b_fix.go", 12)});
    s.Approve(3, "carol", at - 2 * kHour);
    s.Deploy("d4", "payments-api", at);
  }
  return s.Run(kFinal);
}

TEST(RollbackTest, SupersededDeploymentFailsItsChanges) {
  NdResult r = Rollback(0);
  EXPECT_EQ(FindDeployment(r, "d1")->status, DeploymentStatus::kQpd);
  const DeploymentVerdict* d2 = FindDeployment(r, "d2");
  EXPECT_EQ(d2->status, DeploymentStatus::kFailed);
  EXPECT_EQ(d2->rolled_back_by, "d3");
  const DeploymentVerdict* d3 = FindDeployment(r, "d3");
  EXPECT_EQ(d3->status, DeploymentStatus::kRollback);
  EXPECT_EQ(d3->related_deployment_id, "d1");

  const LogicalChangeCredit* l2 = FindL(r, 2);
  ASSERT_NE(l2, nullptr);
  EXPECT_EQ(l2->failure.value, 0);
  ASSERT_EQ(l2->failure.events.size(), 1u);
  EXPECT_EQ(l2->failure.events[0].kind, "rollback");
  EXPECT_EQ(l2->failure.events[0].event_id, "d3");
  EXPECT_DOUBLE_EQ(l2->nd, 0);
  EXPECT_EQ(FindL(r, 1)->failure.value, 1);  // d1's change was not rolled back
  EXPECT_NEAR(NdOf(r, "alice"), 0.5, kEps);
}

TEST(RollbackTest, RedeliveryWithinTheWindowRestoresCredit) {
  NdResult r = Rollback(5);
  const LogicalChangeCredit* l2 = FindL(r, 2);
  ASSERT_NE(l2, nullptr);
  EXPECT_EQ(l2->failure.value, 1);
  EXPECT_EQ(l2->delivered_by, "d4");
  EXPECT_EQ(l2->parts[0].rolled_back_deployment_id, "d2");
  EXPECT_THAT(l2->notes, ElementsAre(HasSubstr("d2 was rolled back; re-delivered by d4")));
  // PR #2 (60 lines, 0.5) and the fix PR #3 (12 lines, ramp 0.04) are separate L: other files.
  EXPECT_NEAR(NdOf(r, "bob"), 0.5 + 0.04, kEps);
}

TEST(RollbackTest, RedeliveryAfterTheWindowDoesNot) {
  NdResult r = Rollback(20);
  const LogicalChangeCredit* l2 = FindL(r, 2);
  ASSERT_NE(l2, nullptr);
  EXPECT_EQ(l2->failure.value, 0);
  EXPECT_EQ(l2->delivered_by, "d2");
  EXPECT_THAT(l2->failure.events[0].detail, HasSubstr("re-delivered only by d4"));
}

// ---- Incidents and hotfixes. ----

TEST(IncidentTest, CausedByTheOnlyChangeOfADeploymentFailsIt) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.SquashPr(2, "bob", Day(1), {File("services/payments/b.go", 60)});
  s.SquashPr(3, "dave", Day(1), {File("services/payments/c.go", 60)});
  s.Approve(2, "carol", Day(0.5));
  s.Approve(3, "carol", Day(0.5));
  s.Deploy("d2", "payments-api", Day(1) + kHour);
  s.Incident("INC-1", "SEV2", Day(2), "d1");
  s.Incident("INC-2", "Sev2", Day(2), "d2");  // d2 shipped two L: charged to neither
  s.Incident("INC-3", "sev4", Day(2), "github:acme/mono#3");  // names #3, but Sev4
  NdResult r = s.Run(kFinal);

  const LogicalChangeCredit* l1 = FindL(r, 1);
  EXPECT_EQ(l1->failure.value, 0);
  EXPECT_EQ(l1->failure.events[0].kind, "incident");
  EXPECT_EQ(l1->failure.events[0].event_id, "INC-1");
  EXPECT_EQ(FindL(r, 2)->failure.value, 1);
  EXPECT_THAT(
      FindL(r, 2)->failure.notes,
      ElementsAre(HasSubstr("INC-2 names deployment d2, which delivered 2 logical changes")));
  EXPECT_EQ(FindL(r, 3)->failure.value, 1);
  EXPECT_THAT(FindL(r, 3)->failure.notes,
              ElementsAre(HasSubstr("INC-2 names deployment d2"), HasSubstr("not Sev1-Sev3")));
  EXPECT_NEAR(NdOf(r, "alice"), 0, kEps);
  EXPECT_NEAR(NdOf(r, "bob"), 0.5, kEps);
}

TEST(IncidentTest, HotfixWithin24HoursFailsTheChangeAndEarnsTheRemediationFloor) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.Incident("INC-9", "P1", Day(0) + 3 * kHour, "");
  s.SquashPr(2, "bob", Day(0) + 5 * kHour, {File("services/payments/a.go", 3)});  // 3 lines: g = 0
  s.Approve(2, "carol", Day(0) + 4 * kHour);
  s.Deploy("d2", "payments-api", Day(0) + 6 * kHour);
  s.input().remediations.push_back({.incident_id = "INC-9", .change_id = "github:acme/mono#2"});
  NdResult r = s.Run(kFinal);

  const LogicalChangeCredit* l1 = FindL(r, 1);
  EXPECT_EQ(l1->failure.value, 0);
  EXPECT_EQ(l1->failure.events[0].kind, "hotfix");
  EXPECT_EQ(l1->failure.events[0].event_id, "github:acme/mono#2");
  const LogicalChangeCredit* l2 = FindL(r, 2);
  EXPECT_DOUBLE_EQ(l2->credit.g_formula, 0);
  EXPECT_DOUBLE_EQ(l2->credit.g, 0.25);
  EXPECT_EQ(l2->credit.remediation_incident_id, "INC-9");
  EXPECT_NEAR(NdOf(r, "bob"), 0.25, kEps);
}

// ---- Durability: rewritten by the author vs by someone else. ----

// Alice's PR #1 adds 40 lines (g = 40/120 = 1/3). Ten days later 10 of them are rewritten:
// by alice, D = 30/40 = 0.75 (ND 0.25); by bob, D = 1 (ND 1/3).
NdResult Rewritten(const std::string& by) {
  Scenario s;
  std::string sha = s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 40)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  s.Rewrite(2, by, Day(10), sha, "services/payments/a.go", 10);
  return s.Run(kFinal);
}

TEST(DurabilityTest, RewrittenByItsAuthorWithin21DaysLosesCredit) {
  NdResult r = Rewritten("alice");
  const LogicalChangeCredit* l1 = FindL(r, 1);
  EXPECT_DOUBLE_EQ(l1->durability.prov, 0.75);
  EXPECT_DOUBLE_EQ(l1->durability.final, 0.75);
  ASSERT_EQ(l1->durability.losses.size(), 1u);
  EXPECT_EQ(l1->durability.losses[0].by, "author");
  EXPECT_EQ(l1->durability.losses[0].lines, 10);
  EXPECT_NEAR(l1->nd, 0.25, kEps);
}

TEST(DurabilityTest, RewrittenBySomeoneElseSurvives) {
  NdResult r = Rewritten("bob");
  const LogicalChangeCredit* l1 = FindL(r, 1);
  EXPECT_DOUBLE_EQ(l1->durability.prov, 1);
  EXPECT_DOUBLE_EQ(l1->durability.final, 1);
  EXPECT_EQ(l1->durability.survived_edits, 10);
  EXPECT_THAT(l1->durability.losses, IsEmpty());
  EXPECT_NEAR(l1->nd, 1.0 / 3, kEps);
}

// Issue #4: fingerprints are per file, and the same path in another repository is another file.
TEST(DurabilityTest, Issue4_ARemovalInAnotherRepositoryIsNotALoss) {
  Scenario s;
  std::string sha = s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 40)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  std::string other = s.Rewrite(2, "alice", Day(10), sha, "services/payments/a.go", 10);
  s.commit(other).repo = "acme/other";
  NdResult r = s.Run(kFinal);
  const LogicalChangeCredit* l1 = FindL(r, 1);
  EXPECT_DOUBLE_EQ(l1->durability.final, 1);
  EXPECT_THAT(l1->durability.losses, IsEmpty());
}

TEST(DurabilityTest, AnAbandonedBranchRemovesNothing) {
  Scenario s;
  std::string sha = s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 40)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  model::FileDiff gone;
  gone.path = "services/payments/a.go";
  gone.removed_line_hashes = s.commit(sha).files[0].added_line_hashes;
  s.Unmerged({.author = "alice", .at = Day(5), .files = {gone}});
  NdResult r = s.Run(kFinal);
  EXPECT_DOUBLE_EQ(FindL(r, 1)->durability.final, 1);
  EXPECT_NEAR(NdOf(r, "alice"), 1.0 / 3, kEps);
}

// ---- A monorepo with two services: path-restricted change sets, per-service S_ref. ----

// History (the S_ref window of 2026-Q1 is [2025-06-05, 2025-12-02)): 30 payments changes of 40
// lines and 30 search changes of 200 lines, so S_ref(payments) = 40 and S_ref(search) = 200. Then
// PR #100 adds 40 lines to each service: g = 1 in payments; in search 40 < rho*200 = 50, the ramp:
// (40/200)(40/50) = 0.16. PR #101 touches only payments and is not part of search's deployment.
TEST(MonorepoTest, PathRestrictedChangeSetsAndPerServiceSRef) {
  Scenario s;
  s.input().s_ref_overrides.clear();
  for (int i = 0; i < 30; ++i) {
    int64_t at = Day(-200 + 4 * i);
    s.SquashPr(1000 + i, "alice", at, {File(fmt::format("services/payments/h{}.go", i), 40)});
    s.Deploy(fmt::format("hp{}", i), "payments-api", at + kHour);
    s.SquashPr(2000 + i, "dave", at + 2 * kHour,
               {File(fmt::format("services/search/h{}.go", i), 200)});
    s.Deploy(fmt::format("hs{}", i), "search-api", at + 3 * kHour);
  }
  s.SquashPr(100, "alice", Day(2),
             {File("services/payments/p.go", 40), File("services/search/s.go", 40)});
  s.Approve(100, "carol", Day(1.5));
  s.SquashPr(101, "bob", Day(2.5), {File("services/payments/q.go", 60)});
  s.Approve(101, "carol", Day(2.4));
  s.Deploy("pay", "payments-api", Day(3));
  s.Deploy("search", "search-api", Day(3));
  NdResult r = s.Run(kFinal);

  const LogicalChangeCredit* pay = FindL(r, 100, "payments-api");
  const LogicalChangeCredit* search = FindL(r, 100, "search-api");
  ASSERT_NE(pay, nullptr);
  ASSERT_NE(search, nullptr);
  EXPECT_DOUBLE_EQ(pay->s, 40);
  EXPECT_DOUBLE_EQ(search->s, 40);
  EXPECT_EQ(pay->s_ref.pool, "service");
  EXPECT_EQ(pay->s_ref.changes, 30);
  EXPECT_DOUBLE_EQ(pay->s_ref.value, 40);
  EXPECT_EQ(pay->s_ref.window_to_unix_ms, CivilToMillis(2025, 12, 2));
  EXPECT_DOUBLE_EQ(search->s_ref.value, 200);
  EXPECT_DOUBLE_EQ(pay->credit.g, 1);
  EXPECT_NEAR(search->credit.g, 0.16, kEps);
  EXPECT_EQ(FindL(r, 101, "search-api"), nullptr);
  EXPECT_NE(FindL(r, 101, "payments-api"), nullptr);

  const DeploymentVerdict* d = FindDeployment(r, "search");
  ASSERT_EQ(d->commit_shas.size(), 1u);  // PR #100's commit; #101 is not search's
  EXPECT_THAT(d->delivered_change_ids, ElementsAre("github:acme/mono#100"));
  EXPECT_DOUBLE_EQ(d->substance, 40);

  // Q1 only: alice 1 + 0.16 (her history is in 2025).
  EXPECT_NEAR(NdOf(r, "alice"), 1.16, kEps);
}

TEST(UndeliveredTest, MergedButNeverDeployedIsListed) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  NdResult r = s.Run(kFinal);
  EXPECT_THAT(r.changes, IsEmpty());
  EXPECT_THAT(r.undelivered_change_ids, ElementsAre("github:acme/mono#1"));
}

}  // namespace
}  // namespace goodhart::analytics::nd
