// D4 scripted cadence, metrics.md §5.2: inter-arrival times of human prompts (user_prompt events,
// store::PromptCadenceRow; never the agent's own API calls). A day with >= 50 prompts fires when
// CV = sigma/mu of its gaps < 0.3, or >= 60% of its gaps lie within +-5% of the modal gap
// (RITA-style). Supporting signal, reported but not required: hour-of-day entropy >= 4.2 bits
// over a week of >= 200 prompts. Service identities (directory bots, agents) are excluded. Tier A.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "goodhart/base/time.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/internal/detector_util.h"
#include "goodhart/detect/internal/format.h"
#include "goodhart/detect/stats.h"

namespace goodhart::detect {
namespace {

struct DayCadence {
  int64_t day = 0;
  int64_t prompts = 0;
  int64_t first_ms = 0, last_ms = 0;
  double cv = 0;
  ModalGap modal;
  bool scripted = false;
};

}  // namespace

DetectorRun DetectScriptedCadence(const DetectContext& ctx) {
  const DetectParams& params = ctx.params();
  DetectorRun run;
  std::map<std::string, std::vector<DayCadence>> days_by_person;
  std::map<std::string, std::map<int64_t, std::vector<int64_t>>> weeks_by_person;
  for (const auto& row : ctx.input().prompt_cadence) {
    if (!ctx.InPeriod(row.day * kMillisPerDay)) {
      continue;
    }
    const std::string& person = ctx.people().Resolve(row.actor);
    if (person.empty()) {
      continue;
    }
    auto& week = weeks_by_person[person][(row.day * kMillisPerDay - ctx.period().from_unix_ms) /
                                         (7 * kMillisPerDay)];
    week.insert(week.end(), row.prompt_times_unix_ms.begin(), row.prompt_times_unix_ms.end());
    const auto& t = row.prompt_times_unix_ms;
    if (static_cast<int64_t>(t.size()) < params.d4_min_prompts_per_day) {
      continue;
    }
    std::vector<double> gaps;
    for (size_t i = 1; i < t.size(); ++i) {
      gaps.push_back(static_cast<double>(t[i] - t[i - 1]) / 1000.0);
    }
    DayCadence d{.day = row.day,
                 .prompts = static_cast<int64_t>(t.size()),
                 .first_ms = t.front(),
                 .last_ms = t.back(),
                 .cv = CoefficientOfVariation(gaps),
                 .modal = ModalGapShare(gaps, params.d4_modal_tolerance)};
    d.scripted = d.cv < params.d4_max_cv || d.modal.share >= params.d4_modal_share;
    days_by_person[person].push_back(d);
  }
  // Peers: each person's median daily CV (days with enough prompts).
  std::vector<internal::PersonMetric> metrics;
  std::vector<double> cvs;
  for (const auto& [person, days] : days_by_person) {
    std::vector<double> v;
    for (const auto& d : days) {
      v.push_back(d.cv);
    }
    metrics.push_back({person, Median(v)});
    cvs.push_back(metrics.back().value);
  }
  auto peers = internal::ComparePersons(ctx, metrics, params.mad_floor_share);
  for (size_t i = 0; i < metrics.size(); ++i) {
    const std::string& person = metrics[i].person;
    std::vector<DayCadence> scripted;
    for (const auto& d : days_by_person[person]) {
      if (d.scripted) {
        scripted.push_back(d);
      }
    }
    if (scripted.empty()) {
      continue;
    }
    std::sort(scripted.begin(), scripted.end(), [](const DayCadence& a, const DayCadence& b) {
      return a.prompts != b.prompts ? a.prompts > b.prompts : a.day < b.day;
    });
    Flag f = ctx.NewFlag("D4", "D4-1", Tier::kA, {SubjectKind::kPerson, person});
    auto peer_cvs = peers.Members(i, cvs);
    f.score = static_cast<double>(scripted.size());
    f.threshold = 1;
    f.score_name = "days with scripted prompt timing";
    f.peer_group = peers.Label(i);
    f.peer_n = static_cast<int64_t>(peers.GroupOf(i).members.size());
    double max_entropy = 0;
    int64_t entropy_week_prompts = 0;
    for (const auto& [week, times] : weeks_by_person[person]) {
      if (static_cast<int64_t>(times.size()) >= params.d4_entropy_min_prompts) {
        double h = HourOfDayEntropy(times);
        if (h > max_entropy) {
          max_entropy = h;
          entropy_week_prompts = static_cast<int64_t>(times.size());
        }
      }
    }
    const DayCadence& top = scripted.front();
    std::string entropy_note =
        max_entropy >= params.d4_entropy_bits
            ? fmt::format(
                  " Your prompts were also spread evenly over the hours of the day "
                  "(hour-of-day entropy {} bits over {} prompts in a week; people "
                  "have quiet hours, scripts do not).",
                  internal::Fixed(max_entropy, 2), entropy_week_prompts)
            : "";
    f.explanation = fmt::format(
        "On {}, {}-{} UTC, {} prompts were sent from your credentials at {}-{} s intervals (CV "
        "{}; {} of the gaps within 5% of {} s). Peers in {} have a median CV of {} (90th "
        "percentile {}): people's prompting is bursty.{}{} This looks like a scheduled script. "
        "Please move automation to a service account.",
        internal::Day(top.first_ms), internal::TimeOfDay(top.first_ms),
        internal::TimeOfDay(top.last_ms), top.prompts, internal::Fixed(top.modal.low, 1),
        internal::Fixed(top.modal.high, 1), internal::Fixed(top.cv, 3),
        internal::Pct(top.modal.share), internal::Fixed(top.modal.gap, 1), f.peer_group,
        internal::Fixed(Median(peer_cvs), 2), internal::Fixed(Quantile(peer_cvs, 0.9), 2),
        scripted.size() > 1 ? fmt::format(" The same pattern was seen on {} days in {}.",
                                          scripted.size(), ctx.PeriodLabel())
                            : "",
        entropy_note);
    for (const auto& d : scripted) {
      f.evidence.push_back(
          {FormatDay(d.day), d.first_ms,
           fmt::format("{} prompts {}-{} UTC, CV {}, {} of gaps at {}-{} s", d.prompts,
                       internal::TimeOfDay(d.first_ms), internal::TimeOfDay(d.last_ms),
                       internal::Fixed(d.cv, 3), internal::Pct(d.modal.share),
                       internal::Fixed(d.modal.low, 1), internal::Fixed(d.modal.high, 1)),
           "human-prompt timing too regular for a person"});
    }
    internal::TrimEvidence(f.evidence, params.max_evidence);
    f.recommended_action =
        "Move scheduled or scripted prompting to a service identity (excluded from personal "
        "metrics).";
    f.benign_explanations = {
        "a sanctioned automation run under a personal account by mistake",
        "a batch tool that replays prompts on the person's behalf",
        "a clock or import problem that put many prompts on evenly spaced timestamps"};
    // Cost: the spend of the scripted days.
    int64_t cost = 0, spend = 0;
    if (auto it = ctx.usage().find(person); it != ctx.usage().end()) {
      spend = it->second.spend_micros;
      for (const auto& d : scripted) {
        auto day = it->second.days.find(d.day);
        cost += day != it->second.days.end() ? day->second.spend_micros : 0;
      }
    }
    f.materiality = {.basis = MaterialityBasis::kCost,
                     .subject_nd = ctx.PersonNd(person),
                     .cost_micros = cost,
                     .subject_spend_micros = spend};
    run.candidates.push_back({std::move(f), false});
  }
  return run;
}

}  // namespace goodhart::detect
