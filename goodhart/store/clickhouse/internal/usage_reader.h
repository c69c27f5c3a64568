// The read path of usage data. Rollups come from usage_rollup (one row per cell, the newest
// snapshot by FINAL) plus metric points counted where no event covers them; sketches, cadence and
// tool steps from their tables; raw events (inspection and export only) from usage_events with
// the prompts' sketches joined back. Every read deduplicates with FINAL, so rows two nodes stored
// twice, or a retry stored again, count once even before ClickHouse merges them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/store/clickhouse/internal/http_client.h"
#include "goodhart/store/store.h"

namespace goodhart::store::clickhouse {

// Where rows are stored: `database` on the node `client` talks to; in cluster mode, one per shard,
// its local database. Mutations (ALTER ... DELETE) and system tables are per server, so they go
// here rather than through Distributed tables.
struct LocalTables {
  const ClickHouseClient* client = nullptr;
  std::string database;
};

Result<std::vector<UsageRollupRow>> ReadUsageRollups(const ClickHouseClient& client,
                                                     const std::string& database,
                                                     const RollupQuery& q);
Result<std::vector<PromptSketchRow>> ReadPromptSketches(const ClickHouseClient& client,
                                                        const std::string& database,
                                                        const SketchQuery& q);
Result<std::vector<PromptCadenceRow>> ReadPromptCadence(const ClickHouseClient& client,
                                                        const std::string& database,
                                                        const SketchQuery& q);
Result<std::vector<ToolStepRow>> ReadToolSteps(const ClickHouseClient& client,
                                               const std::string& database, const SketchQuery& q);
Result<std::vector<model::UsageEvent>> ReadUsageEvents(const ClickHouseClient& client,
                                                       const std::string& database,
                                                       const EventQuery& q);

// Deletes sketches, cadence rows and tool steps of days before `before_day` in every one of
// `locals` and waits until ClickHouse has applied the deletions; returns the number of rows
// deleted.
Result<int64_t> PurgeSketchesBefore(const ClickHouseClient& client, const std::string& database,
                                    std::span<const LocalTables> locals, int64_t before_day,
                                    int64_t now_unix_ms);

// Waits until every mutation (ALTER ... DELETE) in each of `locals` has been applied: 18.16 runs
// them in the background and has no mutations_sync. kUnavailable after 120 s.
Status WaitForMutations(std::span<const LocalTables> locals, std::string_view what);

// Fills the usage side of `stats`, its size on disk and schema version. `shards` (cluster mode
// only; empty otherwise): the size on disk is theirs, summed.
Status ReadUsageStats(const ClickHouseClient& client, const std::string& database,
                      std::span<const LocalTables> shards, StoreStats* stats);

}  // namespace goodhart::store::clickhouse
