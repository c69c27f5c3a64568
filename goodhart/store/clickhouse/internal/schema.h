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

inline constexpr int64_t kSchemaVersion = 1;

struct Migration {
  int64_t version = 0;
  std::string description;
  std::vector<std::string> statements;  // `{db}` stands for the quoted database name
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

// Creates the database if needed and applies every migration above its version.
// kFailedPrecondition when the database was migrated by a newer goodhart.
Result<MigrateResult> Migrate(const ClickHouseClient& client, const std::string& database,
                              int64_t now_unix_ms);

// The partition expression of a table whose `day` column counts days since 1970: by month.
// toDateTime of seconds means the same in every release (toDate of a number does not); the
// clamp keeps absurd days inside DateTime's range.
inline constexpr const char* kMonthOfDay = "toYYYYMM(toDateTime(least(day, 49710) * 86400, 'UTC'))";

}  // namespace goodhart::store::clickhouse
