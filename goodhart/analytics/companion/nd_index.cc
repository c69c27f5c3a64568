#include "goodhart/analytics/companion/nd_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace goodhart::analytics::companion {
namespace {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); the modulo bias is below 2^-40 for any realistic n.
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

double Quantile(const std::vector<double>& sorted, double q) {
  double pos = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

double ResampledSum(const std::vector<double>& items, SplitMix64& rng) {
  double sum = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    sum += items[rng.Below(items.size())];
  }
  return sum;
}

}  // namespace

Status BootstrapParams::Validate() const {
  if (resamples < 1) {
    return Status::InvalidArgument(
        fmt::format("companion: bootstrap: resamples must be >= 1 ({})", resamples));
  }
  if (!(confidence > 0 && confidence < 1)) {
    return Status::InvalidArgument(
        fmt::format("companion: bootstrap: confidence must be in (0, 1) ({})", confidence));
  }
  return Status::Ok();
}

Result<NdIndex> ComputeNdIndex(const nd::NdResult& period, const nd::NdResult& baseline,
                               const std::string& team, const BootstrapParams& params,
                               const ResultIndex* period_index, const ResultIndex* baseline_index) {
  Status valid = params.Validate();
  if (!valid.ok()) {
    return valid;
  }
  auto find_team = [&](const nd::NdResult& r) -> const nd::TeamNd* {
    for (const auto& t : r.teams) {
      if (t.team_id == team) {
        return &t;
      }
    }
    return nullptr;
  };
  const nd::TeamNd* t = find_team(period);
  const nd::TeamNd* b = find_team(baseline);
  if (t == nullptr || b == nullptr) {
    return Status::NotFound(fmt::format("companion: nd_index: team \"{}\" is not in the {} result",
                                        team, t == nullptr ? "period's" : "baseline's"));
  }
  NdIndex out{.team = team,
              .basis = params.basis,
              .engineer_weeks = t->engineer_weeks,
              .engineer_weeks_baseline = b->engineer_weeks};
  std::vector<double> items, base_items;
  for (const auto& c : ScopedChanges(period, {.team = team, .index = period_index}, params.basis)) {
    items.push_back(c.nd);
    out.nd += c.nd;
  }
  for (const auto& c :
       ScopedChanges(baseline, {.team = team, .index = baseline_index}, params.basis)) {
    base_items.push_back(c.nd);
    out.nd_baseline += c.nd;
  }
  out.changes = static_cast<int64_t>(items.size());
  out.changes_baseline = static_cast<int64_t>(base_items.size());
  if (out.engineer_weeks > 0) {
    out.rate = out.nd / out.engineer_weeks;
  }
  if (out.engineer_weeks_baseline > 0) {
    out.rate_baseline = out.nd_baseline / out.engineer_weeks_baseline;
  }
  if (!out.rate || !out.rate_baseline || *out.rate_baseline <= 0) {
    return out;
  }
  out.index = *out.rate / *out.rate_baseline;

  SplitMix64 rng(params.seed);
  std::vector<double> ratios;
  for (int64_t i = 0; i < params.resamples; ++i) {
    double sum = ResampledSum(items, rng);
    double base_sum = ResampledSum(base_items, rng);
    if (base_sum > 0) {
      ratios.push_back((sum / out.engineer_weeks) / (base_sum / out.engineer_weeks_baseline));
    }
  }
  out.resamples_used = static_cast<int64_t>(ratios.size());
  if (!ratios.empty()) {
    std::sort(ratios.begin(), ratios.end());
    double tail = (1 - params.confidence) / 2;
    out.ci_low = Quantile(ratios, tail);
    out.ci_high = Quantile(ratios, 1 - tail);
  }
  return out;
}

}  // namespace goodhart::analytics::companion
