#include "goodhart/analytics/nd/substance_ref.h"

#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::nd {
namespace {

TEST(SubstanceWeightedMedianTest, HalfTheSubstanceMass) {
  EXPECT_DOUBLE_EQ(SubstanceWeightedMedian({}), 0);
  EXPECT_DOUBLE_EQ(SubstanceWeightedMedian({0, 0}), 0);
  EXPECT_DOUBLE_EQ(SubstanceWeightedMedian({50}), 50);
  // Sorted 12 60 80 100 400, total 652: the running sum first reaches 326 at 400.
  EXPECT_DOUBLE_EQ(SubstanceWeightedMedian({60, 12, 400, 100, 80}), 400);
  EXPECT_DOUBLE_EQ(SubstanceWeightedMedian({10, 10, 10, 30}), 10);  // 30 of 60 at the third 10
  EXPECT_DOUBLE_EQ(SubstanceWeightedMedian({100, 100}), 100);
}

TEST(SubstanceWeightedMedianTest, FloodingWithTinyChangesBarelyMovesIt) {
  std::vector<double> honest(40, 100);
  std::vector<double> flooded = honest;
  flooded.insert(flooded.end(), 400, 6);  // 400 six-line tweaks: 2400 of 6400 lines
  EXPECT_DOUBLE_EQ(SubstanceWeightedMedian(honest), 100);
  EXPECT_DOUBLE_EQ(SubstanceWeightedMedian(flooded), 100);
}

class ComputeSRefTest : public ::testing::Test {
 protected:
  // Quarter 2026-Q1: window [2025-06-05, 2025-12-02).
  const int64_t quarter_ = CivilToMillis(2026, 1, 1);
  const int64_t inside_ = CivilToMillis(2025, 9, 1);
  std::vector<SRefSample> samples_;
  NdParams params_;

  void AddSamples(const std::string& service, const std::string& family, int n, double s,
                  int64_t at) {
    for (int i = 0; i < n; ++i)
      samples_.push_back({.service = service, .family = family, .delivered_unix_ms = at, .s = s});
  }
};

TEST_F(ComputeSRefTest, OwnServiceWithEnoughChanges) {
  AddSamples("pay", "go-api", 30, 80, inside_);
  SRef r = ComputeSRef("pay", "go-api", quarter_, samples_, params_);
  EXPECT_EQ(r.pool, "service");
  EXPECT_EQ(r.changes, 30);
  EXPECT_DOUBLE_EQ(r.value, 80);
  EXPECT_EQ(r.window_from_unix_ms, CivilToMillis(2025, 6, 5));
  EXPECT_EQ(r.window_to_unix_ms, CivilToMillis(2025, 12, 2));
  EXPECT_FALSE(r.floored);
}

TEST_F(ComputeSRefTest, OnlyTheWindowCounts) {
  AddSamples("pay", "", 30, 80, inside_);
  AddSamples("pay", "", 100, 500, CivilToMillis(2025, 12, 2));  // the lag month: excluded
  AddSamples("pay", "", 100, 500, CivilToMillis(2025, 6, 4));   // before the window
  AddSamples("pay", "", 1, 500, CivilToMillis(2025, 6, 5));     // first instant: included
  SRef r = ComputeSRef("pay", "", quarter_, samples_, params_);
  EXPECT_EQ(r.changes, 31);
  EXPECT_DOUBLE_EQ(r.value, 80);  // 31 samples, 2900 lines: the 80s reach 1450 first
}

TEST_F(ComputeSRefTest, SparseServicesPoolTheirFamily) {
  AddSamples("pay", "go-api", 5, 300, inside_);
  AddSamples("orders", "go-api", 40, 60, inside_);
  AddSamples("infra", "terraform", 100, 10, inside_);
  SRef r = ComputeSRef("pay", "go-api", quarter_, samples_, params_);
  EXPECT_EQ(r.pool, "family:go-api");
  EXPECT_EQ(r.changes, 45);
  // 40 x 60 = 2400 and 5 x 300 = 1500: half of 3900 is reached within the 60s.
  EXPECT_DOUBLE_EQ(r.value, 60);
}

TEST_F(ComputeSRefTest, ThenTheOrganisationThenTheFallback) {
  AddSamples("pay", "go-api", 5, 300, inside_);
  AddSamples("infra", "terraform", 40, 10, inside_);
  SRef org = ComputeSRef("pay", "go-api", quarter_, samples_, params_);
  EXPECT_EQ(org.pool, "organisation");
  EXPECT_EQ(org.changes, 45);
  EXPECT_DOUBLE_EQ(org.median, 300);  // 1500 of 1900 lines are in the 300s
  SRef none = ComputeSRef("pay", "go-api", quarter_, {}, params_);
  EXPECT_EQ(none.pool, "fallback");
  EXPECT_DOUBLE_EQ(none.value, 100);
}

TEST_F(ComputeSRefTest, FloorOfTwentyLines) {
  AddSamples("config", "", 50, 4, inside_);
  SRef r = ComputeSRef("config", "", quarter_, samples_, params_);
  EXPECT_DOUBLE_EQ(r.median, 4);
  EXPECT_DOUBLE_EQ(r.value, 20);
  EXPECT_TRUE(r.floored);
  EXPECT_DOUBLE_EQ(SMax(r.value, params_), 400);
}

}  // namespace
}  // namespace goodhart::analytics::nd
