#include "goodhart/store/clickhouse/internal/metric_deltas.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace goodhart::store::clickhouse {
namespace {

MetricPoint Point(std::string key, int64_t time, int64_t start, int64_t value,
                  model::Temporality t = model::Temporality::kCumulative) {
  MetricPoint p;
  p.series_key = "series";
  p.temporality = t;
  p.series_start_ms = start;
  p.time_ms = time;
  p.event_key = std::move(key);
  p.value[0] = value;
  return p;
}

int64_t Total(const std::vector<MetricValue>& values) {
  int64_t sum = 0;
  for (const MetricValue& v : values)
    sum += v[0];
  return sum;
}

TEST(MetricContributionsTest, DeltasAddAndCumulativeRunsBecomeIncreases) {
  std::vector<MetricPoint> points = {
      Point("a", 10, 1, 10),
      Point("b", 20, 1, 25),
      Point("c", 30, 1, 40),
      Point("d", 40, 1, 5),  // a reset: counts in full
      Point("e", 50, 2, 7),
      Point("f", 60, 2, 9),                               // a new run
      Point("g", 15, 0, 3, model::Temporality::kDelta)};  // a delta point
  std::vector<MetricValue> got = MetricContributions(points);
  std::vector<int64_t> first;
  for (const MetricValue& v : got)
    first.push_back(v[0]);
  EXPECT_EQ(first, (std::vector<int64_t>{10, 15, 15, 5, 7, 2, 3}));
}

TEST(MetricContributionsTest, ArrivalOrderDoesNotMatter) {
  std::vector<MetricPoint> points;
  for (int i = 0; i < 50; ++i)
    points.push_back(Point("k" + std::to_string(i), 100 + i, 1, 10 * i + (i % 7)));
  int64_t expected = Total(MetricContributions(points));
  EXPECT_EQ(expected, points.back().value[0]);  // a counter that only grows: its last value
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(points.begin(), points.end(), rng);
    EXPECT_EQ(Total(MetricContributions(points)), expected);
  }
}

TEST(MetricContributionsTest, APointAtTheSameTimeCountsZero) {
  std::vector<MetricPoint> points = {Point("a", 10, 1, 10), Point("b", 10, 1, 12),
                                     Point("c", 20, 1, 15)};
  std::vector<MetricValue> got = MetricContributions(points);
  EXPECT_EQ(got[0][0], 10);
  EXPECT_EQ(got[1][0], 0);
  EXPECT_EQ(got[2][0], 5);
}

}  // namespace
}  // namespace goodhart::store::clickhouse
