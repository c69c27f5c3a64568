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
#include <unordered_set>
#include <vector>

#include "goodhart/analytics/nd/nd_result.h"

namespace goodhart::analytics::companion {

enum class NdBasis { kFinal, kProvisionalAndFinal };
// "final", "provisional_and_final".
std::string_view NdBasisName(NdBasis basis);

struct CompanionScope {
  std::string team;  // a TeamNd::team_id; "" = the organisation
  // Optional, for a caller that evaluates many team scopes over one NdResult: the person ids the
  // NdResult lists in `team`, so that InScope looks a person up instead of scanning
  // NdResult::people (10,000 people times every rollup row of every team otherwise).
  const std::unordered_set<std::string>* people = nullptr;
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
