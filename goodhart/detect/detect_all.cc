#include "goodhart/detect/detect_all.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "goodhart/detect/detect_context.h"
#include "goodhart/detect/detectors.h"
#include "goodhart/detect/gating.h"

namespace goodhart::detect {
namespace {

using Key = std::tuple<std::string, Subject>;  // (detector id, subject)

Status CheckPeriod(const Period& p, std::string_view where) {
  if (p.to_unix_ms <= p.from_unix_ms) {
    return Status::InvalidArgument(fmt::format("detect: input: {}: empty or reversed ({} to {})",
                                               where, p.from_unix_ms, p.to_unix_ms));
  }
  return Status::Ok();
}

// Which candidate subjects corroborate each other (gating.h SubjectRelations).
SubjectRelations Relations(const DetectContext& ctx, const std::vector<DetectorRun>& runs) {
  std::vector<const Flag*> flags;
  for (const auto& run : runs) {
    for (const auto& c : run.candidates) {
      flags.push_back(&c.flag);
    }
  }
  std::set<std::pair<std::string, std::string>> owners;  // (service, person)
  for (const auto* l : ctx.changes()) {
    for (const auto& sh : l->shares) {
      owners.insert({l->service, sh.person_id});
    }
  }
  SubjectRelations rel;
  for (const Flag* a : flags) {
    for (const Flag* b : flags) {
      const Subject &x = a->subject, &y = b->subject;
      bool related = false;
      if (x.kind == SubjectKind::kTeam && y.kind != SubjectKind::kTeam) {
        related = b->team == x.id;
      } else if (x.kind == SubjectKind::kService && y.kind == SubjectKind::kPerson) {
        related = owners.count({x.id, y.id}) > 0;
      } else if (x.kind == SubjectKind::kService && y.kind == SubjectKind::kPipeline) {
        related = !b->team.empty() && b->team == a->team;
      }
      if (related) {
        rel.Relate(x, y);
      }
    }
  }
  return rel;
}

// The caller's frozen own baseline (DetectInput::own_baseline) as it stands for `in`: the
// periods that end by its start.
std::vector<const PeriodInput*> OwnBaseline(const DetectInput& input, const PeriodInput& in) {
  std::vector<const PeriodInput*> out;
  for (const auto& b : input.own_baseline) {
    if (b.period.to_unix_ms <= in.period.from_unix_ms) {
      out.push_back(&b);
    }
  }
  return out;
}

TierResult RunPeriod(const PeriodInput& in, std::vector<const PeriodInput*> history,
                     const People& people, const DetectParams& params,
                     std::vector<const PeriodInput*> own_baseline) {
  DetectContext ctx(in, std::move(history), people, params, std::move(own_baseline));
  std::vector<DetectorRun> runs;
  for (const auto& d : AllDetectors()) {
    if (d.informational && !params.run_informational) {
      continue;
    }
    runs.push_back(d.run(ctx));
  }
  return ApplyTierRules(runs, Relations(ctx, runs), params);
}

}  // namespace

Result<DetectOutput> DetectAll(const DetectInput& input, const DetectParams& params) {
  GOODHART_RETURN_IF_ERROR(params.Validate());
  GOODHART_RETURN_IF_ERROR(CheckPeriod(input.current.period, "current.period"));
  for (size_t i = 0; i < input.previous.size(); ++i) {
    GOODHART_RETURN_IF_ERROR(
        CheckPeriod(input.previous[i].period, fmt::format("previous[{}].period", i)));
  }
  for (size_t i = 0; i < input.own_baseline.size(); ++i) {
    GOODHART_RETURN_IF_ERROR(
        CheckPeriod(input.own_baseline[i].period, fmt::format("own_baseline[{}].period", i)));
  }
  DetectOutput out{.params_version = params.version, .period = input.current.period};
  People people(input.directory, input.resolve);

  std::vector<const PeriodInput*> all = {&input.current};
  for (const auto& p : input.previous) {
    all.push_back(&p);
  }
  // The earlier periods persistence looks at.
  const auto earlier = static_cast<size_t>(params.persistence_window - 1);
  const int64_t length = input.current.period.to_unix_ms - input.current.period.from_unix_ms;
  std::vector<Period> earlier_periods;
  for (size_t j = 1; j <= earlier; ++j) {
    earlier_periods.push_back({input.current.period.from_unix_ms - static_cast<int64_t>(j) * length,
                               input.current.period.to_unix_ms - static_cast<int64_t>(j) * length});
  }
  std::vector<std::set<Key>> qualified(earlier);
  for (size_t j = 0; j < earlier && j + 1 < all.size(); ++j) {
    std::vector<const PeriodInput*> history(all.begin() + static_cast<std::ptrdiff_t>(j + 2),
                                            all.end());
    TierResult r = RunPeriod(*all[j + 1], history, people, params, OwnBaseline(input, *all[j + 1]));
    for (const auto& f : r.passed) {
      qualified[j].insert({f.detector_id, f.subject});
    }
  }
  for (const auto& f : input.prior_flags) {
    for (size_t j = 0; j < earlier; ++j) {
      if (f.tier_passed && f.period == earlier_periods[j]) {
        qualified[j].insert({f.detector_id, f.subject});
      }
    }
  }

  TierResult current = RunPeriod(input.current, {all.begin() + 1, all.end()}, people, params,
                                 OwnBaseline(input, input.current));
  out.tier_b_tests = current.tests;
  for (auto& f : current.passed) {
    int count = 1;
    for (const auto& q : qualified) {
      count += q.count({f.detector_id, f.subject}) > 0 ? 1 : 0;
    }
    f.persistent_periods = count;
    if (!f.direct_evidence && count < params.persistence_required) {
      f.suppressed_reason =
          fmt::format("not persistent: met its tier rule in {} of the last {} periods (needs {})",
                      count, params.persistence_window, params.persistence_required);
      out.suppressed.push_back(std::move(f));
      continue;
    }
    ApplyMateriality(f, params);
    out.flags.push_back(std::move(f));
  }
  for (auto& f : current.failed) {
    out.suppressed.push_back(std::move(f));
  }
  auto order = [](const Flag& a, const Flag& b) {
    return std::tie(a.detector_id, a.subject) < std::tie(b.detector_id, b.subject);
  };
  std::sort(out.flags.begin(), out.flags.end(), order);
  std::sort(out.suppressed.begin(), out.suppressed.end(), order);

  const PeriodInput& cur = input.current;
  if (cur.nd == nullptr) {
    out.warnings.push_back(
        "detect: input: no ND result for the current period: D6-D12 see no deliveries");
  }
  if (cur.sessions.empty()) {
    out.warnings.push_back(
        "detect: input: no per-session usage: D2 counts orphan tokens per person-day, D5 takes "
        "session runtimes from prompt times and cannot price sessions");
  }
  if (cur.prompt_sketches.empty()) {
    out.warnings.push_back("detect: input: no prompt sketches in the period: D3 cannot run");
  }
  size_t covered = 0;
  for (size_t j = 0; j < earlier; ++j) {
    bool from_prior = std::any_of(input.prior_flags.begin(), input.prior_flags.end(),
                                  [&](const Flag& f) { return f.period == earlier_periods[j]; });
    covered += (j + 1 < all.size() || from_prior) ? 1 : 0;
  }
  if (covered < earlier) {
    out.warnings.push_back(fmt::format(
        "detect: input: only {} of the {} earlier periods are available: flags without direct "
        "evidence cannot meet persistence ({} of {})",
        covered, earlier, params.persistence_required, params.persistence_window));
  }
  return out;
}

}  // namespace goodhart::detect
