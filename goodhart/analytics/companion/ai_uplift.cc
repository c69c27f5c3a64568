#include "goodhart/analytics/companion/ai_uplift.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

namespace goodhart::analytics::companion {
namespace {

constexpr int64_t kWeekMs = int64_t{7} * 24 * 3600 * 1000;

}  // namespace

Result<AiUplift> EstimateAiUplift(const UpliftInput& input) {
  if (!(input.log_offset >= 0)) {
    return Status::InvalidArgument(
        fmt::format("companion: ai_uplift: log_offset is negative ({})", input.log_offset));
  }
  std::map<std::string, std::map<int64_t, double>> y;  // team -> week -> Y
  std::set<int64_t> weeks;
  for (size_t i = 0; i < input.panel.size(); ++i) {
    const TeamWeek& tw = input.panel[i];
    if (!std::isfinite(tw.nd_rate) || tw.nd_rate < 0) {
      return Status::InvalidArgument(
          fmt::format("companion: ai_uplift: panel[{}]: nd_rate is negative or not finite ({})", i,
                      tw.nd_rate));
    }
    auto& team = y[tw.team];
    if (team.count(tw.week) > 0) {
      return Status::InvalidArgument(
          fmt::format("companion: ai_uplift: panel[{}]: duplicate week {} for team \"{}\"", i,
                      tw.week, tw.team));
    }
    weeks.insert(tw.week);
    double shifted = tw.nd_rate + input.log_offset;
    if (shifted > 0) {
      team[tw.week] = std::log(shifted);
    }
  }
  auto group_of = [&](const std::string& team) -> std::optional<int64_t> {
    auto it = input.adoption_week.find(team);
    return it == input.adoption_week.end() ? std::nullopt : std::optional<int64_t>(it->second);
  };
  // Mean of Y(t) - Y(base) over `teams` that have both; count in `n`.
  auto mean_change = [&](const std::vector<std::string>& teams, int64_t t, int64_t base,
                         int64_t& n) {
    double sum = 0;
    n = 0;
    for (const auto& team : teams) {
      const auto& series = y[team];
      auto yt = series.find(t);
      auto yb = series.find(base);
      if (yt != series.end() && yb != series.end()) {
        sum += yt->second - yb->second;
        ++n;
      }
    }
    return n > 0 ? sum / static_cast<double>(n) : 0.0;
  };

  std::set<int64_t> groups;
  for (const auto& [team, g] : input.adoption_week) {
    groups.insert(g);
  }
  AiUplift out;
  std::map<int64_t, std::pair<double, int64_t>> by_event;  // e -> (weighted sum, weight)
  double post_sum = 0;
  int64_t post_weight = 0;
  for (int64_t g : groups) {
    std::vector<std::string> treated;
    for (const auto& [team, series] : y) {
      if (group_of(team) == g) {
        treated.push_back(team);
      }
    }
    for (int64_t t : weeks) {
      if (t == g - 1) {
        continue;
      }
      std::vector<std::string> controls;
      for (const auto& [team, series] : y) {
        auto other = group_of(team);
        if (!other || *other > std::max(t, g)) {
          controls.push_back(team);
        }
      }
      int64_t n_treated = 0, n_controls = 0;
      double treated_change = mean_change(treated, t, g - 1, n_treated);
      double control_change = mean_change(controls, t, g - 1, n_controls);
      if (n_treated == 0 || n_controls == 0) {
        ++out.skipped_cells;
        continue;
      }
      GroupTimeAtt cell{.group = g,
                        .week = t,
                        .att = treated_change - control_change,
                        .treated_teams = n_treated,
                        .control_teams = n_controls};
      auto& e = by_event[t - g];
      e.first += cell.att * static_cast<double>(n_treated);
      e.second += n_treated;
      if (t >= g) {
        post_sum += cell.att * static_cast<double>(n_treated);
        post_weight += n_treated;
      }
      out.cells.push_back(cell);
    }
  }
  if (post_weight > 0) {
    out.att = post_sum / static_cast<double>(post_weight);
  }
  for (const auto& [e, sum] : by_event) {
    EventTimeEstimate est{.event_time = e,
                          .estimate = sum.first / static_cast<double>(sum.second),
                          .treated_teams = sum.second};
    out.event_study.push_back(est);
    if (e <= -2) {
      out.pre_trends.push_back(est);
    }
  }
  return out;
}

std::vector<TeamWeek> TeamWeekPanel(const nd::NdResult& result, int64_t first_week_start_unix_ms,
                                    int64_t weeks, NdBasis basis) {
  std::map<std::string, const nd::LogicalChangeCredit*> by_id;
  for (const auto& l : result.changes) {
    by_id[l.id] = &l;
  }
  std::vector<TeamWeek> out;
  for (const auto& team : result.teams) {
    double fte = 0;
    std::vector<double> nd(static_cast<size_t>(std::max<int64_t>(weeks, 0)), 0.0);
    for (const auto& p : result.people) {
      if (p.team != team.team_id) {
        continue;
      }
      fte += p.fte;
      for (const auto& c : p.contributions) {
        auto l = by_id.find(c.logical_change_id);
        if (l == by_id.end() || !NdOnBasis(*l->second, basis)) {
          continue;
        }
        int64_t offset = l->second->delivered_unix_ms - first_week_start_unix_ms;
        if (offset < 0 || offset >= weeks * kWeekMs) {
          continue;
        }
        nd[static_cast<size_t>(offset / kWeekMs)] += c.nd;
      }
    }
    if (fte <= 0) {
      continue;
    }
    for (int64_t k = 0; k < weeks; ++k) {
      out.push_back({.team = team.team_id, .week = k, .nd_rate = nd[static_cast<size_t>(k)] / fte});
    }
  }
  return out;
}

}  // namespace goodhart::analytics::companion
