// report_scale_gen: builds the embedded store of issue #4's report-at-scale benchmark through the
// public Store API, and the same data as plain tables in a separate SQLite file for the plain-SQL
// baseline (baseline_writer.h). At --scale 1: 10,000 people in 1,000 teams, one service and
// repository per team, 100 M usage events, 1 M changes (one squash-merge commit and one approval
// each), 100 k production deployments and an incident for one deployment in 50, over --days days
// of working days ending at --end. Everything scales with --scale (0.01 for a smoke run);
// --delivery-scale scales changes and deployments on their own (the people and teams follow
// --scale), e.g. 100 M usage events with a tenth of the delivery records.
//
// --store-url writes into a ClickHouse store (its HTTP URL, database --store-database, created
// and migrated if missing) instead of the embedded store in --out/store (issue #8's report on
// ClickHouse); --out then holds only generated.json's inputs and baseline.db.
//
// Data is appended day by day, as receivers would: that day's delivery records in one batch, then
// its usage events in batches of ~40 k (whole person-days, so a rollup cell is written once).
// Each person uses one main model and a small one, in 2-4 sessions a day of ~15 requests.
//
//   report_scale_gen --out build/report-scale/data --scale 0.01
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "bench/report_scale/baseline_writer.h"
#include "goodhart/base/time.h"
#include "goodhart/directory/directory_versions.h"
#include "goodhart/store/clickhouse/clickhouse_store.h"
#include "goodhart/store/embedded/embedded_store.h"

namespace goodhart::bench {
namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kMinuteMs = 60'000;
constexpr size_t kUsageBatch = 40'000;
const std::vector<std::string> kModels = {"claude-sonnet-4-5", "claude-opus-4-1",
                                          "claude-haiku-4-5"};

struct Options {
  std::string out;
  double scale = 1.0;
  int days = 365;
  std::string end = "2027-01-01";
  double delivery_scale = -1;  // < 0: --scale
  std::string store_url;       // empty: the embedded store in out/store
  std::string store_database = "goodhart";
  bool baseline = true;
};

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {  // splitmix64
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // A count with mean `mean`: floor or ceil at random.
  int64_t Count(double mean) {
    double f = std::floor(mean);
    return static_cast<int64_t>(f) + (Unit() < mean - f ? 1 : 0);
  }
  std::string Sha() { return fmt::format("{:016x}{:016x}{:08x}", Next(), Next(), Next() >> 32); }

 private:
  uint64_t s_;
};

std::string PersonId(int64_t p) { return fmt::format("p{:05d}", p); }
std::string Email(int64_t p) { return fmt::format("p{:05d}@corp.example", p); }
std::string Login(int64_t p) { return fmt::format("p{:05d}-gh", p); }
std::string TeamId(int64_t t) { return fmt::format("t{:04d}", t); }
std::string ServiceId(int64_t s) { return fmt::format("svc-{:04d}", s); }
std::string Repo(int64_t s) { return fmt::format("corp/svc-{:04d}", s); }

struct Sizes {
  int64_t people, teams, usage, changes, deployments;
};

// Per-service state carried from day to day.
struct ServiceState {
  std::string tip;  // mainline head sha
  int64_t changes = 0, deployments = 0;
  std::vector<std::string> undeployed;  // change ids merged since the last deployment
};

class Generator {
 public:
  Generator(const Options& o, Sizes sizes, store::Store& store, BaselineWriter* baseline)
      : o_(o), n_(sizes), store_(store), baseline_(baseline), rng_(42) {
    per_team_ = std::max<int64_t>(1, n_.people / n_.teams);
    services_.resize(static_cast<size_t>(n_.teams));
  }

