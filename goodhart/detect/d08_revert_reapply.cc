// D8 revert-and-reapply churn, metrics.md §5.2: a commit c that was reverted, and a commit c' with
// the same stable patch-id by the same author committed within 14 days of the revert, with no
// failing check or incident explaining the revert. >= 3 pairs reapplied in the period (the spec
// says 30 days; the period is 28) fire. Excluded: reverts of commits with a failing pipeline run,
// reverts of changes an incident names (directly or through their deployment), reapplies onto a
// release branch (backports). Tier A with direct evidence. ND credits reapplied content once, so
// the flag's ND effect is what the reapplied changes would have earned a second time.
//
// Content identity is the patch-id only; the diff-MinHash J >= 0.9 alternative needs diff sketches
// the model does not carry (see README).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "goodhart/base/time.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"

namespace goodhart::detect {
namespace {

bool Failed(std::string_view conclusion) {
  return conclusion == "failure" || conclusion == "failed" || conclusion == "timed_out" ||
         conclusion == "error";
}

std::string ChangeLabel(const analytics::nd::ChangePart& part) {
  return part.number > 0 ? fmt::format("#{}", part.number) : part.change_id;
}

}  // namespace

DetectorRun DetectRevertReapply(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  const auto& delivery = ctx.input().Delivery();
  // What the ND result knows about each commit: its change part and logical change. The maps
  // below view strings of the input and the ND result, which outlive this run.
  std::unordered_map<std::string_view, std::pair<const analytics::nd::LogicalChangeCredit*,
                                                 const analytics::nd::ChangePart*>>
      by_sha;
  std::set<std::string> incident_deployments, incident_changes;
  if (ctx.input().nd != nullptr) {
    for (const auto& l : ctx.input().NdChanges()) {
      for (const auto& part : l.parts) {
        for (const auto& sha : part.commit_shas) {
          by_sha[sha] = {&l, &part};
        }
      }
      for (const auto& e : l.failure.events) {
        if (e.kind == analytics::nd::kFailIncident) {
          incident_changes.insert(e.change_id);
        }
      }
    }
    std::set<std::string> caused_by;
    for (const auto& inc : delivery.incidents) {
      if (!inc.caused_by_deployment.empty()) {
        caused_by.insert(inc.caused_by_deployment);
      }
    }
    for (const auto& v : ctx.input().NdDeployments()) {
      if (caused_by.count(v.deployment_id)) {
        incident_deployments.insert(v.commit_sha);
        incident_deployments.insert(v.commit_shas.begin(), v.commit_shas.end());
      }
    }
  }
  std::unordered_map<std::string_view, const model::Change*> change_by_sha;
  for (const auto& ch : delivery.changes) {
    if (!ch.merge_sha.empty()) {
      change_by_sha[ch.merge_sha] = &ch;
    }
    if (!ch.head_sha.empty()) {
      change_by_sha[ch.head_sha] = &ch;
    }
  }
  std::set<std::string> failing_shas;
  for (const auto& r : delivery.pipeline_runs) {
    if (Failed(r.conclusion)) {
      failing_shas.insert(r.head_sha);
    }
  }
  std::unordered_map<std::string_view, std::vector<const model::Commit*>> by_patch;
  for (const auto& c : delivery.commits) {
    if (!c.patch_id.empty()) {
      by_patch[c.patch_id].push_back(&c);
    }
  }
  struct Pair {
    const model::Commit *original, *revert, *reapply;
  };
  std::map<std::string, std::vector<Pair>> pairs_by_person;
  std::set<std::string> counted;
  const int64_t window = params.d8_reapply_window_days * kMillisPerDay;
  for (const auto& r : delivery.commits) {
    if (r.reverts_sha.empty()) {
      continue;
    }
    const model::Commit* c = ctx.FindCommit(r.reverts_sha);
    if (c == nullptr || c->patch_id.empty()) {
      continue;
    }
    const std::string& author = ctx.people().Resolve(c->author_email);
    if (author.empty()) {
      continue;
    }
    // Explained reverts.
    bool explained = failing_shas.count(c->sha) > 0 || incident_deployments.count(c->sha) > 0;
    if (auto it = by_sha.find(c->sha); it != by_sha.end()) {
      explained = explained || failing_shas.count(it->second.second->commit_shas.back()) > 0 ||
                  incident_changes.count(it->second.second->change_id) > 0;
    }
    if (auto it = change_by_sha.find(c->sha); it != change_by_sha.end()) {
      explained = explained || failing_shas.count(it->second->head_sha) > 0;
    }
    if (explained) {
      continue;
    }
    for (const model::Commit* again : by_patch[c->patch_id]) {
      if (again->sha == c->sha || again->sha == r.sha || counted.count(again->sha) ||
          again->committed_unix_ms <= r.committed_unix_ms ||
          again->committed_unix_ms > r.committed_unix_ms + window ||
          !ctx.InPeriod(again->committed_unix_ms) ||
          ctx.people().Resolve(again->author_email) != author) {
        continue;
      }
      auto ch = change_by_sha.find(again->sha);
      if (ch != change_by_sha.end() && ch->second->base_ref.rfind("release", 0) == 0) {
        continue;  // a backport onto a release branch
      }
      counted.insert(again->sha);
      pairs_by_person[author].push_back({c, &r, again});
      break;
    }
  }
  for (auto& [person, pairs] : pairs_by_person) {
    if (static_cast<int64_t>(pairs.size()) < params.d8_min_pairs) {
      continue;
    }
    Flag f = ctx.NewFlag("D8", "D8-1", Tier::kA, {SubjectKind::kPerson, person});
    std::vector<std::string> labels;
    int64_t min_days = INT64_MAX, max_days = 0;
    double nd_effect = 0;
    std::set<const analytics::nd::LogicalChangeCredit*> credited;
    for (const auto& p : pairs) {
      std::string label = p.original->sha.substr(0, 12);
      if (auto it = by_sha.find(p.original->sha); it != by_sha.end()) {
        label = ChangeLabel(*it->second.second);
      } else if (auto ch = change_by_sha.find(p.original->sha); ch != change_by_sha.end()) {
        label = ch->second->number > 0 ? fmt::format("#{}", ch->second->number) : ch->second->id;
      }
      if (auto it = by_sha.find(p.reapply->sha);
          it != by_sha.end() && credited.insert(it->second.first).second) {
        for (const auto& sh : it->second.first->shares) {
          nd_effect += sh.person_id == person ? sh.share * it->second.first->nd : 0;
        }
      }
      labels.push_back(label);
      int64_t days = (p.reapply->committed_unix_ms - p.revert->committed_unix_ms) / kMillisPerDay;
      min_days = std::min(min_days, days);
      max_days = std::max(max_days, days);
      f.evidence.push_back(
          {label, p.reapply->committed_unix_ms,
           fmt::format("reverted by {} on {}, reapplied as {} on {}", p.revert->sha.substr(0, 12),
                       internal::Day(p.revert->committed_unix_ms), p.reapply->sha.substr(0, 12),
                       internal::Day(p.reapply->committed_unix_ms)),
           fmt::format("identical patch-id {}", p.original->patch_id.substr(0, 12))});
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.score = static_cast<double>(pairs.size());
    f.threshold = static_cast<double>(params.d8_min_pairs);
    f.score_name = "revert-and-reapply pairs";
    f.peer_group = "rule (no peer comparison)";
    f.direct_evidence = true;
    f.explanation = fmt::format(
        "{} {} {} each reverted and re-merged unchanged (identical patch-id) within {} days, with "
        "no failing check or incident explaining the revert ({}). Reapplied changes are credited "
        "once, so this earns no extra ND, but it inflates pull-request, deployment and churn "
        "counts.",
        pairs.size() == 1 ? "Change" : "Changes", internal::JoinAnd(labels),
        pairs.size() == 1 ? "was" : "were",
        min_days == max_days ? std::to_string(max_days) : fmt::format("{}-{}", min_days, max_days),
        ctx.PeriodLabel());
    f.recommended_action =
        "Ask why the changes were reverted and reapplied unchanged; if a flaky check caused it, "
        "link the failing run.";
    f.benign_explanations = {
        "a revert made to unblock a release, then reapplied once the blocker was fixed elsewhere",
        "a failing check that goodhart did not receive",
        "a backport to a branch not named release/*"};
    f.materiality = {
        .basis = MaterialityBasis::kNd, .nd_effect = nd_effect, .subject_nd = ctx.PersonNd(person)};
    run.candidates.push_back({std::move(f), false});
  }
  return run;
}

}  // namespace goodhart::detect
