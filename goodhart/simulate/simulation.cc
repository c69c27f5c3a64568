#include "goodhart/simulate/simulation.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "goodhart/base/time.h"
#include "goodhart/detect/detect_all.h"
#include "goodhart/simulate/assemble.h"
#include "goodhart/simulate/exchange.h"
#include "goodhart/simulate/persistence.h"
#include "goodhart/simulate/rng.h"

namespace goodhart::simulate {
namespace {

using analytics::nd::NdResult;

constexpr int64_t kLookbackMs = 30 * kMillisPerDay;  // delivery loaded before each period

int64_t TestFrom() { return PeriodFromMillis(1); }
int64_t TestTo() { return PeriodFromMillis(kPeriods); }
bool InTest(int64_t t) { return t >= TestFrom() && t < TestTo(); }

struct TeamData {
  store::DeliveryRecords delivery;
  std::array<NdResult, 3> nd;  // by NdVariant
};

std::shared_ptr<const TeamData> BuildTeam(const Org& org, int team,
                                          const std::vector<const Activity*>& acts,
                                          const directory::Directory& dir,
                                          const std::vector<analytics::nd::SRefOverride>& s_refs,
                                          bool variants) {
  auto data = std::make_shared<TeamData>();
  const int n = org.config.engineers_per_team;
  std::vector<const Activity*> members(acts.begin() + team * n, acts.begin() + (team + 1) * n);
  data->delivery = AssembleTeam(org, team, members);
  static constexpr NdVariant kBoth[] = {NdVariant::kNd, NdVariant::kNdPr};
  auto nd = ComputeTeamNd(data->delivery, dir, s_refs,
                          std::span<const NdVariant>(kBoth).first(variants ? 2 : 1));
  data->nd[0] = std::move(nd[0]);
  if (variants) {
    data->nd[1] = std::move(nd[1]);
    // The concave variant differs from ND only in g: the same run, credited again.
    auto sqrt = analytics::nd::Recredit(data->nd[0], ParamsOf(NdVariant::kNd),
                                        ParamsOf(NdVariant::kNdSqrt), &dir);
    if (!sqrt.ok()) {
      std::fprintf(stderr, "simulate: nd: %s\n", sqrt.status().ToString().c_str());
      std::abort();
    }
    data->nd[2] = std::move(sqrt).value();
  }
  return data;
}

double PersonNd(const NdResult& r, const std::string& person, int64_t from, int64_t to) {
  double sum = 0;
  for (const auto& l : r.changes) {
    if (l.delivered_unix_ms < from || l.delivered_unix_ms >= to) {
      continue;
    }
    for (const auto& sh : l.shares) {
      if (sh.person_id == person) {
        sum += sh.share * l.nd;
      }
    }
  }
  return sum;
}

struct Truth {
  double v[kValueModels] = {0, 0};
};
Truth TruthOf(const Activity& a) {
  Truth t;
  for (const auto& c : a.truth) {
    if (InTest(c.merged_unix_ms)) {
      t.v[0] += c.v1;
      t.v[1] += c.v2;
    }
  }
  return t;
}

// One simulated world: everyone's activity and each team's records and ND.
struct World {
  const Org* org = nullptr;
  const directory::Directory* dir = nullptr;
  std::vector<const Activity*> acts;
  std::vector<std::shared_ptr<const TeamData>> teams;
};

template <typename T, typename Time>
void CopyIf(const std::vector<T>& from, std::vector<T>& to, Time time, int64_t lo, int64_t hi) {
  for (const auto& x : from) {
    int64_t t = time(x);
    if (t >= lo && t < hi) {
      to.push_back(x);
    }
  }
}

// The records of one period's detector input that come from a team (its ND and delivery) and
// from an engineer (their usage and AI links), visited in pairs: f(field, a's, b's).
constexpr size_t kTeamFields = 6, kPersonFields = 5;
struct PeriodData {
  detect::PeriodInput input;
  NdResult view;  // the teams' ND changes and deployments of the period (plus lookback)
};
template <typename F>
void TeamFields(PeriodData& a, PeriodData& b, F&& f) {
  f(0, a.view.deployments, b.view.deployments);
  f(1, a.view.changes, b.view.changes);
  f(2, a.input.delivery.commits, b.input.delivery.commits);
  f(3, a.input.delivery.changes, b.input.delivery.changes);
  f(4, a.input.delivery.reviews, b.input.delivery.reviews);
  f(5, a.input.delivery.deployments, b.input.delivery.deployments);
}
template <typename F>
void PersonFields(PeriodData& a, PeriodData& b, F&& f) {
  f(0, a.input.rollups, b.input.rollups);
  f(1, a.input.prompt_sketches, b.input.prompt_sketches);
  f(2, a.input.prompt_cadence, b.input.prompt_cadence);
  f(3, a.input.sessions, b.input.sessions);
  f(4, a.input.ai_links, b.input.ai_links);
}

// Which records a PeriodData holds: a detected period's, or the own baseline's (D10 reads its
// commits and AI links only).
enum class Part { kPeriod, kOwnBaseline };

// Entry k of DetectionInputs::data: periods 0..kPeriods-1, then the own baseline (of period 0).
Part PartOf(int k) { return k < kPeriods ? Part::kPeriod : Part::kOwnBaseline; }
int PeriodOf(int k) { return k < kPeriods ? k : 0; }

void AppendTeam(const TeamData& team, int k, Part part, PeriodData& d) {
  const int64_t to = PeriodFromMillis(k + 1), lo = PeriodFromMillis(k) - kLookbackMs;
  const auto& delivery = team.delivery;
  CopyIf(
      delivery.commits, d.input.delivery.commits, [](const auto& c) { return c.committed_unix_ms; },
      lo, to);
  if (part == Part::kOwnBaseline) {
    return;
  }
  const NdResult& nd = team.nd[0];
  CopyIf(
      nd.deployments, d.view.deployments, [](const auto& x) { return x.finished_unix_ms; }, lo, to);
  CopyIf(
      nd.changes, d.view.changes, [](const auto& l) { return l.delivered_unix_ms; }, lo, to);
  CopyIf(
      delivery.changes, d.input.delivery.changes, [](const auto& c) { return c.merged_unix_ms; },
      lo, to);
  CopyIf(
      delivery.reviews, d.input.delivery.reviews, [](const auto& r) { return r.submitted_unix_ms; },
      lo, to);
  CopyIf(
      delivery.deployments, d.input.delivery.deployments,
      [](const auto& x) { return x.finished_unix_ms; }, lo, to);
}

void AppendPerson(const Activity& a, int k, Part part, PeriodData& d) {
  const int64_t from = PeriodFromMillis(k), to = PeriodFromMillis(k + 1);
  d.input.ai_links.insert(d.input.ai_links.end(), a.links.begin(), a.links.end());
  if (part == Part::kOwnBaseline) {
    return;
  }
  const int64_t from_day = DayOfMillis(from), to_day = DayOfMillis(to);
  CopyIf(
      a.rollups, d.input.rollups, [](const auto& r) { return r.day; }, from_day, to_day);
  CopyIf(
      a.sketches, d.input.prompt_sketches, [](const auto& s) { return s.time_unix_ms; }, from, to);
  CopyIf(
      a.cadence, d.input.prompt_cadence, [](const auto& c) { return c.day; }, from_day, to_day);
  CopyIf(
      a.sessions, d.input.sessions, [](const auto& s) { return s.end_unix_ms; }, from, to);
}

// The detector input of every period of a world, built by appending each team's and then each
// engineer's records in org order. It keeps where each owner's records start, so a strategy
// world exchanges only the gamer's team and activity instead of copying the org's records again
// (which took a third of a run).
struct DetectionInputs {
  // Periods 0..kPeriods-1, then the own baseline (the baseline period's commits and AI links:
  // §6.2 freezes own baselines as it freezes S_ref, so D10 compares each test period with the
  // quarter before the strategy started, not with the strategy's own earlier periods).
  std::array<PeriodData, kPeriods + 1> data;
  std::array<std::array<std::vector<size_t>, kTeamFields>, kPeriods + 1> team_at;
  std::array<std::array<std::vector<size_t>, kPersonFields>, kPeriods + 1> person_at;
};

std::unique_ptr<DetectionInputs> BuildDetectionInputs(const World& w) {
  auto in = std::make_unique<DetectionInputs>();
  for (int k = 0; k <= kPeriods; ++k) {
    const auto i = static_cast<size_t>(k);
    const Part part = PartOf(k);
    const int period = PeriodOf(k);
    PeriodData& d = in->data[i];
    auto mark_teams = [&] {
      TeamFields(d, d, [&](size_t f, auto& x, auto&) { in->team_at[i][f].push_back(x.size()); });
    };
    auto mark_people = [&] {
      PersonFields(d, d,
                   [&](size_t f, auto& x, auto&) { in->person_at[i][f].push_back(x.size()); });
    };
    mark_teams();
    for (const auto& team : w.teams) {
      AppendTeam(*team, period, part, d);
      mark_teams();
    }
    mark_people();
    for (const Activity* a : w.acts) {
      AppendPerson(*a, period, part, d);
      mark_people();
    }
    d.input.period = {PeriodFromMillis(period), PeriodFromMillis(period + 1)};
    d.view.period_from_unix_ms = d.input.period.from_unix_ms;
    d.view.period_to_unix_ms = d.input.period.to_unix_ms;
    d.view.as_of_unix_ms = EvaluationMillis();
    d.view.definition_version = w.teams.front()->nd[0].definition_version;
  }
  return in;
}

// Exchanges the records of `team` and `engineer` in `in` with those in `parts` (one PeriodData
// per entry of DetectionInputs::data, holding that owner's records only). Exchanging the same
// parts again restores `in`.
void ExchangeOwners(DetectionInputs& in, int team, int engineer,
                    std::array<PeriodData, kPeriods + 1>& parts) {
  for (size_t i = 0; i <= kPeriods; ++i) {
    TeamFields(in.data[i], parts[i], [&](size_t f, auto& whole, auto& part) {
      Exchange(whole, in.team_at[i][f], static_cast<size_t>(team), part);
    });
    PersonFields(in.data[i], parts[i], [&](size_t f, auto& whole, auto& part) {
      Exchange(whole, in.person_at[i][f], static_cast<size_t>(engineer), part);
    });
  }
}

// The gamer's team and activity of a strategy world, in the shape ExchangeOwners takes.
std::array<PeriodData, kPeriods + 1> OwnerParts(const TeamData& team, const Activity& a) {
  std::array<PeriodData, kPeriods + 1> parts;
  for (int k = 0; k <= kPeriods; ++k) {
    AppendTeam(team, PeriodOf(k), PartOf(k), parts[static_cast<size_t>(k)]);
    AppendPerson(a, PeriodOf(k), PartOf(k), parts[static_cast<size_t>(k)]);
  }
  return parts;
}

// Runs the detectors over the world whose records `in` holds (the DetectionInputs of `w`, with
// its gamer exchanged in). `in` is left as it was found.
// `enough`, when given, is asked after each test period k whether the flags of periods 1..k settle
// what the caller counts; the later periods are then not detected.
RaisedFlags Detect(const World& w, DetectionInputs& in,
                   const std::function<bool(const RaisedFlags&, int k)>& enough = nullptr) {
  for (int k = 0; k < kPeriods; ++k) {
    const int64_t from = PeriodFromMillis(k), to = PeriodFromMillis(k + 1);
    PeriodData& d = in.data[static_cast<size_t>(k)];
    d.view.people.clear();
    for (const auto& e : w.org->engineers) {
      analytics::nd::PersonNd pn;
      pn.person_id = e.id;
      pn.resolved = true;
      pn.team = w.org->teams[static_cast<size_t>(e.team)];
      pn.fte = 1;
      pn.nd = PersonNd(w.teams[static_cast<size_t>(e.team)]->nd[0], e.id, from, to);
      d.view.people.push_back(std::move(pn));
    }
    d.input.nd = &d.view;
  }
  detect::PeriodInput& own_baseline = in.data[kPeriods].input;
  own_baseline.nd = &in.data[0].view;
  detect::DetectParams params;
  params.threads = 1;
  params.run_informational = false;  // D13 is only logged: FlagsOf never counts it
  // What the simulation counts per period is every flag that met its tier rule, persistent or
  // not (Persistent() applies the 2-of-3 rule itself), so DetectAll's persistence, which
  // re-runs the detectors on up to two previous periods, would only sort the same flags into
  // `flags` and `suppressed`. A window of one period skips those re-runs; the earlier periods
  // stay in DetectInput::previous as the history D10-D12 read.
  params.persistence_window = 1;
  params.persistence_required = 1;
  RaisedFlags raised;
  // Sketches are kept 30 days: the detectors of later periods see no earlier ones. They are set
  // aside here and put back at the end.
  std::array<std::vector<store::PromptSketchRow>, kPeriods> sketches;
  auto period_input = [&](int j) -> detect::PeriodInput& {
    return in.data[static_cast<size_t>(j)].input;
  };
  // The baseline period is history only: nothing is counted in it (FlagsOf and the honest flag
  // rate read the test periods), so its detectors are not run.
  sketches[0] = std::move(period_input(0).prompt_sketches);
  period_input(0).prompt_sketches.clear();
  int detected = 0;  // the last period detected
  for (int k = 1; k < kPeriods; ++k) {
    detect::DetectInput input;
    input.directory = w.dir;
    input.own_baseline.push_back(std::move(own_baseline));
    input.current = std::move(period_input(k));
    for (int j = k - 1; j >= 0; --j) {  // all earlier periods: D10-D12 own history
      input.previous.push_back(std::move(period_input(j)));
    }
    auto out = detect::DetectAll(input, params);
    if (!out.ok()) {
      std::fprintf(stderr, "simulate: detect: %s\n", out.status().ToString().c_str());
      std::abort();
    }
    period_input(k) = std::move(input.current);
    for (int j = k - 1, i = 0; j >= 0; --j, ++i) {
      period_input(j) = std::move(input.previous[static_cast<size_t>(i)]);
    }
    own_baseline = std::move(input.own_baseline.front());
    sketches[static_cast<size_t>(k)] = std::move(period_input(k).prompt_sketches);
    period_input(k).prompt_sketches.clear();
    // What met its tier rule in this period: raised flags and those only short of persistence.
    raised[static_cast<size_t>(k)] = std::move(out->flags);
    for (auto& f : out->suppressed) {
      if (f.tier_passed) {
        raised[static_cast<size_t>(k)].push_back(std::move(f));
      }
    }
    detected = k;
    if (enough && enough(raised, k)) {
      break;
    }
  }
  for (int k = 0; k <= detected; ++k) {  // the later periods kept their sketches
    in.data[static_cast<size_t>(k)].input.prompt_sketches =
        std::move(sketches[static_cast<size_t>(k)]);
  }
  return raised;
}

MetricValues PersonMetrics(const World& w, const Engineer& e,
                           const std::vector<model::Deployment>& deployments) {
  MetricValues m = RawMetrics(*w.acts[static_cast<size_t>(e.index)], deployments, e.email);
  const TeamData& t = *w.teams[static_cast<size_t>(e.team)];
  m[kNd] = PersonNd(t.nd[0], e.id, TestFrom(), TestTo());
  m[kNdPr] = PersonNd(t.nd[1], e.id, TestFrom(), TestTo());
  m[kNdSqrt] = PersonNd(t.nd[2], e.id, TestFrom(), TestTo());
  m[kNdStar] = m[kNd];
  return m;
}

}  // namespace

std::string_view MetricName(int metric) {
  static constexpr std::array<std::string_view, kMetricCount> kNames = {
      "tokens", "deploys", "prs", "lines", "deploy_days", "nd_pr", "nd_sqrt", "nd", "nd_star"};
  return kNames[static_cast<size_t>(metric)];
}

MetricValues RawMetrics(const Activity& a, const std::vector<model::Deployment>& deployments,
                        const std::string& email) {
  MetricValues m{};
  for (const auto& r : a.rollups) {
    if (InTest(r.day * kMillisPerDay)) {
      m[kTokens] += static_cast<double>(r.tokens.Total());
    }
  }
  for (const auto& c : a.changes) {
    m[kPrs] += InTest(c.merged_unix_ms) ? 1 : 0;
  }
  for (const auto& c : a.commits) {
    if (InTest(c.committed_unix_ms)) {
      for (const auto& f : c.files) {
        m[kLines] += static_cast<double>(f.added);
      }
    }
  }
  std::set<int64_t> days;
  for (const auto& d : deployments) {
    if (d.triggered_by == email && InTest(d.finished_unix_ms)) {
      m[kDeploys] += 1;
      days.insert(DayOfMillis(d.finished_unix_ms));
    }
  }
  m[kDeployDays] = static_cast<double>(days.size());
  return m;
}

double PercentileRank(double value, const std::vector<double>& others) {
  if (others.empty()) {
    return 50;
  }
  double below = 0;
  for (double o : others) {
    below += o < value ? 1.0 : (o == value ? 0.5 : 0.0);
  }
  return 100.0 * below / static_cast<double>(others.size());
}

double KendallTau(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  double concordant = 0, discordant = 0, tx = 0, ty = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      double a = x[i] - x[j], b = y[i] - y[j];
      if (a == 0 && b == 0) {
        continue;
      }
      if (a == 0) {
        tx += 1;
      } else if (b == 0) {
        ty += 1;
      } else if ((a > 0) == (b > 0)) {
        concordant += 1;
      } else {
        discordant += 1;
      }
    }
  }
  double denom = std::sqrt((concordant + discordant + tx) * (concordant + discordant + ty));
  return denom > 0 ? (concordant - discordant) / denom : 0;
}

