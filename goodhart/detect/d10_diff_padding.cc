// D10 diff padding / AI bloat, metrics.md §5.2: Stouffer Z = (z1 + z2 + z3) / sqrt(3) of robust
// z-scores against peers for
//   (1) ln(mean S per logical change this period / own baseline mean),
//   (2) the change in AI share vs own baseline,
//   (3) the duplicate-block share (FileDiff::copied / added lines) plus ln(raw added lines /
//       meaningful lines) of this period's changes.
// Z >= 3.5 with corroboration, or >= 5 alone (Tier B); materiality >= 10% of ND. Version D10-2
// added the duplicate-block share to (3); D10-1 had the raw/meaningful ratio alone.
// Approximations (README): the own baseline is DetectInput::own_baseline (the previous quarter,
// frozen) when the caller gives it and it holds d10_min_changes of the person's changes, else the
// previous periods in the input, which absorb padding sustained over several periods; the AI share
// is the share of logical changes with any AI evidence (AI links on their commits, or AI markers)
// rather than the E3 line share. Both halves of (3) are unitless and near 0 for tidy diffs; a
// copied block raises both (the substance classifier weighs it 0), which is intended: duplicated
// blocks are the bloat signature GitClear measures (metrics.md §2.3).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "goodhart/base/time.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {
namespace {

struct ChangeStats {
  int64_t n = 0, ai = 0;
  double s = 0, raw_added = 0, copied = 0;
  std::vector<const analytics::nd::LogicalChangeCredit*> changes;
};

// Per owner: the logical changes delivered in the input's period with S > 0.
std::map<std::string, ChangeStats> Collect(const PeriodInput& in) {
  std::map<std::string, ChangeStats> out;
  if (in.nd == nullptr) {
    return out;
  }
  // The period's logical changes first, then only their commits' evidence and sizes: the
  // delivery records hold the whole history, and this runs once per period and baseline.
  struct CommitFacts {
    bool ai = false;
    double raw_added = 0, copied = 0;
  };
  std::unordered_map<std::string_view, CommitFacts> facts;
  for (const auto& l : in.NdChanges()) {
    if (l.owner.empty() || l.s <= 0 || l.delivered_unix_ms < in.period.from_unix_ms ||
        l.delivered_unix_ms >= in.period.to_unix_ms) {
      continue;
    }
    ChangeStats& st = out[l.owner];
    st.n += 1;
    st.s += l.s;
    st.changes.push_back(&l);
    for (const auto& part : l.parts) {
      for (const auto& sha : part.commit_shas) {
        facts.try_emplace(sha);
      }
    }
  }
  for (const auto& link : in.ai_links) {
    if (auto it = facts.find(link.commit_sha); it != facts.end()) {
      it->second.ai = true;
    }
  }
  for (const auto& c : in.Delivery().commits) {
    auto it = facts.find(c.sha);
    if (it == facts.end()) {
      continue;
    }
    it->second.ai = it->second.ai || !c.ai_markers.empty();
    it->second.raw_added = 0;  // the last record of a sha is the one read, as a map would keep
    it->second.copied = 0;
    for (const auto& f : c.files) {
      it->second.raw_added += static_cast<double>(f.added);
      it->second.copied += static_cast<double>(f.copied);
    }
  }
  for (auto& [owner, st] : out) {
    for (const analytics::nd::LogicalChangeCredit* l : st.changes) {
      bool ai = false;
      for (const auto& part : l->parts) {
        for (const auto& sha : part.commit_shas) {
          const CommitFacts& f = facts.at(sha);
          ai = ai || f.ai;
          st.raw_added += f.raw_added;
          st.copied += f.copied;
        }
      }
      st.ai += ai ? 1 : 0;
    }
  }
  return out;
}

// A person's own baseline: the changes of some earlier periods, and how the explanation names
// them ("period", "2 periods", "quarter (2026-04-01 to 2026-06-30)").
struct Baseline {
  std::map<std::string, ChangeStats> stats;
  std::string label;
};

Baseline BaselineOf(const std::vector<const PeriodInput*>& periods) {
  Baseline b;
  for (const PeriodInput* h : periods) {
    for (auto& [person, st] : Collect(*h)) {
      ChangeStats& sum = b.stats[person];
      sum.n += st.n;
      sum.ai += st.ai;
      sum.s += st.s;
      sum.raw_added += st.raw_added;
      sum.copied += st.copied;
    }
  }
  const int64_t longest_period_ms = (kPeriodDays + 1) * kMillisPerDay;
  if (periods.size() == 1 &&
      periods[0]->period.to_unix_ms - periods[0]->period.from_unix_ms > longest_period_ms) {
    b.label = fmt::format("quarter ({})", internal::PeriodLabel(periods[0]->period));
  } else {
    b.label = periods.size() == 1 ? "period" : fmt::format("{} periods", periods.size());
  }
  return b;
}

}  // namespace

