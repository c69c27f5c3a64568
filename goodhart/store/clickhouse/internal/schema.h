// The ClickHouse store's schema: an ordered list of migrations, each a list of DDL statements that
// are safe to run again (IF NOT EXISTS), recorded in `schema_migrations` once all of them ran.
// Two nodes migrating at once both succeed. The tables, their engines and why are in README.md.
//
// Only SQL that runs on Debian's clickhouse-server 18.16 and on current releases is used
// (README.md, "SQL subset").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/store/clickhouse/internal/http_client.h"

namespace goodhart::store::clickhouse {

inline constexpr int64_t kSchemaVersion = 2;

// A table a migration creates, and how a cluster spreads its rows over the shards: the sharding
// key of its Distributed table (README.md, "Sharding"). Empty for tables filled only by a
// materialized view on the shard's own usage_events: nothing writes through their Distributed
// table (ClickHouse refuses such a write with more than one shard, which is the point).
struct ShardedTable {
  std::string name;
  std::string sharding_key;
};

struct Migration {
  int64_t version = 0;
  std::string description;
  std::vector<std::string> statements;  // `{db}` stands for the quoted database name
  std::vector<ShardedTable> tables;     // the tables the statements create (not the views)
};

// Every migration, oldest first.
const std::vector<Migration>& Migrations();

// The version recorded in `database` (0 when the database or its schema_migrations table does
// not exist yet).
Result<int64_t> ReadSchemaVersion(const ClickHouseClient& client, const std::string& database);

struct MigrateResult {
  int64_t from_version = 0;
  int64_t to_version = 0;
};

// Cluster mode: the tables and views live in `LocalDatabase(database)` on every shard, and
// `database` holds a Distributed table of the same name over each (plus schema_migrations, a
// plain table of each node), so the store's queries are the same in both modes.
struct ClusterSchema {
  std::string cluster;  // a <remote_servers> entry of the server's config
};

// The database of a shard's local tables in cluster mode.
std::string LocalDatabase(const std::string& database);

// Creates the database if needed and applies every migration above its version; with `cluster`,
// on this one node, the local tables and views in LocalDatabase(database) and the Distributed
// tables over them in `database`. kFailedPrecondition when the database was migrated by a newer
// goodhart.
Result<MigrateResult> Migrate(const ClickHouseClient& client, const std::string& database,
                              int64_t now_unix_ms, const ClusterSchema* cluster = nullptr);

// The partition expression of a table whose `day` column counts days since 1970: by month.
// toDateTime of seconds means the same in every release (toDate of a number does not); the
// clamp keeps absurd days inside DateTime's range.
inline constexpr const char* kMonthOfDay = "toYYYYMM(toDateTime(least(day, 49710) * 86400, 'UTC'))";

}  // namespace goodhart::store::clickhouse
