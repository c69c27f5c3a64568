// goodhart store export|stats|migrate: look inside the store and manage its schema. `export` writes
// every usage event as canonical JSONL (the format `goodhart ingest` reads back), paged, so it runs
// in bounded memory; `export --delivery` writes the delivery records instead. `migrate` creates or
// upgrades the schema (ClickHouse: the database, tables and materialized views; embedded: the
// SQLite file, which opening migrates anyway).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "goodhart/base/time.h"
#include "goodhart/cli/command.h"
#include "goodhart/receivers/file/file_decoder.h"
#include "goodhart/store/clickhouse/clickhouse_store.h"

namespace goodhart::cli {
namespace {

struct StoreOptions {
  CommonOptions common;
  std::string from, to, actor;
  bool delivery = false;
};

int ExportDelivery(Runtime& rt, int64_t from, int64_t to) {
  auto records = rt.store().QueryDelivery({.from_unix_ms = from, .to_unix_ms = to});
  if (!records.ok())
    return ReportError(records.status());
  model::EventBatch batch;
  batch.commits = std::move(records->commits);
  batch.changes = std::move(records->changes);
  batch.reviews = std::move(records->reviews);
  batch.releases = std::move(records->releases);
  batch.pipeline_runs = std::move(records->pipeline_runs);
  batch.deployments = std::move(records->deployments);
  batch.incidents = std::move(records->incidents);
  std::string out = receivers::file::EncodeDeliveryJsonl(batch);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

Result<int64_t> ParseBound(const std::string& text, int64_t fallback) {
  if (text.empty())
    return fallback;
  return ParseTimestampMillis(text);
}

int RunExport(const StoreOptions& options) {
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  store::EventQuery query;
  auto from = ParseBound(options.from, 0);
  auto to = ParseBound(options.to, INT64_MAX);
  if (!from.ok())
    return ReportError(from.status().WithPrefix("store export: --from"));
  if (!to.ok())
    return ReportError(to.status().WithPrefix("store export: --to"));
  if (options.delivery)
    return ExportDelivery(**opened, *from, *to);
  query.from_unix_ms = *from;
  query.to_unix_ms = *to;
  if (!options.actor.empty())
    query.actor = options.actor;
  query.limit = 10'000;
  while (true) {
    auto page = (*opened)->store().QueryUsageEvents(query);
    if (!page.ok())
      return ReportError(page.status());
    for (const auto& event : *page) {
      std::string line = receivers::file::EncodeCanonicalJsonLine(event);
      std::fwrite(line.data(), 1, line.size(), stdout);
      std::fputc('\n', stdout);
    }
    if (static_cast<int64_t>(page->size()) < query.limit)
      break;
    query.after_event_key = page->back().event_key;
  }
  return kExitOk;
}

int RunStats(const StoreOptions& options) {
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  auto stats = (*opened)->store().Stats();
  if (!stats.ok())
    return ReportError(stats.status());
  nlohmann::json j = {{"usage_events", stats->usage_events},
                      {"rollup_rows", stats->rollup_rows},
                      {"prompt_sketches", stats->prompt_sketches},
                      {"bytes_on_disk", stats->bytes_on_disk},
                      {"schema_version", stats->schema_version},
                      {"commits", stats->commits},
                      {"changes", stats->changes},
                      {"reviews", stats->reviews},
                      {"releases", stats->releases},
                      {"pipeline_runs", stats->pipeline_runs},
                      {"deployments", stats->deployments},
                      {"incidents", stats->incidents},
                      {"raw_deliveries", stats->raw_deliveries},
                      {"directory_versions", stats->directory_versions}};
  fmt::print("{}\n", j.dump(2));
  return kExitOk;
}

int RunMigrate(const StoreOptions& options) {
  auto config = Runtime::LoadConfig(options.common);
  if (!config.ok())
    return ReportError(config.status());
  if (config->store.kind == "clickhouse") {
    auto migrated = store::MigrateClickHouseStore(ClickHouseOptions(config->store));
    if (!migrated.ok())
      return ReportError(migrated.status());
    nlohmann::json j = {{"kind", "clickhouse"},
                        {"database", config->store.database},
                        {"from_version", migrated->from_version},
                        {"schema_version", migrated->to_version}};
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  auto opened = Runtime::Open(options.common);  // the embedded store migrates when opened
  if (!opened.ok())
    return ReportError(opened.status());
  auto stats = (*opened)->store().Stats();
  if (!stats.ok())
    return ReportError(stats.status());
  nlohmann::json j = {{"kind", "embedded"}, {"schema_version", stats->schema_version}};
  fmt::print("{}\n", j.dump(2));
  return kExitOk;
}

}  // namespace

CommandRunner AddStoreCommand(CLI::App& app) {
  auto options = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand("store", "Inspect and move the store's data");
  cmd->require_subcommand(1);
  CLI::App* exp = cmd->add_subcommand("export", "Write usage events as canonical JSONL to stdout");
  AddCommonOptions(*exp, options->common);
  exp->add_option("--from", options->from, "Only events at or after this time (RFC 3339 or date)");
  exp->add_option("--to", options->to, "Only events before this time (RFC 3339 or date)");
  exp->add_option("--actor", options->actor, "Only this actor identity");
  exp->add_flag("--delivery", options->delivery,
                "Write delivery records (commits, changes, reviews, releases, pipeline runs, "
                "deployments, incidents) instead, one {\"kind\", \"record\"} object per line");
  CLI::App* stats = cmd->add_subcommand("stats", "Print store counts and size as JSON");
  AddCommonOptions(*stats, options->common);
  CLI::App* migrate = cmd->add_subcommand(
      "migrate", "Create or upgrade the store's schema (ClickHouse: database, tables, views)");
  AddCommonOptions(*migrate, options->common);
  return [options, exp, stats, migrate]() -> int {
    if (exp->parsed())
      return RunExport(*options);
    if (stats->parsed())
      return RunStats(*options);
    if (migrate->parsed())
      return RunMigrate(*options);
    return -1;
  };
}

}  // namespace goodhart::cli
