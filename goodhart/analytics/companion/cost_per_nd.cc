#include "goodhart/analytics/companion/cost_per_nd.h"

#include "goodhart/analytics/companion/identity.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::companion {

CostPerNd ComputeCostPerNd(const nd::NdResult& result,
                           const std::vector<store::UsageRollupRow>& rollups,
                           const CompanionScope& scope, const IdentityResolver& resolve) {
  CostPerNd out;
  for (const auto& row : rollups) {
    int64_t day_start = row.day * kMillisPerDay;
    if (day_start < result.period_from_unix_ms || day_start >= result.period_to_unix_ms) {
      continue;
    }
    if (!InScope(result, scope, ResolvePerson(resolve, row.actor))) {
      continue;
    }
    ++out.cells;
    if (row.reported_cost_micros > 0) {
      out.reported_cost_micros += row.reported_cost_micros;
    } else {
      out.computed_cost_micros += row.computed_cost_micros;
    }
  }
  out.cost_micros = out.reported_cost_micros + out.computed_cost_micros;
  for (const auto& c : ScopedChanges(result, scope, NdBasis::kFinal)) {
    out.nd_final += c.nd;
  }
  for (const auto& c : ScopedChanges(result, scope, NdBasis::kProvisionalAndFinal)) {
    out.nd_provisional_and_final += c.nd;
  }
  if (out.nd_final > 0) {
    out.micros_per_final_nd = static_cast<double>(out.cost_micros) / out.nd_final;
  }
  if (out.nd_provisional_and_final > 0) {
    out.micros_per_provisional_and_final_nd =
        static_cast<double>(out.cost_micros) / out.nd_provisional_and_final;
  }
  return out;
}

}  // namespace goodhart::analytics::companion
