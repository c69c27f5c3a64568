#include "goodhart/analytics/companion/companion_scope.h"

#include <gtest/gtest.h>

#include "goodhart/analytics/companion/ai_share.h"
#include "goodhart/analytics/companion/cost_per_nd.h"
#include "goodhart/analytics/companion/internal/testing_nd_result.h"
#include "goodhart/analytics/companion/nd_index.h"
#include "goodhart/analytics/companion/review_metrics.h"

namespace goodhart::analytics::companion {
namespace {

std::vector<std::pair<std::string, double>> Ids(const std::vector<ScopedChange>& changes) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& c : changes)
    out.emplace_back(c.change->id, c.nd);
  return out;
}

TEST(ResultIndexTest, TeamChangesAndApprovalsOfThePeriod) {
  nd::NdResult r = testing::Scenario();
  ResultIndex index(r);
  // Core (ann, bob): L1 (ann 0.5), L2 (ann's half: 0.5), L3 (bob 0.4); L5 is before the period.
  const auto& core = index.TeamChanges("core");
  ASSERT_EQ(core.size(), 3u);
  EXPECT_EQ(core[0].position, 0u);
  EXPECT_DOUBLE_EQ(core[0].nd, 0.5);
  EXPECT_EQ(core[1].position, 1u);
  EXPECT_DOUBLE_EQ(core[1].nd, 0.5);
  EXPECT_EQ(core[2].position, 2u);
  EXPECT_TRUE(index.TeamChanges("nobody").empty());
  EXPECT_EQ(index.ApprovedBy("cat"), std::vector<size_t>{0});
  EXPECT_EQ(index.ApprovedBy("ann"), std::vector<size_t>{3});
  EXPECT_TRUE(index.ApprovedBy("dan").empty());
}

// Every metric that takes the index gives, for every team and basis, what it gives without it.
TEST(ResultIndexTest, IndexedScopesGiveWhatUnindexedOnesDo) {
  nd::NdResult r = testing::Scenario(), baseline = testing::Scenario();
  baseline.period_from_unix_ms -= 28 * testing::kDayMs;
  baseline.period_to_unix_ms -= 28 * testing::kDayMs;
  ResultIndex index(r), baseline_index(baseline);
  std::vector<AiLink> links = {{.commit_sha = "a2", .evidence = kEvidenceE2}};
  for (const std::string team : {"core", "front", "nobody"}) {
    CompanionScope plain{.team = team}, indexed{.team = team, .index = &index};
    for (NdBasis basis : {NdBasis::kFinal, NdBasis::kProvisionalAndFinal}) {
      EXPECT_EQ(Ids(ScopedChanges(r, indexed, basis)), Ids(ScopedChanges(r, plain, basis))) << team;
      EXPECT_EQ(ComputeReviewMetrics(r, indexed, basis), ComputeReviewMetrics(r, plain, basis))
          << team;
      EXPECT_EQ(ComputeAiShare(r, links, {}, {}, indexed, basis),
                ComputeAiShare(r, links, {}, {}, plain, basis))
          << team;
    }
    EXPECT_EQ(ComputeCostPerNd(r, {}, indexed, {}), ComputeCostPerNd(r, {}, plain, {})) << team;
    if (team != "nobody") {
      EXPECT_EQ(*ComputeNdIndex(r, baseline, team, {}, &index, &baseline_index),
                *ComputeNdIndex(r, baseline, team, {}))
          << team;
    }
  }
  EXPECT_EQ(Ids(ScopedChanges(r, {.team = "core", .index = &index}, NdBasis::kFinal)).size(), 2u);
}

TEST(ResultIndexTest, AnIndexOfAnotherResultIsIgnored) {
  nd::NdResult r = testing::Scenario(), other = testing::Scenario();
  other.changes.clear();
  ResultIndex index_of_other(other);
  CompanionScope scope{.team = "core", .index = &index_of_other};
  EXPECT_EQ(ScopedChanges(r, scope, NdBasis::kFinal).size(), 2u);  // L1, L2
}

}  // namespace
}  // namespace goodhart::analytics::companion
