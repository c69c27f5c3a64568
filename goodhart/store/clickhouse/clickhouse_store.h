// The ClickHouse store: the Store interface over ClickHouse's HTTP interface, for deployments that
// outgrow one SQLite file or run several goodhart nodes against one database. It passes
// store/storetest like the embedded store. Selected by config:
//
//   store: {kind: clickhouse, url: http://HOST:8123, database: goodhart, user: default, password:
//   ""}
//
// Exactly once without insert deduplication (18.16 has none for plain MergeTree): deterministic
// keys checked before each insert, deduplicating engines, reads with FINAL, and rollups recomputed
// per person-day with a version that makes the newest snapshot win, so two nodes storing the same
// key at once never double count. No state another node would need lives in a node's memory.
// Schema, idempotency, the SQL subset (Debian's 18.16 and current releases) and measured speeds are
// in README.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/store/store.h"

namespace goodhart::store {

struct ClickHouseStoreOptions {
  std::string url;  // http://HOST:8123 (or https://), no path
  std::string database = "goodhart";
  std::string user = "default";
  std::string password;  // sent in the X-ClickHouse-Key header, never in a URL

  // Cluster mode (README.md, "Sharding"): the name of a <remote_servers> cluster in the servers'
  // config, and the HTTP URL of each of its shards in shard order (one replica per shard).
  // Migrations create the tables on every shard, in `<database>_local`, and in `database` on
  // every shard (and on `url`) Distributed tables of the same names over them; the store's
  // queries go to `url` (usually one of the shards) with synchronous distributed inserts, so an
  // acknowledged insert is on its shard. Both empty: one node.
  std::string cluster;
  std::vector<std::string> shard_urls;

  int64_t connect_timeout_ms = 2'000;
  int64_t request_timeout_ms = 60'000;
  // Each request is retried with exponential backoff and jitter on connection errors and 5xx
  // answers that are not query errors; then the caller gets kUnavailable (HTTP 503, Retry-After).
  int max_attempts = 4;
  int64_t initial_backoff_ms = 100;
  int64_t max_backoff_ms = 2'000;

  // Concurrent appends are committed together (group commit: one dedupe query, one insert, one
  // rollup refresh per group), at most this many events per group.
  int64_t max_group_events = 100'000;
  // Bounded memory while ClickHouse is slow or down: an Append that would make more events than
  // this wait for a commit is refused at once with kUnavailable (a batch alone always waits).
  // Nothing acknowledged is ever dropped: OK means ClickHouse acknowledged the insert.
  int64_t max_pending_events = 500'000;

  // Open() applies missing migrations; false: it refuses an unmigrated database
  // (kFailedPrecondition) and `goodhart store migrate` must run first.
  bool migrate_on_open = true;

  // kInvalidArgument naming the field.
  Status Validate() const;
};

// Connects, checks (or applies) the schema version and returns the store. kFailedPrecondition
// when the database was migrated by a newer goodhart, when it is not migrated and
// migrate_on_open is false, or when ClickHouse refuses the credentials; kUnavailable when
// ClickHouse cannot be reached.
//
// Thread-safe as Store requires. Append returns OK only after ClickHouse acknowledged every insert
// of the batch and the rollups of the person-days it touched were recomputed.
Result<std::unique_ptr<Store>> OpenClickHouseStore(const ClickHouseStoreOptions& options);

struct ClickHouseMigration {
  int64_t from_version = 0;
  int64_t to_version = 0;
};

// Creates the database and applies every migration it lacks (`goodhart store migrate`). Safe to
// run again and from several nodes at once. In cluster mode on every shard (and `url`), after
// checking that each shard URL is the shard of that number in the cluster (kFailedPrecondition
// otherwise).
Result<ClickHouseMigration> MigrateClickHouseStore(const ClickHouseStoreOptions& options);

// The schema version this goodhart writes.
int64_t ClickHouseSchemaVersion();

}  // namespace goodhart::store
