// D7 micro-change flooding, metrics.md §5.2: the share of a person's merged changes (pull
// requests and direct pushes delivered in the period, ND ChangePart) with substance below
// rho x S_ref of their service. Robust z >= 3.5 against peers, >= 20 changes. Tier B. Platform
// and config roles have their own peer group; without one, the detector is dropped for them
// (role-typical).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {

DetectorRun DetectMicroChanges(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  struct Micro {
    const analytics::nd::LogicalChangeCredit* l;
    const analytics::nd::ChangePart* part;
    double limit;
  };
  struct Tally {
    int64_t changes = 0;
    std::vector<Micro> micro;
  };
  std::map<std::string, Tally> by_person;
  for (const auto* l : ctx.changes()) {
    double s_ref = l->credit.s_ref > 0 ? l->credit.s_ref : l->s_ref.value;
    for (const auto& part : l->parts) {
      std::string owner = !part.owner.empty() ? part.owner : l->owner;
      if (owner.empty()) {
        continue;
      }
      Tally& t = by_person[owner];
      t.changes += 1;
      if (s_ref > 0 && part.substance < params.d7_ramp_rho * s_ref) {
        t.micro.push_back({l, &part, params.d7_ramp_rho * s_ref});
      }
    }
  }
  std::vector<internal::PersonMetric> metrics;
  std::vector<double> shares;
  for (const auto& [person, t] : by_person) {
    if (t.changes >= params.d7_min_changes) {
      double share = static_cast<double>(t.micro.size()) / static_cast<double>(t.changes);
      metrics.push_back({person, share});
      shares.push_back(share);
    }
  }
  auto peers = internal::ComparePersons(ctx, metrics, params.mad_floor_share);
  for (size_t i = 0; i < metrics.size(); ++i) {
    double z = peers.comparison.z[i];
    double p = UpperTailP(z);
    run.p_values.push_back(p);
    if (z < params.tier_b_z) {
      continue;
    }
    const std::string& person = metrics[i].person;
    Tally& t = by_person[person];
    Flag f = ctx.NewFlag("D7", "D7-1", Tier::kB, {SubjectKind::kPerson, person});
    if (internal::DropRoleTypical(ctx, peers, i, f, run)) {
      continue;
    }
    auto peer_shares = peers.Members(i, shares);
    f.score = z;
    f.threshold = params.tier_b_z;
    f.score_name = "robust z of the micro-change share";
    f.z = z;
    f.p_value = p;
    f.peer_group = peers.Label(i);
    f.peer_n = static_cast<int64_t>(peers.GroupOf(i).members.size());
    double limit = 0, nd_effect = 0;
    std::map<const analytics::nd::LogicalChangeCredit*, bool> seen;
    for (const auto& m : t.micro) {
      limit = std::max(limit, m.limit);
      if (!seen[m.l]) {
        seen[m.l] = true;
        for (const auto& sh : m.l->shares) {
          nd_effect +=
              sh.person_id == person && m.l->s > 0 && m.l->s < m.limit ? sh.share * m.l->nd : 0;
        }
      }
    }
    std::sort(t.micro.begin(), t.micro.end(), [](const Micro& a, const Micro& b) {
      return a.part->merged_unix_ms != b.part->merged_unix_ms
                 ? a.part->merged_unix_ms > b.part->merged_unix_ms
                 : a.part->change_id < b.part->change_id;
    });
    for (const auto& m : t.micro) {
      f.evidence.push_back(
          {m.part->change_id, m.part->merged_unix_ms,
           fmt::format("{} meaningful lines in {}", internal::Fixed(m.part->substance, 0),
                       m.l->service),
           fmt::format("below {} lines (rho x S_ref)", internal::Fixed(m.limit, 0))});
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.explanation = fmt::format(
        "{} of your {} merged changes from {} were under {} meaningful lines (peer median {}, "
        "90th percentile {} in {}). They earn little ND (by design) but inflate pull-request and "
        "deployment counts shown elsewhere.",
        internal::Pct(metrics[i].value), t.changes, ctx.PeriodLabel(), internal::Fixed(limit, 0),
        internal::Pct(Median(peer_shares)), internal::Pct(Quantile(peer_shares, 0.9)),
        f.peer_group);
    f.recommended_action =
        "Look at the example changes with the person: batch trivial edits into meaningful "
        "changes. No automatic consequence.";
    f.benign_explanations = {"configuration or platform work whose changes are small by nature",
                             "a migration or clean-up done deliberately in many small steps",
                             "incident follow-ups and small fixes"};
    f.materiality = {
        .basis = MaterialityBasis::kNd, .nd_effect = nd_effect, .subject_nd = ctx.PersonNd(person)};
    run.candidates.push_back({std::move(f), true});
  }
  return run;
}

}  // namespace goodhart::detect
