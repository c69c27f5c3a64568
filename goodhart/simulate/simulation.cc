#include "goodhart/simulate/simulation.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "goodhart/base/time.h"
#include "goodhart/detect/detect_all.h"
#include "goodhart/simulate/assemble.h"
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
  data->nd[0] = ComputeTeamNd(data->delivery, dir, s_refs, NdVariant::kNd);
  if (variants) {
    data->nd[1] = ComputeTeamNd(data->delivery, dir, s_refs, NdVariant::kNdPr);
    data->nd[2] = ComputeTeamNd(data->delivery, dir, s_refs, NdVariant::kNdSqrt);
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

// Flags that met their detector's tier rule in each period (index 0: the baseline): raised ones
// and those suppressed only for want of persistence. A detector meeting its tier rule in >= 2 of
// the 3 test periods is the framework's persistence rule within the test window.
using RaisedFlags = std::array<std::vector<detect::Flag>, kPeriods>;

template <typename T, typename Time>
void CopyIf(const std::vector<T>& from, std::vector<T>& to, Time time, int64_t lo, int64_t hi) {
  for (const auto& x : from) {
    int64_t t = time(x);
    if (t >= lo && t < hi) {
      to.push_back(x);
    }
  }
}

RaisedFlags Detect(const World& w) {
  std::array<NdResult, kPeriods> views;
  std::vector<detect::PeriodInput> periods(kPeriods);
  for (int k = 0; k < kPeriods; ++k) {
    const int64_t from = PeriodFromMillis(k), to = PeriodFromMillis(k + 1);
    const int64_t lo = from - kLookbackMs;
    NdResult& v = views[static_cast<size_t>(k)];
    v.period_from_unix_ms = from;
    v.period_to_unix_ms = to;
    v.as_of_unix_ms = EvaluationMillis();
    detect::PeriodInput& p = periods[static_cast<size_t>(k)];
    p.period = {from, to};
    for (const auto& team : w.teams) {
      const NdResult& nd = team->nd[0];
      v.definition_version = nd.definition_version;
      CopyIf(
          nd.deployments, v.deployments, [](const auto& d) { return d.finished_unix_ms; }, lo, to);
      CopyIf(
          nd.changes, v.changes, [](const auto& l) { return l.delivered_unix_ms; }, lo, to);
      const auto& d = team->delivery;
      CopyIf(
          d.commits, p.delivery.commits, [](const auto& c) { return c.committed_unix_ms; }, lo, to);
      CopyIf(
          d.changes, p.delivery.changes, [](const auto& c) { return c.merged_unix_ms; }, lo, to);
      CopyIf(
          d.reviews, p.delivery.reviews, [](const auto& r) { return r.submitted_unix_ms; }, lo, to);
      CopyIf(
          d.deployments, p.delivery.deployments, [](const auto& x) { return x.finished_unix_ms; },
          lo, to);
    }
    for (const auto& e : w.org->engineers) {
      analytics::nd::PersonNd pn;
      pn.person_id = e.id;
      pn.resolved = true;
      pn.team = w.org->teams[static_cast<size_t>(e.team)];
      pn.fte = 1;
      pn.nd = PersonNd(w.teams[static_cast<size_t>(e.team)]->nd[0], e.id, from, to);
      v.people.push_back(std::move(pn));
    }
    const int64_t from_day = DayOfMillis(from), to_day = DayOfMillis(to);
    for (const Activity* a : w.acts) {
      CopyIf(
          a->rollups, p.rollups, [](const auto& r) { return r.day; }, from_day, to_day);
      CopyIf(
          a->sketches, p.prompt_sketches, [](const auto& s) { return s.time_unix_ms; }, from, to);
      CopyIf(
          a->cadence, p.prompt_cadence, [](const auto& c) { return c.day; }, from_day, to_day);
      CopyIf(
          a->sessions, p.sessions, [](const auto& s) { return s.end_unix_ms; }, from, to);
      p.ai_links.insert(p.ai_links.end(), a->links.begin(), a->links.end());
    }
    p.nd = &v;
  }
  // The baseline period is the own baseline of every test period (§6.2: it freezes own
  // baselines as it freezes S_ref), so D10 compares each test period with the quarter before the
  // strategy started, not with the strategy's own earlier periods. D10 reads its L, commits and AI
  // links.
  detect::PeriodInput own_baseline;
  own_baseline.period = periods[0].period;
  own_baseline.delivery.commits = periods[0].delivery.commits;
  own_baseline.ai_links = periods[0].ai_links;
  own_baseline.nd = periods[0].nd;
  detect::DetectParams params;
  params.threads = 1;
  RaisedFlags raised;
  std::vector<detect::Flag> prior;
  for (int k = 0; k < kPeriods; ++k) {
    detect::DetectInput in;
    in.directory = w.dir;
    if (k > 0) {
      in.own_baseline.push_back(own_baseline);
    }
    in.current = std::move(periods[static_cast<size_t>(k)]);
    for (int j = k - 1; j >= 0; --j) {  // all earlier periods: D10-D12 own history
      in.previous.push_back(std::move(periods[static_cast<size_t>(j)]));
    }
    in.prior_flags = prior;
    auto out = detect::DetectAll(in, params);
    if (!out.ok()) {
      std::fprintf(stderr, "simulate: detect: %s\n", out.status().ToString().c_str());
      std::abort();
    }
    periods[static_cast<size_t>(k)] = std::move(in.current);
    for (int j = k - 1, i = 0; j >= 0; --j, ++i) {
      periods[static_cast<size_t>(j)] = std::move(in.previous[static_cast<size_t>(i)]);
    }
    // Sketches are kept 30 days: earlier periods persist through the flags they raised.
    periods[static_cast<size_t>(k)].prompt_sketches.clear();
    periods[static_cast<size_t>(k)].prompt_sketches.shrink_to_fit();
    for (const auto& f : out->flags) {
      prior.push_back(f);
    }
    for (const auto& f : out->suppressed) {
      if (f.tier_passed) {
        prior.push_back(f);
      }
    }
    // What met its tier rule in this period: raised flags and those only short of persistence.
    raised[static_cast<size_t>(k)] = std::move(out->flags);
    for (auto& f : out->suppressed) {
      if (f.tier_passed) {
        raised[static_cast<size_t>(k)].push_back(std::move(f));
      }
    }
  }
  return raised;
}

// Detectors that flagged `engineer` in each test period. A pipeline flag counts for the engineer
// when its evidence names a deployment they triggered.
std::array<std::set<std::string>, kPeriods> FlagsOf(const RaisedFlags& raised, const Engineer& e) {
  std::array<std::set<std::string>, kPeriods> out;
  const std::string prefix = "dep-" + e.id + "-";
  for (int k = 1; k < kPeriods; ++k) {
    for (const auto& f : raised[static_cast<size_t>(k)]) {
      if (f.tier == detect::Tier::kInfo) {
        continue;  // D13 is informational: logged silently, never reviewed
      }
      bool mine = f.subject.kind == detect::SubjectKind::kPerson && f.subject.id == e.id;
      if (f.subject.kind == detect::SubjectKind::kPipeline) {
        for (const auto& ev : f.evidence) {
          mine = mine || ev.id.rfind(prefix, 0) == 0;
        }
      }
      if (mine) {
        out[static_cast<size_t>(k)].insert(f.detector_id);
      }
    }
  }
  return out;
}

// Detectors (and "any") that flagged in >= 2 of the 3 test periods.
std::vector<std::string> Persistent(const std::array<std::set<std::string>, kPeriods>& by_period,
                                    bool* any) {
  std::map<std::string, int> count;
  int periods_any = 0;
  for (int k = 1; k < kPeriods; ++k) {
    for (const auto& d : by_period[static_cast<size_t>(k)]) {
      count[d] += 1;
    }
    periods_any += by_period[static_cast<size_t>(k)].empty() ? 0 : 1;
  }
  *any = periods_any >= 2;
  std::vector<std::string> out;
  for (const auto& [d, n] : count) {
    if (n >= 2) {
      out.push_back(d);
    }
  }
  return out;
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
  const RaisedFlags honest_flags = Detect(base);
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
    const RaisedFlags flags = Detect(w);
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
