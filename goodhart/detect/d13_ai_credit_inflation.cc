// D13 AI-credit inflation (informational), metrics.md §5.2: > 50% of a person's merged changes
// (>= 5 in the period) carry an AI marker (E1: trailer, bot author, label) with no E2/E3
// evidence. It matters only if someone starts rewarding AI share, which the design forbids, so the
// flag is always logged silently.
// E2/E3 evidence is an E2/E3 AI link on one of the change's commits; without AI links in the
// input, any AI usage by the person on the day a commit was authored (+-1 day) stands in for E2.
#include <fmt/format.h>

#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "goodhart/analytics/linking/ai_linker.h"
#include "goodhart/base/time.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"

namespace goodhart::detect {

DetectorRun DetectAiCreditInflation(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  const auto& in = ctx.input();
  // Views into the ND result and the links, which outlive this run.
  std::unordered_map<std::string_view, const std::vector<std::string>*> shas_by_change;
  if (in.nd != nullptr) {
    for (const auto& l : in.NdChanges()) {
      for (const auto& part : l.parts) {
        shas_by_change[part.change_id] = &part.commit_shas;
      }
    }
  }
  std::unordered_set<std::string_view> strong;  // commit shas with an E2/E3 link
  for (const auto& link : in.ai_links) {
    if (link.evidence == analytics::kEvidenceE2 || link.evidence == analytics::kEvidenceE3) {
      strong.insert(link.commit_sha);
    }
  }
  struct Tally {
    int64_t changes = 0;
    std::vector<const model::Change*> declared_only;
  };
  std::map<std::string, Tally> by_person;
  for (const auto& ch : in.Delivery().changes) {
    if (!ch.merged || !ctx.InPeriod(ch.merged_unix_ms)) {
      continue;
    }
    const std::string& person = ctx.people().Resolve(ch.author);
    if (person.empty()) {
      continue;
    }
    Tally& t = by_person[person];
    t.changes += 1;
    std::vector<std::string_view> shas;
    if (auto it = shas_by_change.find(ch.id); it != shas_by_change.end()) {
      shas.assign(it->second->begin(), it->second->end());
    }
    if (shas.empty()) {
      for (const std::string* sha : {&ch.head_sha, &ch.merge_sha}) {
        if (!sha->empty()) {
          shas.push_back(*sha);
        }
      }
    }
    bool declared = !ch.ai_markers.empty(), evidence = false;
    for (std::string_view sha : shas) {
      const model::Commit* c = ctx.FindCommit(sha);
      declared = declared || (c != nullptr && !c->ai_markers.empty());
      if (!in.ai_links.empty()) {
        evidence = evidence || strong.count(sha) > 0;
      } else if (c != nullptr) {
        auto u = ctx.usage().find(person);
        int64_t day = DayOfMillis(c->authored_unix_ms);
        for (int64_t d = day - 1; u != ctx.usage().end() && d <= day + 1; ++d) {
          evidence = evidence || u->second.days.count(d) > 0;
        }
      }
    }
    if (declared && !evidence) {
      t.declared_only.push_back(&ch);
    }
  }
  for (const auto& [person, t] : by_person) {
    double share =
        t.changes > 0 ? static_cast<double>(t.declared_only.size()) / static_cast<double>(t.changes)
                      : 0;
    if (t.changes < params.d13_min_changes || !(share > params.d13_share)) {
      continue;
    }
    Flag f = ctx.NewFlag("D13", "D13-1", Tier::kInfo, {SubjectKind::kPerson, person});
    f.score = share;
    f.threshold = params.d13_share;
    f.score_name = "share of changes declaring AI help without session evidence";
    f.peer_group = "rule (no peer comparison)";
    for (const auto* ch : t.declared_only) {
      f.evidence.push_back({ch->id, ch->merged_unix_ms,
                            ch->ai_markers.empty() ? "AI marker on a commit"
                                                   : "marker: " + ch->ai_markers.front().raw,
                            "no E2/E3 evidence of an AI session"});
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.explanation = fmt::format(
        "{} of your {} changes merged from {} declare AI help (a trailer, label or bot author) "
        "but goodhart has no AI session or line evidence for them. This is informational only: "
        "AI share is never rewarded, so declarations change nothing.",
        t.declared_only.size(), t.changes, ctx.PeriodLabel());
    f.recommended_action = "None; kept for calibration of the AI-share companion metric.";
    f.benign_explanations = {"an AI tool whose telemetry goodhart does not receive",
                             "a commit template that adds the trailer by default"};
    f.materiality = {.basis = MaterialityBasis::kInformational, .subject_nd = ctx.PersonNd(person)};
    run.candidates.push_back({std::move(f), false});
  }
  return run;
}

}  // namespace goodhart::detect
