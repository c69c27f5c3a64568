// D1 cost-to-output outlier (tokenmaxxing by volume), metrics.md §5.2: x = ln((tokens + 1) /
// (ND + 0.5)) over the period, robust z against peers; min 20 sessions. Tier B: exploration
// legitimately has high x, so it never fires alone below z = 5.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "goodhart/base/time.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {

DetectorRun DetectCostToOutput(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  std::vector<internal::PersonMetric> metrics;
  std::vector<double> cost_per_nd;
  for (const auto& [person, u] : ctx.usage()) {
    if (u.sessions < params.d1_min_sessions) {
      continue;
    }
    double nd = ctx.PersonNd(person);
    metrics.push_back({person, std::log((static_cast<double>(u.tokens) + 1) / (nd + 0.5))});
    cost_per_nd.push_back(static_cast<double>(u.spend_micros) / (nd + 0.5));
  }
  auto peers = internal::ComparePersons(ctx, metrics, params.mad_floor_log);
  for (size_t i = 0; i < metrics.size(); ++i) {
    double z = peers.comparison.z[i];
    double p = UpperTailP(z);
    run.p_values.push_back(p);
    if (z < params.tier_b_z) {
      continue;
    }
    const std::string& person = metrics[i].person;
    const PersonUsage& u = ctx.usage().at(person);
    double nd = ctx.PersonNd(person);
    Flag f = ctx.NewFlag("D1", "D1-1", Tier::kB, {SubjectKind::kPerson, person});
    if (internal::DropRoleTypical(ctx, peers, i, f, run)) {
      continue;
    }
    auto peer_cost = peers.Members(i, cost_per_nd);
    double median = Median(peer_cost), p90 = Quantile(peer_cost, 0.9);
    f.score = z;
    f.threshold = params.tier_b_z;
    f.score_name = "robust z of ln((tokens + 1) / (ND + 0.5))";
    f.z = z;
    f.p_value = p;
    f.peer_group = peers.Label(i);
    f.peer_n = static_cast<int64_t>(peers.GroupOf(i).members.size());
    double orphan =
        u.tokens > 0 ? static_cast<double>(u.orphan_tokens) / static_cast<double>(u.tokens) : 0;
    f.explanation = fmt::format(
        "Your AI usage from {} cost {} ({} tokens over {} sessions) while your changes delivered "
        "{} ND (provisional; changes still pending count at their current value). For peers in "
        "{}, the median cost per ND is {} (90th percentile {}); yours is {}. {} of your tokens "
        "came from sessions with no accepted edit or commit linked within {} days (see D2). Why "
        "it matters: spend that does not lead to shipped work raises cost per ND for the team. "
        "If this was research or a spike, tag the work item. No action is taken automatically.",
        ctx.PeriodLabel(), internal::Usd(static_cast<double>(u.spend_micros)),
        internal::Count(static_cast<double>(u.tokens)), u.sessions, internal::Fixed(nd, 1),
        f.peer_group, internal::Usd(median), internal::Usd(p90),
        internal::Usd(static_cast<double>(u.spend_micros) / (nd + 0.5)), internal::Pct(orphan),
        params.orphan_window_days);
    // Evidence: the largest sessions when they are known, else the most expensive days.
    std::vector<const SessionInfo*> sessions;
    for (const auto& [id, s] : ctx.sessions()) {
      if (s.person == person && s.tokens > 0) {
        sessions.push_back(&s);
      }
    }
    std::sort(sessions.begin(), sessions.end(), [](const SessionInfo* a, const SessionInfo* b) {
      return a->tokens != b->tokens ? a->tokens > b->tokens : a->id < b->id;
    });
    for (const SessionInfo* s : sessions) {
      f.evidence.push_back(
          {s->id, s->start_unix_ms,
           fmt::format("{} tokens", internal::Count(static_cast<double>(s->tokens))),
           s->orphan ? "no accepted edit or commit linked" : "linked to a commit"});
    }
    if (f.evidence.empty()) {
      std::vector<std::pair<int64_t, DayUsage>> days(u.days.begin(), u.days.end());
      std::sort(days.begin(), days.end(), [](const auto& a, const auto& b) {
        return a.second.spend_micros != b.second.spend_micros
                   ? a.second.spend_micros > b.second.spend_micros
                   : a.first < b.first;
      });
      for (const auto& [day, d] : days) {
        f.evidence.push_back(
            {FormatDay(day), day * kMillisPerDay,
             fmt::format("{} ({} tokens)", internal::Usd(static_cast<double>(d.spend_micros)),
                         internal::Count(static_cast<double>(d.tokens))),
             "AI spend that day"});
      }
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.recommended_action =
        "Review with the person whether the usage was exploration, onboarding or a spike; tag "
        "research work items. No automatic consequence.";
    f.benign_explanations = {
        "research, a spike or a prototype that was not meant to ship",
        "onboarding onto an unfamiliar codebase",
        "work that ships in a later period (ND counts at delivery)",
        "changes delivered under an identity the directory does not map to this person"};
    double excess = static_cast<double>(u.spend_micros) - median * (nd + 0.5);
    if (ctx.HasResearchWork(person)) {
      excess *= params.research_materiality_factor;
    }
    f.materiality = {.basis = MaterialityBasis::kCost,
                     .subject_nd = nd,
                     .cost_micros = static_cast<int64_t>(std::max(0.0, excess)),
                     .subject_spend_micros = u.spend_micros};
    run.candidates.push_back({std::move(f), true});
  }
  return run;
}

}  // namespace goodhart::detect
