// goodhart store export|import|stats|migrate: look inside the store, move its data and manage its
// schema. `export` writes every usage event as canonical JSONL (the format `goodhart ingest` reads
// back), paged, so it runs in bounded memory; `export --delivery` writes the delivery records
// instead; `export --out DIR` writes everything another store needs into DIR, and `import DIR`
// appends such a directory (or one exported JSONL file) to the configured store exactly once
// (store_transfer.h). `migrate` creates or upgrades the schema (ClickHouse: the database, tables
// and materialized views; embedded: the SQLite file, which opening migrates anyway).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"
#include "goodhart/cli/command.h"
#include "goodhart/cli/progress.h"
#include "goodhart/cli/store_transfer.h"
#include "goodhart/receivers/file/file_decoder.h"
#include "goodhart/store/clickhouse/clickhouse_store.h"
#include "goodhart/store/stats_json.h"

namespace goodhart::cli {
namespace {

struct StoreOptions {
  CommonOptions common;
  std::string from, to, actor;
  bool delivery = false;
  std::string out;               // export --out DIR
  std::string path;              // import PATH
  std::string format = "table";  // import --format
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

int RunExportToDirectory(const StoreOptions& options) {
  if (!options.from.empty() || !options.to.empty() || !options.actor.empty() || options.delivery) {
    return ReportError(Status::InvalidArgument(
        "store export: --out: writes the whole store; --from, --to, --actor and --delivery apply "
        "to the export on stdout only"));
  }
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  Progress progress("export", 5);
  auto manifest = ExportStoreToDirectory((*opened)->store(), (*opened)->config().store.kind,
                                         options.out, progress);
  progress.Finish();
  if (!manifest.ok())
    return ReportError(manifest.status());
  fmt::print("{}\n", JsonText(*manifest, 2));
  return kExitOk;
}

int RunImport(const StoreOptions& options) {
  if (options.format != "table" && options.format != "json") {
    return ReportError(Status::InvalidArgument(
        fmt::format("store import: --format: '{}' is not table|json", options.format)));
  }
  auto opened = Runtime::Open(options.common);
  if (!opened.ok())
    return ReportError(opened.status());
  Progress progress("import", 0);
  auto parts = ImportIntoStore((*opened)->store(), options.path, progress);
  progress.Finish();
  if (!parts.ok())
    return ReportError(parts.status());
  if (options.format == "json") {
    nlohmann::json out = nlohmann::json::object();
    for (const ImportPart& p : *parts) {
      out[p.name] = {{"stored", p.stored}, {"duplicates", p.duplicates}};
      if (p.name == "git_heads")
        out[p.name]["kept"] = p.kept;
    }
    fmt::print("{}\n", JsonText(out, 2));
  } else {
    for (const ImportPart& p : *parts) {
      fmt::print("{}: {} stored, {} duplicate{}\n", p.name, p.stored, p.duplicates,
                 p.kept > 0 ? fmt::format(", {} kept (the store has its own)", p.kept) : "");
    }
  }
  return kExitOk;
}

int RunExport(const StoreOptions& options) {
  if (!options.out.empty())
    return RunExportToDirectory(options);
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
  fmt::print("{}\n", JsonText(store::StatsJson(*stats), 2));
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
    fmt::print("{}\n", JsonText(j, 2));
    return kExitOk;
  }
  auto opened = Runtime::Open(options.common);  // the embedded store migrates when opened
  if (!opened.ok())
    return ReportError(opened.status());
  auto stats = (*opened)->store().Stats();
  if (!stats.ok())
    return ReportError(stats.status());
  nlohmann::json j = {{"kind", "embedded"}, {"schema_version", stats->schema_version}};
  fmt::print("{}\n", JsonText(j, 2));
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
  exp->add_option("--out", options->out,
                  "Write everything another store needs (directory versions, usage events, "
                  "delivery records, raw deliveries, git heads) into this new directory, for "
                  "`goodhart store import`");
  CLI::App* import = cmd->add_subcommand(
      "import",
      "Append an export directory (store export --out) or an exported JSONL file to the store; "
      "running it again stores nothing new");
  AddCommonOptions(*import, options->common);
  import->add_option("PATH", options->path, "Export directory or JSONL file")
      ->required()
      ->check(CLI::ExistingPath);
  import->add_option("--format", options->format, "Summary format: table|json");
  CLI::App* stats = cmd->add_subcommand("stats", "Print store counts and size as JSON");
  AddCommonOptions(*stats, options->common);
  CLI::App* migrate = cmd->add_subcommand(
      "migrate", "Create or upgrade the store's schema (ClickHouse: database, tables, views)");
  AddCommonOptions(*migrate, options->common);
  return [options, exp, import, stats, migrate]() -> int {
    if (exp->parsed())
      return RunExport(*options);
    if (import->parsed())
      return RunImport(*options);
    if (stats->parsed())
      return RunStats(*options);
    if (migrate->parsed())
      return RunMigrate(*options);
    return -1;
  };
}

}  // namespace goodhart::cli
