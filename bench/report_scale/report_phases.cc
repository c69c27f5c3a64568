// report_phases: where a `goodhart report` spends its time and memory. Runs the report's steps one
// at a time on an embedded store, printing wall time, CPU time and resident memory after each:
// the loader's delivery query, rollup query and directory (as LoadReportData does them), the ND
// engine for the period and for the baseline, and, with --build, the whole BuildReport (which
// runs the ND engine twice again, then the companion metrics for the organisation and each team).
// With --digest it also prints a hash of the loaded delivery records (their JSON) and of each ND
// result (nd_json.h), so two builds can be compared on the same store. --store-url reads a
// ClickHouse store (its HTTP URL, database --store-database) instead of --data.
//
//   report_phases --data build/report-scale/data/store --from 2026-10-01 --to 2026-12-29
//                 --as-of 2027-01-01T00:00:00Z [--build]
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>

#include "goodhart/analytics/nd/nd_engine.h"
#include "goodhart/analytics/nd/nd_json.h"
#include "goodhart/analytics/report/report.h"
#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/base/hash.h"
#include "goodhart/base/time.h"
#include "goodhart/directory/directory_versions.h"
#include "goodhart/model/delivery_json.h"
#include "goodhart/store/clickhouse/clickhouse_store.h"
#include "goodhart/store/embedded/embedded_store.h"

namespace goodhart::bench {
namespace {

using Clock = std::chrono::steady_clock;

// VmRSS and VmHWM of this process, in MiB.
std::pair<double, double> Memory() {
  std::ifstream in("/proc/self/status");
  std::string line;
  double rss = 0, hwm = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:"))
      rss = std::stod(line.substr(6)) / 1024;
    if (line.starts_with("VmHWM:"))
      hwm = std::stod(line.substr(6)) / 1024;
  }
  return {rss, hwm};
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

class Phases {
 public:
  Phases() : last_(Clock::now()), last_cpu_(CpuSeconds()) {}
  void Done(std::string_view name, std::string_view what) {
    auto now = Clock::now();
    double cpu = CpuSeconds();
    auto [rss, hwm] = Memory();
    fmt::print("{:<22} {:>8.3f} s wall {:>8.3f} s cpu  rss {:>7.0f} MiB  peak {:>7.0f} MiB  {}\n",
               name, std::chrono::duration<double>(now - last_).count(), cpu - last_cpu_, rss, hwm,
               what);
    std::fflush(stdout);
    last_ = Clock::now();
    last_cpu_ = CpuSeconds();
  }

 private:
  Clock::time_point last_;
  double last_cpu_;
};

std::string DeliveryDigest(const store::DeliveryRecords& d) {
  nlohmann::json j = {{"commits", d.commits},
                      {"changes", d.changes},
                      {"reviews", d.reviews},
                      {"releases", d.releases},
                      {"pipeline_runs", d.pipeline_runs},
                      {"deployments", d.deployments},
                      {"incidents", d.incidents}};
  return Hash128Hex(j.dump());
}

int Fail(const Status& s) {
  fmt::print(stderr, "report_phases: {}\n", s.message());
  return 1;
}

}  // namespace
}  // namespace goodhart::bench

