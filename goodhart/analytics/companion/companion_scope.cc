#include "goodhart/analytics/companion/companion_scope.h"

#include <map>

namespace goodhart::analytics::companion {

std::string_view NdBasisName(NdBasis basis) {
  return basis == NdBasis::kFinal ? "final" : "provisional_and_final";
}

std::optional<double> NdOnBasis(const nd::LogicalChangeCredit& l, NdBasis basis) {
  if (basis == NdBasis::kFinal) {
    if (l.stage != nd::NdStage::kFinal) {
      return std::nullopt;
    }
    return l.nd_final.value_or(l.nd);
  }
  if (l.stage == nd::NdStage::kPending) {
    return std::nullopt;
  }
  return l.nd;
}

bool InScope(const nd::NdResult& result, const CompanionScope& scope,
             const std::string& person_id) {
  if (scope.team.empty()) {
    return true;
  }
  if (scope.people != nullptr) {
    return scope.people->contains(person_id);
  }
  for (const auto& p : result.people) {
    if (p.person_id == person_id) {
      return p.team == scope.team;
    }
  }
  return false;
}

std::vector<ScopedChange> ScopedChanges(const nd::NdResult& result, const CompanionScope& scope,
                                        NdBasis basis) {
  std::map<std::string, double> team_nd;  // L id -> the team's contributions
  std::map<std::string, bool> team_part;
  if (!scope.team.empty()) {
    for (const auto& p : result.people) {
      if (p.team != scope.team) {
        continue;
      }
      for (const auto& c : p.contributions) {
        team_nd[c.logical_change_id] += c.nd;
        team_part[c.logical_change_id] = true;
      }
    }
  }
  std::vector<ScopedChange> out;
  for (const auto& l : result.changes) {
    if (l.delivered_unix_ms < result.period_from_unix_ms ||
        l.delivered_unix_ms >= result.period_to_unix_ms) {
      continue;
    }
    std::optional<double> value = NdOnBasis(l, basis);
    if (!value) {
      continue;
    }
    if (scope.team.empty()) {
      out.push_back({.change = &l, .nd = *value});
    } else if (team_part.count(l.id) > 0) {
      // Contributions carry share x ND at L's current stage, which is the basis value whenever
      // L is counted on the basis (final L: nd == nd_final).
      out.push_back({.change = &l, .nd = team_nd[l.id]});
    }
  }
  return out;
}

}  // namespace goodhart::analytics::companion
