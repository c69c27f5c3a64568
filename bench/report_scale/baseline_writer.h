// BaselineWriter: the same generated data as plain tables in a separate SQLite file, the way
// Apache DevLake and Google's Four Keys keep it (raw usage events, changes, deployments, the
// deployment → change mapping, incidents), for run.sh's plain-SQL baseline (baseline.sql). Rows
// are written on a thread of its own, in big transactions, so the store's writer is not slowed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "goodhart/base/status.h"

struct sqlite3;

namespace goodhart::bench {

// One usage event, as a raw events table holds it.
struct RawUsage {
  int64_t time_ms = 0;
  int32_t person = 0;   // index: actor is PersonEmail(person)
  int32_t session = 0;  // per person and day
  int16_t model = 0;    // index into kModels
  int64_t input = 0, cache_read = 0, cache_write = 0, output = 0, cost_micros = 0;
};

struct RawChange {
  std::string id, repo, author;
  int64_t first_commit_ms = 0, created_ms = 0, merged_ms = 0;
  std::string merge_sha;
  int64_t additions = 0, deletions = 0;
};

struct RawDeployment {
  std::string id, service, repo, environment, status, commit_sha;
  int64_t started_ms = 0, finished_ms = 0;
  std::vector<std::string> change_ids;  // the changes it shipped (DevLake's deployment commits)
};

struct RawIncident {
  std::string id, service, severity, caused_by_deployment;
  int64_t started_ms = 0, resolved_ms = 0;
};

// What one day adds.
struct RawDay {
  std::vector<RawUsage> usage;
  std::vector<RawChange> changes;
  std::vector<RawDeployment> deployments;
  std::vector<RawIncident> incidents;
};

// Not thread-safe: one generator thread calls it; the writes run on its own thread.
class BaselineWriter {
 public:
  ~BaselineWriter();

  // Creates `path` (which must not exist) with the tables, the people → team map and the
  // service → team map.
  Status Open(const std::string& path, const std::vector<std::string>& models,
              const std::vector<std::pair<std::string, std::string>>& email_team,
              const std::vector<std::pair<std::string, std::string>>& service_team);
  // Queues a day; blocks while two days are already queued.
  void Add(RawDay day);
  // Writes what is queued, builds the indexes DevLake's tables carry (time, ids) and closes.
  Status Finish();

 private:
  void Run();
  Status Write(const RawDay& day);

  sqlite3* db_ = nullptr;
  std::vector<std::string> models_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<RawDay> queue_;
  bool done_ = false;
  Status status_;
  std::thread thread_;
};

}  // namespace goodhart::bench
