#include "goodhart/store/embedded/internal/delivery_tables.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "goodhart/base/hash.h"
#include "goodhart/base/json_text.h"
#include "goodhart/model/delivery_json.h"
#include "goodhart/store/delivery_merge.h"
#include "goodhart/store/delivery_record.h"
#include "goodhart/store/embedded/internal/delivery_decode.h"

namespace goodhart::store::internal {
namespace {

using Json = nlohmann::json;

// Inserts or merges one record; counts it as inserted when that changed what is stored.
template <typename T>
Status Upsert(Db& db, DeliveryDecoder& decoder, const T& record, model::AppendStats* stats) {
  std::string key = DeliveryKey(record);
  int kind = static_cast<int>(KindOf<T>());
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * select,
      db.PrepareStatic("SELECT body FROM delivery_records WHERE kind = ? AND key = ?"));
  select->BindInt64(1, kind);
  select->BindText(2, key);
  GOODHART_ASSIGN_OR_RETURN(bool found, select->Step());
  T merged = record;
  if (found) {
    T stored;
    Status decoded = decoder.Decode(select->ColumnText(0), key, &stored);
    select->Reset();
    GOODHART_RETURN_IF_ERROR(decoded);
    if (!MergeDelivery(stored, record)) {
      ++stats->duplicates;
      return Status::Ok();
    }
    merged = std::move(stored);
  }
  select->Reset();
  std::string body = EncodeDeliveryBody(merged);
  std::string repo = RepoOf(merged);
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * upsert,
      db.PrepareStatic("INSERT INTO delivery_records(kind, key, time_ms, repo, body) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, key) DO UPDATE SET "
                       "time_ms = excluded.time_ms, repo = excluded.repo, body = excluded.body"));
  upsert->BindInt64(1, kind);
  upsert->BindText(2, key);
  upsert->BindInt64(3, DeliveryTimeMillis(merged));
  upsert->BindText(4, repo);
  upsert->BindText(5, body);
  GOODHART_RETURN_IF_ERROR(upsert->Run());
  ++stats->inserted;
  return Status::Ok();
}

template <typename T>
Status UpsertAll(Db& db, const std::vector<T>& records, model::AppendStats* stats) {
  DeliveryDecoder decoder;
  for (const T& r : records)
    GOODHART_RETURN_IF_ERROR(Upsert(db, decoder, r, stats));
  return Status::Ok();
}

Result<model::AppendStats> ApplyLocked(Db& db, const model::EventBatch& batch) {
  model::AppendStats stats;
  GOODHART_ASSIGN_OR_RETURN(Stmt * seen,
                            db.PrepareStatic("SELECT 1 FROM raw_deliveries WHERE dedupe_key = ?"));
  for (const model::RawDelivery& d : batch.raw_deliveries) {
    seen->BindText(1, d.dedupe_key);
    GOODHART_ASSIGN_OR_RETURN(bool found, seen->Step());
    seen->Reset();
    if (found) {
      stats.duplicates = static_cast<int64_t>(batch.size());
      return stats;
    }
  }
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * insert,
      db.PrepareStatic("INSERT OR IGNORE INTO raw_deliveries(dedupe_key, source, event, "
                       "received_ms, body) VALUES (?, ?, ?, ?, ?)"));
  for (const model::RawDelivery& d : batch.raw_deliveries) {
    insert->BindText(1, d.dedupe_key);
    insert->BindText(2, d.source);
    insert->BindText(3, d.event);
    insert->BindInt64(4, d.received_unix_ms);
    insert->BindBlob(5, d.body);
    GOODHART_RETURN_IF_ERROR(insert->Run());
  }
  GOODHART_RETURN_IF_ERROR(UpsertAll(db, batch.commits, &stats));
  GOODHART_RETURN_IF_ERROR(UpsertAll(db, batch.changes, &stats));
  GOODHART_RETURN_IF_ERROR(UpsertAll(db, batch.reviews, &stats));
  GOODHART_RETURN_IF_ERROR(UpsertAll(db, batch.releases, &stats));
  GOODHART_RETURN_IF_ERROR(UpsertAll(db, batch.pipeline_runs, &stats));
  GOODHART_RETURN_IF_ERROR(UpsertAll(db, batch.deployments, &stats));
  GOODHART_RETURN_IF_ERROR(UpsertAll(db, batch.incidents, &stats));
  return stats;
}

