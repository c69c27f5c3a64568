#include "goodhart/store/clickhouse/clickhouse_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "goodhart/base/clock.h"
#include "goodhart/base/time.h"
#include "goodhart/store/append_validation.h"
#include "goodhart/store/clickhouse/internal/arrival_clock.h"
#include "goodhart/store/clickhouse/internal/delivery_tables.h"
#include "goodhart/store/clickhouse/internal/http_client.h"
#include "goodhart/store/clickhouse/internal/review_tables.h"
#include "goodhart/store/clickhouse/internal/schema.h"
#include "goodhart/store/clickhouse/internal/tsv.h"
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

// Cluster mode: an insert into a Distributed table returns once every shard has its rows (the
// default queues them for a background sender, and OK must mean stored), and an IN subquery on a
// Distributed table inside a query on one is run once and sent along (18.16 refuses it by
// default).
constexpr const char* kClusterSettings =
    "insert_distributed_sync=1&distributed_product_mode=global";

ch::ClientOptions ClientOptionsOf(const ClickHouseStoreOptions& o, const std::string& url) {
  return {.url = url,
          .user = o.user,
          .password = o.password,
          .connect_timeout_ms = o.connect_timeout_ms,
          .request_timeout_ms = o.request_timeout_ms,
          .max_attempts = o.max_attempts,
          .initial_backoff_ms = o.initial_backoff_ms,
          .max_backoff_ms = o.max_backoff_ms,
          .settings = o.cluster.empty() ? "" : kClusterSettings};
}

