#include "goodhart/analytics/nd/quality_gates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"
#include "goodhart/directory/directory.h"

namespace goodhart::analytics::nd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const int64_t kMerged = CivilToMillis(2026, 1, 9, 12);  // a Friday
constexpr int64_t kHourMs = 3'600'000;

model::Review Approval(std::string reviewer, int64_t at, std::string sha = "head") {
  model::Review r;
  r.ref.raw_id = "r-" + reviewer;
  r.reviewer = std::move(reviewer);
  r.state = "approved";
  r.commit_sha = std::move(sha);
  r.submitted_unix_ms = at;
  return r;
}

class ReviewGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = directory::Directory::Parse(goodhart::testing::ReadTestdata("directory.yaml"));
    ASSERT_TRUE(dir.ok());
    directory_ = std::move(dir).value();
  }
  ReviewGate Gate(std::vector<model::Review> reviews, NdParams params = {}) {
    ReviewedChange c{.change_id = "pr-1",
                     .head_sha = "head",
                     .last_push_unix_ms = kMerged - 5 * kHourMs,
                     .merged_unix_ms = kMerged,
                     .reviews = std::move(reviews)};
    ActorResolver actors(&directory_);
    return EvaluateReviewGate({c}, {"alice", "bob"}, actors, params);
  }
  directory::Directory directory_;
};

TEST_F(ReviewGateTest, EligibleApprovalAfterTheLastPush) {
  ReviewGate g = Gate({Approval("carol@example.com", kMerged - kHourMs)});
  EXPECT_EQ(g.value, 1);
  ASSERT_EQ(g.approvals.size(), 1u);
  EXPECT_EQ(g.approvals[0].reviewer, "carol");
  EXPECT_EQ(g.approvals[0].review_id, "r-carol@example.com");
  EXPECT_FALSE(g.approvals[0].break_glass);
}

TEST_F(ReviewGateTest, IneligibleApprovals) {
  EXPECT_THAT(Gate({Approval("bob", kMerged - kHourMs)}).reason, HasSubstr("bob, an author"));
  EXPECT_THAT(Gate({Approval("dependabot[bot]", kMerged - kHourMs)}).reason,
              HasSubstr("not by a human"));
  EXPECT_THAT(Gate({Approval("copilot", kMerged - kHourMs)}).reason, HasSubstr("not by a human"));
  EXPECT_THAT(Gate({Approval("mallory@evil.example", kMerged - kHourMs)}).reason,
              HasSubstr("not in the directory"));
  EXPECT_THAT(Gate({Approval("carol", kMerged - kHourMs, "older")}).reason,
              HasSubstr("of older, not of the last push head"));
  model::Review commented = Approval("carol", kMerged - kHourMs);
  commented.state = "commented";
  EXPECT_THAT(Gate({commented}).reason, HasSubstr("pr-1: no approval"));
  EXPECT_EQ(Gate({}).value, 0);
}

TEST_F(ReviewGateTest, LastPushByTimeWhenTheReviewNamesNoCommit) {
  EXPECT_THAT(Gate({Approval("carol", kMerged - 6 * kHourMs, "")}).reason,
              HasSubstr("predates the last push"));
  EXPECT_EQ(Gate({Approval("carol", kMerged - 4 * kHourMs, "")}).value, 1);
  NdParams lenient;
  lenient.require_last_push_approval = false;
  EXPECT_EQ(Gate({Approval("carol", kMerged - 6 * kHourMs, "older")}, lenient).value, 1);
}

TEST_F(ReviewGateTest, BreakGlassWithinTwoWorkingDaysOfTheMerge) {
  // Friday merge: Tuesday noon is 2 working days later, Tuesday 13:00 is past it.
  ReviewGate ok = Gate({Approval("carol", CivilToMillis(2026, 1, 13, 12))});
  EXPECT_EQ(ok.value, 1);
  EXPECT_TRUE(ok.approvals[0].break_glass);
  EXPECT_EQ(Gate({Approval("carol", CivilToMillis(2026, 1, 13, 13))}).value, 0);
  // A pre-merge approval is preferred as the evidence.
  ReviewGate both =
      Gate({Approval("carol", CivilToMillis(2026, 1, 12, 9)), Approval("dave", kMerged - kHourMs)});
  EXPECT_EQ(both.approvals[0].reviewer, "dave");
}

