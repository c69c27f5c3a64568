#include "goodhart/store/embedded/embedded_store.h"

#include <fmt/format.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <vector>

#include "goodhart/base/clock.h"
#include "goodhart/store/append_validation.h"
#include "goodhart/store/embedded/flags_file.h"
#include "goodhart/store/embedded/internal/delivery_tables.h"
#include "goodhart/store/embedded/internal/dictionary.h"
#include "goodhart/store/embedded/internal/reader.h"
#include "goodhart/store/embedded/internal/schema.h"
#include "goodhart/store/embedded/internal/sqlite.h"
#include "goodhart/store/embedded/internal/writer.h"

namespace goodhart::store {
namespace {

using internal::Db;
using internal::PreparedBatch;

// A group commit takes at most this much from the queue, bounding one transaction's size.
constexpr size_t kMaxGroupBatches = 64;
constexpr size_t kMaxGroupEvents = 100'000;
// WAL pages between automatic checkpoints (4 KiB pages: 40 MiB). Larger than SQLite's default
// 1000 so a checkpoint copies a page once for many commits; see README.md for measurements.
constexpr int kWalAutocheckpointPages = 10'000;

class EmbeddedStore final : public Store {
 public:
  EmbeddedStore(const EmbeddedStoreOptions& options, std::string path,
                std::unique_ptr<internal::Writer> writer)
      : options_(options), path_(std::move(path)), writer_(std::move(writer)), readers_(path_) {}

  Result<model::AppendStats> Append(const model::EventBatch& batch) override;

  Result<std::vector<UsageRollupRow>> QueryUsageRollups(const RollupQuery& query) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadUsageRollups(lease->db(), ids_, query);
  }
  Result<std::vector<PromptSketchRow>> QueryPromptSketches(const SketchQuery& q) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadPromptSketches(lease->db(), ids_, q);
  }
  Result<std::vector<PromptCadenceRow>> QueryPromptCadence(const SketchQuery& q) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadPromptCadence(lease->db(), ids_, q);
  }
  Result<int64_t> ChangeStamp() const override {
    std::lock_guard lock(stamp_mu_);
    if (stamp_db_ == nullptr) {
      GOODHART_ASSIGN_OR_RETURN(stamp_db_, readers_.Acquire());
    }
    return internal::QueryInt64(stamp_db_->db(), "PRAGMA data_version", 0);
  }
  Result<std::vector<ToolStepRow>> QueryToolSteps(const SketchQuery& q) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadToolSteps(lease->db(), ids_, q);
  }
  Result<std::vector<model::UsageEvent>> QueryUsageEvents(const EventQuery& q) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadUsageEvents(lease->db(), ids_, q);
  }

  Result<DeliveryRecords> QueryDelivery(const DeliveryQuery& q) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadDelivery(lease->db(), q);
  }
  Result<std::vector<model::RawDelivery>> QueryRawDeliveries(
      const RawDeliveryQuery& q) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadRawDeliveries(lease->db(), q);
  }
  Result<std::vector<std::string>> GetGitHeads(const std::string& repo) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadGitHeads(lease->db(), repo);
  }
  Status PutGitHeads(const std::string& repo, const std::vector<std::string>& heads) override {
    std::lock_guard lock(writer_mu_);
    return internal::WriteGitHeads(writer_->db(), repo, heads, SystemClock::Get().NowMillis());
  }
  Result<DirectoryVersion> PutDirectory(const std::string& yaml,
                                        int64_t imported_unix_ms) override {
    std::lock_guard lock(writer_mu_);
    return internal::WriteDirectory(writer_->db(), yaml, imported_unix_ms);
  }
  Result<std::optional<DirectoryVersion>> QueryDirectory(
      std::optional<int64_t> as_of_unix_ms) const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadDirectory(lease->db(), as_of_unix_ms);
  }
  Result<std::vector<DirectoryVersion>> DirectoryHistory() const override {
    GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return internal::ReadDirectoryHistory(lease->db());
  }

  Result<int64_t> PurgeSketchesBefore(int64_t before_day) override {
    std::lock_guard lock(writer_mu_);
    return writer_->PurgeSketchesBefore(before_day);
  }

  Result<StoreStats> Stats() const override;

  Result<ReviewRecords*> review_records() override {
    std::lock_guard lock(review_mu_);
    if (!review_) {
      GOODHART_ASSIGN_OR_RETURN(
          review_, OpenFlagsFile((std::filesystem::path(options_.data_dir) / "flags.db").string()));
    }
    return review_.get();
  }

 private:
  struct Pending {
    PreparedBatch prepared;
    std::optional<Result<model::AppendStats>> result;  // set under queue_mu_
  };

  std::vector<Result<model::AppendStats>> CommitGroup(const std::vector<Pending*>& group);

  const EmbeddedStoreOptions options_;
  const std::string path_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<Pending*> queue_;  // guarded by queue_mu_
  bool leader_active_ = false;   // guarded by queue_mu_

  std::mutex writer_mu_;  // held by whoever uses writer_
  std::unique_ptr<internal::Writer> writer_;

  mutable internal::ReaderPool readers_;
  mutable internal::IdCache ids_;

  // A connection of its own for ChangeStamp: SQLite's data_version changes when any other
  // connection (this process's writer, another process) commits, and is only comparable on one
  // connection.
  mutable std::mutex stamp_mu_;
  mutable std::unique_ptr<internal::ReaderPool::Lease> stamp_db_;

  std::mutex review_mu_;
  std::unique_ptr<ReviewRecords> review_;  // flags.db, opened on first use; guarded by review_mu_
};