RunResult SimulateRun(const OrgConfig& config, uint64_t seed, int run) {
  RunResult result{.seed = seed, .run = run};
  const Org org = GenerateOrg(config, seed, run);
  auto parsed = directory::Directory::Parse(org.directory_yaml);
  if (!parsed.ok()) {
    std::fprintf(stderr, "simulate: directory: %s\n", parsed.status().ToString().c_str());
    std::abort();
  }
  const directory::Directory dir = std::move(parsed).value();
  const int n = static_cast<int>(org.engineers.size());
  result.engineers = n;

  std::vector<Activity> honest;
  honest.reserve(static_cast<size_t>(n));
  for (const auto& e : org.engineers) {
    honest.push_back(GenerateActivity(org, e, {.seed = seed, .run = run}));
  }
  const auto s_refs = BaselineSRefs(org, honest, seed, run);
  World base{.org = &org, .dir = &dir};
  for (const auto& a : honest) {
    base.acts.push_back(&a);
  }
  for (int t = 0; t < config.teams; ++t) {
    base.teams.push_back(BuildTeam(org, t, base.acts, dir, s_refs, true));
  }
  std::vector<model::Deployment> all_deployments;
  for (const auto& t : base.teams) {
    all_deployments.insert(all_deployments.end(), t->delivery.deployments.begin(),
                           t->delivery.deployments.end());
  }
  std::vector<MetricValues> metrics;
  std::vector<Truth> truth;
  for (const auto& e : org.engineers) {
    metrics.push_back(PersonMetrics(base, e, all_deployments));
    truth.push_back(TruthOf(honest[static_cast<size_t>(e.index)]));
  }

  // Kendall tau against true value, overall and within role.
  for (int model = 0; model < kValueModels; ++model) {
    for (int m = 0; m < kMetricCount; ++m) {
      for (int g = 0; g < kTauGroups; ++g) {
        std::vector<double> x, y;
        for (const auto& e : org.engineers) {
          if (g == 0 || static_cast<int>(e.role) == g - 1) {
            x.push_back(metrics[static_cast<size_t>(e.index)][static_cast<size_t>(m)]);
            y.push_back(truth[static_cast<size_t>(e.index)].v[model]);
          }
        }
        result.tau[static_cast<size_t>(model)][static_cast<size_t>(m)][static_cast<size_t>(g)] =
            KendallTau(x, y);
      }
    }
  }

  // Honest flags.
  const auto inputs = BuildDetectionInputs(base);
  const RaisedFlags honest_flags = Detect(base, *inputs);
  for (const auto& e : org.engineers) {
    auto role = static_cast<size_t>(e.role);
    result.role_engineers[role] += 1;
    bool any = false;
    auto detectors = Persistent(FlagsOf(honest_flags, e), &any);
    if (any) {
      result.flagged += 1;
      result.role_flagged[role] += 1;
    }
    for (const auto& d : detectors) {
      result.flagged_by_detector[d] += 1;
    }
  }
  for (int k = 1; k < kPeriods; ++k) {
    for (const auto& f : honest_flags[static_cast<size_t>(k)]) {
      result.honest_other_flags += f.subject.kind == detect::SubjectKind::kPerson ? 0 : 1;
    }
  }

  // The gamer: a product engineer between the 40th and 60th percentile of true value.
  std::vector<double> all_values;
  for (const auto& t : truth) {
    all_values.push_back(t.v[0]);
  }
  std::vector<int> band;
  int nearest = -1;
  double nearest_gap = 1e9;
  for (const auto& e : org.engineers) {
    if (e.role != Role::kProduct) {
      continue;
    }
    double pct = PercentileRank(truth[static_cast<size_t>(e.index)].v[0], all_values);
    if (pct >= 40 && pct <= 60) {
      band.push_back(e.index);
    }
    if (std::abs(pct - 50) < nearest_gap) {
      nearest_gap = std::abs(pct - 50);
      nearest = e.index;
    }
  }
  Rng pick(StreamKey({seed, static_cast<uint64_t>(run), static_cast<uint64_t>(Stream::kPick)}));
  const int g =
      band.empty() ? nearest : band[static_cast<size_t>(pick.Below(static_cast<int>(band.size())))];
  result.gamer = g;
  const Engineer& gamer = org.engineers[static_cast<size_t>(g)];
  const MetricValues& before = metrics[static_cast<size_t>(g)];
  std::array<std::vector<double>, kMetricCount> others;
  for (const auto& e : org.engineers) {
    if (e.index != g) {
      for (int m = 0; m < kMetricCount; ++m) {
        others[static_cast<size_t>(m)].push_back(
            metrics[static_cast<size_t>(e.index)][static_cast<size_t>(m)]);
      }
    }
  }

  for (const auto& info : Strategies()) {
    Activity gamed =
        GenerateActivity(org, gamer, {.seed = seed, .run = run, .strategy = info.strategy});
    World w = base;
    w.acts[static_cast<size_t>(g)] = &gamed;
    w.teams[static_cast<size_t>(gamer.team)] =
        BuildTeam(org, gamer.team, w.acts, dir, s_refs, true);
    MetricValues after =
        PersonMetrics(w, gamer, w.teams[static_cast<size_t>(gamer.team)]->delivery.deployments);
    auto gamer_parts = OwnerParts(*w.teams[static_cast<size_t>(gamer.team)], gamed);
    ExchangeOwners(*inputs, gamer.team, g, gamer_parts);
    // The last test period is detected only when the first two leave the gamer's count open.
    const RaisedFlags flags = Detect(w, *inputs, [&](const RaisedFlags& so_far, int k) {
      return k == kPeriods - 2 && Settled(so_far, gamer);
    });
    ExchangeOwners(*inputs, gamer.team, g, gamer_parts);  // the honest world's records again
    bool detected = false;
    auto detectors = Persistent(FlagsOf(flags, gamer), &detected);
    if (detected) {
      // ND*: the flagged gamer's ND recomputed on their genuine work (§6.4 item 5).
      Activity genuine = GenerateActivity(
          org, gamer, {.seed = seed, .run = run, .strategy = info.strategy, .strip_gaming = true});
      std::vector<const Activity*> acts = w.acts;
      acts[static_cast<size_t>(g)] = &genuine;
      auto team = BuildTeam(org, gamer.team, acts, dir, s_refs, false);
      // Removal never adds: self-merged work stays unreviewed (R = 0) whatever is removed.
      after[kNdStar] = std::min(after[kNd], PersonNd(team->nd[0], gamer.id, TestFrom(), TestTo()));
    }
    MetricValues uplift{};
    for (int m = 0; m < kMetricCount; ++m) {
      const auto& o = others[static_cast<size_t>(m)];
      uplift[static_cast<size_t>(m)] = PercentileRank(after[static_cast<size_t>(m)], o) -
                                       PercentileRank(before[static_cast<size_t>(m)], o);
    }
    result.uplift.push_back(uplift);
    result.detected.push_back(detected);
    result.detected_by.push_back(std::move(detectors));
    result.value_change.push_back(TruthOf(gamed).v[0] - truth[static_cast<size_t>(g)].v[0]);
  }
  return result;
}

std::vector<RunResult> RunSimulation(const SimulationOptions& options) {
  struct Job {
    uint64_t seed;
    int run;
  };
  std::vector<Job> jobs;
  for (uint64_t seed : options.seeds) {
    for (int r = 0; r < options.runs; ++r) {
      jobs.push_back({seed, r});
    }
  }
  std::vector<RunResult> results(jobs.size());
  std::atomic<size_t> next{0};
  std::atomic<int> done{0};
  std::mutex progress;
  auto worker = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      results[i] = SimulateRun(options.org, jobs[i].seed, jobs[i].run);
      int d = ++done;
      if (options.on_run_done) {
        std::lock_guard<std::mutex> lock(progress);
        options.on_run_done(d, static_cast<int>(jobs.size()));
      }
    }
  };
  const int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(jobs.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) {
    pool.emplace_back(worker);
  }
  worker();
  for (auto& t : pool) {
    t.join();
  }
  return results;
}

}  // namespace goodhart::simulate