template <typename Fn>
auto InTransaction(Db& db, const char* begin, Fn&& body) -> decltype(body()) {
  GOODHART_RETURN_IF_ERROR(db.Exec(begin));
  auto result = body();
  if (!result.ok()) {
    (void)db.Exec("ROLLBACK");
    return result;
  }
  GOODHART_RETURN_IF_ERROR(db.Exec("COMMIT"));
  return result;
}

template <typename T>
Status ReadKind(Db& db, DeliveryDecoder& decoder, const DeliveryQuery& q, std::vector<T>* out) {
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * stmt,
      db.Prepare("SELECT key, body FROM delivery_records WHERE kind = ?1 AND "
                 "((time_ms >= ?2 AND time_ms < ?3) OR time_ms = 0) AND (?4 IS NULL OR repo = ?4) "
                 "ORDER BY time_ms, key"));
  stmt->BindInt64(1, static_cast<int>(KindOf<T>()));
  stmt->BindInt64(2, q.from_unix_ms);
  stmt->BindInt64(3, q.to_unix_ms);
  if (q.repo)
    stmt->BindText(4, *q.repo);
  else
    stmt->BindNull(4);
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row)
      break;
    Status decoded = decoder.Decode(stmt->ColumnText(1), stmt->ColumnText(0), &out->emplace_back());
    if (!decoded.ok()) {
      stmt->Reset();
      return decoded;
    }
  }
  stmt->Reset();
  return Status::Ok();
}

DirectoryVersion VersionFromRow(Stmt* s, bool with_yaml) {
  DirectoryVersion v;
  v.version = s->ColumnInt64(0);
  v.imported_unix_ms = s->ColumnInt64(1);
  v.content_hash = std::string(s->ColumnText(2));
  if (with_yaml)
    v.yaml = std::string(s->ColumnText(3));
  return v;
}

}  // namespace

Result<model::AppendStats> ApplyDelivery(Db& db, const model::EventBatch& batch) {
  return InTransaction(db, "BEGIN IMMEDIATE", [&] { return ApplyLocked(db, batch); });
}

Result<DeliveryRecords> ReadDelivery(Db& db, const DeliveryQuery& q) {
  if (q.to_unix_ms < q.from_unix_ms) {
    return Status::InvalidArgument(fmt::format(
        "embedded_store: delivery query: from {} is after to {}", q.from_unix_ms, q.to_unix_ms));
  }
  return InTransaction(db, "BEGIN", [&]() -> Result<DeliveryRecords> {
    DeliveryRecords r;
    DeliveryDecoder decoder;
    GOODHART_RETURN_IF_ERROR(ReadKind(db, decoder, q, &r.commits));
    GOODHART_RETURN_IF_ERROR(ReadKind(db, decoder, q, &r.changes));
    GOODHART_RETURN_IF_ERROR(ReadKind(db, decoder, q, &r.reviews));
    GOODHART_RETURN_IF_ERROR(ReadKind(db, decoder, q, &r.releases));
    GOODHART_RETURN_IF_ERROR(ReadKind(db, decoder, q, &r.pipeline_runs));
    GOODHART_RETURN_IF_ERROR(ReadKind(db, decoder, q, &r.deployments));
    GOODHART_RETURN_IF_ERROR(ReadKind(db, decoder, q, &r.incidents));
    return r;
  });
}

Result<std::vector<model::RawDelivery>> ReadRawDeliveries(Db& db, const RawDeliveryQuery& q) {
  if (q.to_unix_ms < q.from_unix_ms) {
    return Status::InvalidArgument(fmt::format(
        "embedded_store: raw deliveries: from {} is after to {}", q.from_unix_ms, q.to_unix_ms));
  }
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * stmt,
      db.Prepare("SELECT dedupe_key, source, event, received_ms, body FROM raw_deliveries "
                 "WHERE received_ms >= ?1 AND received_ms < ?2 AND (received_ms, dedupe_key) > "
                 "(?3, ?4) ORDER BY received_ms, dedupe_key LIMIT ?5"));
  stmt->BindInt64(1, q.from_unix_ms);
  stmt->BindInt64(2, q.to_unix_ms);
  stmt->BindInt64(3, q.after_received_unix_ms);
  stmt->BindText(4, q.after_dedupe_key);
  stmt->BindInt64(5, q.limit);
  std::vector<model::RawDelivery> out;
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row)
      break;
    out.push_back({std::string(stmt->ColumnText(0)), std::string(stmt->ColumnText(1)),
                   std::string(stmt->ColumnText(2)), stmt->ColumnInt64(3),
                   std::string(stmt->ColumnBlob(4))});
  }
  stmt->Reset();
  return out;
}

