// Builders for hand-made NdResults in this module's tests: the companion metrics read only the
// result's changes, people and teams, so tests set exactly the fields a hand computation uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "goodhart/analytics/nd/nd_result.h"

namespace goodhart::analytics::companion::testing {

inline constexpr int64_t kDayMs = 86'400'000;

struct ShareSpec {
  std::string person;
  double share = 1;
};

// One logical change with one part per commit list. `nd_final` is set for final L.
inline nd::LogicalChangeCredit MakeChange(std::string id, nd::NdStage stage, double nd,
                                          int64_t delivered, std::vector<ShareSpec> shares,
                                          std::vector<std::string> commits, double s = 0,
                                          double d = 1) {
  nd::LogicalChangeCredit l;
  l.id = std::move(id);
  l.service = "api";
  l.stage = stage;
  l.nd = nd;
  if (stage != nd::NdStage::kPending) {
    l.nd_provisional = nd;
  }
  if (stage == nd::NdStage::kFinal) {
    l.nd_final = nd;
  }
  l.delivered_unix_ms = delivered;
  l.s = s;
  l.d = d;
  nd::ChangePart part;
  part.change_id = "ch/" + l.id;
  part.commit_shas = std::move(commits);
  l.parts.push_back(std::move(part));
  for (const auto& sh : shares) {
    l.shares.push_back({.person_id = sh.person, .resolved = true, .share = sh.share});
  }
  return l;
}

// Adds people, their contributions (share x ND of every L in `result.changes`) and teams.
inline void AddPeople(nd::NdResult& result,
                      const std::vector<std::pair<std::string, std::string>>& person_team,
                      double engineer_weeks_per_person = 4) {
  for (const auto& [person, team] : person_team) {
    nd::PersonNd p{.person_id = person, .resolved = true, .team = team, .fte = 1};
    for (const auto& l : result.changes) {
      for (const auto& sh : l.shares) {
        if (sh.person_id == person) {
          p.contributions.push_back({.logical_change_id = l.id,
                                     .share = sh.share,
                                     .nd = sh.share * l.nd,
                                     .stage = l.stage});
        }
      }
    }
    result.people.push_back(std::move(p));
    nd::TeamNd* t = nullptr;
    for (auto& existing : result.teams) {
      if (existing.team_id == team) {
        t = &existing;
      }
    }
    if (t == nullptr) {
      result.teams.push_back({.team_id = team, .name = team});
      t = &result.teams.back();
    }
    t->members.push_back(person);
    t->engineer_weeks += engineer_weeks_per_person;
  }
}

// The shared scenario: period [P0, P0 + 28 d); teams core (ann, bob) and front (cat).
//   L1  final        ND 0.5  ann 100%            commits a1        S 60, D 0.9  R=1 by cat
//   L2  final        ND 1.0  ann 50%, cat 50%    commits a2, c2    S 200, D 1   R=1 by bob
//   L3  provisional  ND 0.4  bob 100%            commits b3        S 40, D 1    R=0
//   L4  pending      ND 0.3  cat 100%            commits c4                     R=1 by ann
//   L5  final        ND 1.0  ann 100%, delivered before the period (in no sum)
// Final ND: org 0.5 + 1.0 = 1.5; core 0.5 + 0.5 = 1.0; front 0.5.
// Provisional + final ND: org 1.9; core 1.4; front 0.5.
inline const int64_t kP0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

inline nd::NdResult Scenario() {
  using nd::NdStage;
  nd::NdResult r;
  r.period_from_unix_ms = kP0;
  r.period_to_unix_ms = kP0 + 28 * kDayMs;
  r.changes.push_back(
      MakeChange("L1", NdStage::kFinal, 0.5, kP0 + 1 * kDayMs, {{"ann", 1}}, {"a1"}, 60, 0.9));
  r.changes.back().review = {.value = 1, .approvals = {{.change_id = "ch/L1", .reviewer = "cat"}}};
  r.changes.push_back(MakeChange("L2", NdStage::kFinal, 1.0, kP0 + 2 * kDayMs,
                                 {{"ann", 0.5}, {"cat", 0.5}}, {"a2", "c2"}, 200, 1));
  r.changes.back().review = {.value = 1, .approvals = {{.change_id = "ch/L2", .reviewer = "bob"}}};
  r.changes.push_back(
      MakeChange("L3", NdStage::kProvisional, 0.4, kP0 + 3 * kDayMs, {{"bob", 1}}, {"b3"}, 40, 1));
  r.changes.back().review = {.value = 0};
  r.changes.push_back(
      MakeChange("L4", NdStage::kPending, 0.3, kP0 + 20 * kDayMs, {{"cat", 1}}, {"c4"}));
  r.changes.back().review = {.value = 1, .approvals = {{.change_id = "ch/L4", .reviewer = "ann"}}};
  r.changes.push_back(
      MakeChange("L5", NdStage::kFinal, 1.0, kP0 - 1 * kDayMs, {{"ann", 1}}, {"a5"}, 100, 1));
  AddPeople(r, {{"ann", "core"}, {"bob", "core"}, {"cat", "front"}});
  return r;
}

}  // namespace goodhart::analytics::companion::testing
