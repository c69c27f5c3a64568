// The write path of usage events, for one group of batches (group commit):
//   1. keys repeated inside the group are duplicates (the first one is kept);
//   2. one query asks event_keys which of the rest are stored: those are duplicates too;
//   3. the new events' prompt sketches go to prompt_sketches, then the events to usage_events in
//      one insert (its materialized views fill event_keys, presence, metric points, tool steps);
//   4. the rollups and cadence rows of every person-day the group touched are recomputed inside
//      ClickHouse from the deduplicated raw events (RefreshPersonDays).
// Every step is idempotent, so a failure anywhere is repaired by retrying the batch: a retried
// batch finds its keys stored and still refreshes its person-days. README.md explains why this
// stays exact when two nodes store the same key at once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"
#include "goodhart/store/clickhouse/internal/arrival_clock.h"
#include "goodhart/store/clickhouse/internal/http_client.h"

namespace goodhart::store::clickhouse {

struct UsageBatch {
  const model::EventBatch* batch = nullptr;  // validated
  model::AppendStats stats;                  // set by WriteUsage
};

// Stores the group; on error nothing can be assumed stored or not (retry the batches).
Status WriteUsage(const ClickHouseClient& client, const std::string& database, ArrivalClock& clock,
                  std::span<UsageBatch> group);

// A person-day: (day, actor).
using PersonDay = std::pair<int64_t, std::string>;

// Recomputes usage_rollup (and prompt_cadence when `cadence`) for `days` from usage_events.
// Each row carries as version the number of events it was computed from; the event set of a
// person-day only grows, so the largest version is the newest snapshot whatever order refreshes
// finish in, on whichever node.
Status RefreshPersonDays(const ClickHouseClient& client, const std::string& database,
                         const std::vector<PersonDay>& days, bool cadence);

}  // namespace goodhart::store::clickhouse
