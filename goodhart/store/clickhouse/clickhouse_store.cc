#include "goodhart/store/clickhouse/clickhouse_store.h"

#include <fmt/format.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "goodhart/base/clock.h"
#include "goodhart/base/time.h"
#include "goodhart/store/append_validation.h"
#include "goodhart/store/clickhouse/internal/arrival_clock.h"
#include "goodhart/store/clickhouse/internal/delivery_tables.h"
#include "goodhart/store/clickhouse/internal/http_client.h"
#include "goodhart/store/clickhouse/internal/schema.h"
#include "goodhart/store/clickhouse/internal/usage_reader.h"
#include "goodhart/store/clickhouse/internal/usage_writer.h"

namespace goodhart::store {
namespace {

namespace ch = clickhouse;

constexpr int64_t kMaxDay = 0xffffffffLL;  // the day columns are UInt32

// The shared checks, and the day columns' range.
Status ValidateBatch(const model::EventBatch& batch) {
  GOODHART_RETURN_IF_ERROR(ValidateAppendBatch(batch, "clickhouse_store"));
  for (size_t i = 0; i < batch.usage.size(); ++i) {
    if (DayOfMillis(batch.usage[i].time_unix_ms) > kMaxDay) {
      return Status::InvalidArgument(
          fmt::format("clickhouse_store: usage[{}]: time: beyond the year 11 million", i));
    }
  }
  return Status::Ok();
}

ch::ClientOptions ClientOptionsOf(const ClickHouseStoreOptions& o) {
  return {.url = o.url,
          .user = o.user,
          .password = o.password,
          .connect_timeout_ms = o.connect_timeout_ms,
          .request_timeout_ms = o.request_timeout_ms,
          .max_attempts = o.max_attempts,
          .initial_backoff_ms = o.initial_backoff_ms,
          .max_backoff_ms = o.max_backoff_ms};
}

class ClickHouseStore final : public Store {
 public:
  ClickHouseStore(const ClickHouseStoreOptions& options, std::unique_ptr<ch::ClickHouseClient> c)
      : options_(options), client_(std::move(c)) {}

  Result<model::AppendStats> Append(const model::EventBatch& batch) override;

  Result<std::vector<UsageRollupRow>> QueryUsageRollups(const RollupQuery& q) const override {
    return ch::ReadUsageRollups(*client_, db(), q);
  }
  Result<std::vector<PromptSketchRow>> QueryPromptSketches(const SketchQuery& q) const override {
    return ch::ReadPromptSketches(*client_, db(), q);
  }
  Result<std::vector<PromptCadenceRow>> QueryPromptCadence(const SketchQuery& q) const override {
    return ch::ReadPromptCadence(*client_, db(), q);
  }
  Result<std::vector<ToolStepRow>> QueryToolSteps(const SketchQuery& q) const override {
    return ch::ReadToolSteps(*client_, db(), q);
  }
  Result<std::vector<model::UsageEvent>> QueryUsageEvents(const EventQuery& q) const override {
    return ch::ReadUsageEvents(*client_, db(), q);
  }
  Result<DeliveryRecords> QueryDelivery(const DeliveryQuery& q) const override {
    return ch::ReadDelivery(*client_, db(), q);
  }
  Result<std::vector<model::RawDelivery>> QueryRawDeliveries(
      const RawDeliveryQuery& q) const override {
    return ch::ReadRawDeliveries(*client_, db(), q);
  }
  Result<std::vector<std::string>> GetGitHeads(const std::string& repo) const override {
    return ch::ReadGitHeads(*client_, db(), repo);
  }
  Status PutGitHeads(const std::string& repo, const std::vector<std::string>& heads) override {
    return ch::WriteGitHeads(*client_, db(), clock_, repo, heads);
  }
  Result<DirectoryVersion> PutDirectory(const std::string& yaml,
                                        int64_t imported_unix_ms) override {
    std::lock_guard lock(delivery_mu_);
    return ch::WriteDirectory(*client_, db(), yaml, imported_unix_ms);
  }
  Result<std::optional<DirectoryVersion>> QueryDirectory(
      std::optional<int64_t> as_of_unix_ms) const override {
    return ch::ReadDirectory(*client_, db(), as_of_unix_ms);
  }
  Result<std::vector<DirectoryVersion>> DirectoryHistory() const override {
    return ch::ReadDirectoryHistory(*client_, db());
  }
  Result<int64_t> PurgeSketchesBefore(int64_t before_day) override {
    return ch::PurgeSketchesBefore(*client_, db(), before_day, SystemClock::Get().NowMillis());
  }
  Result<StoreStats> Stats() const override {
    StoreStats stats;
    GOODHART_RETURN_IF_ERROR(ch::ReadUsageStats(*client_, db(), &stats));
    GOODHART_RETURN_IF_ERROR(ch::ReadDeliveryStats(*client_, db(), &stats));
    return stats;
  }

