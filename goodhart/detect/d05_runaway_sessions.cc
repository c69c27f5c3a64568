// D5 agent loop / runaway session, metrics.md §5.2. A session is runaway when its tool steps
// loop (>= d5_loop_min_repeats identical (tool, arguments, result) steps in a row, or as many
// A-B-A-B cycles; tool_loops.h), or when it produced no accepted edit or commit (orphan) and
// either ran >= 2 h or used more than 3x the peer p99.5 of session tokens. A flag needs
// recurrence: >= 3 such sessions in the period (a single loop is usually a tool bug and is left
// to a private notification). Tier A with direct evidence (the sessions themselves), primarily a
// cost guard. A session without token counts is priced by its share of its person-day's activity
// (DetectContext::SessionTokensOrEstimate).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {

DetectorRun DetectRunawaySessions(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  // Peer p99.5 of session tokens, per peer group (org-wide below min_peer_group sessions' people).
  std::map<std::string, std::vector<double>> tokens_by_group;
  std::vector<double> all_tokens;
  for (const auto& [id, s] : ctx.sessions()) {
    if (s.tokens > 0) {
      tokens_by_group[ctx.people().Info(s.person).PeerGroup()].push_back(
          static_cast<double>(s.tokens));
      all_tokens.push_back(static_cast<double>(s.tokens));
    }
  }
  std::map<std::string, std::set<std::string>> people_by_group;
  for (const auto& [id, s] : ctx.sessions()) {
    people_by_group[ctx.people().Info(s.person).PeerGroup()].insert(s.person);
  }
  auto p995 = [&](const std::string& group) {
    auto it = tokens_by_group.find(group);
    bool own = it != tokens_by_group.end() &&
               static_cast<int64_t>(people_by_group[group].size()) >= params.min_peer_group;
    return Quantile(own ? it->second : all_tokens, params.d5_cost_quantile);
  };
  std::map<std::string, double> threshold_by_group;
  const auto idle_ms = static_cast<int64_t>(params.d5_idle_runtime_hours * 3'600'000);

  struct Runaway {
    const SessionInfo* s;
    std::string why;
  };
  std::map<std::string, std::vector<Runaway>> by_person;
  for (const auto& [id, s] : ctx.sessions()) {
    if (auto loop = ctx.tool_loops().find(id); loop != ctx.tool_loops().end()) {
      const ToolLoop& l = loop->second;
      by_person[s.person].push_back(
          {&s, l.period == 1
                   ? fmt::format("repeated the same {} step (same arguments, same result) {} "
                                 "times in a row over {}",
                                 l.tools, l.repeats,
                                 internal::Duration(l.end_unix_ms - l.start_unix_ms))
                   : fmt::format("cycled {} with identical arguments and results {} times over {}",
                                 l.tools, l.repeats,
                                 internal::Duration(l.end_unix_ms - l.start_unix_ms))});
      continue;
    }
    if (!s.orphan) {
      continue;
    }
    std::string group = ctx.people().Info(s.person).PeerGroup();
    auto t = threshold_by_group.find(group);
    if (t == threshold_by_group.end()) {
      t = threshold_by_group.emplace(group, p995(group)).first;
    }
    int64_t runtime = s.end_unix_ms - s.start_unix_ms;
    if (runtime >= idle_ms) {
      by_person[s.person].push_back(
          {&s, fmt::format("ran {} with no accepted edit or commit", internal::Duration(runtime))});
    } else if (s.tokens > 0 &&
               static_cast<double>(s.tokens) > params.d5_cost_multiple * t->second) {
      by_person[s.person].push_back(
          {&s, fmt::format("used {} tokens, over {}x the peer 99.5th percentile ({})",
                           internal::Count(static_cast<double>(s.tokens)), params.d5_cost_multiple,
                           internal::Count(t->second))});
    }
  }
  for (auto& [person, sessions] : by_person) {
    if (static_cast<int64_t>(sessions.size()) < params.d5_min_sessions) {
      continue;
    }
    std::sort(sessions.begin(), sessions.end(), [](const Runaway& a, const Runaway& b) {
      int64_t ra = a.s->end_unix_ms - a.s->start_unix_ms,
              rb = b.s->end_unix_ms - b.s->start_unix_ms;
      return a.s->tokens != b.s->tokens ? a.s->tokens > b.s->tokens
             : ra != rb                 ? ra > rb
                                        : a.s->id < b.s->id;
    });
    Flag f = ctx.NewFlag("D5", "D5-2", Tier::kA, {SubjectKind::kPerson, person});
    double micros_per_token = 0;
    int64_t spend = 0;
    if (auto it = ctx.usage().find(person); it != ctx.usage().end()) {
      micros_per_token = it->second.MicrosPerToken();
      spend = it->second.spend_micros;
    }
    double cost = 0;
    for (const auto& r : sessions) {
      double tokens = ctx.SessionTokensOrEstimate(*r.s);
      double c = tokens * micros_per_token;
      cost += c;
      f.evidence.push_back(
          {r.s->id, r.s->start_unix_ms,
           fmt::format("{}, {} prompts{}{}",
                       internal::Duration(r.s->end_unix_ms - r.s->start_unix_ms), r.s->prompts,
                       r.s->tool_steps > 0 ? fmt::format(", {} tool steps", r.s->tool_steps) : "",
                       tokens > 0 ? fmt::format(", {}{} tokens (~{})",
                                                r.s->tokens > 0 ? "" : "an estimated ",
                                                internal::Count(tokens), internal::Usd(c))
                                  : ""),
           r.why});
    }
    const Runaway& top = sessions.front();
    const double top_tokens = ctx.SessionTokensOrEstimate(*top.s);
    f.score = static_cast<double>(sessions.size());
    f.threshold = static_cast<double>(params.d5_min_sessions);
    f.score_name = "runaway sessions in the period";
    f.peer_group = "rule (session p99.5 by peer group)";
    f.direct_evidence = true;
    f.explanation = fmt::format(
        "{} of your agent sessions from {} looped on a tool, or produced no accepted edit or "
        "commit and ran long or expensive. The largest, session {}, {} between {} {} and {} "
        "UTC{}. Why it matters: a looping or runaway agent burns spend without output; one such "
        "session is usually a tool problem, which is why only recurrence ({} or more in four "
        "weeks) is flagged.",
        sessions.size(), ctx.PeriodLabel(), top.s->id, top.why, internal::Day(top.s->start_unix_ms),
        internal::TimeOfDay(top.s->start_unix_ms), internal::TimeOfDay(top.s->end_unix_ms),
        top_tokens > 0
            ? fmt::format(" ({}{} tokens, ~{})", top.s->tokens > 0 ? "" : "an estimated ",
                          internal::Count(top_tokens), internal::Usd(top_tokens * micros_per_token))
            : "",
        params.d5_min_sessions);
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.recommended_action =
        "Check the agent setup for a loop (a failing test or tool error repeated) and stop "
        "runaway sessions; set a session budget.";
    f.benign_explanations = {
        "a long-running agent task whose result was committed by someone else or outside the "
        "tracked repositories",
        "a tool bug that kept retrying",
        "a session left open overnight (runtime from first to last event)",
        "a polling or watch step that legitimately repeats (waiting for a deployment or a CI run)"};
    f.materiality = {.basis = MaterialityBasis::kCost,
                     .subject_nd = ctx.PersonNd(person),
                     .cost_micros = static_cast<int64_t>(cost),
                     .subject_spend_micros = spend};
    run.candidates.push_back({std::move(f), false});
  }
  return run;
}

}  // namespace goodhart::detect
