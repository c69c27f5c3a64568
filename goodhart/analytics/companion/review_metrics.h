// Review coverage and load (metrics.md §4): makes reviewing visible, since reviewers earn no ND.
//   review coverage  % of the period's logical changes with R = 1 (every change approved by an
//                    eligible reviewer after the last push); L at any stage, since R is known at
//                    delivery. A team's L are those its people contributed to.
//   reviewer ND      for each person, the sum of ND(L) (whole, not shared) over the L whose
//                    approvals (ReviewGate::approvals) include them, each L once; on `basis`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/analytics/companion/companion_scope.h"
#include "goodhart/analytics/nd/nd_result.h"

namespace goodhart::analytics::companion {

struct ReviewerNd {
  std::string person_id;  // Actor::id of the approving reviewer
  double nd = 0;
  int64_t changes = 0;  // L approved
  bool operator==(const ReviewerNd&) const = default;
};

struct ReviewMetrics {
  int64_t changes = 0;                // L delivered in the period, in scope
  int64_t reviewed_changes = 0;       // of those, R = 1
  std::optional<double> coverage;     // reviewed / changes; nullopt without L
  std::vector<ReviewerNd> reviewers;  // reviewers in scope, by descending ND then id
  bool operator==(const ReviewMetrics&) const = default;
};

ReviewMetrics ComputeReviewMetrics(const nd::NdResult& result, const CompanionScope& scope,
                                   NdBasis basis = NdBasis::kFinal);

}  // namespace goodhart::analytics::companion