TEST_F(ReviewGateTest, EveryChangeOfTheLogicalChangeNeedsOne) {
  ActorResolver actors(&directory_);
  ReviewedChange a{.change_id = "pr-1",
                   .head_sha = "head",
                   .merged_unix_ms = kMerged,
                   .reviews = {Approval("carol", kMerged - kHourMs)}};
  ReviewedChange b{.change_id = "pr-2", .head_sha = "head", .merged_unix_ms = kMerged};
  ReviewGate g = EvaluateReviewGate({a, b}, {"alice"}, actors, NdParams());
  EXPECT_EQ(g.value, 0);
  EXPECT_THAT(g.reason, HasSubstr("pr-2: no approval"));
  EXPECT_THAT(g.approvals, IsEmpty());
  ReviewedChange push{.change_id = "push:x", .direct_push = true};
  EXPECT_THAT(EvaluateReviewGate({push}, {}, actors, NdParams()).reason,
              HasSubstr("pushed directly"));
}

TEST(ReviewGateNoDirectoryTest, AnyHumanLookingIdentityIsEligible) {
  ActorResolver actors(nullptr);
  ReviewedChange c{.change_id = "pr-1",
                   .head_sha = "head",
                   .merged_unix_ms = kMerged,
                   .reviews = {Approval("someone@example.org", kMerged - kHourMs)}};
  EXPECT_EQ(EvaluateReviewGate({c}, {"alice@example.com"}, actors, NdParams()).value, 1);
  c.reviews = {Approval("Alice <ALICE@example.com>", kMerged - kHourMs)};
  EXPECT_EQ(EvaluateReviewGate({c}, {"alice@example.com"}, actors, NdParams()).value, 0);
}

// ---- F ----

const int64_t kDelivered = CivilToMillis(2026, 2, 2, 10);
constexpr int64_t kDay = kMillisPerDay;

DeliveredChange Delivered() {
  return {.change_id = "pr-1",
          .commit_shas = {"aaaaaaaa11", "aaaaaaaa22"},
          .files = {"svc/a.go"},
          .deployment_id = "d1",
          .delivered_unix_ms = kDelivered};
}

TEST(FailureGateTest, NothingHappenedIsOne) {
  FailureGate g = EvaluateFailureGate({Delivered()}, {}, NdParams());
  EXPECT_EQ(g.value, 1);
  EXPECT_THAT(g.events, IsEmpty());
}

TEST(FailureGateTest, RevertsWithinTheWindow) {
  FailureContext ctx;
  ctx.reverts = {{.sha = "rrrrrrrr",
                  .reverted_sha = "AAAAAAAA22",
                  .committed_unix_ms = kDelivered + 14 * kDay}};
  FailureGate g = EvaluateFailureGate({Delivered()}, ctx, NdParams());
  EXPECT_EQ(g.value, 0);
  EXPECT_EQ(g.events[0].kind, "revert");
  EXPECT_EQ(g.events[0].event_id, "rrrrrrrr");
  ctx.reverts[0].committed_unix_ms = kDelivered + 14 * kDay + 1;  // too late
  EXPECT_EQ(EvaluateFailureGate({Delivered()}, ctx, NdParams()).value, 1);
  // A revert that is itself a commit of the logical change (undone before merge) is not a failure.
  ctx.reverts = {
      {.sha = "aaaaaaaa22", .reverted_sha = "aaaaaaaa11", .committed_unix_ms = kDelivered}};
  EXPECT_EQ(EvaluateFailureGate({Delivered()}, ctx, NdParams()).value, 1);
}

