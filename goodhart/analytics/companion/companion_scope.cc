#include "goodhart/analytics/companion/companion_scope.h"

#include <algorithm>
#include <map>
#include <set>

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

namespace {

bool InPeriod(const nd::NdResult& result, const nd::LogicalChangeCredit& l) {
  return l.delivered_unix_ms >= result.period_from_unix_ms &&
         l.delivered_unix_ms < result.period_to_unix_ms;
}

const std::vector<ResultIndex::TeamChange> kNoTeamChanges;
const std::vector<size_t> kNoPositions;

}  // namespace

ResultIndex::ResultIndex(const nd::NdResult& result) : result_(&result) {
  std::unordered_map<std::string_view, std::vector<size_t>> positions_of_id;
  for (size_t i = 0; i < result.changes.size(); ++i) {
    const nd::LogicalChangeCredit& l = result.changes[i];
    if (!InPeriod(result, l)) {
      continue;
    }
    positions_of_id[l.id].push_back(i);
    std::set<std::string_view> approvers;
    for (const auto& a : l.review.approvals) {
      approvers.insert(a.reviewer);
    }
    for (std::string_view person : approvers) {
      approved_by_[std::string(person)].push_back(i);
    }
  }
  // Summed in the order ScopedChanges sums them (people, then their contributions), so both
  // give the same doubles.
  std::unordered_map<std::string, std::map<size_t, double>> by_team;
  for (const auto& p : result.people) {
    for (const auto& c : p.contributions) {
      auto it = positions_of_id.find(c.logical_change_id);
      if (it == positions_of_id.end()) {
        continue;
      }
      for (size_t position : it->second) {
        by_team[p.team][position] += c.nd;
      }
    }
  }
  for (auto& [team, changes] : by_team) {
    std::vector<TeamChange>& out = team_changes_[team];
    for (const auto& [position, nd] : changes) {
      out.push_back({.position = position, .nd = nd});
    }
  }
}

const std::vector<ResultIndex::TeamChange>& ResultIndex::TeamChanges(
    const std::string& team) const {
  auto it = team_changes_.find(team);
  return it == team_changes_.end() ? kNoTeamChanges : it->second;
}

const std::vector<size_t>& ResultIndex::ApprovedBy(const std::string& person) const {
  auto it = approved_by_.find(person);
  return it == approved_by_.end() ? kNoPositions : it->second;
}

std::vector<ScopedChange> ScopedChanges(const nd::NdResult& result, const CompanionScope& scope,
                                        NdBasis basis) {
  std::vector<ScopedChange> out;
  if (!scope.team.empty() && scope.index != nullptr && &scope.index->result() == &result) {
    for (const auto& c : scope.index->TeamChanges(scope.team)) {
      const nd::LogicalChangeCredit& l = result.changes[c.position];
      if (NdOnBasis(l, basis)) {
        out.push_back({.change = &l, .nd = c.nd});
      }
    }
    return out;
  }
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
