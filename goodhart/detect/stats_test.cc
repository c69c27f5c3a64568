#include "goodhart/detect/stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace goodhart::detect {
namespace {

TEST(StatsTest, MedianQuantileMad) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 2, 3}), 2.5);
  EXPECT_DOUBLE_EQ(Quantile({1, 2, 3, 4, 5}, 0.9), 4.6);
  // |x - 3| = 2 1 0 1 7 -> median 1.
  EXPECT_DOUBLE_EQ(Mad({1, 2, 3, 4, 10}, 3), 1);
}

TEST(StatsTest, RobustZUsesTheMadFloorForNearConstantPeers) {
  // Peers all at 0.20: MAD 0, so without the floor any difference would be infinite.
  std::vector<double> peers(10, 0.20);
  double median = Median(peers), mad = Mad(peers, median);
  EXPECT_DOUBLE_EQ(mad, 0);
  EXPECT_NEAR(RobustZ(0.25, median, mad, 0.02), 0.6745 * 0.05 / 0.02, 1e-12);  // 1.686
  // Above the floor the MAD itself is used.
  EXPECT_NEAR(RobustZ(5, 1, 0.5, 0.02), 0.6745 * 4 / 0.5, 1e-12);
}

TEST(StatsTest, UpperTailMatchesTheSpec) {
  EXPECT_NEAR(UpperTailP(3.5), 2.326e-4, 1e-6);
  EXPECT_NEAR(UpperTailP(5), 2.87e-7, 1e-8);
  EXPECT_NEAR(UpperTailP(0), 0.5, 1e-12);
}

TEST(StatsTest, BenjaminiHochbergRejectsTheStepUpSet) {
  // m = 5, q = 0.05: thresholds 0.01 0.02 0.03 0.04 0.05. Sorted p: 0.001 0.015 0.03 0.2 0.9.
  // p(3) = 0.03 <= 0.03 is the largest k: cutoff 0.03, three rejected.
  EXPECT_DOUBLE_EQ(BenjaminiHochbergCutoff({0.9, 0.03, 0.001, 0.2, 0.015}, 0.05), 0.03);
  // Step-up: p(1) = 0.02 > 0.01 fails alone, but p(2) = 0.02 <= 0.02 rejects both.
  // m = 3: thresholds 0.0167 0.0333 0.05.
  EXPECT_DOUBLE_EQ(BenjaminiHochbergCutoff({0.02, 0.02, 0.5}, 0.05), 0.02);
  EXPECT_DOUBLE_EQ(BenjaminiHochbergCutoff({0.02, 0.5, 0.9}, 0.05), -1);
  EXPECT_DOUBLE_EQ(BenjaminiHochbergCutoff({}, 0.05), -1);
}

TEST(StatsTest, StoufferAndTimingRegularity) {
  EXPECT_NEAR(Stouffer({3, 3, 3}), 9 / std::sqrt(3.0), 1e-12);
  EXPECT_DOUBLE_EQ(CoefficientOfVariation({60, 60, 60}), 0);
  EXPECT_DOUBLE_EQ(Burstiness({60, 60, 60}), -1);
  EXPECT_NEAR(CoefficientOfVariation({1, 3}), 0.5, 1e-12);
  ModalGap m = ModalGapShare({60, 60.5, 59.8, 61, 200, 5}, 0.05);
  EXPECT_NEAR(m.share, 4.0 / 6, 1e-12);
  EXPECT_DOUBLE_EQ(m.low, 59.8);
  EXPECT_DOUBLE_EQ(m.high, 61);
}

TEST(StatsTest, HourOfDayEntropy) {
  std::vector<int64_t> all_hours, one_hour;
  for (int h = 0; h < 24; ++h) {
    all_hours.push_back(int64_t{h} * 3'600'000 + 1000);
    one_hour.push_back(5 * 3'600'000 + h);
  }
  EXPECT_NEAR(HourOfDayEntropy(all_hours), std::log2(24.0), 1e-9);  // 4.585
  EXPECT_DOUBLE_EQ(HourOfDayEntropy(one_hour), 0);
}

}  // namespace
}  // namespace goodhart::detect