int main(int argc, char** argv) {
  using namespace goodhart;
  std::string data_dir, from, to, as_of, store_url, store_database = "goodhart";
  bool build = false, digest = false;
  CLI::App app{"report_phases: time and memory of each step of a report"};
  app.add_option("--data", data_dir, "Embedded store directory");
  app.add_option("--store-url", store_url, "ClickHouse HTTP URL (instead of --data)");
  app.add_option("--store-database", store_database, "ClickHouse database (default goodhart)");
  app.add_option("--from", from)->required();
  app.add_option("--to", to)->required();
  app.add_option("--as-of", as_of)->required();
  app.add_flag("--build", build, "Also run BuildReport (the whole report)");
  app.add_flag("--digest", digest, "Print hashes of the loaded records and the ND results");
  CLI11_PARSE(app, argc, argv);

  bench::Phases phases;
  auto period = analytics::report::ParsePeriod(from, to);
  auto as_of_ms = ParseTimestampMillis(as_of);
  if (!period.ok() || !as_of_ms.ok())
    return bench::Fail(Status::InvalidArgument("bad --from, --to or --as-of"));
  if (data_dir.empty() == store_url.empty())
    return bench::Fail(Status::InvalidArgument("give one of --data and --store-url"));
  auto opened = store_url.empty()
                    ? store::OpenEmbeddedStore({.data_dir = data_dir})
                    : store::OpenClickHouseStore(
                          {.url = store_url, .database = store_database, .migrate_on_open = false});
  if (!opened.ok())
    return bench::Fail(opened.status());
  const store::Store& store = **opened;
  phases.Done("open", "");

  analytics::report::ReportRequest request;
  request.from_unix_ms = period->first;
  request.to_unix_ms = period->second;
  request.as_of_unix_ms = *as_of_ms;
  auto [baseline_from, baseline_to] = analytics::report::BaselineWindow(request);
  // The loader's steps, one at a time (report_loader.cc).
  const analytics::nd::NdParams& p = request.params;
  int64_t history = std::max(p.s_ref_lag_ms() + p.s_ref_window_ms() + 92 * kMillisPerDay,
                             p.rollback_lookback_ms());
  {
    auto delivery = store.QueryDelivery(
        {.from_unix_ms = std::min(request.from_unix_ms, baseline_from) - history,
         .to_unix_ms = std::max({request.to_unix_ms, baseline_to, request.as_of_unix_ms}) + 1});
    if (!delivery.ok())
      return bench::Fail(delivery.status());
    phases.Done(
        "query_delivery",
        fmt::format("{} commits, {} changes, {} reviews, {} deployments, {} incidents",
                    delivery->commits.size(), delivery->changes.size(), delivery->reviews.size(),
                    delivery->deployments.size(), delivery->incidents.size()));
  }
  phases.Done("free", "");
  {
    auto rollups = store.QueryUsageRollups({.from_day = DayOfMillis(request.from_unix_ms),
                                            .to_day = DayOfMillis(request.to_unix_ms - 1)});
    if (!rollups.ok())
      return bench::Fail(rollups.status());
    phases.Done("query_usage_rollups", fmt::format("{} rows", rollups->size()));
  }
  {
    auto dir = directory::LoadDirectory(store, request.to_unix_ms);
    if (!dir.ok())
      return bench::Fail(dir.status());
    phases.Done("load_directory", "");
  }

  auto data = analytics::report::LoadReportData(store, request);
  if (!data.ok())
    return bench::Fail(data.status());
  phases.Done("LoadReportData", "the whole loader again");
  if (digest)
    fmt::print("digest delivery {}\n", bench::DeliveryDigest(data->delivery));

  analytics::nd::NdInput input;
  input.deployments = data->delivery.deployments;
  input.commits = data->delivery.commits;
  input.changes = data->delivery.changes;
  input.reviews = data->delivery.reviews;
  input.incidents = data->delivery.incidents;
  input.directory = data->directory ? &*data->directory : nullptr;
  input.as_of_unix_ms = request.as_of_unix_ms;
  input.period_from_unix_ms = request.from_unix_ms;
  input.period_to_unix_ms = request.to_unix_ms;
  input.params = request.params;
  phases.Done("nd_input_copy", "as BuildReport copies the records");
  {
    auto nd = analytics::nd::ComputeNd(input);
    if (!nd.ok())
      return bench::Fail(nd.status());
    phases.Done("compute_nd_period", fmt::format("{} logical changes", nd->changes.size()));
    if (digest)
      fmt::print("digest nd_period {}\n", Hash128Hex(analytics::nd::ToJson(*nd).dump()));
  }
  input.period_from_unix_ms = baseline_from;
  input.period_to_unix_ms = baseline_to;
  {
    auto nd = analytics::nd::ComputeNd(input);
    if (!nd.ok())
      return bench::Fail(nd.status());
    phases.Done("compute_nd_baseline", "");
    if (digest)
      fmt::print("digest nd_baseline {}\n", Hash128Hex(analytics::nd::ToJson(*nd).dump()));
  }
  input = {};
  if (build) {
    auto report = analytics::report::BuildReport(request, *data);
    if (!report.ok())
      return bench::Fail(report.status());
    phases.Done("BuildReport", fmt::format("{} teams", (*report)["teams"].size()));
  }
  return 0;
}
