// The read side: a pool of read-only connections and the queries the Store interface answers.
// In WAL mode readers never block the writer nor each other; each query runs in one read
// transaction so the tables it joins come from the same snapshot.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/store/embedded/internal/dictionary.h"
#include "goodhart/store/embedded/internal/sqlite.h"
#include "goodhart/store/store.h"

namespace goodhart::store::internal {

// Thread-safe. Connections are opened on demand and kept for reuse.
class ReaderPool {
 public:
  explicit ReaderPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Db> db) : pool_(pool), db_(std::move(db)) {}
    ~Lease() { pool_->Release(std::move(db_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Db& db() { return *db_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Db> db_;
  };

  Result<std::unique_ptr<Lease>> Acquire();

 private:
  void Release(std::unique_ptr<Db> db);

  std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Db>> free_;
};

Result<std::vector<UsageRollupRow>> ReadUsageRollups(Db& db, IdCache& ids, const RollupQuery& q);
Result<std::vector<PromptSketchRow>> ReadPromptSketches(Db& db, IdCache& ids, const SketchQuery& q);
Result<std::vector<PromptCadenceRow>> ReadPromptCadence(Db& db, IdCache& ids, const SketchQuery& q);
Result<std::vector<ToolStepRow>> ReadToolSteps(Db& db, IdCache& ids, const SketchQuery& q);
Result<std::vector<model::UsageEvent>> ReadUsageEvents(Db& db, IdCache& ids, const EventQuery& q);
// Everything but bytes_on_disk.
Result<StoreStats> ReadStats(Db& db);

}  // namespace goodhart::store::internal
