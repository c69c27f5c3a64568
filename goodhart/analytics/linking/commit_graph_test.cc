#include "goodhart/analytics/linking/commit_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/analytics/linking/internal/testing_commits.h"

namespace goodhart::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeCommit;

//   c1 - c2 - c3 - c4 - m5 - c6
//                \       /
//                 f1 ----
CommitGraph DiamondGraph() {
  // Given children first, to show that input order does not matter.
  return CommitGraph({
      MakeCommit("c6", {"m5"}, {}, 600),
      MakeCommit("m5", {"c4", "f1"}, {}, 500),
      MakeCommit("f1", {"c3"}, {}, 350),
      MakeCommit("c4", {"c3"}, {}, 400),
      MakeCommit("c3", {"c2"}, {}, 300),
      MakeCommit("c2", {"c1"}, {}, 200),
      MakeCommit("c1", {}, {}, 100),
  });
}

TEST(CommitGraphTest, RangeIsReachableFromHeadAndNotFromExcluded) {
  CommitGraph graph = DiamondGraph();
  std::vector<std::string> exclude = {"c2"};
  CommitRange range = graph.Range("m5", exclude);
  EXPECT_TRUE(range.complete);
  EXPECT_THAT(range.shas, ElementsAre("c3", "f1", "c4", "m5"));
}

TEST(CommitGraphTest, RangeExcludesASideBranchAlreadyDeployed) {
  CommitGraph graph = DiamondGraph();
  std::vector<std::string> exclude = {"f1"};
  EXPECT_THAT(graph.Range("c6", exclude).shas, ElementsAre("c4", "m5", "c6"));
}

TEST(CommitGraphTest, RangeOfAnAncestorOrItselfIsEmpty) {
  CommitGraph graph = DiamondGraph();
  std::vector<std::string> self = {"c4"};
  EXPECT_THAT(graph.Range("c4", self).shas, IsEmpty());
  std::vector<std::string> newer = {"c6"};  // a rollback ships nothing new
  EXPECT_THAT(graph.Range("c3", newer).shas, IsEmpty());
}

TEST(CommitGraphTest, AncestorsWalkToTheRoot) {
  CommitGraph graph = DiamondGraph();
  std::vector<std::string> heads = {"f1"};
  CommitRange range = graph.Ancestors(heads);
  EXPECT_TRUE(range.complete);
  EXPECT_THAT(range.shas, ElementsAre("c1", "c2", "c3", "f1"));
  EXPECT_THAT(graph.Range("f1", {}).shas, ElementsAre("c1", "c2", "c3", "f1"));
}

TEST(CommitGraphTest, UnknownShasMakeRangesIncomplete) {
  CommitGraph graph = DiamondGraph();
  CommitRange unknown_head = graph.Range("zz", {});
  EXPECT_FALSE(unknown_head.complete);
  EXPECT_THAT(unknown_head.shas, IsEmpty());

  std::vector<std::string> unknown_exclude = {"zz"};
  CommitRange range = graph.Range("c2", unknown_exclude);
  EXPECT_FALSE(range.complete);
  EXPECT_THAT(range.shas, ElementsAre("c1", "c2"));
}

TEST(CommitGraphTest, ShallowHistoryIsReportedOnlyWhenTheWalkReachesIt) {
  // c1 was not imported: c2's parent is a boundary.
  CommitGraph graph({MakeCommit("c2", {"c1"}, {}, 200), MakeCommit("c3", {"c2"}, {}, 300),
                     MakeCommit("c4", {"c3"}, {}, 400)});
  std::vector<std::string> exclude = {"c2"};
  CommitRange bounded = graph.Range("c4", exclude);
  EXPECT_TRUE(bounded.complete);
  EXPECT_THAT(bounded.shas, ElementsAre("c3", "c4"));

  CommitRange unbounded = graph.Range("c4", {});
  EXPECT_FALSE(unbounded.complete);
  EXPECT_THAT(unbounded.shas, ElementsAre("c2", "c3", "c4"));
}

TEST(CommitGraphTest, IsAncestor) {
  CommitGraph graph = DiamondGraph();
  EXPECT_TRUE(graph.IsAncestor("f1", "c6"));
  EXPECT_TRUE(graph.IsAncestor("c6", "c6"));
  EXPECT_FALSE(graph.IsAncestor("c4", "f1"));
  EXPECT_FALSE(graph.IsAncestor("zz", "c6"));
}

TEST(CommitGraphTest, TopologicalOrderPutsParentsFirstThenTime) {
  CommitGraph graph = DiamondGraph();
  // f1 was committed before c4, but both only need c3.
  std::vector<std::string> shas = {"c6", "m5", "c4", "f1", "c3", "f1", "unknown"};
  EXPECT_THAT(graph.TopologicalOrder(shas), ElementsAre("c3", "f1", "c4", "m5", "c6"));
}

TEST(CommitGraphTest, TopologicalOrderFollowsParentsAgainstClockSkew) {
  // The child's committer clock is behind its parent's.
  CommitGraph graph({MakeCommit("a", {}, {}, 500), MakeCommit("b", {"a"}, {}, 100)});
  std::vector<std::string> shas = {"b", "a"};
  EXPECT_THAT(graph.TopologicalOrder(shas), ElementsAre("a", "b"));
}

TEST(CommitGraphTest, FindsAndResolvesShas) {
  CommitGraph graph({MakeCommit("0a1b2c3d4e5f", {}, {}), MakeCommit("0a1b2cffffff", {}, {}),
                     MakeCommit("9f8e7d6c5b4a", {}, {})});
  EXPECT_EQ(graph.size(), 3u);
  ASSERT_NE(graph.Find("9F8E7D6C5B4A"), nullptr);
  EXPECT_EQ(graph.Find("9F8E7D6C5B4A")->sha, "9f8e7d6c5b4a");
  EXPECT_EQ(graph.ResolvePrefix("9f8e7d6"), "9f8e7d6c5b4a");
  EXPECT_EQ(graph.ResolvePrefix("0a1b2c3"), "0a1b2c3d4e5f");
  EXPECT_EQ(graph.ResolvePrefix("0a1b2c"), "");  // ambiguous
  EXPECT_EQ(graph.ResolvePrefix("9f8"), "");     // too short
  EXPECT_EQ(graph.ResolvePrefix("1234567"), "");
  EXPECT_EQ(graph.ResolvePrefix("0a1b2c3d4e5f"), "0a1b2c3d4e5f");
}

TEST(CommitGraphTest, FirstCopyOfADuplicateShaWins) {
  model::Commit fork = MakeCommit("c1", {}, {});
  fork.repo = "someone/fork";
  CommitGraph graph({MakeCommit("c1", {}, {}), fork});
  EXPECT_EQ(graph.size(), 1u);
  EXPECT_EQ(graph.Find("c1")->repo, "acme/mono");
}

}  // namespace
}  // namespace goodhart::analytics