  Status Run(const std::vector<int64_t>& work_days) {
    auto start = std::chrono::steady_clock::now();
    double wd = static_cast<double>(work_days.size());
    double people = static_cast<double>(n_.people), services = static_cast<double>(n_.teams);
    double events_per_person_day = static_cast<double>(n_.usage) / (people * wd);
    double changes_per_service_day = static_cast<double>(n_.changes) / (services * wd);
    double deploys_per_service_day = static_cast<double>(n_.deployments) / (services * wd);
    double next_log_secs = 0;
    for (size_t i = 0; i < work_days.size(); ++i) {
      RawDay raw;
      GOODHART_RETURN_IF_ERROR(
          Delivery(work_days[i], i, changes_per_service_day, deploys_per_service_day, &raw));
      GOODHART_RETURN_IF_ERROR(Usage(work_days[i], events_per_person_day, &raw));
      if (baseline_ != nullptr)
        baseline_->Add(std::move(raw));
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      // On a terminal one line redrawn per day; else (a log) one line a minute.
      bool tty = isatty(STDERR_FILENO) != 0;
      if (tty || secs >= next_log_secs) {
        next_log_secs = secs + 60;
        double eta = secs / static_cast<double>(i + 1) * (wd - static_cast<double>(i + 1));
        fmt::print(stderr,
                   "{}day {}/{}  usage {:.1f} M ({:.0f} k/s)  changes {}  deployments {}  "
                   "ETA {:.0f} min   {}",
                   tty ? "\r" : "", i + 1, work_days.size(), static_cast<double>(usage_) / 1e6,
                   static_cast<double>(usage_) / secs / 1e3, changes_, deployments_, eta / 60,
                   tty ? "" : "\n");
      }
    }
    if (isatty(STDERR_FILENO))
      fmt::print(stderr, "\n");
    return Status::Ok();
  }

  int64_t usage() const { return usage_; }
  int64_t changes() const { return changes_; }
  int64_t deployments() const { return deployments_; }
  int64_t incidents() const { return incidents_; }

 private:
  Status Delivery(int64_t day, size_t day_index, double changes_rate, double deploys_rate,
                  RawDay* raw) {
    model::EventBatch batch;
    int64_t day_ms = day * kMillisPerDay;
    for (int64_t s = 0; s < n_.teams; ++s) {
      int64_t n = rng_.Count(changes_rate);
      // Deployment days: evenly spaced, each service with its own phase.
      double phase = static_cast<double>(s % 97) / 97.0;
      bool deploys = std::floor((static_cast<double>(day_index) + 1 + phase) * deploys_rate) >
                     std::floor((static_cast<double>(day_index) + phase) * deploys_rate);
      int64_t deploy_ms = day_ms + 17 * kHourMs + 30 * kMinuteMs + (s % 60) * kMinuteMs;
      bool deployed = false;
      for (int64_t k = 0; k < n; ++k) {
        int64_t merged = day_ms + 10 * kHourMs + k * (8 * kHourMs / std::max<int64_t>(n, 1)) +
                         rng_.Below(20 * kMinuteMs);
        if (deploys && !deployed && merged > deploy_ms) {
          Deploy(s, deploy_ms, &batch, raw);
          deployed = true;
        }
        AddChange(s, merged, &batch, raw);
      }
      if (deploys && !deployed)
        Deploy(s, deploy_ms, &batch, raw);
    }
    if (batch.delivery_size() == 0)
      return Status::Ok();
    auto stats = store_.Append(batch);
    if (!stats.ok())
      return stats.status();
    return Status::Ok();
  }

