// The embedded store's schema as an ordered list of migrations. Each step runs once, in order,
// inside the transaction that records it in `schema_migrations`; a database whose version is newer
// than this binary's is refused rather than misread. Tables are described in ../README.md.
#pragma once

#include <cstdint>
#include <span>

#include "goodhart/base/status.h"
#include "goodhart/store/embedded/internal/sqlite.h"

namespace goodhart::store::internal {

struct Migration {
  int64_t version;  // 1, 2, 3, ... with no gaps
  const char* description;
  const char* sql;  // one or more statements
};

// Every step this binary knows, oldest first.
std::span<const Migration> Migrations();
int64_t LatestSchemaVersion();

// Brings `db` up to LatestSchemaVersion() in one IMMEDIATE transaction and returns the version.
// kFailedPrecondition when the file belongs to something else or to a newer goodhart.
Result<int64_t> Migrate(Db& db, int64_t now_unix_ms);

}  // namespace goodhart::store::internal
