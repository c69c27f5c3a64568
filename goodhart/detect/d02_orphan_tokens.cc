// D2 orphan-token share, metrics.md §5.2: u = tokens in sessions with no accepted edit, commit or
// pull request linked within 7 days / all tokens. Fires at u > 0.6, robust z(u) >= 3.5 and
// robust z(ln tokens) >= 2 against peers. Tier B: needs corroboration.
//
// Exact per session when the input has SessionUsage; otherwise per person-day (a day's tokens
// are orphan when the person has no linked commit or pull request in the 8 days from that day),
// which understates orphans when a day mixes shipped and exploratory sessions.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "goodhart/base/time.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {

DetectorRun DetectOrphanTokens(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  std::vector<internal::PersonMetric> shares, volumes;
  // Per session, the share is over the sessions' own tokens (rollups may count other usage).
  auto total = [&](const PersonUsage& u) {
    return ctx.sessions_exact() ? u.session_tokens : u.tokens;
  };
  for (const auto& [person, u] : ctx.usage()) {
    if (total(u) <= 0) {
      continue;
    }
    shares.push_back(
        {person, static_cast<double>(u.orphan_tokens) / static_cast<double>(total(u))});
    volumes.push_back({person, std::log(static_cast<double>(total(u)))});
  }
  auto share_peers = internal::ComparePersons(ctx, shares, params.mad_floor_share);
  auto volume_peers = internal::ComparePersons(ctx, volumes, params.mad_floor_log);
  std::vector<double> share_values;
  for (const auto& s : shares) {
    share_values.push_back(s.value);
  }
  const int64_t window = (params.orphan_window_days + 1) * kMillisPerDay;
  for (size_t i = 0; i < shares.size(); ++i) {
    double z = share_peers.comparison.z[i];
    double z_tokens = volume_peers.comparison.z[i];
    double p = UpperTailP(z);
    run.p_values.push_back(p);
    double u_share = shares[i].value;
    if (!(u_share > params.d2_min_share && z >= params.tier_b_z &&
          z_tokens >= params.d2_min_tokens_z)) {
      continue;
    }
    const std::string& person = shares[i].person;
    const PersonUsage& u = ctx.usage().at(person);
    Flag f = ctx.NewFlag("D2", "D2-1", Tier::kB, {SubjectKind::kPerson, person});
    if (internal::DropRoleTypical(ctx, share_peers, i, f, run)) {
      continue;
    }
    auto peer_shares = share_peers.Members(i, share_values);
    double median = Median(peer_shares), p90 = Quantile(peer_shares, 0.9);
    f.score = z;
    f.threshold = params.tier_b_z;
    f.score_name = "robust z of the orphan-token share";
    f.z = z;
    f.p_value = p;
    f.peer_group = share_peers.Label(i);
    f.peer_n = static_cast<int64_t>(share_peers.GroupOf(i).members.size());
    std::vector<std::string> examples;
    if (ctx.sessions_exact()) {
      std::vector<const SessionInfo*> orphans;
      int64_t sessions_total = 0;
      for (const auto& [id, s] : ctx.sessions()) {
        if (s.person == person) {
          sessions_total += 1;
          if (s.orphan) {
            orphans.push_back(&s);
          }
        }
      }
      std::sort(orphans.begin(), orphans.end(), [](const SessionInfo* a, const SessionInfo* b) {
        return a->tokens != b->tokens ? a->tokens > b->tokens : a->id < b->id;
      });
      for (const SessionInfo* s : orphans) {
        f.evidence.push_back(
            {s->id, s->start_unix_ms,
             fmt::format("{} tokens, {}", internal::Count(static_cast<double>(s->tokens)),
                         internal::Duration(s->end_unix_ms - s->start_unix_ms)),
             fmt::format("no accepted edit, commit or PR linked within {} days",
                         params.orphan_window_days)});
        if (examples.size() < 3) {
          examples.push_back(s->id);
        }
      }
      f.explanation = fmt::format(
          "{} of your {} agent sessions from {} ({} of your {} tokens) produced no accepted "
          "edits, commits or PRs linked within {} days; the peer median in {} is {} (90th "
          "percentile {}). Largest examples: sessions {}. Why it matters: tokens that lead to "
          "nothing shipped are cost without output. If this was research, tag the work item.",
          orphans.size(), sessions_total, ctx.PeriodLabel(), internal::Pct(u_share),
          internal::Count(static_cast<double>(total(u))), params.orphan_window_days, f.peer_group,
          internal::Pct(median), internal::Pct(p90), internal::JoinAnd(examples));
    } else {
      int64_t orphan_days = 0;
      std::vector<std::pair<int64_t, DayUsage>> days;
      for (const auto& [day, d] : u.days) {
        if (!ctx.HasArtifact(person, day * kMillisPerDay, day * kMillisPerDay + window)) {
          orphan_days += 1;
          days.push_back({day, d});
        }
      }
      std::sort(days.begin(), days.end(), [](const auto& a, const auto& b) {
        return a.second.tokens != b.second.tokens ? a.second.tokens > b.second.tokens
                                                  : a.first < b.first;
      });
      for (const auto& [day, d] : days) {
        f.evidence.push_back(
            {FormatDay(day), day * kMillisPerDay,
             fmt::format("{} tokens", internal::Count(static_cast<double>(d.tokens))),
             fmt::format("no commit or PR by you in the {} days from this day",
                         params.orphan_window_days + 1)});
        if (examples.size() < 3) {
          examples.push_back(FormatDay(day));
        }
      }
      f.explanation = fmt::format(
          "On {} of your {} active days from {} ({} of your {} tokens) your AI usage was not "
          "followed by any commit or PR within {} days; the peer median in {} is {} (90th "
          "percentile {}). Largest examples: {}. (Counted per day: goodhart had no per-session "
          "usage for this period.) Why it matters: tokens that lead to nothing shipped are cost "
          "without output. If this was research, tag the work item.",
          orphan_days, u.days.size(), ctx.PeriodLabel(), internal::Pct(u_share),
          internal::Count(static_cast<double>(u.tokens)), params.orphan_window_days, f.peer_group,
          internal::Pct(median), internal::Pct(p90), internal::JoinAnd(examples));
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.recommended_action =
        "Ask whether the sessions were exploration or research (tag the work item) or abandoned "
        "runs; no automatic consequence.";
    f.benign_explanations = {
        "exploration, research or reading code without editing it",
        "work committed from a machine or identity goodhart does not link to this person",
        "a long design or debugging investigation that ships later"};
    double excess = (u_share - median) * static_cast<double>(u.spend_micros);
    if (ctx.HasResearchWork(person)) {
      excess *= params.research_materiality_factor;
    }
    f.materiality = {.basis = MaterialityBasis::kCost,
                     .subject_nd = ctx.PersonNd(person),
                     .cost_micros = static_cast<int64_t>(std::max(0.0, excess)),
                     .subject_spend_micros = u.spend_micros};
    run.candidates.push_back({std::move(f), true});
  }
  return run;
}

}  // namespace goodhart::detect