  void AddChange(int64_t s, int64_t merged, model::EventBatch* batch, RawDay* raw) {
    ServiceState& st = services_[static_cast<size_t>(s)];
    int64_t number = ++st.changes;
    int64_t author = s * per_team_ + rng_.Below(per_team_);
    int64_t offset = 1 + rng_.Below(std::max<int64_t>(per_team_ - 1, 1));
    int64_t reviewer = s * per_team_ + (author - s * per_team_ + offset) % per_team_;
    int64_t created = merged - 2 * kHourMs - rng_.Below(46 * kHourMs);
    int64_t first_commit = created - rng_.Below(24 * kHourMs);
    bool ai = rng_.Unit() < 0.4;

    model::Commit c;
    c.sha = rng_.Sha();
    c.ref = {"git", c.sha};
    c.repo = Repo(s);
    if (!st.tip.empty())
      c.parents.push_back(st.tip);
    c.author_name = c.committer_name = fmt::format("Person {}", author);
    c.author_email = c.committer_email = Email(author);
    c.authored_unix_ms = first_commit;
    c.committed_unix_ms = merged;
    c.subject = fmt::format("svc-{:04d}: change {} (#{})", s, number, number);
    if (ai) {
      c.trailers.push_back({"Co-Authored-By", "Claude <noreply@anthropic.com>"});
      c.co_authors.push_back("Claude <noreply@anthropic.com>");
      c.ai_markers.push_back(
          {"claude-code", "", "trailer", "Co-Authored-By: Claude <noreply@anthropic.com>"});
    }
    int64_t files = 1 + rng_.Below(3);
    int64_t additions = 0, deletions = 0;
    std::vector<std::string> paths;
    for (int64_t f = 0; f < files; ++f) {
      model::FileDiff d;
      d.path = fmt::format("src/m{}/file{}.go", rng_.Below(20), rng_.Below(50));
      d.added = 2 + rng_.Below(rng_.Unit() < 0.9 ? 40 : 300);
      d.deleted = rng_.Below(d.added / 2 + 1);
      d.meaningful = std::floor(static_cast<double>(d.added) * 0.8);
      for (int64_t l = 0; l < static_cast<int64_t>(d.meaningful); ++l)
        d.added_line_hashes.push_back(rng_.Next());
      for (int64_t l = 0; l < d.deleted / 2; ++l)
        d.removed_line_hashes.push_back(rng_.Next());
      c.meaningful_lines += d.meaningful;
      additions += d.added;
      deletions += d.deleted;
      paths.push_back(d.path);
      c.files.push_back(std::move(d));
    }
    c.patch_id = rng_.Sha();

    model::Change ch;
    ch.id = fmt::format("github:{}#{}", c.repo, number);
    ch.ref = {"github", ch.id};
    ch.repo = c.repo;
    ch.number = number;
    ch.author = Login(author);
    ch.author_type = "User";
    ch.title = c.subject;
    ch.state = "merged";
    ch.base_ref = "main";
    ch.head_ref = fmt::format("feature/{}", number);
    ch.head_sha = rng_.Sha();
    ch.merge_sha = c.sha;
    ch.created_unix_ms = created;
    ch.first_commit_unix_ms = first_commit;
    ch.merged_unix_ms = ch.closed_unix_ms = merged;
    ch.merged = true;
    ch.merged_by = Login(author);
    ch.files = paths;
    ch.additions = additions;
    ch.deletions = deletions;
    ch.commit_count = 1;

    model::Review r;
    r.change_id = ch.id;
    r.reviewer = Login(reviewer);
    r.state = "approved";
    r.commit_sha = ch.head_sha;
    r.submitted_unix_ms = merged - 20 * kMinuteMs;
    r.ref = {"github", fmt::format("{}/review/1", ch.id)};

    raw->changes.push_back(
        {ch.id, ch.repo, ch.author, first_commit, created, merged, c.sha, additions, deletions});
    st.undeployed.push_back(ch.id);
    st.tip = c.sha;
    ++changes_;
    batch->commits.push_back(std::move(c));
    batch->changes.push_back(std::move(ch));
    batch->reviews.push_back(std::move(r));
  }

  void Deploy(int64_t s, int64_t at, model::EventBatch* batch, RawDay* raw) {
    ServiceState& st = services_[static_cast<size_t>(s)];
    if (st.tip.empty())
      return;
    model::Deployment d;
    d.id = fmt::format("deploy-{}-{}", ServiceId(s), ++st.deployments);
    d.ref = {"github", d.id};
    d.service = ServiceId(s);
    d.environment = "production";
    d.environment_tier = "production";
    d.artifact_digest = fmt::format("sha256:{}", rng_.Sha());
    d.commit_sha = st.tip;
    d.pipeline_id = fmt::format("pipeline-{}-{}", s, st.deployments);
    d.repo = Repo(s);
    d.ref_name = "main";
    d.status = "success";
    d.started_unix_ms = at - 8 * kMinuteMs;
    d.finished_unix_ms = at;
    d.triggered_by = "github-actions[bot]";
    raw->deployments.push_back({d.id, d.service, d.repo, d.environment, d.status, d.commit_sha,
                                d.started_unix_ms, d.finished_unix_ms, std::move(st.undeployed)});
    st.undeployed.clear();
    if (rng_.Below(50) == 0) {
      model::Incident i;
      i.id = fmt::format("inc-{}", ++incidents_);
      i.ref = {"pagerduty", i.id};
      i.service = d.service;
      i.environment = "production";
      i.severity = rng_.Below(2) == 0 ? "sev2" : "sev3";
      i.caused_by_deployment = d.id;
      i.title = fmt::format("{} errors after {}", d.service, d.id);
      i.status = "resolved";
      i.started_unix_ms = at + 2 * kHourMs;
      i.detected_unix_ms = i.started_unix_ms + 5 * kMinuteMs;
      i.resolved_unix_ms = i.started_unix_ms + 3 * kHourMs;
      raw->incidents.push_back({i.id, i.service, i.severity, i.caused_by_deployment,
                                i.started_unix_ms, i.resolved_unix_ms});
      batch->incidents.push_back(std::move(i));
    }
    ++deployments_;
    batch->deployments.push_back(std::move(d));
  }

