#include "goodhart/analytics/nd/logical_changes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

int64_t At(int day, int hour = 10) { return CivilToMillis(2026, 1, day, hour); }  // Jan 5 = Mon

GroupingCandidate Candidate(std::string id, std::string owner, int64_t merged,
                            std::set<std::string> files) {
  return {.change_id = std::move(id),
          .repo = "acme/mono",
          .owner = std::move(owner),
          .merged_unix_ms = merged,
          .files = std::move(files),
          .base_ref = "main",
          .head_ref = "b"};
}

std::vector<std::vector<size_t>> Members(const std::vector<LogicalChangeGroup>& groups) {
  std::vector<std::vector<size_t>> out;
  for (const auto& g : groups)
    out.push_back(g.members);
  return out;
}

TEST(FileJaccardTest, Values) {
  EXPECT_DOUBLE_EQ(FileJaccard({}, {}), 0);
  EXPECT_DOUBLE_EQ(FileJaccard({"a"}, {"a"}), 1);
  EXPECT_DOUBLE_EQ(FileJaccard({"a", "b"}, {"b", "c"}), 1.0 / 3);
  EXPECT_DOUBLE_EQ(FileJaccard({"a", "b", "c"}, {"d"}), 0);
}

TEST(WorkItemsOfTest, JiraKeysInTitleBranchAndLabels) {
  model::Change c;
  c.title = "PAY-142: retries (UTF-8 safe, see ISO-8601)";
  c.head_ref = "feature/PAY-142-retry";
  c.labels = {"OPS-7", "bug"};
  EXPECT_THAT(WorkItemsOf(c), ElementsAre("PAY-142", "OPS-7"));
  c.title = "fix-2 and X-1 and abcPAY-3 and PAY-4x";
  c.head_ref = "";
  c.labels = {};
  EXPECT_THAT(WorkItemsOf(c), IsEmpty());
}

TEST(GroupLogicalChangesTest, SameOwnerOverlappingFilesWithinThreeWorkingDays) {
  // Thursday, then Monday (2 working days) and Thursday again (5 working days after the first).
  std::vector<GroupingCandidate> c = {
      Candidate("#1", "alice", At(8), {"a", "b"}), Candidate("#2", "alice", At(12), {"b", "c"}),
      Candidate("#3", "alice", At(15, 11), {"c"}),  // 3 working days + 1 h after #2: too late
      Candidate("#4", "bob", At(8), {"a", "b"}),    // another owner
  };
  auto groups = GroupLogicalChanges(c, NdParams());
  EXPECT_THAT(Members(groups), ElementsAre(ElementsAre(0, 1), ElementsAre(3), ElementsAre(2)));
  EXPECT_THAT(groups[0].reasons, ElementsAre("#1 + #2: file Jaccard 0.33"));
}

TEST(GroupLogicalChangesTest, ChainsAreTransitive) {
  std::vector<GroupingCandidate> c = {
      Candidate("#1", "alice", At(5), {"a"}),
      Candidate("#2", "alice", At(6), {"a", "b"}),
      Candidate("#3", "alice", At(7), {"b"}),
  };
  EXPECT_THAT(Members(GroupLogicalChanges(c, NdParams())), ElementsAre(ElementsAre(0, 1, 2)));
}

TEST(GroupLogicalChangesTest, StackedAndWorkItems) {
  std::vector<GroupingCandidate> c = {
      Candidate("#1", "alice", At(5), {"a"}),
      Candidate("#2", "alice", At(6), {"z"}),
      Candidate("#3", "alice", At(6), {"y"}),
      Candidate("#4", "alice", At(6), {"x"}),
  };
  c[0].head_ref = "feat-1";
  c[1].base_ref = "feat-1";
  c[2].work_items = {"PAY-9"};
  c[3].work_items = {"PAY-9"};
  auto groups = GroupLogicalChanges(c, NdParams());
  EXPECT_THAT(Members(groups), ElementsAre(ElementsAre(0, 1), ElementsAre(2, 3)));
  EXPECT_THAT(groups[0].reasons, ElementsAre("#1 + #2: stacked on feat-1"));
  EXPECT_THAT(groups[1].reasons, ElementsAre("#3 + #4: same work item PAY-9"));
}

TEST(GroupLogicalChangesTest, RevertsAndRepeatedContentStayApart) {
  std::vector<GroupingCandidate> c = {
      Candidate("#1", "alice", At(5), {"a"}),
      Candidate("#2 revert", "alice", At(5, 12), {"a"}),
      Candidate("#3 reapply", "alice", At(6), {"a"}),
      Candidate("#4", "alice", At(6, 12), {"a"}),
  };
  c[0].patch_ids = {"p1"};
  c[1].revert_only = true;
  c[2].patch_ids = {"p1"};
  c[3].patch_ids = {"p4"};
  // #4 may join #1 or #3 but not both; it joins #1, the first pair considered.
  EXPECT_THAT(Members(GroupLogicalChanges(c, NdParams())),
              ElementsAre(ElementsAre(0, 3), ElementsAre(1), ElementsAre(2)));
}

TEST(GroupLogicalChangesTest, NoOwnerNeverGroups) {
  std::vector<GroupingCandidate> c = {Candidate("#1", "", At(5), {"a"}),
                                      Candidate("#2", "", At(5), {"a"})};
  EXPECT_EQ(GroupLogicalChanges(c, NdParams()).size(), 2u);
}

TEST(ContentLedgerTest, FirstCreditWinsPerService) {
  ContentLedger ledger;
  EXPECT_EQ(ledger.CreditedTo("pay", "p1"), "");
  ledger.Credit("pay", "p1", "L1");
  ledger.Credit("pay", "p1", "L2");
  ledger.Credit("pay", "", "L3");
  EXPECT_EQ(ledger.CreditedTo("pay", "p1"), "L1");
  EXPECT_EQ(ledger.CreditedTo("search", "p1"), "");
  EXPECT_EQ(ledger.CreditedTo("pay", ""), "");
}

}  // namespace
}  // namespace goodhart::analytics::nd