DetectorRun DetectDiffPadding(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  if (ctx.own_baseline().empty()) {
    return run;
  }
  auto now = Collect(ctx.input());
  // The caller's frozen own baseline (the previous quarter) when it holds enough of the person's
  // changes; else, for people new to it (joined, moved, or a store younger than a quarter), the
  // periods before this one.
  const Baseline own = BaselineOf(ctx.own_baseline());
  const bool frozen = ctx.has_frozen_baseline();
  std::optional<Baseline> trailing;  // built when someone first needs it
  auto baseline_of =
      [&](const std::string& person) -> std::pair<const ChangeStats*, const Baseline*> {
    auto enough = [&](const Baseline& b) {
      auto it = b.stats.find(person);
      return it != b.stats.end() && it->second.n >= params.d10_min_changes ? &it->second : nullptr;
    };
    if (const ChangeStats* st = enough(own)) {
      return {st, &own};
    }
    if (!frozen) {
      return {nullptr, nullptr};
    }
    if (!trailing) {
      trailing = BaselineOf(ctx.history());
    }
    const ChangeStats* st = enough(*trailing);
    return {st, st != nullptr ? &*trailing : nullptr};
  };
  std::vector<internal::PersonMetric> m1, m2, m3;
  std::vector<double> ratios, bloat, duplicated;
  std::vector<const Baseline*> used;
  for (const auto& [person, st] : now) {
    if (st.n < params.d10_min_changes) {
      continue;
    }
    auto [b, from] = baseline_of(person);
    if (b == nullptr) {
      continue;
    }
    double mean_now = st.s / static_cast<double>(st.n);
    double mean_base = b->s / static_cast<double>(b->n);
    m1.push_back({person, std::log(mean_now / mean_base)});
    m2.push_back({person, static_cast<double>(st.ai) / static_cast<double>(st.n) -
                              static_cast<double>(b->ai) / static_cast<double>(b->n)});
    const double dup_share = st.raw_added > 0 ? st.copied / st.raw_added : 0;
    m3.push_back({person, dup_share + std::log((st.raw_added + 1) / (st.s + 1))});
    ratios.push_back(mean_now / mean_base);
    bloat.push_back((st.raw_added + 1) / (st.s + 1));
    duplicated.push_back(dup_share);
    used.push_back(from);
  }
  auto p1 = internal::ComparePersons(ctx, m1, params.mad_floor_log);
  auto p2 = internal::ComparePersons(ctx, m2, params.mad_floor_share);
  auto p3 = internal::ComparePersons(ctx, m3, params.mad_floor_log);
  for (size_t i = 0; i < m1.size(); ++i) {
    std::vector<double> zs = {p1.comparison.z[i], p2.comparison.z[i], p3.comparison.z[i]};
    double z = Stouffer(zs);
    double p = UpperTailP(z);
    run.p_values.push_back(p);
    if (z < params.tier_b_z) {
      continue;
    }
    const std::string& person = m1[i].person;
    const ChangeStats& st = now[person];
    const ChangeStats& b = *baseline_of(person).first;
    Flag f = ctx.NewFlag("D10", "D10-2", Tier::kB, {SubjectKind::kPerson, person});
    if (internal::DropRoleTypical(ctx, p1, i, f, run)) {
      continue;
    }
    f.score = z;
    f.threshold = params.tier_b_z;
    f.score_name = fmt::format(
        "Stouffer Z of size growth (z {}), AI-share growth (z {}) and "
        "duplicate blocks with the raw/meaningful ratio (z {})",
        internal::Fixed(zs[0], 2), internal::Fixed(zs[1], 2), internal::Fixed(zs[2], 2));
    f.z = z;
    f.p_value = p;
    f.peer_group = p1.Label(i);
    f.peer_n = static_cast<int64_t>(p1.GroupOf(i).members.size());
    std::vector<const analytics::nd::LogicalChangeCredit*> largest = st.changes;
    std::sort(largest.begin(), largest.end(), [](const auto* a, const auto* c) {
      return a->s != c->s ? a->s > c->s : a->id < c->id;
    });
    std::vector<std::string> examples;
    for (const auto* l : largest) {
      std::string label = l->parts.empty() || l->parts.front().number <= 0
                              ? l->id
                              : fmt::format("#{}", l->parts.front().number);
      if (examples.size() < 2) {
        examples.push_back(label);
      }
      f.evidence.push_back({label, l->delivered_unix_ms,
                            fmt::format("S = {} in {}", internal::Fixed(l->s, 0), l->service),
                            "one of the largest changes this period"});
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    double ratio = ratios[i];
    f.explanation = fmt::format(
        "Your changes from {} average {}x the meaningful lines of your own previous {} (peers "
        "in {}: median {}x), the share of your changes with AI evidence went from {} to {}, and "
        "you added {}x as many raw lines as meaningful ones (peer median {}x), {} of them in "
        "duplicated blocks (peer median {}). Why it matters: padding inflates ND while adding no "
        "value; the reviewer will look at example diffs. Largest examples: {}.",
        ctx.PeriodLabel(), internal::Fixed(ratio, 1), used[i]->label, f.peer_group,
        internal::Fixed(Median(p1.Members(i, ratios)), 1),
        internal::Pct(static_cast<double>(b.ai) / static_cast<double>(b.n)),
        internal::Pct(static_cast<double>(st.ai) / static_cast<double>(st.n)),
        internal::Fixed(bloat[i], 1), internal::Fixed(Median(p3.Members(i, bloat)), 1),
        internal::Pct(duplicated[i]), internal::Pct(Median(p3.Members(i, duplicated))),
        internal::JoinAnd(examples));
    f.recommended_action =
        "Review example diffs with the person for generated filler, duplicated blocks and "
        "unneeded code. No automatic consequence.";
    f.benign_explanations = {"a planned larger feature or migration this period",
                             "a change of team or service with a different typical change size",
                             "new adoption of an AI tool producing verbose but reviewed code"};
    double nd = ctx.PersonNd(person);
    f.materiality = {.basis = MaterialityBasis::kNd,
                     .nd_effect = ratio > 1 ? nd * (1 - 1 / ratio) : 0,
                     .subject_nd = nd};
    run.candidates.push_back({std::move(f), true});
  }
  return run;
}

}  // namespace goodhart::detect