Result<std::vector<std::string>> ReadGitHeads(Db& db, const std::string& repo) {
  GOODHART_ASSIGN_OR_RETURN(Stmt * stmt,
                            db.Prepare("SELECT heads FROM git_import_state WHERE repo = ?"));
  stmt->BindText(1, repo);
  GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
  std::vector<std::string> heads;
  if (row) {
    try {
      heads = Json::parse(stmt->ColumnText(0)).get<std::vector<std::string>>();
    } catch (const std::exception& e) {
      stmt->Reset();
      return Status::DataLoss(
          fmt::format("embedded_store: git import state {}: unreadable: {}", repo, e.what()));
    }
  }
  stmt->Reset();
  return heads;
}

Status WriteGitHeads(Db& db, const std::string& repo, const std::vector<std::string>& heads,
                     int64_t now_unix_ms) {
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * stmt, db.Prepare("INSERT INTO git_import_state(repo, heads, updated_ms) VALUES "
                              "(?, ?, ?) ON CONFLICT(repo) DO UPDATE SET heads = excluded.heads, "
                              "updated_ms = excluded.updated_ms"));
  std::string body = JsonText(Json(heads));
  stmt->BindText(1, repo);
  stmt->BindText(2, body);
  stmt->BindInt64(3, now_unix_ms);
  return stmt->Run();
}

Result<DirectoryVersion> WriteDirectory(Db& db, const std::string& yaml, int64_t now_unix_ms) {
  return InTransaction(db, "BEGIN IMMEDIATE", [&]() -> Result<DirectoryVersion> {
    GOODHART_ASSIGN_OR_RETURN(std::optional<DirectoryVersion> latest,
                              ReadDirectory(db, std::nullopt));
    std::string hash = Hash128Hex(yaml);
    if (latest && latest->content_hash == hash)
      return *latest;
    DirectoryVersion v{latest ? latest->version + 1 : 1, now_unix_ms, hash, yaml};
    GOODHART_ASSIGN_OR_RETURN(Stmt * stmt,
                              db.Prepare("INSERT INTO directory_versions(version, imported_ms, "
                                         "content_hash, yaml) VALUES (?, ?, ?, ?)"));
    stmt->BindInt64(1, v.version);
    stmt->BindInt64(2, v.imported_unix_ms);
    stmt->BindText(3, v.content_hash);
    stmt->BindText(4, v.yaml);
    GOODHART_RETURN_IF_ERROR(stmt->Run());
    return v;
  });
}

Result<std::optional<DirectoryVersion>> ReadDirectory(Db& db, std::optional<int64_t> as_of) {
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * stmt,
      db.Prepare("SELECT version, imported_ms, content_hash, yaml FROM directory_versions "
                 "WHERE ?1 IS NULL OR imported_ms <= ?1 ORDER BY version DESC LIMIT 1"));
  if (as_of)
    stmt->BindInt64(1, *as_of);
  else
    stmt->BindNull(1);
  GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
  std::optional<DirectoryVersion> v;
  if (row)
    v = VersionFromRow(stmt, /*with_yaml=*/true);
  stmt->Reset();
  return v;
}

Result<std::vector<DirectoryVersion>> ReadDirectoryHistory(Db& db) {
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * stmt, db.Prepare("SELECT version, imported_ms, content_hash FROM directory_versions "
                              "ORDER BY version"));
  std::vector<DirectoryVersion> out;
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row)
      break;
    out.push_back(VersionFromRow(stmt, /*with_yaml=*/false));
  }
  stmt->Reset();
  return out;
}

Status ReadDeliveryStats(Db& db, StoreStats* stats) {
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * stmt, db.Prepare("SELECT kind, count(*) FROM delivery_records GROUP BY kind"));
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row)
      break;
    int64_t n = stmt->ColumnInt64(1);
    switch (static_cast<DeliveryKind>(stmt->ColumnInt64(0))) {
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
  stmt->Reset();
  GOODHART_ASSIGN_OR_RETURN(stats->raw_deliveries,
                            QueryInt64(db, "SELECT count(*) FROM raw_deliveries", 0));
  GOODHART_ASSIGN_OR_RETURN(stats->directory_versions,
                            QueryInt64(db, "SELECT count(*) FROM directory_versions", 0));
  return Status::Ok();
}

}  // namespace goodhart::store::internal
