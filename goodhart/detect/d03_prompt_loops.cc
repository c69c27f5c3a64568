// D3 near-duplicate prompt loops, metrics.md §5.2: a person's prompts of >= 30 tokens clustered
// per week at estimated Jaccard >= 0.8 (prompt_clusters.h), org-wide templates (>= 5 users)
// excluded. A week fires with >= 40 prompts in self-clusters forming >= 50% of the person's
// prompts that week, and >= 80% of the sessions those prompts belong to orphans (D2's
// definition). Tier A (conjunctive); the period's flag covers the weeks that fired.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "goodhart/base/time.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/prompt_clusters.h"

namespace goodhart::detect {

DetectorRun DetectPromptLoops(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  std::vector<PromptRef> refs;
  std::vector<const store::PromptSketchRow*> rows;
  std::map<std::string, uint32_t> person_index;
  std::vector<std::string> person_ids;
  const int64_t week_ms = 7 * kMillisPerDay;
  const int64_t length = ctx.period().to_unix_ms - ctx.period().from_unix_ms;
  const auto weeks = static_cast<uint32_t>(std::max<int64_t>(1, (length + week_ms - 1) / week_ms));
  for (const auto& row : ctx.input().prompt_sketches) {
    if (!ctx.InPeriod(row.time_unix_ms)) {
      continue;
    }
    const std::string& person = ctx.people().Resolve(row.actor);
    if (person.empty()) {
      continue;
    }
    auto [it, inserted] = person_index.emplace(person, static_cast<uint32_t>(person_ids.size()));
    if (inserted) {
      person_ids.push_back(person);
    }
    refs.push_back(
        {.person = it->second,
         .week = static_cast<uint32_t>((row.time_unix_ms - ctx.period().from_unix_ms) / week_ms),
         .tokens = row.sketch.token_estimate,
         .simhash = row.sketch.simhash,
         .minhash = row.sketch.minhash.data()});
    rows.push_back(&row);
  }
  if (refs.empty()) {
    return run;
  }
  ClusterParams cp{.min_jaccard = params.d3_min_jaccard,
                   .max_simhash_distance = static_cast<int>(params.d3_max_simhash_distance),
                   .min_tokens = static_cast<int>(params.d3_min_tokens),
                   .template_users = params.d3_template_users,
                   .min_prompts = params.d3_min_prompts,
                   .min_share = params.d3_min_share,
                   .threads = static_cast<int>(params.threads)};
  ClusterResult clusters =
      ClusterPrompts(refs, static_cast<uint32_t>(person_ids.size()), weeks, cp);

  struct Fired {
    const PersonWeek* week;
    int64_t sessions = 0, orphan_sessions = 0;
    int64_t first_ms = INT64_MAX, last_ms = 0;
    double min_sim = 1, max_sim = 0;
    std::map<std::string, int64_t> prompts_by_session;
  };
  std::map<uint32_t, std::vector<Fired>> fired_by_person;
  for (const PersonWeek& pw : clusters.person_weeks) {
    if (!pw.meets_threshold) {
      continue;
    }
    Fired fired{.week = &pw};
    std::set<std::string> sessions;
    for (const auto& c : pw.clusters) {
      if (c.org_template) {
        continue;
      }
      fired.min_sim = std::min(fired.min_sim, c.min_similarity);
      fired.max_sim = std::max(fired.max_sim, c.max_similarity);
      for (uint32_t idx : c.members) {
        const auto* row = rows[idx];
        fired.first_ms = std::min(fired.first_ms, row->time_unix_ms);
        fired.last_ms = std::max(fired.last_ms, row->time_unix_ms);
        if (!row->session_id.empty()) {
          sessions.insert(row->session_id);
          fired.prompts_by_session[row->session_id] += 1;
        }
      }
    }
    for (const auto& s : sessions) {
      auto it = ctx.sessions().find(s);
      fired.sessions += 1;
      fired.orphan_sessions += (it != ctx.sessions().end() && it->second.orphan) ? 1 : 0;
    }
    double orphan_share = fired.sessions > 0 ? static_cast<double>(fired.orphan_sessions) /
                                                   static_cast<double>(fired.sessions)
                                             : 0;
    if (orphan_share >= params.d3_min_orphan_share) {
      fired_by_person[pw.person].push_back(std::move(fired));
    }
  }
  for (auto& [index, weeks_fired] : fired_by_person) {
    const std::string& person = person_ids[index];
    Flag f = ctx.NewFlag("D3", "D3-1", Tier::kA, {SubjectKind::kPerson, person});
    int64_t prompts = 0, sessions = 0, orphans = 0, week_prompts = 0;
    int64_t first = INT64_MAX, last = 0;
    double min_sim = 1, max_sim = 0;
    std::map<std::string, int64_t> by_session;
    for (const auto& w : weeks_fired) {
      prompts += w.week->clustered;
      week_prompts += w.week->prompts;
      sessions += w.sessions;
      orphans += w.orphan_sessions;
      first = std::min(first, w.first_ms);
      last = std::max(last, w.last_ms);
      min_sim = std::min(min_sim, w.min_sim);
      max_sim = std::max(max_sim, w.max_sim);
      for (const auto& [s, n] : w.prompts_by_session) {
        by_session[s] += n;
      }
    }
    std::vector<std::pair<std::string, int64_t>> top(by_session.begin(), by_session.end());
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::vector<std::string> examples;
    for (const auto& [s, n] : top) {
      auto it = ctx.sessions().find(s);
      bool orphan = it != ctx.sessions().end() && it->second.orphan;
      f.evidence.push_back(
          {s, it != ctx.sessions().end() ? it->second.start_unix_ms : 0,
           fmt::format("{} near-identical prompts", n),
           orphan ? "session produced no accepted edit or commit" : "session linked to a commit"});
      if (examples.size() < 3) {
        examples.push_back(s);
      }
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.score = static_cast<double>(prompts);
    f.threshold = static_cast<double>(params.d3_min_prompts);
    f.score_name = "prompts in self-clusters (weeks that fired)";
    f.peer_group = "rule (no peer comparison)";
    f.explanation = fmt::format(
        "{} prompts between {} and {} were near-identical (estimated similarity {}-{}), {} of "
        "the {} prompts you sent in {} that fired, and {} of the {} sessions they started "
        "produced no edits or commits. Shared templates and slash-commands used by {} or more "
        "people, and prompts under {} tokens, are not counted. Why it matters: repeating a "
        "prompt in sessions that ship nothing is spend without output. Example sessions: {}.",
        prompts, internal::Day(first), internal::Day(last), internal::Fixed(min_sim, 2),
        internal::Fixed(max_sim, 2),
        internal::Pct(static_cast<double>(prompts) /
                      static_cast<double>(std::max<int64_t>(1, week_prompts))),
        week_prompts,
        weeks_fired.size() == 1 ? "the week" : fmt::format("the {} weeks", weeks_fired.size()),
        orphans, sessions, params.d3_template_users, params.d3_min_tokens,
        internal::JoinAnd(examples));
    f.recommended_action =
        "Ask the person about the repeated prompts; if they come from a script, move it to a "
        "service account. No automatic consequence.";
    f.benign_explanations = {
        "a repeated, legitimate workflow (a checklist prompt run on many files) whose output "
        "shipped under another identity",
        "a team template used by fewer than 5 people",
        "sessions whose work was committed outside the repositories goodhart sees"};
    // Cost: the spend of the weeks that fired, in proportion to the looping prompts.
    const PersonUsage* u = nullptr;
    if (auto it = ctx.usage().find(person); it != ctx.usage().end()) {
      u = &it->second;
    }
    double cost = 0;
    if (u != nullptr) {
      for (const auto& w : weeks_fired) {
        int64_t from = ctx.period().from_unix_ms + static_cast<int64_t>(w.week->week) * week_ms;
        double spend = 0;
        for (const auto& [day, d] : u->days) {
          if (day * kMillisPerDay >= from && day * kMillisPerDay < from + week_ms) {
            spend += static_cast<double>(d.spend_micros);
          }
        }
        cost += spend * static_cast<double>(w.week->clustered) /
                static_cast<double>(std::max<int64_t>(1, w.week->prompts));
      }
    }
    f.materiality = {.basis = MaterialityBasis::kCost,
                     .subject_nd = ctx.PersonNd(person),
                     .cost_micros = static_cast<int64_t>(cost),
                     .subject_spend_micros = u != nullptr ? u->spend_micros : 0};
    run.candidates.push_back({std::move(f), false});
  }
  return run;
}

}  // namespace goodhart::detect
