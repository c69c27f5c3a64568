#include "goodhart/store/clickhouse/internal/schema.h"

#include <fmt/format.h>

#include "goodhart/store/clickhouse/internal/tsv.h"

namespace goodhart::store::clickhouse {
namespace {

// Substitutes {db} and {month} in a statement.
std::string Expand(std::string_view statement, const std::string& database) {
  std::string out;
  std::string db = SqlIdentifier(database);
  for (size_t i = 0; i < statement.size();) {
    if (statement.compare(i, 4, "{db}") == 0) {
      out += db;
      i += 4;
    } else if (statement.compare(i, 7, "{month}") == 0) {
      out += kMonthOfDay;
      i += 7;
    } else {
      out.push_back(statement[i++]);
    }
  }
  return out;
}

std::vector<Migration> BuildMigrations() {
  std::vector<Migration> all;
  all.push_back({1,
                 "usage events, rollups, sketches, tool steps, metric points, delivery states, "
                 "raw deliveries, git heads, directory versions",
                 {
                     // Raw usage events, deduplicated by (day, actor, event_key) on merge and at
                     // read time (FINAL); ordered for the per-person-day rollup refresh.
                     "CREATE TABLE IF NOT EXISTS {db}.usage_events ("
                     "day UInt32, actor String, event_key String, time_ms Int64, end_ms Int64, "
                     "source String, raw_id String, kind UInt8, signal UInt8, event_name String, "
                     "actor_kind String, organization String, session_id String, "
                     "prompt_id String, tool String, tool_version String, agent String, "
                     "query_source String, provider String, model String, "
                     "input_uncached Int64, cache_read Int64, cache_write Int64, output Int64, "
                     "reasoning Int64, request_count Int64, has_reported_cost UInt8, "
                     "reported_cost_micros Int64, computed_cost_micros Int64, duration_ms Int64, "
                     "request_id String, prompt_length Int64, has_sketch UInt8, simhash UInt64, "
                     "minhash Array(UInt64), token_estimate Int32, series_key String, "
                     "temporality UInt8, series_start_ms Int64, git_commit_id String, "
                     "tool_name String, tool_step_fingerprint UInt64, arrival UInt64) "
                     "ENGINE = ReplacingMergeTree PARTITION BY {month} "
                     "ORDER BY (day, actor, event_key)",
                     // Which keys are stored: the exactly-once check looks keys up here.
                     "CREATE TABLE IF NOT EXISTS {db}.event_keys (event_key String, day UInt32) "
                     "ENGINE = ReplacingMergeTree PARTITION BY {month} ORDER BY event_key",
                     "CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.event_keys_mv "
                     "TO {db}.event_keys AS SELECT event_key, day FROM {db}.usage_events",
                     // Rollups per (day, actor, provider, model, tool, source), recomputed per
                     // person-day from the raw events; the row with the largest version (events
                     // counted) is the newest snapshot.
                     "CREATE TABLE IF NOT EXISTS {db}.usage_rollup ("
                     "day UInt32, actor String, provider String, model String, tool String, "
                     "source String, input_uncached Int64, cache_read Int64, cache_write Int64, "
                     "output Int64, reasoning Int64, requests Int64, prompts Int64, events Int64, "
                     "reported_cost_micros Int64, computed_cost_micros Int64, sessions Int64, "
                     "version UInt64) ENGINE = ReplacingMergeTree(version) "
                     "PARTITION BY {month} ORDER BY (day, actor, provider, model, tool, source)",
                     "CREATE TABLE IF NOT EXISTS {db}.prompt_cadence ("
                     "day UInt32, actor String, times Array(Int64), version UInt64) "
                     "ENGINE = ReplacingMergeTree(version) PARTITION BY {month} "
                     "ORDER BY (day, actor)",
                     // Presence of events, for counting metric points only where no event covers
                     // them (model::Signal).
                     "CREATE TABLE IF NOT EXISTS {db}.session_days (day UInt32, session String) "
                     "ENGINE = ReplacingMergeTree PARTITION BY {month} ORDER BY (day, session)",
                     "CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.session_days_mv "
                     "TO {db}.session_days AS SELECT day, session_id AS session "
                     "FROM {db}.usage_events WHERE signal = 0 AND session_id != ''",
                     "CREATE TABLE IF NOT EXISTS {db}.actor_day_models ("
                     "day UInt32, actor String, model String) ENGINE = ReplacingMergeTree "
                     "PARTITION BY {month} ORDER BY (day, actor, model)",
                     "CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.actor_day_models_mv "
                     "TO {db}.actor_day_models AS SELECT day, actor, model "
                     "FROM {db}.usage_events WHERE signal = 0",
                     // Metric points, turned into per-cell deltas when read.
                     "CREATE TABLE IF NOT EXISTS {db}.metric_points ("
                     "day UInt32, actor String, provider String, model String, tool String, "
                     "source String, session String, series_key String, temporality UInt8, "
                     "series_start_ms Int64, time_ms Int64, event_key String, "
                     "input_uncached Int64, cache_read Int64, cache_write Int64, output Int64, "
                     "reasoning Int64, requests Int64, reported_cost_micros Int64, "
                     "computed_cost_micros Int64) ENGINE = ReplacingMergeTree "
                     "PARTITION BY {month} "
                     "ORDER BY (day, actor, series_key, series_start_ms, time_ms, event_key)",
                     "CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.metric_points_mv "
                     "TO {db}.metric_points AS SELECT day, actor, provider, model, tool, source, "
                     "session_id AS session, series_key, temporality, series_start_ms, time_ms, "
                     "event_key, input_uncached, cache_read, cache_write, output, reasoning, "
                     "if(kind IN (0, 3), request_count, toInt64(0)) AS requests, "
                     "reported_cost_micros, computed_cost_micros "
                     "FROM {db}.usage_events WHERE signal = 1",
                     // Written by the store itself (not from usage_events), so a purge removes
                     // the only copy of a prompt's sketch.
                     "CREATE TABLE IF NOT EXISTS {db}.prompt_sketches ("
                     "day UInt32, actor String, time_ms Int64, session String, event_key String, "
                     "simhash UInt64, minhash Array(UInt64), token_estimate Int32) "
                     "ENGINE = ReplacingMergeTree PARTITION BY {month} "
                     "ORDER BY (day, actor, time_ms, event_key)",
                     "CREATE TABLE IF NOT EXISTS {db}.tool_steps ("
                     "day UInt32, actor String, session String, time_ms Int64, event_key String, "
                     "tool_name String, fingerprint UInt64, arrival UInt64) "
                     "ENGINE = ReplacingMergeTree PARTITION BY {month} "
                     "ORDER BY (day, actor, session, time_ms, event_key)",
                     "CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.tool_steps_mv "
                     "TO {db}.tool_steps AS SELECT day, actor, session_id AS session, time_ms, "
                     "event_key, tool_name, tool_step_fingerprint AS fingerprint, arrival "
                     "FROM {db}.usage_events WHERE signal = 0 AND kind = 2 "
                     "AND tool_step_fingerprint != 0 AND session_id != ''",
                     // PurgeSketchesBefore's watermarks: no cadence row is rebuilt below one.
                     "CREATE TABLE IF NOT EXISTS {db}.sketch_purges ("
                     "before_day UInt32, purged_ms Int64) ENGINE = MergeTree ORDER BY before_day",
                     // Every state of a delivery record that changed it, folded when read.
                     "CREATE TABLE IF NOT EXISTS {db}.delivery_states ("
                     "kind UInt8, key String, arrival UInt64, time_ms Int64, repo String, "
                     "body String) ENGINE = MergeTree ORDER BY (kind, key, arrival)",
                     "CREATE TABLE IF NOT EXISTS {db}.raw_deliveries ("
                     "dedupe_key String, source String, event String, received_ms Int64, "
                     "body String) ENGINE = ReplacingMergeTree "
                     "PARTITION BY toYYYYMM(toDateTime(intDiv(greatest(received_ms, 0), 1000), "
                     "'UTC')) ORDER BY dedupe_key",
                     "CREATE TABLE IF NOT EXISTS {db}.git_heads ("
                     "repo String, heads String, version UInt64) "
                     "ENGINE = ReplacingMergeTree(version) ORDER BY repo",
                     "CREATE TABLE IF NOT EXISTS {db}.directory_versions ("
                     "version Int64, imported_ms Int64, content_hash String, yaml String) "
                     "ENGINE = ReplacingMergeTree ORDER BY version",
                 },
                 {
                     // A person's events, rollups, cadence and sketches on one shard: the
                     // refresh of a person-day and FINAL's deduplication see all of them there.
                     {"usage_events", "cityHash64(actor)"},
                     {"event_keys", ""},
                     {"usage_rollup", "cityHash64(actor)"},
                     {"prompt_cadence", "cityHash64(actor)"},
                     {"session_days", ""},
                     {"actor_day_models", ""},
                     {"metric_points", ""},
                     {"prompt_sketches", "cityHash64(actor)"},
                     {"tool_steps", ""},
                     {"sketch_purges", "before_day"},
                     // Every state of one delivery record, and each deduplicated row, together.
                     {"delivery_states", "cityHash64(kind, key)"},
                     {"raw_deliveries", "cityHash64(dedupe_key)"},
                     {"git_heads", "cityHash64(repo)"},
                     {"directory_versions", "cityHash64(version)"},
                 }});
  all.push_back({2,
                 "review records: flags, notes on them and the alert outbox",
                 {
                     // Every written state of a flag; the largest version is the flag
                     // (review_tables.h).
                     "CREATE TABLE IF NOT EXISTS {db}.flags ("
                     "id String, detector_id String, subject_kind String, subject_id String, "
                     "team String, period_from Int64, period_to Int64, shown UInt8, "
                     "created_ms Int64, updated_ms Int64, review_opens_ms Int64, "
                     "flag_json String, version UInt64) "
                     "ENGINE = ReplacingMergeTree(version) ORDER BY id",
                     "CREATE TABLE IF NOT EXISTS {db}.flag_notes ("
                     "flag_id String, note_id String, at_ms Int64, arrival UInt64, kind String, "
                     "author String, disposition String, note String) "
                     "ENGINE = ReplacingMergeTree ORDER BY (flag_id, note_id)",
                     "CREATE TABLE IF NOT EXISTS {db}.alerts ("
                     "id String, payload String, created_ms Int64, attempts Int64, "
                     "next_attempt_ms Int64, last_error String, sent UInt8, sent_ms Int64, "
                     "version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY id",
                 },
                 {
                     // Every state of a flag, its notes, and every state of an alert together.
                     {"flags", "cityHash64(id)"},
                     {"flag_notes", "cityHash64(flag_id)"},
                     {"alerts", "cityHash64(id)"},
                 }});
  return all;
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = BuildMigrations();
  return migrations;
}

Result<int64_t> ReadSchemaVersion(const ClickHouseClient& client, const std::string& database) {
  Result<std::string> body = client.Query(
      "schema version", fmt::format("SELECT max(version) FROM {}.schema_migrations FORMAT "
                                    "TabSeparated",
                                    SqlIdentifier(database)));
  if (!body.ok()) {
    int code = ClickHouseErrorCode(body.status().message());
    if (code == 60 || code == 81)  // UNKNOWN_TABLE, UNKNOWN_DATABASE: nothing migrated yet
      return int64_t{0};
    return body.status();
  }
  TsvReader reader(*body, "schema_migrations");
  if (!reader.Next())
    return int64_t{0};
  GOODHART_RETURN_IF_ERROR(reader.Expect(1));
  return reader.Int(0);
}

std::string LocalDatabase(const std::string& database) { return database + "_local"; }

Result<MigrateResult> Migrate(const ClickHouseClient& client, const std::string& database,
                              int64_t now_unix_ms, const ClusterSchema* cluster) {
  GOODHART_ASSIGN_OR_RETURN(int64_t version, ReadSchemaVersion(client, database));
  MigrateResult result{version, version};
  if (version > kSchemaVersion) {
    return Status::FailedPrecondition(fmt::format(
        "clickhouse_store: database {}: schema version {} was written by a newer goodhart (this "
        "one knows up to {})",
        database, version, kSchemaVersion));
  }
  if (version == kSchemaVersion)
    return result;
  std::string db = SqlIdentifier(database);
  GOODHART_RETURN_IF_ERROR(
      client.Query("migrate: create database", "CREATE DATABASE IF NOT EXISTS " + db).status());
  // Where the statements create the tables: `database` on one node, the local database of a shard.
  const std::string tables_database = cluster ? LocalDatabase(database) : database;
  if (cluster) {
    GOODHART_RETURN_IF_ERROR(
        client
            .Query("migrate: create local database",
                   "CREATE DATABASE IF NOT EXISTS " + SqlIdentifier(tables_database))
            .status());
  }
  GOODHART_RETURN_IF_ERROR(
      client
          .Query("migrate: schema_migrations",
                 fmt::format("CREATE TABLE IF NOT EXISTS {}.schema_migrations (version Int64, "
                             "description String, applied_ms Int64) ENGINE = MergeTree "
                             "ORDER BY version",
                             db))
          .status());
  for (const Migration& m : Migrations()) {
    if (m.version <= version)
      continue;
    for (size_t i = 0; i < m.statements.size(); ++i) {
      GOODHART_RETURN_IF_ERROR(
          client
              .Query(fmt::format("migrate to {}: statement {}", m.version, i + 1),
                     Expand(m.statements[i], tables_database))
              .status());
    }
    for (size_t i = 0; cluster && i < m.tables.size(); ++i) {
      const ShardedTable& t = m.tables[i];
      std::string key = t.sharding_key.empty() ? "" : ", " + t.sharding_key;
      GOODHART_RETURN_IF_ERROR(
          client
              .Query(fmt::format("migrate to {}: distributed {}", m.version, t.name),
                     fmt::format("CREATE TABLE IF NOT EXISTS {0}.{1} AS {2}.{1} ENGINE = "
                                 "Distributed({3}, {4}, {5}{6})",
                                 db, SqlIdentifier(t.name), SqlIdentifier(tables_database),
                                 SqlString(cluster->cluster), SqlString(tables_database),
                                 SqlString(t.name), key))
              .status());
    }
    TsvWriter row;
    row.Int(m.version).Str(m.description).Int(now_unix_ms).EndRow();
    GOODHART_RETURN_IF_ERROR(client.Insert(
        "migrate: record",
        fmt::format("INSERT INTO {}.schema_migrations (version, description, applied_ms) FORMAT "
                    "TabSeparated",
                    db),
        row.data()));
    result.to_version = m.version;
  }
  return result;
}

}  // namespace goodhart::store::clickhouse
