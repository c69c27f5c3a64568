#include "goodhart/analytics/companion/review_metrics.h"

#include <gtest/gtest.h>

#include "goodhart/analytics/companion/internal/testing_nd_result.h"

namespace goodhart::analytics::companion {
namespace {

TEST(ReviewMetricsTest, OrganisationByHand) {
  ReviewMetrics m = ComputeReviewMetrics(testing::Scenario(), {});
  // L1 L2 L3 L4 delivered in the period (L4 pending still counts: R is known); R=1 for L1 L2 L4.
  EXPECT_EQ(m.changes, 4);
  EXPECT_EQ(m.reviewed_changes, 3);
  EXPECT_DOUBLE_EQ(*m.coverage, 0.75);
  // Final ND of what each approved: bob L2 1.0, cat L1 0.5, ann L4 (pending) 0.
  ASSERT_EQ(m.reviewers.size(), 3u);
  EXPECT_EQ(m.reviewers[0].person_id, "bob");
  EXPECT_DOUBLE_EQ(m.reviewers[0].nd, 1.0);
  EXPECT_EQ(m.reviewers[1].person_id, "cat");
  EXPECT_DOUBLE_EQ(m.reviewers[1].nd, 0.5);
  EXPECT_EQ(m.reviewers[2].person_id, "ann");
  EXPECT_DOUBLE_EQ(m.reviewers[2].nd, 0.0);
  EXPECT_EQ(m.reviewers[2].changes, 1);
}

TEST(ReviewMetricsTest, Team) {
  ReviewMetrics m = ComputeReviewMetrics(testing::Scenario(), {.team = "core"});
  // Core's L: L1, L2 (ann), L3 (bob); reviewed L1 L2: 2/3. Reviewers of core: bob, ann.
  EXPECT_EQ(m.changes, 3);
  EXPECT_DOUBLE_EQ(*m.coverage, 2.0 / 3.0);
  ASSERT_EQ(m.reviewers.size(), 2u);
  EXPECT_EQ(m.reviewers[0].person_id, "bob");
  EXPECT_EQ(m.reviewers[1].person_id, "ann");
}

TEST(ReviewMetricsTest, NoChangesNoCoverage) {
  nd::NdResult r = testing::Scenario();
  r.changes.clear();
  EXPECT_EQ(ComputeReviewMetrics(r, {}).coverage, std::nullopt);
}

}  // namespace
}  // namespace goodhart::analytics::companion
