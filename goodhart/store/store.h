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
#include "goodhart/store/review_records.h"

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

// One agent tool step with a fingerprint (UsageEvent::tool_step_fingerprint), for D5's loop
// signal. Rows come ordered by session, then time, then arrival.
struct ToolStepRow {
  std::string actor;
  std::string session_id;
  int64_t time_unix_ms = 0;
  std::string tool_name;
  uint64_t fingerprint = 0;
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

// Delivery records whose time lies in [from, to) (see DeliveryTimeMillis in delivery_merge.h:
// a commit's commit time, a change's merge time, ...); records of unknown time (0) always match.
struct DeliveryQuery {
  int64_t from_unix_ms = 0;
  int64_t to_unix_ms = INT64_MAX;   // exclusive
  std::optional<std::string> repo;  // owner/name; records without a repo never match a filter
};

// One record per identity, in its latest merged state, ordered by time then identity.
struct DeliveryRecords {
  std::vector<model::Commit> commits;
  std::vector<model::Change> changes;
  std::vector<model::Review> reviews;
  std::vector<model::Release> releases;
  std::vector<model::PipelineRun> pipeline_runs;
  std::vector<model::Deployment> deployments;
  std::vector<model::Incident> incidents;
};

// Raw webhook deliveries for replay, paged by (received time, dedupe_key).
struct RawDeliveryQuery {
  int64_t from_unix_ms = 0;
  int64_t to_unix_ms = INT64_MAX;  // exclusive
  std::string after_dedupe_key;    // page cursor with after_received_unix_ms
  int64_t after_received_unix_ms = -1;
  int64_t limit = 1000;
};

// One imported version of the directory YAML (who was on which team when). Versions count up
// from 1; importing the same text as the latest version adds none.
struct DirectoryVersion {
  int64_t version = 0;
  int64_t imported_unix_ms = 0;
  std::string content_hash;  // Hash128Hex of `yaml`
  std::string yaml;
  bool operator==(const DirectoryVersion&) const = default;
};

struct StoreStats {
  int64_t usage_events = 0;
  int64_t rollup_rows = 0;
  int64_t prompt_sketches = 0;
  int64_t commits = 0, changes = 0, reviews = 0, releases = 0, pipeline_runs = 0, deployments = 0,
          incidents = 0, raw_deliveries = 0, directory_versions = 0;
  int64_t bytes_on_disk = 0;
  int64_t schema_version = 0;
};

// Thread-safe: every method may be called concurrently from any thread.
class Store {
 public:
  virtual ~Store() = default;

  // Validates and durably commits every record in `batch`, or none. A usage record whose
  // event_key is already stored is a no-op counted as a duplicate, so a batch can be retried
  // safely. When this returns OK the data survives a crash of the process.
  //
  // Delivery records are kept one per identity (delivery_merge.h): a new identity is inserted, a
  // known one merged (later states win, empty fields never erase known ones) and counted as
  // inserted when that changed it, else as a duplicate. A batch carrying a raw delivery whose
  // dedupe_key is stored is skipped whole and counted as duplicates. A batch holds usage records
  // or delivery records, not both (kInvalidArgument): they come from different receivers.
  virtual Result<model::AppendStats> Append(const model::EventBatch& batch) = 0;

  virtual Result<std::vector<UsageRollupRow>> QueryUsageRollups(const RollupQuery& query) const = 0;
  virtual Result<std::vector<PromptSketchRow>> QueryPromptSketches(const SketchQuery& q) const = 0;
  virtual Result<std::vector<PromptCadenceRow>> QueryPromptCadence(const SketchQuery& q) const = 0;
  // Tool steps of [from_day, to_day] (30-day retention, like the sketches).
  virtual Result<std::vector<ToolStepRow>> QueryToolSteps(const SketchQuery& q) const = 0;
  // Ordered by event_key.
  virtual Result<std::vector<model::UsageEvent>> QueryUsageEvents(const EventQuery& q) const = 0;

  virtual Result<DeliveryRecords> QueryDelivery(const DeliveryQuery& q) const = 0;
  virtual Result<std::vector<model::RawDelivery>> QueryRawDeliveries(
      const RawDeliveryQuery& q) const = 0;

  // The branch and tag heads the git importer saw last for `repo` (empty when never imported).
  virtual Result<std::vector<std::string>> GetGitHeads(const std::string& repo) const = 0;
  virtual Status PutGitHeads(const std::string& repo, const std::vector<std::string>& heads) = 0;

  // Stores `yaml` as the next directory version unless it equals the latest; returns the version
  // now current. The caller validates the YAML first.
  virtual Result<DirectoryVersion> PutDirectory(const std::string& yaml,
                                                int64_t imported_unix_ms) = 0;
  // The version current at `as_of_unix_ms` (the latest imported at or before it); the latest
  // when nullopt. nullopt when there is none.
  virtual Result<std::optional<DirectoryVersion>> QueryDirectory(
      std::optional<int64_t> as_of_unix_ms) const = 0;
  // Every version, oldest first, without the YAML text.
  virtual Result<std::vector<DirectoryVersion>> DirectoryHistory() const = 0;

  // Deletes prompt sketches and cadence rows older than `before_day` (retention, metrics.md §7).
  virtual Result<int64_t> PurgeSketchesBefore(int64_t before_day) = 0;

  virtual Result<StoreStats> Stats() const = 0;

  // A number that differs after any change committed to the store, by this process or another
  // (a CLI import beside a running server). Cheap (microseconds): caches of computed answers
  // compare it to decide whether they are stale; equal stamps mean nothing changed. A backend
  // that cannot tell answers kUnimplemented, and caches then treat every answer as possibly stale
  // (api/read_cache.h).
  virtual Result<int64_t> ChangeStamp() const {
    return Status::Unimplemented("store: change stamp: not supported by this backend");
  }

  // The review workflow's records (flags, notes, alerts), kept so that every process using the
  // store sees the same: the embedded store in <data_dir>/flags.db (opened on first use,
  // embedded/flags_file.h), ClickHouse in its database. Owned by the store.
  virtual Result<ReviewRecords*> review_records() = 0;
};

}  // namespace goodhart::store
