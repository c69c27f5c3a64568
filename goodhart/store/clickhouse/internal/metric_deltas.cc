#include "goodhart/store/clickhouse/internal/metric_deltas.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace goodhart::store::clickhouse {

std::vector<MetricValue> MetricContributions(const std::vector<MetricPoint>& points) {
  std::vector<MetricValue> out(points.size());
  // Cumulative points grouped by run, each run in time order.
  std::map<std::pair<std::string_view, int64_t>, std::vector<size_t>> runs;
  for (size_t i = 0; i < points.size(); ++i) {
    const MetricPoint& p = points[i];
    if (p.temporality == model::Temporality::kCumulative)
      runs[{p.series_key, p.series_start_ms}].push_back(i);
    else
      out[i] = p.value;
  }
  for (auto& [run, indexes] : runs) {
    std::sort(indexes.begin(), indexes.end(), [&](size_t a, size_t b) {
      return std::tie(points[a].time_ms, points[a].event_key) <
             std::tie(points[b].time_ms, points[b].event_key);
    });
    const MetricPoint* previous = nullptr;
    for (size_t i : indexes) {
      const MetricPoint& p = points[i];
      if (previous == nullptr) {
        out[i] = p.value;
      } else if (p.time_ms > previous->time_ms) {
        bool reset = false;
        for (size_t c = 0; c < p.value.size(); ++c)
          reset = reset || p.value[c] < previous->value[c];
        for (size_t c = 0; c < p.value.size(); ++c)
          out[i][c] = reset ? p.value[c] : p.value[c] - previous->value[c];
      } else {
        continue;  // same time as the previous point: already inside its value
      }
      previous = &p;
    }
  }
  return out;
}

}  // namespace goodhart::store::clickhouse