Result<model::AppendStats> EmbeddedStore::Append(const model::EventBatch& batch) {
  GOODHART_RETURN_IF_ERROR(ValidateAppendBatch(batch, "embedded_store"));
  if (batch.delivery_size() != 0 || !batch.raw_deliveries.empty()) {
    std::lock_guard lock(writer_mu_);
    return internal::ApplyDelivery(writer_->db(), batch);
  }
  if (batch.usage.empty())
    return model::AppendStats{};

  Pending pending;
  pending.prepared.batch = &batch;
  pending.prepared.keys.reserve(batch.usage.size());
  internal::Fingerprinter fingerprint{options_.key_hash_for_test};
  for (const model::UsageEvent& e : batch.usage)
    pending.prepared.keys.push_back(fingerprint(e.event_key));

  // Leader/follower group commit: whoever finds no active leader commits everything queued
  // (its own batch or not) in one transaction; the others wait for their result.
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&pending);
  while (!pending.result) {
    if (leader_active_) {
      queue_cv_.wait(lock);
      continue;
    }
    leader_active_ = true;
    std::vector<Pending*> group;
    size_t events = 0;
    size_t taken = 0;
    while (taken < queue_.size() && group.size() < kMaxGroupBatches &&
           (group.empty() || events + queue_[taken]->prepared.keys.size() <= kMaxGroupEvents)) {
      events += queue_[taken]->prepared.keys.size();
      group.push_back(queue_[taken++]);
    }
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
    lock.unlock();
    std::vector<Result<model::AppendStats>> results = CommitGroup(group);
    lock.lock();
    for (size_t i = 0; i < group.size(); ++i)
      group[i]->result = std::move(results[i]);
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  return std::move(*pending.result);
}

std::vector<Result<model::AppendStats>> EmbeddedStore::CommitGroup(
    const std::vector<Pending*>& group) {
  std::lock_guard lock(writer_mu_);
  std::vector<const PreparedBatch*> batches;
  for (Pending* p : group)
    batches.push_back(&p->prepared);
  std::vector<Result<model::AppendStats>> results;
  Result<std::vector<model::AppendStats>> together = writer_->Apply(batches);
  if (together.ok()) {
    for (const model::AppendStats& s : *together)
      results.emplace_back(s);
    return results;
  }
  if (group.size() == 1) {
    results.emplace_back(together.status());
    return results;
  }
  // One batch must not fail the others: retry each alone, so each gets its own verdict.
  for (const PreparedBatch* b : batches) {
    Result<std::vector<model::AppendStats>> alone = writer_->Apply({&b, 1});
    if (alone.ok())
      results.emplace_back(alone->front());
    else
      results.emplace_back(alone.status());
  }
  return results;
}

Result<StoreStats> EmbeddedStore::Stats() const {
  GOODHART_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
  GOODHART_ASSIGN_OR_RETURN(StoreStats stats, internal::ReadStats(lease->db()));
  GOODHART_RETURN_IF_ERROR(internal::ReadDeliveryStats(lease->db(), &stats));
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path_ + suffix, ec);
    if (!ec)
      stats.bytes_on_disk += static_cast<int64_t>(size);
  }
  return stats;
}

}  // namespace

Status EmbeddedStoreOptions::Validate() const {
  if (data_dir.empty())
    return Status::InvalidArgument("embedded_store: data_dir: empty");
  if (cache_size_kib < 64) {
    return Status::InvalidArgument(
        fmt::format("embedded_store: cache_size_kib: at least 64 ({})", cache_size_kib));
  }
  if (key_index_merge_threshold < 1) {
    return Status::InvalidArgument(fmt::format(
        "embedded_store: key_index_merge_threshold: at least 1 ({})", key_index_merge_threshold));
  }
  return Status::Ok();
}

Result<std::unique_ptr<Store>> OpenEmbeddedStore(const EmbeddedStoreOptions& options) {
  GOODHART_RETURN_IF_ERROR(options.Validate());
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::Unavailable(fmt::format("embedded_store: data_dir: cannot create {}: {}",
                                           options.data_dir, ec.message()));
  }
  std::string path = (std::filesystem::path(options.data_dir) / "goodhart.db").string();
  GOODHART_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(path, /*create=*/true));
  GOODHART_RETURN_IF_ERROR(db->Exec("PRAGMA busy_timeout = 5000"));
  // Reading the journal mode is the first access to the file: a non-database fails here.
  GOODHART_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode = WAL"));
  GOODHART_RETURN_IF_ERROR(db->Exec(
      fmt::format("PRAGMA synchronous = {}", options.synchronous_full ? "FULL" : "NORMAL")));
  GOODHART_RETURN_IF_ERROR(
      db->Exec(fmt::format("PRAGMA cache_size = -{}", options.cache_size_kib)));
  GOODHART_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store = MEMORY"));
  GOODHART_RETURN_IF_ERROR(
      db->Exec(fmt::format("PRAGMA wal_autocheckpoint = {}", kWalAutocheckpointPages)));
  GOODHART_RETURN_IF_ERROR(db->Exec("PRAGMA journal_size_limit = 67108864"));
  GOODHART_RETURN_IF_ERROR(internal::Migrate(*db, SystemClock::Get().NowMillis()).status());
  GOODHART_ASSIGN_OR_RETURN(
      std::unique_ptr<internal::Writer> writer,
      internal::Writer::Create(std::move(db), options.key_index_merge_threshold,
                               internal::Fingerprinter{options.key_hash_for_test}));
  return std::unique_ptr<Store>(new EmbeddedStore(options, std::move(path), std::move(writer)));
}

}  // namespace goodhart::store
