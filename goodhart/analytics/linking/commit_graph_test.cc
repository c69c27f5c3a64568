#include "goodhart/analytics/linking/commit_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

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

// Range against its definition, on random histories with merges, side branches, several roots and
// missing parents: (ancestors of head) minus (ancestors of the excluded), complete unless a
// commit in it has a parent the graph lacks or an excluded sha is unknown.
TEST(CommitGraphTest, RangeIsAncestorsOfHeadMinusAncestorsOfExcluded) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    int n = 2 + static_cast<int>(rng() % 60);
    std::vector<model::Commit> commits;
    for (int i = 0; i < n; ++i) {
      std::vector<std::string> parents;
      if (i > 0 && rng() % 8 != 0)
        parents.push_back("s" + std::to_string(rng() % i));
      if (i > 1 && rng() % 4 == 0)
        parents.push_back("s" + std::to_string(rng() % i));
      if (rng() % 30 == 0)
        parents.push_back("missing" + std::to_string(i));
      commits.push_back(MakeCommit("s" + std::to_string(i), parents, {}, rng() % 1000));
    }
    std::shuffle(commits.begin(), commits.end(), rng);
    CommitGraph graph(commits);
    auto ancestors = [&](std::vector<std::string> heads) {
      std::vector<std::string> shas = graph.Ancestors(heads).shas;
      return std::set<std::string>(shas.begin(), shas.end());
    };
    std::string head = "s" + std::to_string(rng() % n);
    std::vector<std::string> exclude;
    for (int e = static_cast<int>(rng() % 3); e > 0; --e)
      exclude.push_back("s" + std::to_string(rng() % n));
    if (rng() % 10 == 0)
      exclude.push_back("unknown");

    std::set<std::string> want = ancestors({head}), excluded = ancestors(exclude);
    bool complete = std::find(exclude.begin(), exclude.end(), "unknown") == exclude.end();
    for (const auto& sha : excluded)
      want.erase(sha);
    for (const auto& sha : want) {
      for (const auto& parent : graph.Find(sha)->parents)
        complete = complete && graph.Contains(parent);
    }
    CommitRange range = graph.Range(head, exclude);
    EXPECT_EQ(std::set<std::string>(range.shas.begin(), range.shas.end()), want)
        << "trial " << trial;
    EXPECT_EQ(range.shas, graph.TopologicalOrder(range.shas)) << "trial " << trial;
    EXPECT_EQ(range.complete, complete) << "trial " << trial;
  }
}

// Real histories have no cycles; corrupt input may. The walk still ends; what a cycle makes
// ambiguous is not asserted (the ordering leaves out what no order can hold).
TEST(CommitGraphTest, ACycleInCorruptInputEndsTheWalk) {
  CommitGraph graph({MakeCommit("a", {"c"}, {}, 100), MakeCommit("b", {"a"}, {}, 200),
                     MakeCommit("c", {"b"}, {}, 300), MakeCommit("d", {"c"}, {}, 400)});
  std::vector<std::string> exclude = {"b"};
  std::vector<std::string> shas = graph.Range("d", exclude).shas;
  EXPECT_THAT(shas, ::testing::Contains("d"));
  EXPECT_THAT(shas, ::testing::Not(::testing::Contains("b")));
  EXPECT_LE(graph.Range("d", {}).shas.size(), 4u);
}

}  // namespace
}  // namespace goodhart::analytics
