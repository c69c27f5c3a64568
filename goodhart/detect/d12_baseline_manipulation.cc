// D12 baseline manipulation, metrics.md §5.2, per service: (a) the share of logical changes below
// rho x S_ref at least doubles quarter on quarter (>= 10 changes now), or (b) the candidate next
// S_ref (substance-weighted median of S over this and the previous periods, with the 20-line
// floor) is > 30% below the S_ref in use while meaningful lines per engineer-week of the owning
// team stay within +-15%. Tier B, non-statistical: needs corroboration. Action: freeze S_ref at
// its current value pending review.
// "Quarter on quarter": with a frozen own baseline (DetectInput::own_baseline, the previous
// quarter), this quarter so far (the current period and the earlier periods of the trailing
// twelve weeks that start after the baseline) against it; without one, period on period.
// Approximation (README): the candidate S_ref uses the periods in the input, not the 180-day
// window lagged 30 days.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "goodhart/analytics/nd/substance_ref.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"

namespace goodhart::detect {
namespace {

struct ServiceStats {
  int64_t n = 0, micro = 0;
  double s_ref = 0, lines = 0;
  std::vector<double> s;
  std::string team;
  double MicroShare() const {
    return n > 0 ? static_cast<double>(micro) / static_cast<double>(n) : 0;
  }
};

std::map<std::string, ServiceStats> Collect(const PeriodInput& in, const People& people,
                                            double rho) {
  std::map<std::string, ServiceStats> out;
  if (in.nd == nullptr) {
    return out;
  }
  for (const auto& l : in.NdChanges()) {
    if (l.delivered_unix_ms < in.period.from_unix_ms ||
        l.delivered_unix_ms >= in.period.to_unix_ms) {
      continue;
    }
    ServiceStats& st = out[l.service];
    double s_ref = l.credit.s_ref > 0 ? l.credit.s_ref : l.s_ref.value;
    st.n += 1;
    st.micro += s_ref > 0 && l.s < rho * s_ref ? 1 : 0;
    st.s_ref = s_ref;
    st.lines += l.s;
    st.s.push_back(l.s);
    st.team = people.ServiceTeam(l.service);
  }
  return out;
}

double EngineerWeeks(const PeriodInput& in, const std::string& team) {
  if (in.nd == nullptr) {
    return 0;
  }
  for (const auto& t : in.nd->teams) {
    if (t.team_id == team) {
      return t.engineer_weeks;
    }
  }
  return 0;
}

// Adds `from`'s services to `into`; S_ref in use and team stay those already there (the latest).
void Add(std::map<std::string, ServiceStats>& into,
         const std::map<std::string, ServiceStats>& from) {
  for (const auto& [service, st] : from) {
    ServiceStats& sum = into[service];
    sum.n += st.n;
    sum.micro += st.micro;
    sum.lines += st.lines;
    sum.s.insert(sum.s.end(), st.s.begin(), st.s.end());
    if (sum.team.empty()) {
      sum.team = st.team;
      sum.s_ref = st.s_ref;
    }
  }
}

}  // namespace

DetectorRun DetectBaselineManipulation(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  if (ctx.own_baseline().empty()) {
    return run;
  }
  const double rho = params.d7_ramp_rho;
  // Each period's services, collected once: a history period can be on the "now" side and is in
  // the candidate S_ref's pool too.
  std::map<const PeriodInput*, std::map<std::string, ServiceStats>> collected;
  auto stats_of = [&](const PeriodInput* p) -> const std::map<std::string, ServiceStats>& {
    auto it = collected.find(p);
    if (it == collected.end()) {
      it = collected.emplace(p, Collect(*p, ctx.people(), rho)).first;
    }
    return it->second;
  };
  // The two sides of the comparison (see the top of the file).
  const bool quarterly = ctx.has_frozen_baseline();
  std::vector<const PeriodInput*> before_periods =
      quarterly ? ctx.own_baseline() : std::vector<const PeriodInput*>{ctx.history().front()};
  Period before_window = before_periods.front()->period;
  for (const PeriodInput* p : before_periods) {
    before_window.from_unix_ms = std::min(before_window.from_unix_ms, p->period.from_unix_ms);
    before_window.to_unix_ms = std::max(before_window.to_unix_ms, p->period.to_unix_ms);
  }
  std::vector<const PeriodInput*> now_periods = {&ctx.input()};
  Period window = ctx.period();
  if (quarterly) {
    const int64_t quarter_from =
        window.from_unix_ms - 2 * (window.to_unix_ms - window.from_unix_ms);
    for (const PeriodInput* h : ctx.history()) {
      if (h->period.from_unix_ms >= std::max(before_window.to_unix_ms, quarter_from)) {
        now_periods.push_back(h);
        window.from_unix_ms = std::min(window.from_unix_ms, h->period.from_unix_ms);
      }
    }
  }
  std::map<std::string, ServiceStats> now, prev;
  for (const PeriodInput* p : now_periods) {
    Add(now, stats_of(p));
  }
  for (const PeriodInput* p : before_periods) {
    Add(prev, stats_of(p));
  }
  auto weeks_of = [](const std::vector<const PeriodInput*>& periods, const std::string& team) {
    double weeks = 0;
    for (const PeriodInput* p : periods) {
      weeks += EngineerWeeks(*p, team);
    }
    return weeks;
  };
  const std::string before_label =
      quarterly ? fmt::format("the previous quarter ({})", internal::PeriodLabel(before_window))
                : "the previous period";
  std::map<std::string, std::vector<double>> pooled;
  for (const PeriodInput* h : ctx.history()) {
    for (const auto& [service, st] : stats_of(h)) {
      pooled[service].insert(pooled[service].end(), st.s.begin(), st.s.end());
    }
  }
  analytics::nd::NdParams nd_defaults;
  for (auto& [service, st] : now) {
    auto p = prev.find(service);
    if (st.n < params.d12_min_changes || p == prev.end() || p->second.n == 0) {
      continue;
    }
    const ServiceStats& before = p->second;
    bool doubled = st.MicroShare() >= params.d12_share_growth * before.MicroShare() &&
                   st.micro > 0 && before.MicroShare() > 0;
    std::vector<double> all = pooled[service];
    all.insert(all.end(), st.s.begin(), st.s.end());
    double candidate =
        std::max(nd_defaults.s_ref_floor_lines, analytics::nd::SubstanceWeightedMedian(all));
    double drop = st.s_ref > 0 ? 1 - candidate / st.s_ref : 0;
    double weeks_now = weeks_of(now_periods, st.team);
    double weeks_prev = weeks_of(before_periods, st.team);
    double rate_now = weeks_now > 0 ? st.lines / weeks_now : 0;
    double rate_prev = weeks_prev > 0 ? before.lines / weeks_prev : 0;
    bool flat = rate_prev > 0 && std::abs(rate_now / rate_prev - 1) <= params.d12_flat_tolerance;
    bool s_ref_drop = drop > params.d12_s_ref_drop && flat;
    if (!doubled && !s_ref_drop) {
      continue;
    }
    Flag f = ctx.NewFlag("D12", "D12-1", Tier::kB, {SubjectKind::kService, service});
    f.score = doubled ? st.MicroShare() / before.MicroShare() : drop;
    f.threshold = doubled ? params.d12_share_growth : params.d12_s_ref_drop;
    f.score_name = doubled ? "growth of the micro-change share" : "drop of the candidate S_ref";
    f.peer_group = quarterly ? "own history (previous quarter)" : "own history (previous period)";
    f.peer_n = 1;
    std::vector<std::string> parts;
    if (doubled) {
      parts.push_back(fmt::format(
          "{} of the {} changes delivered to {} from {} were below {} meaningful lines, against "
          "{} in {}",
          internal::Pct(st.MicroShare()), st.n, service, internal::PeriodLabel(window),
          internal::Fixed(rho * st.s_ref, 0), internal::Pct(before.MicroShare()), before_label));
    }
    if (s_ref_drop) {
      parts.push_back(fmt::format(
          "the candidate next S_ref would fall from {} to {} lines ({} lower) while meaningful "
          "lines per engineer-week stayed flat ({} vs {})",
          internal::Fixed(st.s_ref, 0), internal::Fixed(candidate, 0), internal::Pct(drop),
          internal::Fixed(rate_now, 1), internal::Fixed(rate_prev, 1)));
    }
    f.explanation = "For service " + service + ": " + internal::JoinAnd(parts) +
                    ". Why it matters: a smaller S_ref makes every later change worth more ND; "
                    "flooding a service with small changes is how a baseline is pulled down.";
    f.evidence.push_back({service, ctx.period().from_unix_ms,
                          fmt::format("S_ref in use {}, candidate {}", internal::Fixed(st.s_ref, 0),
                                      internal::Fixed(candidate, 0)),
                          "reference size"});
    f.evidence.push_back({"micro-share", ctx.period().from_unix_ms,
                          fmt::format("{} now, {} before", internal::Pct(st.MicroShare()),
                                      internal::Pct(before.MicroShare())),
                          "changes below rho x S_ref"});
    f.recommended_action = fmt::format("Freeze S_ref for {} at {} lines pending review.", service,
                                       internal::Fixed(st.s_ref, 0));
    f.benign_explanations = {"a deliberate move to smaller batches (trunk-based development)",
                             "a service entering maintenance mode with mostly small fixes",
                             "a split of the service that left only the small-change part"};
    f.materiality = {.basis = MaterialityBasis::kDataIntegrity};
    run.candidates.push_back({std::move(f), false});
  }
  return run;
}

}  // namespace goodhart::detect