ch::ClientOptions ClientOptionsOf(const ClickHouseStoreOptions& o) {
  return ClientOptionsOf(o, o.url);
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

// The servers of a cluster-mode store: a client per shard (shard i + 1 at index i), and the
// client of `url` when it is not one of them.
struct ClusterNodes {
  std::vector<std::unique_ptr<ch::ClickHouseClient>> shards;
  std::unique_ptr<ch::ClickHouseClient> entry;  // null when `url` is a shard
};

ClusterNodes ConnectCluster(const ClickHouseStoreOptions& o) {
  ClusterNodes nodes;
  bool url_is_shard = false;
  for (const std::string& url : o.shard_urls) {
    nodes.shards.push_back(std::make_unique<ch::ClickHouseClient>(ClientOptionsOf(o, url)));
    url_is_shard = url_is_shard || WithoutTrailingSlash(url) == WithoutTrailingSlash(o.url);
  }
  if (!url_is_shard)
    nodes.entry = std::make_unique<ch::ClickHouseClient>(ClientOptionsOf(o));
  return nodes;
}

// Checks that the server knows the cluster with one replica per shard, and (shard > 0) that it
// is that shard of it: a shard URL listed in the wrong place would route nothing wrongly (the
// servers route), but would migrate and purge the wrong servers.
Status CheckClusterNode(const ch::ClickHouseClient& node, const ClickHouseStoreOptions& o,
                        size_t shard) {
  GOODHART_ASSIGN_OR_RETURN(
      std::vector<int64_t> v,
      ch::QueryInt64Row(node, "cluster",
                        fmt::format("SELECT toInt64(count()), toInt64(uniqExact(shard_num)), "
                                    "toInt64(countIf(is_local = 1)), "
                                    "toInt64(maxIf(shard_num, is_local = 1)) FROM system.clusters "
                                    "WHERE cluster = {} FORMAT TabSeparated",
                                    ch::SqlString(o.cluster)),
                        4));
  const std::string& url = node.options().url;
  auto n = static_cast<int64_t>(o.shard_urls.size());
  if (v[0] == 0) {
    return Status::FailedPrecondition(
        fmt::format("clickhouse_store: cluster: {} has no cluster '{}' in its <remote_servers>",
                    url, o.cluster));
  }
  if (v[0] != n || v[1] != n) {
    return Status::FailedPrecondition(fmt::format(
        "clickhouse_store: cluster: '{}' on {} has {} shards and {} replicas; shard_urls lists {} "
        "(one replica per shard is supported)",
        o.cluster, url, v[1], v[0], n));
  }
  if (shard > 0 && (v[2] != 1 || v[3] != static_cast<int64_t>(shard))) {
    return Status::FailedPrecondition(fmt::format(
        "clickhouse_store: cluster: shard_urls[{}] ({}) is not shard {} of '{}' (it is {})",
        shard - 1, url, shard, o.cluster,
        v[2] == 1 ? fmt::format("shard {}", v[3]) : std::string("none of them")));
  }
  return Status::Ok();
}

// Checks every server of the cluster, then checks (migrate false) or applies (true) the schema
// on each; returns the lowest version found and the version now.
Result<ch::MigrateResult> PrepareCluster(const ClickHouseStoreOptions& o, const ClusterNodes& nodes,
                                         bool migrate) {
  std::vector<const ch::ClickHouseClient*> all;
  for (size_t i = 0; i < nodes.shards.size(); ++i) {
    GOODHART_RETURN_IF_ERROR(CheckClusterNode(*nodes.shards[i], o, i + 1));
    all.push_back(nodes.shards[i].get());
  }
  if (nodes.entry) {
    GOODHART_RETURN_IF_ERROR(CheckClusterNode(*nodes.entry, o, 0));
    all.push_back(nodes.entry.get());
  }
  const ch::ClusterSchema schema{o.cluster};
  ch::MigrateResult result{ch::kSchemaVersion, ch::kSchemaVersion};
  for (const ch::ClickHouseClient* node : all) {
    if (migrate) {
      GOODHART_ASSIGN_OR_RETURN(
          ch::MigrateResult r,
          ch::Migrate(*node, o.database, SystemClock::Get().NowMillis(), &schema));
      result.from_version = std::min(result.from_version, r.from_version);
      continue;
    }
    GOODHART_ASSIGN_OR_RETURN(int64_t version, ch::ReadSchemaVersion(*node, o.database));
    if (version > ch::kSchemaVersion) {
      return Status::FailedPrecondition(fmt::format(
          "clickhouse_store: database {} on {}: schema version {} was written by a newer goodhart "
          "(this one knows up to {})",
          o.database, node->options().url, version, ch::kSchemaVersion));
    }
    if (version < ch::kSchemaVersion) {
      return Status::FailedPrecondition(fmt::format(
          "clickhouse_store: database {} on {}: schema version {}, this goodhart needs {}: run "
          "`goodhart store migrate`",
          o.database, node->options().url, version, ch::kSchemaVersion));
    }
  }
  return result;
}

class ClickHouseStore final : public Store {
 public:
  ClickHouseStore(const ClickHouseStoreOptions& options, std::unique_ptr<ch::ClickHouseClient> c,
                  ClusterNodes cluster)
      : options_(options), client_(std::move(c)), cluster_(std::move(cluster)) {
    // The schema was checked (or applied) before the store is built: from now on a table
    // ClickHouse does not know is one it has not attached yet, or lost, never a missing migration.
    client_->SchemaVerified();
    for (const auto& shard : cluster_.shards)
      shard->SchemaVerified();
    if (cluster_.entry)
      cluster_.entry->SchemaVerified();
    if (options_.cluster.empty()) {
      locals_.push_back({client_.get(), options_.database});
      return;
    }
    for (const auto& shard : cluster_.shards)
      locals_.push_back({shard.get(), ch::LocalDatabase(options_.database)});
  }

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
    return ch::PurgeSketchesBefore(*client_, db(), locals_, before_day,
                                   SystemClock::Get().NowMillis());
  }
  Result<ReviewRecords*> review_records() override {
    std::call_once(review_once_, [&] {
      review_ = std::make_unique<ch::ClickHouseReviewRecords>(*client_, db(), locals_, clock_);
    });
    return static_cast<ReviewRecords*>(review_.get());
  }
  Result<StoreStats> Stats() const override {
    StoreStats stats;
    std::span<const ch::LocalTables> shards;
    if (!options_.cluster.empty())
      shards = locals_;
    GOODHART_RETURN_IF_ERROR(ch::ReadUsageStats(*client_, db(), shards, &stats));
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
  const ClusterNodes cluster_;           // cluster mode only
  std::vector<ch::LocalTables> locals_;  // where rows are stored: the node, or each shard
  ch::ArrivalClock clock_;
  std::once_flag review_once_;
  std::unique_ptr<ch::ClickHouseReviewRecords> review_;

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
  if (cluster.empty() != shard_urls.empty()) {
    return Status::InvalidArgument(
        "clickhouse_store: cluster and shard_urls: set both for a cluster, or neither");
  }
  if (cluster.size() > 128 ||
      cluster.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_-.") != std::string::npos) {
    return Status::InvalidArgument(fmt::format(
        "clickhouse_store: cluster: '{}' is not letters, digits, '_', '-' and '.'", cluster));
  }
  for (size_t i = 0; i < shard_urls.size(); ++i) {
    Status url_ok = ClientOptionsOf(*this, shard_urls[i]).Validate();
    if (!url_ok.ok()) {
      return Status::InvalidArgument(
          fmt::format("clickhouse_store: shard_urls[{}]: {}", i, url_ok.message()));
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Store>> OpenClickHouseStore(const ClickHouseStoreOptions& options) {
  GOODHART_ASSIGN_OR_RETURN(std::unique_ptr<ch::ClickHouseClient> client, Connect(options));
  if (!options.cluster.empty()) {
    ClusterNodes nodes = ConnectCluster(options);
    GOODHART_RETURN_IF_ERROR(PrepareCluster(options, nodes, options.migrate_on_open).status());
    return std::unique_ptr<Store>(
        new ClickHouseStore(options, std::move(client), std::move(nodes)));
  }
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
  return std::unique_ptr<Store>(new ClickHouseStore(options, std::move(client), {}));
}

Result<ClickHouseMigration> MigrateClickHouseStore(const ClickHouseStoreOptions& options) {
  GOODHART_ASSIGN_OR_RETURN(std::unique_ptr<ch::ClickHouseClient> client, Connect(options));
  if (!options.cluster.empty()) {
    GOODHART_ASSIGN_OR_RETURN(ch::MigrateResult r,
                              PrepareCluster(options, ConnectCluster(options), true));
    return ClickHouseMigration{r.from_version, r.to_version};
  }
  GOODHART_ASSIGN_OR_RETURN(ch::MigrateResult r,
                            ch::Migrate(*client, options.database, SystemClock::Get().NowMillis()));
  return ClickHouseMigration{r.from_version, r.to_version};
}

int64_t ClickHouseSchemaVersion() { return ch::kSchemaVersion; }

}  // namespace goodhart::store
