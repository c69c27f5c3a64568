#include "goodhart/analytics/companion/review_metrics.h"

#include <algorithm>
#include <map>
#include <set>

namespace goodhart::analytics::companion {

ReviewMetrics ComputeReviewMetrics(const nd::NdResult& result, const CompanionScope& scope,
                                   NdBasis basis) {
  ReviewMetrics out;
  std::map<std::string, ReviewerNd> reviewers;
  for (const auto& l : result.changes) {
    if (l.delivered_unix_ms < result.period_from_unix_ms ||
        l.delivered_unix_ms >= result.period_to_unix_ms) {
      continue;
    }
    bool in_scope = scope.team.empty();
    for (const auto& share : l.shares) {
      in_scope = in_scope || InScope(result, scope, share.person_id);
    }
    if (in_scope) {
      ++out.changes;
      out.reviewed_changes += l.review.value == 1 ? 1 : 0;
    }
    std::optional<double> nd = NdOnBasis(l, basis);
    std::set<std::string> approvers;
    for (const auto& a : l.review.approvals) {
      approvers.insert(a.reviewer);
    }
    for (const auto& person : approvers) {
      if (!InScope(result, scope, person)) {
        continue;
      }
      ReviewerNd& r = reviewers[person];
      r.person_id = person;
      r.nd += nd.value_or(0);
      ++r.changes;
    }
  }
  if (out.changes > 0) {
    out.coverage = static_cast<double>(out.reviewed_changes) / static_cast<double>(out.changes);
  }
  for (auto& [id, r] : reviewers) {
    out.reviewers.push_back(r);
  }
  std::stable_sort(out.reviewers.begin(), out.reviewers.end(),
                   [](const ReviewerNd& a, const ReviewerNd& b) { return a.nd > b.nd; });
  return out;
}

}  // namespace goodhart::analytics::companion
