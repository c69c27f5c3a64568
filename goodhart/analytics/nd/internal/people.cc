#include "goodhart/analytics/nd/internal/people.h"

#include <algorithm>

#include "goodhart/base/time.h"

namespace goodhart::analytics::nd::internal {
namespace {

constexpr double kMillisPerWeek = 7.0 * static_cast<double>(kMillisPerDay);

std::optional<double> Rate(double nd, double engineer_weeks) {
  if (!(engineer_weeks > 0))
    return std::nullopt;
  return nd / engineer_weeks;
}

}  // namespace

PeopleTotals AggregatePeople(const std::vector<LogicalChangeCredit>& changes,
                             const directory::Directory* directory, int64_t from_unix_ms,
                             int64_t to_unix_ms,
                             const std::map<std::string, double>& available_weeks) {
  PeopleTotals out;
  double period_weeks = static_cast<double>(to_unix_ms - from_unix_ms) / kMillisPerWeek;
  std::map<std::string, size_t> index;
  auto weeks_of = [&](const std::string& id) {
    auto it = available_weeks.find(id);
    return it == available_weeks.end() ? period_weeks : it->second;
  };
  if (directory != nullptr) {
    for (const auto& person : directory->people()) {
      index[person.id] = out.people.size();
      out.people.push_back({.person_id = person.id,
                            .resolved = true,
                            .team = person.team,
                            .fte = person.fte,
                            .available_weeks = weeks_of(person.id)});
    }
  }
  std::vector<PersonNd> unresolved;
  std::map<std::string, size_t> unresolved_index;
  for (const auto& l : changes) {
    if (l.delivered_unix_ms < from_unix_ms || l.delivered_unix_ms >= to_unix_ms)
      continue;
    for (const auto& share : l.shares) {
      double amount = share.share * l.nd;
      if (share.person_id.empty()) {
        if (l.stage != NdStage::kPending)
          out.unattributed_nd += amount;
        continue;
      }
      PersonNd* person = nullptr;
      if (auto it = index.find(share.person_id); it != index.end()) {
        person = &out.people[it->second];
      } else {
        auto [u, added] = unresolved_index.try_emplace(share.person_id, unresolved.size());
        if (added) {
          unresolved.push_back({.person_id = share.person_id,
                                .resolved = false,
                                .fte = 1.0,
                                .available_weeks = weeks_of(share.person_id)});
        }
        person = &unresolved[u->second];
      }
      person->contributions.push_back(
          {.logical_change_id = l.id, .share = share.share, .nd = amount, .stage = l.stage});
      if (l.stage == NdStage::kPending) {
        person->nd_pending += amount;
        continue;
      }
      person->nd += amount;
      if (l.stage == NdStage::kFinal)
        person->nd_final += amount;
    }
  }
  std::sort(unresolved.begin(), unresolved.end(),
            [](const PersonNd& a, const PersonNd& b) { return a.person_id < b.person_id; });
  for (auto& p : unresolved)
    out.people.push_back(std::move(p));
  for (auto& p : out.people)
    p.nd_rate = Rate(p.nd, p.fte * p.available_weeks);

  if (directory != nullptr) {
    for (const auto& team : directory->teams()) {
      TeamNd t{.team_id = team.id, .name = team.name};
      for (const auto& p : out.people) {
        if (!p.resolved || p.team != team.id)
          continue;
        t.members.push_back(p.person_id);
        t.nd += p.nd;
        t.nd_final += p.nd_final;
        t.engineer_weeks += p.fte * p.available_weeks;
        if (!p.contributions.empty())
          ++t.contributors;
      }
      t.nd_rate = Rate(t.nd, t.engineer_weeks);
      t.nd_rate_final = Rate(t.nd_final, t.engineer_weeks);
      out.teams.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace goodhart::analytics::nd::internal