 private:
  struct Pending {
    ch::UsageBatch usage;
    std::optional<Status> result;  // set under queue_mu_
  };

  const std::string& db() const { return options_.database; }
  std::vector<Status> CommitGroup(const std::vector<Pending*>& group);

  const ClickHouseStoreOptions options_;
  const std::unique_ptr<ch::ClickHouseClient> client_;
  ch::ArrivalClock clock_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<Pending*> queue_;  // guarded by queue_mu_
  bool leader_active_ = false;   // guarded by queue_mu_
  int64_t pending_events_ = 0;   // queued or being committed; guarded by queue_mu_
  std::mutex delivery_mu_;       // one read-merge-append of delivery records at a time
};

Result<model::AppendStats> ClickHouseStore::Append(const model::EventBatch& batch) {
  GOODHART_RETURN_IF_ERROR(ValidateBatch(batch));
  if (batch.delivery_size() != 0 || !batch.raw_deliveries.empty()) {
    std::lock_guard lock(delivery_mu_);
    return ch::ApplyDelivery(*client_, db(), clock_, batch);
  }
  if (batch.usage.empty())
    return model::AppendStats{};

  const auto events = static_cast<int64_t>(batch.usage.size());
  Pending pending;
  pending.usage.batch = &batch;
  // Leader/follower group commit, as in the embedded store: whoever finds no active leader
  // commits everything queued; the others wait for their result. Within this process, checking
  // keys and inserting are thereby serialised, so concurrent appends of one key store it once.
  std::unique_lock lock(queue_mu_);
  if (pending_events_ > 0 && pending_events_ + events > options_.max_pending_events) {
    return Status::Unavailable(
        fmt::format("clickhouse_store: append: {} events already wait for ClickHouse; retry later",
                    pending_events_));
  }
  pending_events_ += events;
  queue_.push_back(&pending);
  while (!pending.result) {
    if (leader_active_) {
      queue_cv_.wait(lock);
      continue;
    }
    leader_active_ = true;
    std::vector<Pending*> group;
    int64_t grouped = 0;
    size_t taken = 0;
    while (taken < queue_.size() &&
           (group.empty() ||
            grouped + static_cast<int64_t>(queue_[taken]->usage.batch->usage.size()) <=
                options_.max_group_events)) {
      grouped += static_cast<int64_t>(queue_[taken]->usage.batch->usage.size());
      group.push_back(queue_[taken++]);
    }
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
    lock.unlock();
    std::vector<Status> results = CommitGroup(group);
    lock.lock();
    for (size_t i = 0; i < group.size(); ++i)
      group[i]->result = std::move(results[i]);
    pending_events_ -= grouped;
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  if (!pending.result->ok())
    return *pending.result;
  return pending.usage.stats;
}

std::vector<Status> ClickHouseStore::CommitGroup(const std::vector<Pending*>& group) {
  std::vector<ch::UsageBatch> batches;
  for (Pending* p : group)
    batches.push_back(p->usage);
  Status together = ch::WriteUsage(*client_, db(), clock_, batches);
  std::vector<Status> results(group.size(), together);
  if (together.ok()) {
    for (size_t i = 0; i < group.size(); ++i)
      group[i]->usage.stats = batches[i].stats;
    return results;
  }
  if (group.size() == 1 || together.code() == StatusCode::kUnavailable)
    return results;  // ClickHouse is unreachable for every batch alike
  // One batch ClickHouse refuses must not fail the others: each alone gets its own verdict.
  for (size_t i = 0; i < group.size(); ++i) {
    ch::UsageBatch alone = group[i]->usage;
    results[i] = ch::WriteUsage(*client_, db(), clock_, {&alone, 1});
    group[i]->usage.stats = alone.stats;
  }
  return results;
}

Result<std::unique_ptr<ch::ClickHouseClient>> Connect(const ClickHouseStoreOptions& options) {
  GOODHART_RETURN_IF_ERROR(options.Validate());
  auto client = std::make_unique<ch::ClickHouseClient>(ClientOptionsOf(options));
  GOODHART_RETURN_IF_ERROR(client->Query("connect", "SELECT 1").status());
  return client;
}

}  // namespace

Status ClickHouseStoreOptions::Validate() const {
  GOODHART_RETURN_IF_ERROR(ClientOptionsOf(*this).Validate());
  bool identifier = !database.empty() && database.size() <= 128 &&
                    database.find_first_not_of(
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789_") == std::string::npos &&
                    !(database[0] >= '0' && database[0] <= '9');
  if (!identifier) {
    return Status::InvalidArgument(fmt::format(
        "clickhouse_store: database: '{}' is not letters, digits and _ (not starting with a "
        "digit)",
        database));
  }
  if (max_group_events < 1 || max_pending_events < 1) {
    return Status::InvalidArgument(
        "clickhouse_store: max_group_events and max_pending_events must be positive");
  }
  return Status::Ok();
}

Result<std::unique_ptr<Store>> OpenClickHouseStore(const ClickHouseStoreOptions& options) {
  GOODHART_ASSIGN_OR_RETURN(std::unique_ptr<ch::ClickHouseClient> client, Connect(options));
  GOODHART_ASSIGN_OR_RETURN(int64_t version, ch::ReadSchemaVersion(*client, options.database));
  if (version > ch::kSchemaVersion) {
    return Status::FailedPrecondition(fmt::format(
        "clickhouse_store: database {}: schema version {} was written by a newer goodhart (this "
        "one knows up to {})",
        options.database, version, ch::kSchemaVersion));
  }
  if (version < ch::kSchemaVersion) {
    if (!options.migrate_on_open) {
      return Status::FailedPrecondition(fmt::format(
          "clickhouse_store: database {}: schema version {}, this goodhart needs {}: run "
          "`goodhart store migrate`",
          options.database, version, ch::kSchemaVersion));
    }
    GOODHART_RETURN_IF_ERROR(
        ch::Migrate(*client, options.database, SystemClock::Get().NowMillis()).status());
  }
  return std::unique_ptr<Store>(new ClickHouseStore(options, std::move(client)));
}

Result<ClickHouseMigration> MigrateClickHouseStore(const ClickHouseStoreOptions& options) {
  GOODHART_ASSIGN_OR_RETURN(std::unique_ptr<ch::ClickHouseClient> client, Connect(options));
  GOODHART_ASSIGN_OR_RETURN(ch::MigrateResult r,
                            ch::Migrate(*client, options.database, SystemClock::Get().NowMillis()));
  return ClickHouseMigration{r.from_version, r.to_version};
}

int64_t ClickHouseSchemaVersion() { return ch::kSchemaVersion; }

}  // namespace goodhart::store