TEST(FailureGateTest, RollbackNotRedelivered) {
  DeliveredChange c = Delivered();
  c.rollback_failure = true;
  c.rolled_back_deployment_id = "d1";
  c.rolled_back_by = "d2";
  c.rolled_back_unix_ms = kDelivered + kDay;
  FailureGate g = EvaluateFailureGate({c}, {}, NdParams());
  EXPECT_EQ(g.value, 0);
  EXPECT_THAT(g.events, ElementsAre(::testing::Field(&FailureEvent::kind, "rollback")));
  EXPECT_THAT(g.events[0].detail, HasSubstr("d1 was rolled back by d2; not re-delivered"));
}

TEST(FailureGateTest, IncidentsBySeverityWindowAndCandidates) {
  FailureContext ctx;
  ctx.incidents = {{.incident_id = "I1",
                    .severity = 3,
                    .caused_by = "d1",
                    .began_unix_ms = kDelivered + 2 * kDay}};
  ctx.logical_changes_by_deployment = {{"d1", 1}};
  EXPECT_EQ(EvaluateFailureGate({Delivered()}, ctx, NdParams()).value, 0);
  ctx.incidents[0].began_unix_ms = kDelivered + 15 * kDay;
  EXPECT_EQ(EvaluateFailureGate({Delivered()}, ctx, NdParams()).value, 1);
  ctx.incidents[0].began_unix_ms = kDelivered + 2 * kDay;
  ctx.incidents[0].severity = 0;  // unreadable severity: noted
  FailureGate unknown = EvaluateFailureGate({Delivered()}, ctx, NdParams());
  EXPECT_EQ(unknown.value, 1);
  EXPECT_THAT(unknown.notes, ElementsAre(HasSubstr("not Sev1-Sev3")));
  ctx.incidents[0].severity = 1;
  ctx.logical_changes_by_deployment = {{"d1", 3}};
  EXPECT_EQ(EvaluateFailureGate({Delivered()}, ctx, NdParams()).value, 1);
  ctx.incidents[0].caused_by = "pr-1";  // names the change itself
  EXPECT_EQ(EvaluateFailureGate({Delivered()}, ctx, NdParams()).value, 0);
}

TEST(FailureGateTest, HotfixesTouchingTheFilesWithin24Hours) {
  FailureContext ctx;
  ctx.hotfixes = {{.change_id = "pr-9",
                   .incident_id = "I7",
                   .files = {"svc/b.go", "svc/a.go"},
                   .delivered_unix_ms = kDelivered + 23 * kHourMs}};
  FailureGate g = EvaluateFailureGate({Delivered()}, ctx, NdParams());
  EXPECT_EQ(g.value, 0);
  EXPECT_THAT(g.events[0].detail, HasSubstr("hotfix pr-9 for incident I7 changed svc/a.go"));
  ctx.hotfixes[0].delivered_unix_ms = kDelivered + 25 * kHourMs;
  EXPECT_EQ(EvaluateFailureGate({Delivered()}, ctx, NdParams()).value, 1);
  ctx.hotfixes[0].delivered_unix_ms = kDelivered + kHourMs;
  ctx.hotfixes[0].files = {"svc/b.go"};
  EXPECT_EQ(EvaluateFailureGate({Delivered()}, ctx, NdParams()).value, 1);
}

// ---- D ----

model::Commit WithFile(std::string sha, int64_t at, std::string path, std::vector<uint64_t> added,
                       std::vector<uint64_t> removed = {}, std::string old_path = "") {
  model::Commit c;
  c.sha = std::move(sha);
  c.committed_unix_ms = at;
  model::FileDiff f;
  f.path = std::move(path);
  f.old_path = std::move(old_path);
  f.added_line_hashes = std::move(added);
  f.removed_line_hashes = std::move(removed);
  c.files.push_back(std::move(f));
  return c;
}

