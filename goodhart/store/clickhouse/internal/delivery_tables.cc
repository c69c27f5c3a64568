#include "goodhart/store/clickhouse/internal/delivery_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "goodhart/base/hash.h"
#include "goodhart/model/delivery_json.h"
#include "goodhart/model/json_numbers.h"
#include "goodhart/store/clickhouse/internal/tsv.h"
#include "goodhart/store/delivery_merge.h"
#include "goodhart/store/delivery_record.h"

namespace goodhart::store::clickhouse {
namespace {

using Json = nlohmann::json;

template <typename T>
Status Decode(std::string_view body, const std::string& key, T* out) {
  try {
    Json j = Json::parse(body);
    if (Status fits = model::CheckJsonNumbersFit(j); !fits.ok()) {
      return Status::DataLoss(
          fmt::format("clickhouse_store: delivery_states: {}: {}", key, fits.message()));
    }
    *out = j.get<T>();
  } catch (const std::exception& e) {
    return Status::DataLoss(
        fmt::format("clickhouse_store: delivery_states: {}: unreadable: {}", key, e.what()));
  }
  return Status::Ok();
}

// The stored states of some identities, as raw rows (kind, key, body) in arrival order.
struct StateRow {
  int kind = 0;
  std::string key, body;
};

Result<std::vector<StateRow>> ReadStates(const ClickHouseClient& client, const std::string& db,
                                         std::string_view what, const std::string& where,
                                         std::span<const ExternalTable> tables) {
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query(what,
                   fmt::format("SELECT kind, key, body FROM {}.delivery_states WHERE {} "
                               "ORDER BY kind, key, arrival FORMAT TabSeparated",
                               db, where),
                   tables));
  std::vector<StateRow> rows;
  TsvReader r(body, "delivery_states");
  while (r.Next()) {
    GOODHART_RETURN_IF_ERROR(r.Expect(3));
    GOODHART_ASSIGN_OR_RETURN(int64_t kind, r.Int(0));
    rows.push_back({static_cast<int>(kind), r.Str(1), r.Str(2)});
  }
  return rows;
}

// Folds the states of kind T into one record per key (first state, then MergeDelivery of each
// later one).
template <typename T>
Status Fold(const std::vector<StateRow>& rows, std::map<std::string, T>* out) {
  for (const StateRow& row : rows) {
    if (row.kind != static_cast<int>(KindOf<T>()))
      continue;
    T state;
    GOODHART_RETURN_IF_ERROR(Decode(row.body, row.key, &state));
    auto it = out->find(row.key);
    if (it == out->end())
      out->emplace(row.key, std::move(state));
    else
      MergeDelivery(it->second, state);
  }
  return Status::Ok();
}

// Merges each record of `records` into `known`, appending a state row for each that changed.
// Strings that are not UTF-8 (a commit subject in Latin-1) are stored with U+FFFD in their place:
// nlohmann::json throws on them otherwise.
template <typename T>
Status Apply(const std::vector<T>& records, const std::vector<StateRow>& stored,
             ArrivalClock& clock, TsvWriter* rows, model::AppendStats* stats) {
  std::map<std::string, T> known;
  GOODHART_RETURN_IF_ERROR(Fold(stored, &known));
  for (const T& record : records) {
    std::string key = DeliveryKey(record);
    auto it = known.find(key);
    if (it == known.end()) {
      it = known.emplace(key, record).first;
    } else if (!MergeDelivery(it->second, record)) {
      ++stats->duplicates;
      continue;
    }
    ++stats->inserted;
    const T& merged = it->second;
    rows->Int(static_cast<int>(KindOf<T>()))
        .Str(key)
        .UInt(clock.Reserve(1))
        .Int(DeliveryTimeMillis(merged))
        .Str(RepoOf(merged))
        .Str(EncodeDeliveryBody(merged))
        .EndRow();
  }
  return Status::Ok();
}

template <typename T>
void AddIdentities(const std::vector<T>& records, TsvWriter* ids) {
  for (const T& r : records)
    ids->Int(static_cast<int>(KindOf<T>())).Str(DeliveryKey(r)).EndRow();
}

// Folds the rows of kind T and keeps the records the query selects, ordered by time then key.
template <typename T>
Status Collect(const std::vector<StateRow>& rows, const DeliveryQuery& q, std::vector<T>* out) {
  std::map<std::string, T> merged;
  GOODHART_RETURN_IF_ERROR(Fold(rows, &merged));
  std::vector<std::tuple<int64_t, std::string, T*>> order;
  for (auto& [key, record] : merged) {
    int64_t time = DeliveryTimeMillis(record);
    if (time != 0 && (time < q.from_unix_ms || time >= q.to_unix_ms))
      continue;
    if (q.repo && RepoOf(record) != *q.repo)
      continue;
    order.emplace_back(time, key, &record);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  for (auto& [time, key, record] : order)
    out->push_back(std::move(*record));
  return Status::Ok();
}

Result<DirectoryVersion> VersionFromRow(const TsvReader& r, bool with_yaml) {
  GOODHART_RETURN_IF_ERROR(r.Expect(with_yaml ? 4 : 3));
  DirectoryVersion v;
  GOODHART_ASSIGN_OR_RETURN(v.version, r.Int(0));
  GOODHART_ASSIGN_OR_RETURN(v.imported_unix_ms, r.Int(1));
  v.content_hash = r.Str(2);
  if (with_yaml)
    v.yaml = r.Str(3);
  return v;
}

}  // namespace

Result<model::AppendStats> ApplyDelivery(const ClickHouseClient& client,
                                         const std::string& database, ArrivalClock& clock,
                                         const model::EventBatch& batch) {
  const std::string db = SqlIdentifier(database);
  model::AppendStats stats;
  if (!batch.raw_deliveries.empty()) {
    ExternalTable keys{"delivery_keys", "dedupe_key String", {}};
    for (const model::RawDelivery& d : batch.raw_deliveries) {
      AppendTsvEscaped(d.dedupe_key, &keys.tsv);
      keys.tsv.push_back('\n');
    }
    GOODHART_ASSIGN_OR_RETURN(
        std::string found,
        client.Query(
            "append: stored deliveries",
            fmt::format("SELECT dedupe_key FROM {}.raw_deliveries WHERE dedupe_key GLOBAL IN "
                        "delivery_keys LIMIT 1 FORMAT TabSeparated",
                        db),
            {&keys, 1}));
    if (!found.empty()) {  // a sender's retry: skipped whole
      stats.duplicates = static_cast<int64_t>(batch.size());
      return stats;
    }
  }
  if (batch.delivery_size() != 0) {
    TsvWriter ids;
    AddIdentities(batch.commits, &ids);
    AddIdentities(batch.changes, &ids);
    AddIdentities(batch.reviews, &ids);
    AddIdentities(batch.releases, &ids);
    AddIdentities(batch.pipeline_runs, &ids);
    AddIdentities(batch.deployments, &ids);
    AddIdentities(batch.incidents, &ids);
    ExternalTable identities{"identities", "kind UInt8, key String", std::move(ids.data())};
    GOODHART_ASSIGN_OR_RETURN(std::vector<StateRow> stored,
                              ReadStates(client, db, "append: delivery states",
                                         "(kind, key) GLOBAL IN identities", {&identities, 1}));
    TsvWriter rows;
    GOODHART_RETURN_IF_ERROR(Apply(batch.commits, stored, clock, &rows, &stats));
    GOODHART_RETURN_IF_ERROR(Apply(batch.changes, stored, clock, &rows, &stats));
    GOODHART_RETURN_IF_ERROR(Apply(batch.reviews, stored, clock, &rows, &stats));
    GOODHART_RETURN_IF_ERROR(Apply(batch.releases, stored, clock, &rows, &stats));
    GOODHART_RETURN_IF_ERROR(Apply(batch.pipeline_runs, stored, clock, &rows, &stats));
    GOODHART_RETURN_IF_ERROR(Apply(batch.deployments, stored, clock, &rows, &stats));
    GOODHART_RETURN_IF_ERROR(Apply(batch.incidents, stored, clock, &rows, &stats));
    if (!rows.empty()) {
      GOODHART_RETURN_IF_ERROR(
          client.Insert("append: delivery_states",
                        fmt::format("INSERT INTO {}.delivery_states (kind, key, arrival, time_ms, "
                                    "repo, body) FORMAT TabSeparated",
                                    db),
                        rows.data()));
    }
  }
  // The raw deliveries last: stored, they make a retry of this batch a duplicate, so the records
  // must be in before them.
  if (!batch.raw_deliveries.empty()) {
    TsvWriter raw;
    for (const model::RawDelivery& d : batch.raw_deliveries)
      raw.Str(d.dedupe_key).Str(d.source).Str(d.event).Int(d.received_unix_ms).Str(d.body).EndRow();
    GOODHART_RETURN_IF_ERROR(client.Insert(
        "append: raw_deliveries",
        fmt::format("INSERT INTO {}.raw_deliveries (dedupe_key, source, event, received_ms, body) "
                    "FORMAT TabSeparated",
                    db),
        raw.data()));
  }
  return stats;
}

Result<DeliveryRecords> ReadDelivery(const ClickHouseClient& client, const std::string& database,
                                     const DeliveryQuery& q) {
  if (q.to_unix_ms < q.from_unix_ms) {
    return Status::InvalidArgument(fmt::format(
        "clickhouse_store: delivery query: from {} is after to {}", q.from_unix_ms, q.to_unix_ms));
  }
  const std::string db = SqlIdentifier(database);
  // Select identities by their latest state (whose time and repo are those of the merged record),
  // then fold all states of those.
  std::string where = fmt::format(
      "(kind, key) IN (SELECT kind, key FROM (SELECT kind, key, argMax(time_ms, arrival) AS t, "
      "argMax(repo, arrival) AS r FROM {}.delivery_states GROUP BY kind, key) WHERE "
      "((t >= {} AND t < {}) OR t = 0){})",
      db, q.from_unix_ms, q.to_unix_ms, q.repo ? " AND r = " + SqlString(*q.repo) : "");
  GOODHART_ASSIGN_OR_RETURN(std::vector<StateRow> rows,
                            ReadStates(client, db, "delivery query", where, {}));
  DeliveryRecords r;
  GOODHART_RETURN_IF_ERROR(Collect(rows, q, &r.commits));
  GOODHART_RETURN_IF_ERROR(Collect(rows, q, &r.changes));
  GOODHART_RETURN_IF_ERROR(Collect(rows, q, &r.reviews));
  GOODHART_RETURN_IF_ERROR(Collect(rows, q, &r.releases));
  GOODHART_RETURN_IF_ERROR(Collect(rows, q, &r.pipeline_runs));
  GOODHART_RETURN_IF_ERROR(Collect(rows, q, &r.deployments));
  GOODHART_RETURN_IF_ERROR(Collect(rows, q, &r.incidents));
  return r;
}

Result<std::vector<model::RawDelivery>> ReadRawDeliveries(const ClickHouseClient& client,
                                                          const std::string& database,
                                                          const RawDeliveryQuery& q) {
  if (q.to_unix_ms < q.from_unix_ms) {
    return Status::InvalidArgument(fmt::format(
        "clickhouse_store: raw deliveries: from {} is after to {}", q.from_unix_ms, q.to_unix_ms));
  }
  std::vector<model::RawDelivery> out;
  if (q.limit == 0)
    return out;
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query(
          "raw deliveries",
          fmt::format("SELECT dedupe_key, source, event, received_ms, body "
                      "FROM {}.raw_deliveries FINAL WHERE received_ms >= {} AND received_ms < {} "
                      "AND (received_ms > {} OR (received_ms = {} AND dedupe_key > {})) "
                      "ORDER BY received_ms, dedupe_key{} FORMAT TabSeparated",
                      SqlIdentifier(database), q.from_unix_ms, q.to_unix_ms,
                      q.after_received_unix_ms, q.after_received_unix_ms,
                      SqlString(q.after_dedupe_key),
                      q.limit > 0 ? fmt::format(" LIMIT {}", q.limit) : "")));
  TsvReader r(body, "raw_deliveries");
  while (r.Next()) {
    GOODHART_RETURN_IF_ERROR(r.Expect(5));
    model::RawDelivery d;
    d.dedupe_key = r.Str(0);
    d.source = r.Str(1);
    d.event = r.Str(2);
    GOODHART_ASSIGN_OR_RETURN(d.received_unix_ms, r.Int(3));
    d.body = r.Str(4);
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<std::string>> ReadGitHeads(const ClickHouseClient& client,
                                              const std::string& database,
                                              const std::string& repo) {
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("git heads",
                   fmt::format("SELECT argMax(heads, version) FROM {}.git_heads WHERE repo = {} "
                               "FORMAT TabSeparated",
                               SqlIdentifier(database), SqlString(repo))));
  std::vector<std::string> heads;
  TsvReader r(body, "git_heads");
  if (!r.Next())
    return heads;
  std::string joined = r.Str(0);
  // Git ref names cannot hold a newline, so the heads are kept newline-separated.
  size_t start = 0;
  while (start < joined.size()) {
    size_t end = joined.find('\n', start);
    heads.push_back(joined.substr(start, end - start));
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return heads;
}

Status WriteGitHeads(const ClickHouseClient& client, const std::string& database,
                     ArrivalClock& clock, const std::string& repo,
                     const std::vector<std::string>& heads) {
  std::string joined;
  for (const std::string& h : heads) {
    if (h.find('\n') != std::string::npos) {
      return Status::InvalidArgument(
          fmt::format("clickhouse_store: git heads: {}: a head holds a newline", repo));
    }
    if (!joined.empty())
      joined.push_back('\n');
    joined += h;
  }
  TsvWriter row;
  row.Str(repo).Str(joined).UInt(clock.Reserve(1)).EndRow();
  return client.Insert(
      "git heads",
      fmt::format("INSERT INTO {}.git_heads (repo, heads, version) FORMAT TabSeparated",
                  SqlIdentifier(database)),
      row.data());
}

Result<std::optional<DirectoryVersion>> ReadDirectory(const ClickHouseClient& client,
                                                      const std::string& database,
                                                      std::optional<int64_t> as_of) {
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("directory",
                   fmt::format("SELECT version, imported_ms, content_hash, yaml "
                               "FROM {}.directory_versions FINAL{} ORDER BY version DESC LIMIT 1 "
                               "FORMAT TabSeparated",
                               SqlIdentifier(database),
                               as_of ? fmt::format(" WHERE imported_ms <= {}", *as_of) : "")));
  TsvReader r(body, "directory_versions");
  if (!r.Next())
    return std::optional<DirectoryVersion>();
  GOODHART_ASSIGN_OR_RETURN(DirectoryVersion v, VersionFromRow(r, /*with_yaml=*/true));
  return std::optional<DirectoryVersion>(std::move(v));
}

Result<DirectoryVersion> WriteDirectory(const ClickHouseClient& client, const std::string& database,
                                        const std::string& yaml, int64_t now_unix_ms) {
  GOODHART_ASSIGN_OR_RETURN(std::optional<DirectoryVersion> latest,
                            ReadDirectory(client, database, std::nullopt));
  std::string hash = Hash128Hex(yaml);
  if (latest && latest->content_hash == hash)
    return *latest;
  DirectoryVersion v{latest ? latest->version + 1 : 1, now_unix_ms, hash, yaml};
  TsvWriter row;
  row.Int(v.version).Int(v.imported_unix_ms).Str(v.content_hash).Str(v.yaml).EndRow();
  GOODHART_RETURN_IF_ERROR(
      client.Insert("directory",
                    fmt::format("INSERT INTO {}.directory_versions (version, imported_ms, "
                                "content_hash, yaml) FORMAT TabSeparated",
                                SqlIdentifier(database)),
                    row.data()));
  return v;
}

Result<std::vector<DirectoryVersion>> ReadDirectoryHistory(const ClickHouseClient& client,
                                                           const std::string& database) {
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("directory history",
                   fmt::format("SELECT version, imported_ms, content_hash "
                               "FROM {}.directory_versions FINAL ORDER BY version "
                               "FORMAT TabSeparated",
                               SqlIdentifier(database))));
  std::vector<DirectoryVersion> out;
  TsvReader r(body, "directory_versions");
  while (r.Next()) {
    GOODHART_ASSIGN_OR_RETURN(DirectoryVersion v, VersionFromRow(r, /*with_yaml=*/false));
    out.push_back(std::move(v));
  }
  return out;
}

