// D9 review bypass and rubber-stamping, metrics.md §5.2.
//   D9a bypass (Tier A, direct evidence): > 10% of a person's logical changes delivered in the
//       period (>= 10 of them) have R = 0: merged without an eligible approval after the last
//       push (the ND engine's review gate).
//   D9b rubber-stamping (Tier B), per reviewer:
//       fast approvals: approvals given < 60 s after the change's last push on changes with
//       S >= 200; >= 3 of them and a robust z >= 3.5 of the fast share against peer reviewers;
//       closed rings: two people each giving >= 80% of their approvals (>= 10 each) to the other;
//       exempt when they are the two members of a 2-person team.
//   Review-request times are not in the model: "after the review request" is not checked.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {

DetectorRun DetectReviewBypass(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  struct Tally {
    std::vector<const analytics::nd::LogicalChangeCredit*> all, bypassed;
  };
  std::map<std::string, Tally> by_person;
  for (const auto* l : ctx.changes()) {
    if (l->owner.empty()) {
      continue;
    }
    Tally& t = by_person[l->owner];
    t.all.push_back(l);
    if (l->review.value == 0) {
      t.bypassed.push_back(l);
    }
  }
  for (auto& [person, t] : by_person) {
    auto n = static_cast<int64_t>(t.all.size());
    double share = n > 0 ? static_cast<double>(t.bypassed.size()) / static_cast<double>(n) : 0;
    if (n < params.d9_min_changes || !(share > params.d9_bypass_share)) {
      continue;
    }
    Flag f = ctx.NewFlag("D9a", "D9a-1", Tier::kA, {SubjectKind::kPerson, person});
    double nd_effect = 0;
    for (const auto* l : t.bypassed) {
      double would_be = l->credit.g * l->failure.value * l->d;
      for (const auto& sh : l->shares) {
        nd_effect += sh.person_id == person ? sh.share * would_be : 0;
      }
      f.evidence.push_back(
          {l->id, l->parts.empty() ? l->delivered_unix_ms : l->parts.back().merged_unix_ms,
           fmt::format("S = {} in {}", internal::Fixed(l->s, 0), l->service),
           l->review.reason.empty() ? "no eligible approval" : l->review.reason});
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.score = share;
    f.threshold = params.d9_bypass_share;
    f.score_name = "share of changes merged without an eligible approval";
    f.peer_group = "rule (no peer comparison)";
    f.direct_evidence = true;
    f.explanation = fmt::format(
        "{} of your {} changes delivered from {} merged without an independent approval after "
        "the last push (first reason: {}). These earn 0 ND until reviewed post-merge (break-glass "
        "window: 2 working days); together they would have earned {} ND.",
        t.bypassed.size(), n, ctx.PeriodLabel(),
        t.bypassed.front()->review.reason.empty() ? "no eligible approval"
                                                  : t.bypassed.front()->review.reason,
        internal::Fixed(nd_effect, 2));
    f.recommended_action =
        "Get the changes reviewed post-merge, or check branch protection on the repository.";
    f.benign_explanations = {
        "an emergency fix merged under break-glass whose post-merge review is still pending",
        "a reviewer whose identity the directory does not know (not counted as eligible)",
        "a repository without branch protection during a migration"};
    f.materiality = {
        .basis = MaterialityBasis::kNd, .nd_effect = nd_effect, .subject_nd = ctx.PersonNd(person)};
    run.candidates.push_back({std::move(f), false});
  }
  return run;
}

DetectorRun DetectRubberStamping(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  struct Reviewer {
    int64_t approvals = 0;
    std::vector<Evidence> fast;
    std::map<std::string, int64_t> to_author;
  };
  std::map<std::string, Reviewer> reviewers;
  for (const auto* l : ctx.changes()) {
    for (const auto& a : l->review.approvals) {
      if (a.reviewer.empty()) {
        continue;
      }
      Reviewer& r = reviewers[a.reviewer];
      r.approvals += 1;
      const analytics::nd::ChangePart* part = nullptr;
      for (const auto& p : l->parts) {
        if (p.change_id == a.change_id) {
          part = &p;
        }
      }
      std::string author = part != nullptr && !part->owner.empty() ? part->owner : l->owner;
      if (!author.empty()) {
        r.to_author[author] += 1;
      }
      if (part == nullptr || part->commit_shas.empty() ||
          part->substance < params.d9_fast_min_substance) {
        continue;
      }
      const model::Commit* head = ctx.FindCommit(part->commit_shas.back());
      if (head == nullptr || head->committed_unix_ms <= 0) {
        continue;
      }
      int64_t delay = a.submitted_unix_ms - head->committed_unix_ms;
      if (delay >= 0 && delay < params.d9_fast_approval_seconds * 1000) {
        r.fast.push_back({a.change_id, a.submitted_unix_ms,
                          fmt::format("approved {} s after the last push, S = {}", delay / 1000,
                                      internal::Fixed(part->substance, 0)),
                          "too fast to have read the change"});
      }
    }
  }
  std::vector<internal::PersonMetric> metrics;
  std::vector<double> shares;
  for (const auto& [person, r] : reviewers) {
    double share = static_cast<double>(r.fast.size()) / static_cast<double>(r.approvals);
    metrics.push_back({person, share});
    shares.push_back(share);
  }
  auto peers = internal::ComparePersons(ctx, metrics, params.mad_floor_share);
  for (size_t i = 0; i < metrics.size(); ++i) {
    const std::string& person = metrics[i].person;
    const Reviewer& r = reviewers[person];
    double z = peers.comparison.z[i];
    double p = UpperTailP(z);
    run.p_values.push_back(p);
    bool fast =
        static_cast<int64_t>(r.fast.size()) >= params.d9_fast_min_count && z >= params.tier_b_z;
    // Closed ring with the person this reviewer approves most.
    std::string partner;
    bool ring = false;
    if (r.approvals >= params.d9_ring_min_approvals && !r.to_author.empty()) {
      auto top = std::max_element(r.to_author.begin(), r.to_author.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
      partner = top->first;
      auto other = reviewers.find(partner);
      if (other != reviewers.end() && other->second.approvals >= params.d9_ring_min_approvals) {
        double mine = static_cast<double>(top->second) / static_cast<double>(r.approvals);
        auto back = other->second.to_author.find(person);
        double theirs =
            back == other->second.to_author.end()
                ? 0
                : static_cast<double>(back->second) / static_cast<double>(other->second.approvals);
        const auto& team = ctx.people().Info(person).team;
        bool two_person_team = !team.empty() && team == ctx.people().Info(partner).team &&
                               ctx.people().TeamSize(team) == 2;
        ring = mine >= params.d9_ring_share && theirs >= params.d9_ring_share && !two_person_team;
      }
    }
    if (!fast && !ring) {
      continue;
    }
    Flag f = ctx.NewFlag("D9b", "D9b-1", Tier::kB, {SubjectKind::kPerson, person});
    auto peer_shares = peers.Members(i, shares);
    f.score = ring ? 1 : z;
    f.threshold = ring ? 1 : params.tier_b_z;
    f.score_name = ring ? "closed review ring" : "robust z of the fast-approval share";
    f.z = z;
    f.p_value = p;
    f.peer_group = peers.Label(i);
    f.peer_n = static_cast<int64_t>(peers.GroupOf(i).members.size());
    std::vector<std::string> parts;
    if (fast) {
      parts.push_back(fmt::format(
          "{} of your {} approvals from {} came less than {} s after the last push on changes of "
          "{} or more meaningful lines (fast-approval share {}; peer median {}, 90th percentile "
          "{} in {})",
          r.fast.size(), r.approvals, ctx.PeriodLabel(), params.d9_fast_approval_seconds,
          internal::Fixed(params.d9_fast_min_substance, 0), internal::Pct(metrics[i].value),
          internal::Pct(Median(peer_shares)), internal::Pct(Quantile(peer_shares, 0.9)),
          f.peer_group));
      f.evidence = r.fast;
    }
    if (ring) {
      parts.push_back(fmt::format(
          "{} of your {} approvals went to {}, who gave at least {} of theirs to you (a closed "
          "review ring)",
          r.to_author.at(partner), r.approvals, partner, internal::Pct(params.d9_ring_share)));
      f.evidence.insert(
          f.evidence.begin(),
          {partner, 0, fmt::format("{} of {} approvals", r.to_author.at(partner), r.approvals),
           "review partner in a closed ring"});
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.explanation = internal::JoinAnd(parts) +
                    ". Why it matters: ND counts a change only after an independent review; a "
                    "review that cannot have read the change gives credit without the check.";
    f.recommended_action =
        "Review the example approvals with the reviewer; spread reviews across the team.";
    f.benign_explanations = {
        "an approval of a change already reviewed in pairing or a design session",
        "a re-approval after a trivial rebase (the last push changed nothing)",
        "a small team where two people necessarily review each other"};
    f.materiality = {.basis = MaterialityBasis::kDataIntegrity};
    run.candidates.push_back({std::move(f), fast && !ring});
  }
  return run;
}

}  // namespace goodhart::detect
