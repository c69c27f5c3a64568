// Turning metric data points into the increments a rollup adds, as a pure function of the stored
// points (no arrival order, no state in a node): whichever node stored which point, every reader
// computes the same numbers.
//
// Delta points add their value. Cumulative points are taken per (series_key, series_start) in time
// order (ties: the smaller event_key first): the first point counts in full, a later point counts
// its increase over the previous one, or in full when any component went down (a counter reset);
// a point at the same time as the previous one counts zero. For counters that only grow this is
// what the embedded store computes in arrival order (each run's total is its last value); the two
// differ only in which day a late point's increase lands on (README.md, "Metric points").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/model/usage_event.h"

namespace goodhart::store::clickhouse {

// The additive value of a point: 5 token buckets, requests, reported and computed cost.
using MetricValue = std::array<int64_t, 8>;

struct MetricPoint {
  int64_t day = 0;
  std::string actor, provider, model, tool, source, session;
  std::string series_key;
  model::Temporality temporality = model::Temporality::kDelta;
  int64_t series_start_ms = 0;
  int64_t time_ms = 0;
  std::string event_key;
  MetricValue value{};
};

// The contribution of each point, index for index. Every cumulative point of a series must be
// present (from its start up to the last point of interest) for the increases to be right.
std::vector<MetricValue> MetricContributions(const std::vector<MetricPoint>& points);

}  // namespace goodhart::store::clickhouse
