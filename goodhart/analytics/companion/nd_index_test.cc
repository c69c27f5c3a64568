#include "goodhart/analytics/companion/nd_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/analytics/companion/internal/testing_nd_result.h"

namespace goodhart::analytics::companion {
namespace {

using nd::NdStage;
using testing::AddPeople;
using testing::kDayMs;
using testing::MakeChange;

// A result for team "core" (one person, `weeks` engineer-weeks) whose final L have these ND.
nd::NdResult Result(const std::vector<double>& nds, double weeks) {
  nd::NdResult r;
  r.period_from_unix_ms = 0;
  r.period_to_unix_ms = 100 * kDayMs;
  for (size_t i = 0; i < nds.size(); ++i) {
    r.changes.push_back(MakeChange("L" + std::to_string(i), NdStage::kFinal, nds[i],
                                   static_cast<int64_t>(i + 1) * kDayMs, {{"ann", 1}}, {}));
  }
  AddPeople(r, {{"ann", "core"}}, weeks);
  return r;
}

TEST(NdIndexTest, PointEstimateAndDegenerateInterval) {
  // Period: three L of 0.5 over 3 engineer-weeks -> rate 0.5. Baseline: two L of 1.0 over 4
  // -> rate 0.5. Index 1. Every resample draws the same values, so the interval is [1, 1].
  auto idx = ComputeNdIndex(Result({0.5, 0.5, 0.5}, 3), Result({1.0, 1.0}, 4), "core");
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  EXPECT_DOUBLE_EQ(*idx->rate, 0.5);
  EXPECT_DOUBLE_EQ(*idx->rate_baseline, 0.5);
  EXPECT_DOUBLE_EQ(*idx->index, 1.0);
  EXPECT_DOUBLE_EQ(*idx->ci_low, 1.0);
  EXPECT_DOUBLE_EQ(*idx->ci_high, 1.0);
  EXPECT_EQ(idx->resamples_used, 1000);
}

TEST(NdIndexTest, IntervalFromTheResamplingDistribution) {
  // Period {0, 1} over 1 week: a resample's sum is 0, 1 or 2 with probability 1/4, 1/2, 1/4.
  // Baseline {1} over 1 week: always 1. Index = 1 / 1 = 1. Of 1000 resamples about 250 give 0
  // and about 250 give 2, so the 5% quantile (order statistic ~50) is 0 and the 95% (~950) is 2.
  auto idx = ComputeNdIndex(Result({0.0, 1.0}, 1), Result({1.0}, 1), "core");
  ASSERT_TRUE(idx.ok());
  EXPECT_DOUBLE_EQ(*idx->index, 1.0);
  EXPECT_DOUBLE_EQ(*idx->ci_low, 0.0);
  EXPECT_DOUBLE_EQ(*idx->ci_high, 2.0);
  // Deterministic: the same seed gives the same interval. 20% confidence narrows it to the 40%
  // and 60% quantiles (order statistics ~400 and ~600), inside the run of 1s that spans ~250..750
  // (not the quartiles: ~250 zeros put the 25% quantile right at the 0/1 boundary): [1, 1].
  auto again = ComputeNdIndex(Result({0.0, 1.0}, 1), Result({1.0}, 1), "core");
  EXPECT_EQ(*again, *idx);
  auto half = ComputeNdIndex(Result({0.0, 1.0}, 1), Result({1.0}, 1), "core", {.confidence = 0.2});
  EXPECT_DOUBLE_EQ(*half->ci_low, 1.0);
  EXPECT_DOUBLE_EQ(*half->ci_high, 1.0);
}

TEST(NdIndexTest, ZeroBaselineHasNoIndex) {
  auto idx = ComputeNdIndex(Result({1.0}, 1), Result({0.0}, 1), "core");
  ASSERT_TRUE(idx.ok());
  EXPECT_DOUBLE_EQ(*idx->rate_baseline, 0.0);
  EXPECT_EQ(idx->index, std::nullopt);
  EXPECT_EQ(idx->ci_low, std::nullopt);
}

TEST(NdIndexTest, Errors) {
  auto missing = ComputeNdIndex(Result({1.0}, 1), Result({1.0}, 1), "front");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), ::testing::StartsWith("companion: nd_index:"));
  auto bad = ComputeNdIndex(Result({1.0}, 1), Result({1.0}, 1), "core", {.resamples = 0});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace goodhart::analytics::companion
