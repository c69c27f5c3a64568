#include "goodhart/analytics/companion/review_metrics.h"

#include <algorithm>
#include <map>
#include <set>

namespace goodhart::analytics::companion {

ReviewMetrics ComputeReviewMetrics(const nd::NdResult& result, const CompanionScope& scope,
                                   NdBasis basis) {
  ReviewMetrics out;
  std::map<std::string, ReviewerNd> reviewers;
  auto visit = [&](const nd::LogicalChangeCredit& l) {
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
  };
  if (!scope.team.empty() && scope.index != nullptr && &scope.index->result() == &result) {
    // Only what the team wrote or approved can count, in the result's order as below.
    std::vector<size_t> positions;
    for (const auto& c : scope.index->TeamChanges(scope.team)) {
      positions.push_back(c.position);
    }
    for (const auto& p : result.people) {
      if (p.team == scope.team) {
        const std::vector<size_t>& approved = scope.index->ApprovedBy(p.person_id);
        positions.insert(positions.end(), approved.begin(), approved.end());
      }
    }
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    for (size_t i : positions) {
      visit(result.changes[i]);
    }
  } else {
    for (const auto& l : result.changes) {
      if (l.delivered_unix_ms >= result.period_from_unix_ms &&
          l.delivered_unix_ms < result.period_to_unix_ms) {
        visit(l);
      }
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
