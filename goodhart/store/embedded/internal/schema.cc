#include "goodhart/store/embedded/internal/schema.h"

#include <fmt/format.h>

#include <array>

namespace goodhart::store::internal {
namespace {

// "good" in ASCII: marks the file as a goodhart store (PRAGMA application_id).
constexpr int64_t kApplicationId = 0x676f6f64;

constexpr char kSchemaV1[] = R"sql(
CREATE TABLE store_meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO store_meta(name, value) VALUES ('usage_events', 0), ('key_index_upto', 0);

CREATE TABLE strings(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
INSERT INTO strings(id, value) VALUES (0, '');

CREATE TABLE event_chunks(
  id INTEGER PRIMARY KEY,
  min_time_ms INTEGER NOT NULL,
  max_time_ms INTEGER NOT NULL,
  events INTEGER NOT NULL,
  body BLOB NOT NULL);

CREATE TABLE key_blocks(
  id INTEGER PRIMARY KEY, min_hash INTEGER NOT NULL, max_hash INTEGER NOT NULL,
  keys INTEGER NOT NULL, fences BLOB NOT NULL, body BLOB NOT NULL);

CREATE TABLE usage_rollup(
  day INTEGER NOT NULL, actor INTEGER NOT NULL, provider INTEGER NOT NULL,
  model INTEGER NOT NULL, tool INTEGER NOT NULL, source INTEGER NOT NULL,
  input_uncached INTEGER NOT NULL, cache_read INTEGER NOT NULL, cache_write INTEGER NOT NULL,
  output INTEGER NOT NULL, reasoning INTEGER NOT NULL, requests INTEGER NOT NULL,
  prompts INTEGER NOT NULL, events INTEGER NOT NULL, reported_cost_micros INTEGER NOT NULL,
  computed_cost_micros INTEGER NOT NULL, sessions INTEGER NOT NULL,
  PRIMARY KEY(day, actor, provider, model, tool, source)) WITHOUT ROWID;

CREATE TABLE rollup_sessions(
  day INTEGER NOT NULL, actor INTEGER NOT NULL, provider INTEGER NOT NULL,
  model INTEGER NOT NULL, tool INTEGER NOT NULL, source INTEGER NOT NULL,
  session INTEGER NOT NULL,
  PRIMARY KEY(day, actor, provider, model, tool, source, session)) WITHOUT ROWID;

CREATE TABLE metric_rollup(
  day INTEGER NOT NULL, actor INTEGER NOT NULL, provider INTEGER NOT NULL,
  model INTEGER NOT NULL, tool INTEGER NOT NULL, source INTEGER NOT NULL,
  session INTEGER NOT NULL,
  input_uncached INTEGER NOT NULL, cache_read INTEGER NOT NULL, cache_write INTEGER NOT NULL,
  output INTEGER NOT NULL, reasoning INTEGER NOT NULL, requests INTEGER NOT NULL,
  events INTEGER NOT NULL, reported_cost_micros INTEGER NOT NULL,
  computed_cost_micros INTEGER NOT NULL,
  PRIMARY KEY(day, actor, provider, model, tool, source, session)) WITHOUT ROWID;

CREATE TABLE session_day_events(
  session INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY(session, day)) WITHOUT ROWID;

CREATE TABLE actor_day_model_events(
  actor INTEGER NOT NULL, day INTEGER NOT NULL, model INTEGER NOT NULL,
  PRIMARY KEY(actor, day, model)) WITHOUT ROWID;

CREATE TABLE metric_series(
  series INTEGER NOT NULL, start_ms INTEGER NOT NULL, last_time_ms INTEGER NOT NULL,
  input_uncached INTEGER NOT NULL, cache_read INTEGER NOT NULL, cache_write INTEGER NOT NULL,
  output INTEGER NOT NULL, reasoning INTEGER NOT NULL, requests INTEGER NOT NULL,
  reported_cost_micros INTEGER NOT NULL, computed_cost_micros INTEGER NOT NULL,
  PRIMARY KEY(series, start_ms)) WITHOUT ROWID;

CREATE TABLE prompt_sketches(
  id INTEGER PRIMARY KEY, day INTEGER NOT NULL, actor INTEGER NOT NULL,
  time_ms INTEGER NOT NULL, session INTEGER NOT NULL, event_key TEXT NOT NULL,
  simhash INTEGER NOT NULL, minhash BLOB NOT NULL, token_estimate INTEGER NOT NULL);
CREATE INDEX prompt_sketches_day ON prompt_sketches(day);
CREATE INDEX prompt_sketches_key ON prompt_sketches(event_key);

CREATE TABLE prompt_cadence(
  day INTEGER NOT NULL, actor INTEGER NOT NULL, times BLOB NOT NULL,
  PRIMARY KEY(day, actor)) WITHOUT ROWID;
)sql";

constexpr char kSchemaV2[] = R"sql(
CREATE TABLE delivery_records(
  id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, key TEXT NOT NULL, time_ms INTEGER NOT NULL,
  repo TEXT NOT NULL, body TEXT NOT NULL, UNIQUE(kind, key));
CREATE INDEX delivery_records_time ON delivery_records(kind, time_ms);

CREATE TABLE raw_deliveries(
  dedupe_key TEXT PRIMARY KEY, source TEXT NOT NULL, event TEXT NOT NULL,
  received_ms INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX raw_deliveries_received ON raw_deliveries(received_ms, dedupe_key);

CREATE TABLE git_import_state(
  repo TEXT PRIMARY KEY, heads TEXT NOT NULL, updated_ms INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE directory_versions(
  version INTEGER PRIMARY KEY, imported_ms INTEGER NOT NULL, content_hash TEXT NOT NULL,
  yaml TEXT NOT NULL);
)sql";

// Agent tool steps with a fingerprint (D5's loop signal). Sketch-like detector input: purged with
// the prompt sketches after 30 days.
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE tool_steps(
  day INTEGER NOT NULL, actor INTEGER NOT NULL, session INTEGER NOT NULL,
  time_ms INTEGER NOT NULL, tool INTEGER NOT NULL, fingerprint INTEGER NOT NULL);
CREATE INDEX tool_steps_day ON tool_steps(day);
)sql";

constexpr std::array<Migration, 3> kMigrations = {{
    {1, "event chunks, key index, rollups, metric series, prompt sketches and cadence", kSchemaV1},
    {2, "delivery records, raw webhook deliveries, git import state, directory versions",
     kSchemaV2},
    {3, "agent tool-step fingerprints", kSchemaV3},
}};

Result<int64_t> MigrateLocked(Db& db, int64_t now_unix_ms) {
  GOODHART_ASSIGN_OR_RETURN(int64_t app_id, QueryInt64(db, "PRAGMA application_id", 0));
  if (app_id != 0 && app_id != kApplicationId) {
    return Status::FailedPrecondition(fmt::format(
        "embedded_store: open: the file is not a goodhart store (application_id {})", app_id));
  }
  GOODHART_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
              "description TEXT NOT NULL, applied_unix_ms INTEGER NOT NULL)"));
  GOODHART_ASSIGN_OR_RETURN(int64_t current,
                            QueryInt64(db, "SELECT max(version) FROM schema_migrations", 0));
  int64_t latest = LatestSchemaVersion();
  if (current > latest) {
    return Status::FailedPrecondition(fmt::format(
        "embedded_store: open: database schema version {} is newer than this binary's {}; "
        "upgrade goodhart",
        current, latest));
  }
  if (current == 0 && app_id == 0) {
    GOODHART_ASSIGN_OR_RETURN(
        int64_t tables, QueryInt64(db,
                                   "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                   "name != 'schema_migrations'",
                                   0));
    if (tables != 0) {
      return Status::FailedPrecondition(
          "embedded_store: open: the database has tables but no goodhart schema");
    }
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= current)
      continue;
    GOODHART_RETURN_IF_ERROR(db.Exec(m.sql));
    GOODHART_ASSIGN_OR_RETURN(
        Stmt * insert,
        db.Prepare("INSERT INTO schema_migrations(version, description, applied_unix_ms) "
                   "VALUES (?, ?, ?)"));
    insert->BindInt64(1, m.version);
    insert->BindText(2, m.description);
    insert->BindInt64(3, now_unix_ms);
    GOODHART_RETURN_IF_ERROR(insert->Run());
  }
  GOODHART_RETURN_IF_ERROR(db.Exec(fmt::format("PRAGMA application_id = {}", kApplicationId)));
  return latest;
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int64_t LatestSchemaVersion() { return kMigrations.back().version; }

Result<int64_t> Migrate(Db& db, int64_t now_unix_ms) {
  GOODHART_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Result<int64_t> version = MigrateLocked(db, now_unix_ms);
  if (!version.ok()) {
    (void)db.Exec("ROLLBACK");
    return version.status();
  }
  GOODHART_RETURN_IF_ERROR(db.Exec("COMMIT"));
  return version;
}

}  // namespace goodhart::store::internal