  Status Usage(int64_t day, double rate, RawDay* raw) {
    model::EventBatch batch;
    batch.usage.reserve(kUsageBatch + 200);
    int64_t day_ms = day * kMillisPerDay;
    for (int64_t p = 0; p < n_.people; ++p) {
      int64_t n = rng_.Count(rate * (0.5 + rng_.Unit()));
      int64_t sessions = 1 + n / 15;
      const std::string& main_model = kModels[static_cast<size_t>(p % 3 == 0 ? 1 : 0)];
      std::string actor = Email(p);
      for (int64_t i = 0; i < n; ++i) {
        uint64_t r = rng_.Next();
        int64_t session = i * sessions / n;
        bool small = r % 5 == 0;
        model::UsageEvent e;
        e.request_id = fmt::format("req_{:016x}", static_cast<uint64_t>(usage_));
        e.event_key = "req:" + e.request_id;
        e.source = "otlp_logs";
        e.raw_id = e.request_id;
        e.kind = model::UsageKind::kModelCall;
        e.event_name = "api_request";
        e.time_unix_ms =
            day_ms + 8 * kHourMs + i * (10 * kHourMs / n) + static_cast<int64_t>((r >> 8) % 60'000);
        e.actor = actor;
        e.actor_kind = "email";
        e.organization = "org-1";
        e.session_id = fmt::format("s-{}-{}-{}", p, day, session);
        e.tool = "claude-code";
        e.tool_version = "2.1.294";
        e.query_source = "main";
        e.provider = "anthropic";
        e.model = small ? kModels[2] : main_model;
        e.tokens = {.input_uncached = static_cast<int64_t>((r >> 16) % 60),
                    .cache_read = static_cast<int64_t>((r >> 20) % 40'000),
                    .cache_write = static_cast<int64_t>((r >> 24) % 4'000),
                    .output = static_cast<int64_t>((r >> 32) % 1'500),
                    .reasoning = 0};
        int64_t cost = static_cast<int64_t>((r >> 40) % (small ? 4'000 : 60'000));
        e.reported_cost_micros = cost;
        e.computed_cost_micros = cost;
        e.duration_ms = static_cast<int64_t>((r >> 44) % 20'000);
        if (baseline_ != nullptr) {
          raw->usage.push_back(
              {e.time_unix_ms, static_cast<int32_t>(p), static_cast<int32_t>(session),
               static_cast<int16_t>(small ? 2 : (p % 3 == 0 ? 1 : 0)), e.tokens.input_uncached,
               e.tokens.cache_read, e.tokens.cache_write, e.tokens.output, cost});
        }
        batch.usage.push_back(std::move(e));
        ++usage_;
      }
      if (batch.usage.size() >= kUsageBatch || p + 1 == n_.people) {
        auto stats = store_.Append(batch);
        if (!stats.ok())
          return stats.status();
        batch.usage.clear();
      }
    }
    return Status::Ok();
  }

  const Options& o_;
  Sizes n_;
  store::Store& store_;
  BaselineWriter* baseline_;
  Rng rng_;
  int64_t per_team_ = 10;
  std::vector<ServiceState> services_;
  int64_t usage_ = 0, changes_ = 0, deployments_ = 0, incidents_ = 0;
};

std::string DirectoryYaml(const Sizes& n) {
  int64_t per_team = std::max<int64_t>(1, n.people / n.teams);
  std::string y = "people:\n";
  for (int64_t p = 0; p < n.people; ++p) {
    y +=
        fmt::format("  - {{id: {}, team: {}, role: product, emails: [{}], github: {}, fte: 1.0}}\n",
                    PersonId(p), TeamId(std::min(p / per_team, n.teams - 1)), Email(p), Login(p));
  }
  y += "teams:\n";
  for (int64_t t = 0; t < n.teams; ++t)
    y += fmt::format("  - {{id: {}, name: Team {}}}\n", TeamId(t), t);
  y += "services:\n";
  for (int64_t t = 0; t < n.teams; ++t) {
    y += fmt::format("  - {{id: {}, team: {}, repo: {}, production_environments: [production]}}\n",
                     ServiceId(t), TeamId(t), Repo(t));
  }
  y += "bots: [\"dependabot[bot]\", \"github-actions[bot]\"]\n";
  return y;
}

int Main(const Options& o) {
  double delivery_scale = o.delivery_scale < 0 ? o.scale : o.delivery_scale;
  Sizes n{std::max<int64_t>(10, std::llround(10'000 * o.scale)),
          std::max<int64_t>(1, std::llround(1'000 * o.scale)), std::llround(100'000'000 * o.scale),
          std::llround(1'000'000 * delivery_scale), std::llround(100'000 * delivery_scale)};
  auto end = ParseTimestampMillis(o.end);
  if (!end.ok()) {
    fmt::print(stderr, "report_scale_gen: --end: {}\n", end.status().message());
    return 2;
  }
  int64_t end_day = DayOfMillis(*end), start_day = end_day - o.days;
  std::vector<int64_t> work_days;
  for (int64_t d = start_day; d < end_day; ++d) {
    int64_t dow = ((d % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    if (dow >= 1 && dow <= 5)
      work_days.push_back(d);
  }
  std::filesystem::path out(o.out);
  if (o.store_url.empty() && std::filesystem::exists(out / "store")) {
    fmt::print(stderr, "report_scale_gen: {} exists; remove it first\n", (out / "store").string());
    return 2;
  }
  std::filesystem::create_directories(out);
  auto start = std::chrono::steady_clock::now();
  auto opened =
      o.store_url.empty()
          ? store::OpenEmbeddedStore({.data_dir = out / "store", .synchronous_full = false})
          : store::OpenClickHouseStore({.url = o.store_url, .database = o.store_database});
  if (!opened.ok()) {
    fmt::print(stderr, "report_scale_gen: {}\n", opened.status().message());
    return 1;
  }
  store::Store& store = **opened;
  auto imported = directory::ImportDirectory(store, DirectoryYaml(n), start_day * kMillisPerDay);
  if (!imported.ok()) {
    fmt::print(stderr, "report_scale_gen: {}\n", imported.status().message());
    return 1;
  }
  std::unique_ptr<BaselineWriter> baseline;
  if (o.baseline) {
    std::filesystem::remove(out / "baseline.db");
    baseline = std::make_unique<BaselineWriter>();
    std::vector<std::pair<std::string, std::string>> email_team;
    int64_t per_team = std::max<int64_t>(1, n.people / n.teams);
    for (int64_t p = 0; p < n.people; ++p)
      email_team.emplace_back(Email(p), TeamId(std::min(p / per_team, n.teams - 1)));
    std::vector<std::pair<std::string, std::string>> service_team;
    for (int64_t t = 0; t < n.teams; ++t)
      service_team.emplace_back(ServiceId(t), TeamId(t));
    if (Status s = baseline->Open(out / "baseline.db", kModels, email_team, service_team);
        !s.ok()) {
      fmt::print(stderr, "report_scale_gen: {}\n", s.message());
      return 1;
    }
  }
  Generator gen(o, n, store, baseline.get());
  Status s = gen.Run(work_days);
  double store_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (s.ok() && baseline)
    s = baseline->Finish();
  if (!s.ok()) {
    fmt::print(stderr, "report_scale_gen: {}\n", s.message());
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto stats = store.Stats();
  fmt::print(
      "{{\"scale\": {}, \"delivery_scale\": {}, \"store\": \"{}\", \"people\": {}, \"teams\": {}, "
      "\"work_days\": {}, \"usage_events\": {}, "
      "\"changes\": {}, \"deployments\": {}, \"incidents\": {}, \"store_bytes\": {}, "
      "\"generate_s\": {:.1f}, \"with_baseline_s\": {:.1f}}}\n",
      o.scale, delivery_scale, o.store_url.empty() ? "embedded" : o.store_url, n.people, n.teams,
      work_days.size(), gen.usage(), gen.changes(), gen.deployments(), gen.incidents(),
      stats.ok() ? stats->bytes_on_disk : -1, store_secs, secs);
  return 0;
}

}  // namespace
}  // namespace goodhart::bench

int main(int argc, char** argv) {
  goodhart::bench::Options o;
  CLI::App app{"report_scale_gen: the store of the report-at-scale benchmark (issue #4)"};
  app.add_option("--out", o.out, "Output directory: store/ and baseline.db")->required();
  app.add_option("--scale", o.scale, "1 = 100 M events, 1 M changes, 10,000 people");
  app.add_option("--delivery-scale", o.delivery_scale,
                 "Scale of changes and deployments alone (default: --scale)");
  app.add_option("--store-url", o.store_url,
                 "ClickHouse HTTP URL to write into instead of the embedded store in --out/store");
  app.add_option("--store-database", o.store_database, "ClickHouse database (default goodhart)");
  app.add_option("--days", o.days, "Calendar days of history");
  app.add_option("--end", o.end, "End of the data (exclusive), a date");
  app.add_flag("!--no-baseline", o.baseline, "Skip the plain-SQL baseline database");
  CLI11_PARSE(app, argc, argv);
  return goodhart::bench::Main(o);
}
