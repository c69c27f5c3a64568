// Order statistics shared by the DORA metrics: the plain median (mean of the middle two for an
// even count, as Four Keys' PERCENTILE_CONT(x, 0.5)) and DevLake's Grafana "median" (the largest
// value whose percent_rank is <= 0.5, MySQL's percent_rank = (rank - 1) / (rows - 1)).
#pragma once

#include <algorithm>
#include <optional>
#include <vector>

namespace goodhart::analytics::dora::internal {

// nullopt for no values.
inline std::optional<double> Median(std::vector<double> values) {
  if (values.empty()) {
    return std::nullopt;
  }
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  if (n % 2 == 1) {
    return values[n / 2];
  }
  return (values[n / 2 - 1] + values[n / 2]) / 2;
}

// DevLake's `max(x) WHERE percent_rank() over (order by x) <= 0.5`; nullopt for no values.
// Ties share the rank of their first row, as SQL's percent_rank does.
inline std::optional<double> DevLakeMedian(std::vector<double> values) {
  if (values.empty()) {
    return std::nullopt;
  }
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  std::optional<double> best;
  for (size_t i = 0; i < n; ++i) {
    size_t first = i;
    while (first > 0 && values[first - 1] == values[i]) {
      --first;
    }
    double rank = n == 1 ? 0 : static_cast<double>(first) / static_cast<double>(n - 1);
    if (rank <= 0.5) {
      best = values[i];
    }
  }
  return best;
}

}  // namespace goodhart::analytics::dora::internal
