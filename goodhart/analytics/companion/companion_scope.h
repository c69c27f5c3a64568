// What a companion metric covers and which ND it reads. All companion metrics are team-level by
// default (metrics.md §4, §7); the organisation is the scope with an empty team.
//
// ND basis. Decisions use final ND (T_final = 90 d after delivery); provisional ND (from 21 d)
// shows the current quarter sooner. kFinal reads LogicalChangeCredit::nd_final of final-stage L;
// kProvisionalAndFinal reads `nd` of every L past the pending stage. Pending L count in neither.
//
// Scoped ND of one L: for the organisation, ND(L); for a team, the sum of the team's people's
// contributions to L (share_p(L) x ND(L), PersonNd::contributions), so a change pair-programmed
// across two teams is split between them, as ND_team is. Logical changes are those of the
// NdResult's period (delivered in [period_from, period_to)).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "goodhart/analytics/nd/nd_result.h"

namespace goodhart::analytics::companion {

enum class NdBasis { kFinal, kProvisionalAndFinal };
// "final", "provisional_and_final".
std::string_view NdBasisName(NdBasis basis);

// The period's logical changes of one NdResult by team and by approver, for a caller that
// evaluates every team over the same result: a team's metrics then read its own changes, not all
// of them (a report of 1,000 teams over 250,000 changes otherwise walks 250 million).
class ResultIndex {
 public:
  // A logical change a team has a part in, and the team's contributions to it.
  struct TeamChange {
    size_t position = 0;  // in NdResult::changes
    double nd = 0;        // the team's people's contributions (share x ND at L's stage)
  };

  explicit ResultIndex(const nd::NdResult& result);

  const nd::NdResult& result() const { return *result_; }
  // By position; empty for a team with no contribution in the period.
  const std::vector<TeamChange>& TeamChanges(const std::string& team) const;
  // Positions of the period's L that `person` approved, ascending.
  const std::vector<size_t>& ApprovedBy(const std::string& person) const;

 private:
  const nd::NdResult* result_;
  std::unordered_map<std::string, std::vector<TeamChange>> team_changes_;
  std::unordered_map<std::string, std::vector<size_t>> approved_by_;
};

struct CompanionScope {
  std::string team;  // a TeamNd::team_id; "" = the organisation
  // Optional, for a caller that evaluates many team scopes over one NdResult: the person ids the
  // NdResult lists in `team`, so that InScope looks a person up instead of scanning
  // NdResult::people (10,000 people times every rollup row of every team otherwise).
  const std::unordered_set<std::string>* people = nullptr;
  // Optional, likewise: an index of the NdResult the metric reads. Ignored for another result.
  const ResultIndex* index = nullptr;
  bool operator==(const CompanionScope&) const = default;
};

// ND(L) on `basis`; nullopt when L is not counted on that basis (pending, or not yet final).
std::optional<double> NdOnBasis(const nd::LogicalChangeCredit& l, NdBasis basis);

struct ScopedChange {
  const nd::LogicalChangeCredit* change = nullptr;
  double nd = 0;  // the scope's ND of L on the basis
};

// The period's L counted on `basis` that the scope has a part in (for a team: a contribution by
// one of its people), by the NdResult's order.
std::vector<ScopedChange> ScopedChanges(const nd::NdResult& result, const CompanionScope& scope,
                                        NdBasis basis);

// True when `person_id` (Actor::id) belongs to the scope: always for the organisation, else when
// the NdResult lists the person in the team.
bool InScope(const nd::NdResult& result, const CompanionScope& scope, const std::string& person_id);

}  // namespace goodhart::analytics::companion
