#include "goodhart/analytics/nd/change_delivery.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kMin = 60'000;
const int64_t kT0 = CivilToMillis(2026, 2, 2, 9);

model::Commit C(std::string sha, std::vector<std::string> parents, int64_t at,
                std::string path = "") {
  model::Commit c;
  c.repo = "acme/pay";
  c.sha = std::move(sha);
  c.parents = std::move(parents);
  c.author_email = "alice@example.com";
  c.committed_unix_ms = at;
  if (!path.empty())
    c.files.push_back({.path = std::move(path), .meaningful = 10});
  return c;
}

model::Change Pr(int number, std::string merge_sha, std::string head_sha, int64_t merged,
                 int64_t commit_count) {
  model::Change c;
  c.id = "#" + std::to_string(number);
  c.repo = "acme/pay";
  c.number = number;
  c.merged = true;
  c.merge_sha = std::move(merge_sha);
  c.head_sha = std::move(head_sha);
  c.merged_unix_ms = merged;
  c.commit_count = commit_count;
  return c;
}

//   m0 - s1 - r1 - r2 - r3 - m5 - p6
//                    \       /
//                     b1 - b2
// s1: squash of #1 (3 commits on its branch). r1..r3: #2 rebased at one time. m5 merges #3's
// branch b1, b2. p6: a direct push. m0 is the root.
struct History {
  std::vector<model::Commit> commits = {
      C("m0", {}, kT0, "x"),
      C("s1", {"m0"}, kT0 + 10 * kMin, "a"),
      C("r1", {"s1"}, kT0 + 60 * kMin, "b"),
      C("r2", {"r1"}, kT0 + 60 * kMin, "c"),
      C("r3", {"r2"}, kT0 + 60 * kMin, "d"),
      C("b1", {"r3"}, kT0 + 61 * kMin, "e"),
      C("b2", {"b1"}, kT0 + 62 * kMin, "f"),
      C("m5", {"r3", "b2"}, kT0 + 90 * kMin),
      C("p6", {"m5"}, kT0 + 100 * kMin, "g"),
  };
  std::vector<model::Change> changes = {
      Pr(3, "m5", "b2", kT0 + 90 * kMin, 2), Pr(1, "s1", "head-1", kT0 + 10 * kMin, 3),
      Pr(2, "r3", "head-2", kT0 + 60 * kMin, 3), Pr(4, "", "", 0, 1),  // not merged: skipped
  };
  CommitGraph graph{commits};
};

TEST(AssignCommitsToChangesTest, SquashRebaseMergeCommitAndDirectPush) {
  History h;
  h.changes[3].merged = false;
  ChangeCommits cc = AssignCommitsToChanges(h.changes, h.commits, h.graph);
  ASSERT_EQ(cc.changes.size(), 5u);  // #1 #2 #3 by merge time, then m0 and p6 as pushes
  EXPECT_EQ(cc.changes[0].id, "#1");
  EXPECT_THAT(cc.commits[0], ElementsAre("s1"));
  EXPECT_EQ(cc.changes[1].id, "#2");
  EXPECT_THAT(cc.commits[1], ElementsAre("r1", "r2", "r3"));
  EXPECT_EQ(cc.changes[2].id, "#3");
  EXPECT_THAT(cc.commits[2], ElementsAre("b1", "b2", "m5"));
  EXPECT_EQ(cc.changes[3].id, "push:acme/pay@m0");
  EXPECT_TRUE(cc.synthetic[3]);
  EXPECT_EQ(cc.changes[4].id, "push:acme/pay@p6");
  EXPECT_EQ(cc.changes[4].author, "alice@example.com");
  EXPECT_EQ(cc.ChangeOf("R2")->id, "#2");
  EXPECT_EQ(cc.ChangeOf("nope"), nullptr);
}

TEST(AssignCommitsToChangesTest, RebaseWalkStopsAtOlderCommits) {
  History h;
  h.changes[2].commit_count = 5;  // says 5, but s1 is #1's tip and m0 is older anyway
  ChangeCommits cc = AssignCommitsToChanges(h.changes, h.commits, h.graph);
  EXPECT_THAT(cc.commits[1], ElementsAre("r1", "r2", "r3"));
}

TEST(ResolveDeliveriesTest, ATipCompletesItsChange) {
  History h;
  ChangeCommits cc = AssignCommitsToChanges(h.changes, h.commits, h.graph);
  auto verdict = [](std::string id, std::string sha, std::string prev, int64_t at) {
    DeploymentVerdict v;
    v.deployment_id = std::move(id);
    v.service = "pay";
    v.commit_sha = std::move(sha);
    v.prev_commit_sha = std::move(prev);
    v.finished_unix_ms = at;
    v.landed = true;
    return v;
  };
  // d1 stops in the middle of #2 (at r2); d2 ships the rest and #3.
  std::vector<DeploymentVerdict> v = {verdict("d1", "r2", "", kT0 + 2 * 60 * kMin),
                                      verdict("d2", "m5", "r2", kT0 + 3 * 60 * kMin)};
  auto touches = [](const std::string&, const model::Commit&) { return true; };
  std::vector<Delivery> d = ResolveDeliveries(v, cc, h.graph, touches, NdParams());
  ASSERT_EQ(d.size(), 4u);  // m0, #1 by d1; #2, #3 by d2
  EXPECT_THAT(v[0].delivered_change_ids, ElementsAre("push:acme/pay@m0", "#1"));
  EXPECT_THAT(v[1].delivered_change_ids, ElementsAre("#2", "#3"));
  EXPECT_EQ(d[2].deployment_id, "d2");
  EXPECT_EQ(d[2].delivered_unix_ms, kT0 + 3 * 60 * kMin);
  EXPECT_FALSE(d[2].rollback_failure);
}

TEST(ResolveDeliveriesTest, RolledBackThenRedelivered) {
  History h;
  ChangeCommits cc = AssignCommitsToChanges(h.changes, h.commits, h.graph);
  DeploymentVerdict first;
  first.deployment_id = "d1";
  first.service = "pay";
  first.commit_sha = "s1";
  first.prev_commit_sha = "m0";
  first.finished_unix_ms = kT0 + kMillisPerDay;
  first.landed = true;
  first.status = DeploymentStatus::kFailed;
  first.rolled_back_by = "back";
  first.rolled_back_unix_ms = kT0 + 2 * kMillisPerDay;
  DeploymentVerdict again = first;
  again.deployment_id = "d2";
  again.status = DeploymentStatus::kQpd;
  again.rolled_back_by = "";
  again.finished_unix_ms = kT0 + 3 * kMillisPerDay;
  std::vector<DeploymentVerdict> v = {first, again};
  auto touches = [](const std::string&, const model::Commit&) { return true; };
  std::vector<Delivery> d = ResolveDeliveries(v, cc, h.graph, touches, NdParams());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].deployment_id, "d2");
  EXPECT_EQ(d[0].rolled_back_deployment_id, "d1");
  EXPECT_EQ(d[0].rolled_back_by, "back");
  EXPECT_FALSE(d[0].rollback_failure);
  EXPECT_THAT(v[0].delivered_change_ids, IsEmpty());

  v[1].finished_unix_ms = kT0 + 20 * kMillisPerDay;  // after W_fail
  v[1].delivered_change_ids.clear();
  d = ResolveDeliveries(v, cc, h.graph, touches, NdParams());
  EXPECT_EQ(d[0].deployment_id, "d1");
  EXPECT_TRUE(d[0].rollback_failure);
  EXPECT_EQ(d[0].redelivered_by, "d2");
}

}  // namespace
}  // namespace goodhart::analytics::nd