Durability D(const std::vector<const model::Commit*>& l,
             const std::vector<const model::Commit*>& later,
             int64_t as_of = kDelivered + 200 * kDay) {
  return EvaluateDurability(
      l, [](const model::Commit&, const model::FileDiff&) { return true; }, later,
      [](const model::Commit& c) -> std::string {
        if (c.sha.starts_with("author"))
          return kLossByAuthor;
        return c.sha.starts_with("revert") ? kLossByRevert : "";
      },
      kDelivered - kDay, kDelivered, as_of, NdParams());
}

TEST(DurabilityTest, NetLinesOfTheLogicalChange) {
  // L adds 1..4, then removes 4 itself: 3 lines; an author removes one of them on day 10.
  model::Commit c1 = WithFile("l1", kDelivered - 2 * kDay, "a.go", {1, 2, 3, 4});
  model::Commit c2 = WithFile("l2", kDelivered - 2 * kDay, "a.go", {}, {4});
  model::Commit later = WithFile("author-1", kDelivered + 10 * kDay, "a.go", {9}, {1});
  Durability d = D({&c1, &c2}, {&later});
  EXPECT_TRUE(d.measured);
  EXPECT_EQ(d.lines, 3);
  EXPECT_EQ(d.lost_prov, 1);
  EXPECT_DOUBLE_EQ(d.prov, 2.0 / 3);
  EXPECT_DOUBLE_EQ(d.final, 2.0 / 3);
}

TEST(DurabilityTest, ProvisionalAndFinalWindows) {
  model::Commit l = WithFile("l", kDelivered - kDay, "a.go", {1, 2, 3, 4});
  model::Commit day21 = WithFile("author-a", kDelivered + 21 * kDay, "a.go", {}, {1});
  model::Commit day30 = WithFile("author-b", kDelivered + 30 * kDay, "a.go", {}, {2});
  model::Commit day91 = WithFile("author-c", kDelivered + 91 * kDay, "a.go", {}, {3});
  model::Commit before = WithFile("author-d", kDelivered - 2 * kDay, "a.go", {}, {4});  // pre-merge
  Durability d = D({&l}, {&day91, &day30, &day21, &before});
  EXPECT_EQ(d.lost_prov, 1);
  EXPECT_EQ(d.lost_final, 2);
  EXPECT_DOUBLE_EQ(d.prov, 0.75);
  EXPECT_DOUBLE_EQ(d.final, 0.5);
  ASSERT_EQ(d.losses.size(), 2u);
  EXPECT_EQ(d.losses[0].commit_sha, "author-a");
  // Evaluated on day 25: only what happened so far.
  Durability early = D({&l}, {&day91, &day30, &day21}, kDelivered + 25 * kDay);
  EXPECT_EQ(early.lost_final, 1);
}

TEST(DurabilityTest, OthersEditsSurviveAndCannotBeLostLater) {
  model::Commit l = WithFile("l", kDelivered - kDay, "a.go", {1, 2});
  model::Commit other = WithFile("colleague", kDelivered + kDay, "a.go", {}, {1});
  model::Commit author = WithFile("author-x", kDelivered + 2 * kDay, "a.go", {}, {1});
  Durability d = D({&l}, {&other, &author});
  EXPECT_EQ(d.survived_edits, 1);
  EXPECT_EQ(d.lost_final, 0);
  EXPECT_DOUBLE_EQ(d.final, 1);
}

TEST(DurabilityTest, RenamesAndRevertsAndNothingToMeasure) {
  model::Commit l = WithFile("l", kDelivered - kDay, "old.go", {1, 2});
  model::Commit moved = WithFile("revert-1", kDelivered + kDay, "new.go", {}, {2}, "old.go");
  Durability d = D({&l}, {&moved});
  EXPECT_EQ(d.lost_prov, 1);
  EXPECT_EQ(d.losses[0].by, "revert");
  EXPECT_EQ(d.losses[0].path, "old.go");
  model::Commit empty = WithFile("e", kDelivered - kDay, "a.go", {});
  Durability none = D({&empty}, {});
  EXPECT_FALSE(none.measured);
  EXPECT_DOUBLE_EQ(none.final, 1);
}

}  // namespace
}  // namespace goodhart::analytics::nd
