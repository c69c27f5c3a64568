#include "goodhart/analytics/dora/deployment_frequency.h"

#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::dora {
namespace {

const int64_t kT0 = CivilToMillis(2026, 3, 2);  // 00:00 UTC
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

TEST(DeploymentFrequencyTest, CountsDaysNotDeployments) {
  // Week 1: 5 deployments on day 0, 1 on day 1, 1 on day 4 -> 3 days. Week 2: day 7 and day 9
  // -> 2 days. Week 3: days 14, 15, 16, 17 -> 4 days. Median of {3, 2, 4} = 3: "daily".
  std::vector<int64_t> t;
  for (int i = 0; i < 5; ++i) {
    t.push_back(kT0 + i * kHour);
  }
  for (int day : {1, 4, 7, 9, 14, 15, 16, 17}) {
    t.push_back(kT0 + day * kDay + 10 * kHour);
  }
  DeploymentFrequency f = ComputeDeploymentFrequency(t, kT0, kT0 + 21 * kDay);
  EXPECT_EQ(f.deployment_count, 13);
  EXPECT_EQ(f.deployment_days, 9);
  ASSERT_EQ(f.weeks.size(), 3u);
  EXPECT_EQ(f.weeks[0].deployments, 7);
  EXPECT_EQ(f.weeks[0].deployment_days, 3);
  EXPECT_DOUBLE_EQ(*f.days_per_week_median, 3.0);
  EXPECT_EQ(f.bucket, kBucketDaily);
}

TEST(DeploymentFrequencyTest, TrailingPartWeekCountsButIsNotAWeek) {
  // 10-day period: one complete week (deployment on day 2), then days 7-9 (deployments on days 7,
  // 8, 9). Count 4; the median is over week 1 only: 1 day. Most weeks deployed: "weekly".
  std::vector<int64_t> t = {kT0 + 2 * kDay, kT0 + 7 * kDay, kT0 + 8 * kDay, kT0 + 9 * kDay};
  DeploymentFrequency f = ComputeDeploymentFrequency(t, kT0, kT0 + 10 * kDay);
  EXPECT_EQ(f.deployment_count, 4);
  ASSERT_EQ(f.weeks.size(), 1u);
  EXPECT_DOUBLE_EQ(*f.days_per_week_median, 1.0);
  EXPECT_EQ(f.bucket, kBucketWeekly);
}

TEST(DeploymentFrequencyTest, MonthlyAndYearly) {
  // 60 days = 8 complete weeks and 2 complete 30-day windows. One deployment in each window
  // (days 3 and 40): weeks deployed 2 of 8 -> not weekly; per window {1, 1} -> median 1: monthly.
  DeploymentFrequency f =
      ComputeDeploymentFrequency({kT0 + 3 * kDay, kT0 + 40 * kDay}, kT0, kT0 + 60 * kDay);
  EXPECT_EQ(f.weeks.size(), 8u);
  EXPECT_DOUBLE_EQ(*f.days_per_week_median, 0.0);
  EXPECT_EQ(f.bucket, kBucketMonthly);
  // Both in the first window: {2, 0} -> median 1, still monthly; drop one: {1, 0} -> 0.5: yearly.
  f = ComputeDeploymentFrequency({kT0 + 3 * kDay}, kT0, kT0 + 60 * kDay);
  EXPECT_EQ(f.bucket, kBucketYearly);
}

TEST(DeploymentFrequencyTest, UndefinedWithoutACompleteWeekAndNoneWithoutDeployments) {
  DeploymentFrequency f = ComputeDeploymentFrequency({kT0 + kHour}, kT0, kT0 + 6 * kDay);
  EXPECT_EQ(f.deployment_count, 1);
  EXPECT_EQ(f.days_per_week_median, std::nullopt);
  EXPECT_EQ(f.bucket, "");
  f = ComputeDeploymentFrequency({kT0 - kHour, kT0 + 7 * kDay}, kT0, kT0 + 7 * kDay);
  EXPECT_EQ(f.deployment_count, 0);  // both outside [from, to)
  EXPECT_DOUBLE_EQ(*f.days_per_week_median, 0.0);
  EXPECT_EQ(f.bucket, kBucketNone);
}

}  // namespace
}  // namespace goodhart::analytics::dora
