// A Store keeps normalized events durably and exactly once, maintains per-person-day rollups and
// detector sketches as events arrive, and answers reads from those rollups, never by scanning raw
// events. Two ship: embedded (SQLite, the default) and clickhouse (issue #8); both must pass
// store/storetest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"

namespace goodhart::store {

// One rollup cell: usage per (actor, day, provider, model, tool, source). Metric-signal increments
// are already arbitrated against events (see model::Signal): a row never double counts a request.
struct UsageRollupRow {
  std::string actor;
  int64_t day = 0;  // days since 1970-01-01 UTC
  std::string provider, model, tool, source;
  model::TokenCounts tokens;
  int64_t requests = 0;  // model calls (sum of request_count of kModelCall/kUsageAggregate)
  int64_t prompts = 0;   // human prompts (kPrompt events)
  int64_t events = 0;    // stored records that contributed
  int64_t reported_cost_micros = 0;
  int64_t computed_cost_micros = 0;
  int64_t sessions = 0;  // distinct sessions seen in this cell
  bool operator==(const UsageRollupRow&) const = default;
};

struct RollupQuery {
  int64_t from_day = 0;  // inclusive
  int64_t to_day = 0;    // inclusive
  std::optional<std::string> actor;
};

// A sketch of one human prompt, kept for the near-duplicate detector (30-day retention).
struct PromptSketchRow {
  std::string actor;
  int64_t day = 0;
  int64_t time_unix_ms = 0;
  std::string session_id;
  std::string event_key;
  model::PromptSketch sketch;
};

// The human prompts of one actor on one day, as sorted timestamps: enough for the cadence
// detector's inter-arrival statistics, hour-of-day entropy and modal-gap share.
struct PromptCadenceRow {
  std::string actor;
  int64_t day = 0;
  std::vector<int64_t> prompt_times_unix_ms;  // sorted ascending
};

struct SketchQuery {
  int64_t from_day = 0;  // inclusive
  int64_t to_day = 0;    // inclusive
  std::optional<std::string> actor;
};

// Raw events, for inspection and export only (paged by event_key); analytics never use it.
struct EventQuery {
  int64_t from_unix_ms = 0;
  int64_t to_unix_ms = INT64_MAX;  // exclusive
  std::optional<std::string> actor;
  std::string after_event_key;  // page cursor: strictly greater than this key
  int64_t limit = 1000;
};

struct StoreStats {
  int64_t usage_events = 0;
  int64_t rollup_rows = 0;
  int64_t prompt_sketches = 0;
  int64_t bytes_on_disk = 0;
  int64_t schema_version = 0;
};

// Thread-safe: every method may be called concurrently from any thread.
class Store {
 public:
  virtual ~Store() = default;

  // Validates and durably commits every record in `batch`, or none. A record whose event_key is
  // already stored is a no-op counted as a duplicate, so a batch can be retried safely. When this
  // returns OK the data survives a crash of the process.
  virtual Result<model::AppendStats> Append(const model::EventBatch& batch) = 0;

  virtual Result<std::vector<UsageRollupRow>> QueryUsageRollups(const RollupQuery& query) const = 0;
  virtual Result<std::vector<PromptSketchRow>> QueryPromptSketches(const SketchQuery& q) const = 0;
  virtual Result<std::vector<PromptCadenceRow>> QueryPromptCadence(const SketchQuery& q) const = 0;
  // Ordered by event_key.
  virtual Result<std::vector<model::UsageEvent>> QueryUsageEvents(const EventQuery& q) const = 0;

  // Deletes prompt sketches and cadence rows older than `before_day` (retention, metrics.md §7).
  virtual Result<int64_t> PurgeSketchesBefore(int64_t before_day) = 0;

  virtual Result<StoreStats> Stats() const = 0;
};

}  // namespace goodhart::store