Status ReadDeliveryStats(const ClickHouseClient& client, const std::string& database,
                         StoreStats* stats) {
  const std::string db = SqlIdentifier(database);
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client.Query("stats: delivery",
                   fmt::format("SELECT kind, uniqExact(key) FROM {}.delivery_states GROUP BY kind "
                               "FORMAT TabSeparated",
                               db)));
  TsvReader r(body, "delivery_states");
  while (r.Next()) {
    GOODHART_RETURN_IF_ERROR(r.Expect(2));
    GOODHART_ASSIGN_OR_RETURN(int64_t kind, r.Int(0));
    GOODHART_ASSIGN_OR_RETURN(int64_t n, r.Int(1));
    switch (static_cast<DeliveryKind>(kind)) {
      case DeliveryKind::kCommit:
        stats->commits = n;
        break;
      case DeliveryKind::kChange:
        stats->changes = n;
        break;
      case DeliveryKind::kReview:
        stats->reviews = n;
        break;
      case DeliveryKind::kRelease:
        stats->releases = n;
        break;
      case DeliveryKind::kPipelineRun:
        stats->pipeline_runs = n;
        break;
      case DeliveryKind::kDeployment:
        stats->deployments = n;
        break;
      case DeliveryKind::kIncident:
        stats->incidents = n;
        break;
    }
  }
  GOODHART_ASSIGN_OR_RETURN(
      std::vector<int64_t> counts,
      QueryInt64Row(client, "stats: raw deliveries",
                    fmt::format("SELECT (SELECT uniqExact(dedupe_key) FROM {0}.raw_deliveries), "
                                "(SELECT uniqExact(version) FROM {0}.directory_versions) "
                                "FORMAT TabSeparated",
                                db),
                    2));
  stats->raw_deliveries = counts[0];
  stats->directory_versions = counts[1];
  return Status::Ok();
}

}  // namespace goodhart::store::clickhouse
