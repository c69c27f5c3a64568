// AI uplift vs own baseline (metrics.md §4): a difference-in-differences across teams with
// staggered adoption, after Callaway & Sant'Anna (2021), on the team-week log ND_rate.
//
//   Y(team, week)  = log(ND_rate(team, week) + log_offset); a team-week whose rate + offset is not
//                    positive, or that is missing from the panel, is missing
//   group g        = the team's adoption week (intent-to-treat: the tool's rollout week);
//                    teams without one are never treated
//   ATT(g, t)      = mean over teams of group g of [Y(t) - Y(g-1)]
//                  - mean over control teams of [Y(t) - Y(g-1)]
//                    controls: teams not yet treated at t nor at g-1, i.e. never treated or with
//                    adoption week > max(t, g) ("not-yet-treated"); a team enters a mean only when
//                    both its Y(t) and Y(g-1) exist. A cell needs >= 1 treated and >= 1 control.
//                    The base period is universal (g-1), so ATT(g, g-1) = 0 by construction.
//   ATT            = the treated-team-weighted mean of ATT(g, t) over post cells (t >= g)
//                    (Callaway-Sant'Anna "simple" aggregation)
//   event study    theta(e) = the treated-team-weighted mean of ATT(g, g+e); e >= 0 are the
//                    dynamic effects, e <= -2 the pre-trend coefficients (should be ~0)
// exp(ATT) - 1 reads as the relative change in ND_rate. No standard errors, CUPED adjustment or
// stability (CFR) uplift yet: report them beside this once the panel is large enough.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/analytics/companion/companion_scope.h"
#include "goodhart/analytics/nd/nd_result.h"
#include "goodhart/base/status.h"

namespace goodhart::analytics::companion {

struct TeamWeek {
  std::string team;
  int64_t week = 0;  // any consistent week index
  double nd_rate = 0;
  bool operator==(const TeamWeek&) const = default;
};

struct UpliftInput {
  std::vector<TeamWeek> panel;
  std::map<std::string, int64_t> adoption_week;  // team -> first treated week
  double log_offset = 0.1;  // ND per engineer-week added before the log, so a zero week counts
};

struct GroupTimeAtt {
  int64_t group = 0, week = 0;
  double att = 0;
  int64_t treated_teams = 0, control_teams = 0;
  bool operator==(const GroupTimeAtt&) const = default;
};

struct EventTimeEstimate {
  int64_t event_time = 0;  // week - group
  double estimate = 0;
  int64_t treated_teams = 0;  // summed over the cells
  bool operator==(const EventTimeEstimate&) const = default;
};

struct AiUplift {
  std::optional<double> att;                   // nullopt when no post cell could be estimated
  std::vector<GroupTimeAtt> cells;             // by group, then week (t = g-1 left out)
  std::vector<EventTimeEstimate> event_study;  // by event time, -1 left out
  std::vector<EventTimeEstimate> pre_trends;   // the event-study entries with e <= -2
  int64_t skipped_cells = 0;                   // (g, t) without a treated or a control team
  bool operator==(const AiUplift&) const = default;
};

// InvalidArgument for a duplicate (team, week), a negative or non-finite rate, or a negative
// log_offset.
Result<AiUplift> EstimateAiUplift(const UpliftInput& input);

// The team-week panel of one NdResult: for each team and each week k in [0, weeks), the ND on
// `basis` of L delivered in [first_week_start + k weeks, + 1 week) by the team's people (their
// contributions) / the team's FTE sum (one engineer-week per FTE per week; available_weeks is per
// period, not per week). Teams with no FTE are left out.
std::vector<TeamWeek> TeamWeekPanel(const nd::NdResult& result, int64_t first_week_start_unix_ms,
                                    int64_t weeks, NdBasis basis = NdBasis::kFinal);

}  // namespace goodhart::analytics::companion
