#include "goodhart/analytics/nd/substance_ref.h"

#include <algorithm>
#include <functional>

namespace goodhart::analytics::nd {

double SubstanceWeightedMedian(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !(v > 0); }),
               values.end());
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  double total = 0;
  for (double v : values)
    total += v;
  double running = 0;
  for (double v : values) {
    running += v;
    if (running >= total / 2)
      return v;
  }
  return values.back();
}

SRef ComputeSRef(std::string_view service, std::string_view family, int64_t quarter_start_unix_ms,
                 std::span<const SRefSample> samples, const NdParams& params) {
  SRef out{.service = std::string(service), .quarter_start_unix_ms = quarter_start_unix_ms};
  out.window_to_unix_ms = quarter_start_unix_ms - params.s_ref_lag_ms();
  out.window_from_unix_ms = out.window_to_unix_ms - params.s_ref_window_ms();

  auto pool_of = [&](const std::function<bool(const SRefSample&)>& in_pool) {
    std::vector<double> values;
    for (const auto& sample : samples) {
      if (sample.s > 0 && sample.delivered_unix_ms >= out.window_from_unix_ms &&
          sample.delivered_unix_ms < out.window_to_unix_ms && in_pool(sample)) {
        values.push_back(sample.s);
      }
    }
    return values;
  };
  auto try_pool = [&](std::string name, const std::vector<double>& values) {
    if (static_cast<int64_t>(values.size()) < params.s_ref_min_changes)
      return false;
    out.pool = std::move(name);
    out.changes = static_cast<int64_t>(values.size());
    out.median = SubstanceWeightedMedian(values);
    return true;
  };

  bool found =
      try_pool("service", pool_of([&](const SRefSample& s) { return s.service == service; })) ||
      (!family.empty() &&
       try_pool("family:" + std::string(family),
                pool_of([&](const SRefSample& s) { return s.family == family; }))) ||
      try_pool("organisation", pool_of([](const SRefSample&) { return true; }));
  if (!found) {
    out.pool = "fallback";
    out.changes = 0;
    out.median = params.s_ref_fallback_lines;
  }
  out.floored = out.median < params.s_ref_floor_lines;
  out.value = std::max(out.median, params.s_ref_floor_lines);
  return out;
}

double SMax(double s_ref, const NdParams& params) { return params.s_max_multiple * s_ref; }

}  // namespace goodhart::analytics::nd
