// Cost per ND (metrics.md §4): AI spend in the period / ND. The "KiroRank antidote": volume
// without output raises it. Show it as a trend against the scope's own baseline, never across
// teams.
//
// Spend = sum over the scope's usage rollup cells whose day starts in the NdResult's period of
// the cell's reported cost when the provider reported one (> 0), else goodhart's computed cost
// (tokens x the versioned price table, cache reads and writes included). Agent compute and seats
// are not in the rollups and are not included. A team's cells are those whose actor resolves to
// one of the team's people; the organisation takes every cell.
//
// ND: the scope's final ND (the headline), and separately the provisional + final ND, labelled
// as such, for periods whose changes are not final yet.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "goodhart/analytics/companion/companion_scope.h"
#include "goodhart/analytics/linking/ai_linker.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/store/store.h"

namespace goodhart::analytics::companion {

struct CostPerNd {
  int64_t cost_micros = 0;           // micro-USD
  int64_t reported_cost_micros = 0;  // the part taken from provider-reported costs
  int64_t computed_cost_micros = 0;  // the part goodhart computed
  int64_t cells = 0;                 // rollup cells counted
  double nd_final = 0;
  double nd_provisional_and_final = 0;
  std::optional<double> micros_per_final_nd;                  // nullopt when nd_final is 0
  std::optional<double> micros_per_provisional_and_final_nd;  // labelled: not final yet
  bool operator==(const CostPerNd&) const = default;
};

// A rollup cell's spend: its reported cost when the provider reported one (> 0), else goodhart's
// computed cost. Every sum of spend over cells uses this rule.
inline int64_t CellSpendMicros(const store::UsageRollupRow& row) {
  return row.reported_cost_micros > 0 ? row.reported_cost_micros : row.computed_cost_micros;
}

CostPerNd ComputeCostPerNd(const nd::NdResult& result,
                           const std::vector<store::UsageRollupRow>& rollups,
                           const CompanionScope& scope, const IdentityResolver& resolve = {});

}  // namespace goodhart::analytics::companion
