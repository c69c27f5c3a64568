#include "goodhart/store/clickhouse/internal/review_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>

#include "goodhart/store/clickhouse/internal/tsv.h"

namespace goodhart::store::clickhouse {
namespace {

constexpr const char* kFlagColumns =
    "id, detector_id, subject_kind, subject_id, team, period_from, period_to, shown, created_ms, "
    "updated_ms, review_opens_ms, flag_json, version";
constexpr size_t kFlagFields = 13;

constexpr const char* kAlertColumns =
    "id, payload, created_ms, attempts, next_attempt_ms, last_error, sent, sent_ms, version";
constexpr size_t kAlertFields = 9;

// Ids per ALTER ... DELETE: keeps each statement far below max_query_size (256 KiB).
constexpr size_t kIdsPerDeletion = 1'000;

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Keeps, per key, the row with the largest version.
template <typename Row>
void KeepNewest(std::map<std::string, std::pair<uint64_t, Row>>* newest, std::string key,
                uint64_t version, Row row) {
  auto it = newest->find(key);
  if (it == newest->end())
    newest->emplace(std::move(key), std::make_pair(version, std::move(row)));
  else if (version > it->second.first)
    it->second = {version, std::move(row)};
}

}  // namespace

Result<std::vector<FlagRow>> ClickHouseReviewRecords::ReadFlags(
    const std::string& where, std::span<const ExternalTable> tables) const {
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client_.Query("flags: read",
                    fmt::format("SELECT {} FROM {}.flags WHERE {} FORMAT TabSeparated",
                                kFlagColumns, SqlIdentifier(database_), where),
                    tables));
  std::map<std::string, std::pair<uint64_t, FlagRow>> newest;
  TsvReader reader(body, "flags");
  while (reader.Next()) {
    GOODHART_RETURN_IF_ERROR(reader.Expect(kFlagFields));
    FlagRow r{.id = reader.Str(0),
              .detector_id = reader.Str(1),
              .subject_kind = reader.Str(2),
              .subject_id = reader.Str(3),
              .team = reader.Str(4),
              .flag_json = reader.Str(11)};
    GOODHART_ASSIGN_OR_RETURN(r.period_from_ms, reader.Int(5));
    GOODHART_ASSIGN_OR_RETURN(r.period_to_ms, reader.Int(6));
    GOODHART_ASSIGN_OR_RETURN(int64_t shown, reader.Int(7));
    r.shown = shown != 0;
    GOODHART_ASSIGN_OR_RETURN(r.created_ms, reader.Int(8));
    GOODHART_ASSIGN_OR_RETURN(r.updated_ms, reader.Int(9));
    GOODHART_ASSIGN_OR_RETURN(r.review_opens_ms, reader.Int(10));
    GOODHART_ASSIGN_OR_RETURN(uint64_t version, reader.UInt(12));
    std::string key = r.id;
    KeepNewest(&newest, std::move(key), version, std::move(r));
  }
  std::vector<FlagRow> out;
  out.reserve(newest.size());
  for (auto& [id, v] : newest)
    out.push_back(std::move(v.second));
  return out;
}

Status ClickHouseReviewRecords::WriteFlags(std::span<const FlagRow> rows) {
  if (rows.empty())
    return Status::Ok();
  uint64_t version = clock_.Reserve(rows.size());
  TsvWriter tsv;
  for (const FlagRow& r : rows) {
    tsv.Str(r.id)
        .Str(r.detector_id)
        .Str(r.subject_kind)
        .Str(r.subject_id)
        .Str(r.team)
        .Int(r.period_from_ms)
        .Int(r.period_to_ms)
        .Int(r.shown ? 1 : 0)
        .Int(r.created_ms)
        .Int(r.updated_ms)
        .Int(r.review_opens_ms)
        .Str(r.flag_json)
        .UInt(version++);
    tsv.EndRow();
  }
  GOODHART_RETURN_IF_ERROR(
      client_.Insert("flags: write",
                     fmt::format("INSERT INTO {}.flags ({}) FORMAT TabSeparated",
                                 SqlIdentifier(database_), kFlagColumns),
                     tsv.data()));
  InvalidateStamp();
  return Status::Ok();
}

Status ClickHouseReviewRecords::UpsertFlags(std::span<const std::string> ids,
                                            const FlagMerge& merge) {
  std::lock_guard lock(upsert_mu_);
  std::vector<FlagRow> stored;
  if (!ids.empty()) {
    TsvWriter keys;
    for (const std::string& id : ids) {
      keys.Str(id);
      keys.EndRow();
    }
    ExternalTable table{.name = "upsert_ids", .structure = "id String", .tsv = keys.data()};
    GOODHART_ASSIGN_OR_RETURN(stored, ReadFlags("id GLOBAL IN upsert_ids", {&table, 1}));
  }
  GOODHART_ASSIGN_OR_RETURN(std::vector<FlagRow> rows, merge(std::move(stored)));
  return WriteFlags(rows);
}

Result<std::optional<FlagRow>> ClickHouseReviewRecords::GetFlag(const std::string& id) const {
  GOODHART_ASSIGN_OR_RETURN(std::vector<FlagRow> rows, ReadFlags("id = " + SqlString(id)));
  if (rows.empty())
    return std::optional<FlagRow>();
  return std::optional<FlagRow>(std::move(rows.front()));
}

Result<std::vector<FlagRow>> ClickHouseReviewRecords::ListFlags(const FlagRowFilter& f) const {
  // Only columns a flag's id determines are filtered in SQL; shown and team are the newest
  // state's, so they are filtered after folding.
  std::string where = "1";
  if (f.subject_id)
    where += " AND subject_id = " + SqlString(*f.subject_id);
  if (f.detector_id)
    where += " AND detector_id = " + SqlString(*f.detector_id);
  if (f.period_overlaps_from)
    where += fmt::format(" AND period_to > {}", *f.period_overlaps_from);
  if (f.period_overlaps_to)
    where += fmt::format(" AND period_from < {}", *f.period_overlaps_to);
  GOODHART_ASSIGN_OR_RETURN(std::vector<FlagRow> rows, ReadFlags(where));
  std::erase_if(rows, [&](const FlagRow& r) {
    return (f.team && r.team != *f.team) || (!f.include_silent && !r.shown);
  });
  std::sort(rows.begin(), rows.end(), [](const FlagRow& a, const FlagRow& b) {
    return std::tie(b.period_from_ms, a.detector_id, a.subject_id) <
           std::tie(a.period_from_ms, b.detector_id, b.subject_id);
  });
  return rows;
}

Result<std::vector<FlagNoteRow>> ClickHouseReviewRecords::NotesOf(
    const std::string& flag_id) const {
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client_.Query("flags: read notes",
                    fmt::format("SELECT note_id, kind, author, disposition, note, at_ms, arrival "
                                "FROM {}.flag_notes WHERE flag_id = {} FORMAT TabSeparated",
                                SqlIdentifier(database_), SqlString(flag_id))));
  // One row per note_id (a retried insert wrote it twice), ordered by time, then arrival.
  std::map<std::string, std::tuple<int64_t, uint64_t, FlagNoteRow>> notes;
  TsvReader reader(body, "flag_notes");
  while (reader.Next()) {
    GOODHART_RETURN_IF_ERROR(reader.Expect(7));
    FlagNoteRow n{.flag_id = flag_id,
                  .note_id = reader.Str(0),
                  .kind = reader.Str(1),
                  .author = reader.Str(2),
                  .disposition = reader.Str(3),
                  .note = reader.Str(4)};
    GOODHART_ASSIGN_OR_RETURN(n.at_ms, reader.Int(5));
    GOODHART_ASSIGN_OR_RETURN(uint64_t arrival, reader.UInt(6));
    // A note stored twice keeps its first arrival: its place among the others.
    std::string key = n.note_id;
    auto it = notes.find(key);
    if (it == notes.end())
      notes.emplace(std::move(key), std::make_tuple(n.at_ms, arrival, std::move(n)));
    else if (arrival < std::get<1>(it->second))
      it->second = std::make_tuple(n.at_ms, arrival, std::move(n));
  }
  std::vector<std::tuple<int64_t, uint64_t, FlagNoteRow>> ordered;
  ordered.reserve(notes.size());
  for (auto& [id, v] : notes)
    ordered.push_back(std::move(v));
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  std::vector<FlagNoteRow> out;
  out.reserve(ordered.size());
  for (auto& v : ordered)
    out.push_back(std::move(std::get<2>(v)));
  return out;
}

Status ClickHouseReviewRecords::AddNote(const FlagNoteRow& n) {
  TsvWriter tsv;
  tsv.Str(n.flag_id)
      .Str(n.note_id)
      .Int(n.at_ms)
      .UInt(clock_.Reserve(1))
      .Str(n.kind)
      .Str(n.author)
      .Str(n.disposition)
      .Str(n.note);
  tsv.EndRow();
  GOODHART_RETURN_IF_ERROR(client_.Insert(
      "flags: add note",
      fmt::format("INSERT INTO {}.flag_notes (flag_id, note_id, at_ms, arrival, kind, author, "
                  "disposition, note) FORMAT TabSeparated",
                  SqlIdentifier(database_)),
      tsv.data()));
  InvalidateStamp();
  return Status::Ok();
}

Result<int64_t> ClickHouseReviewRecords::PurgeFlagsCreatedBefore(int64_t before_ms) {
  std::lock_guard lock(upsert_mu_);
  GOODHART_ASSIGN_OR_RETURN(std::vector<FlagRow> rows, ReadFlags("1"));
  std::vector<std::string> ids;
  for (const FlagRow& r : rows) {
    if (r.created_ms < before_ms)
      ids.push_back(r.id);
  }
  // Mutations do not go through Distributed tables: each shard deletes its own rows.
  for (size_t from = 0; from < ids.size(); from += kIdsPerDeletion) {
    std::string list;
    for (size_t i = from; i < std::min(ids.size(), from + kIdsPerDeletion); ++i)
      list += (i == from ? "" : ", ") + SqlString(ids[i]);
    for (const LocalTables& local : locals_) {
      std::string db = SqlIdentifier(local.database);
      GOODHART_RETURN_IF_ERROR(
          local.client
              ->Query(
                  "flags: purge notes",
                  fmt::format("ALTER TABLE {}.flag_notes DELETE WHERE flag_id IN ({})", db, list))
              .status());
      GOODHART_RETURN_IF_ERROR(
          local.client
              ->Query("flags: purge",
                      fmt::format("ALTER TABLE {}.flags DELETE WHERE id IN ({})", db, list))
              .status());
    }
  }
  if (!ids.empty()) {
    GOODHART_RETURN_IF_ERROR(WaitForMutations(locals_, "flags: purge"));
    InvalidateStamp();
  }
  return static_cast<int64_t>(ids.size());
}

Result<std::vector<AlertRow>> ClickHouseReviewRecords::ReadAlerts(const std::string& where) const {
  GOODHART_ASSIGN_OR_RETURN(
      std::string body,
      client_.Query("alerts: read",
                    fmt::format("SELECT {} FROM {}.alerts WHERE {} FORMAT TabSeparated",
                                kAlertColumns, SqlIdentifier(database_), where)));
  std::map<std::string, std::pair<uint64_t, AlertRow>> newest;
  TsvReader reader(body, "alerts");
  while (reader.Next()) {
    GOODHART_RETURN_IF_ERROR(reader.Expect(kAlertFields));
    AlertRow a{.id = reader.Str(0), .payload = reader.Str(1), .last_error = reader.Str(5)};
    GOODHART_ASSIGN_OR_RETURN(a.created_ms, reader.Int(2));
    GOODHART_ASSIGN_OR_RETURN(a.attempts, reader.Int(3));
    GOODHART_ASSIGN_OR_RETURN(a.next_attempt_ms, reader.Int(4));
    GOODHART_ASSIGN_OR_RETURN(int64_t sent, reader.Int(6));
    GOODHART_ASSIGN_OR_RETURN(int64_t sent_ms, reader.Int(7));
    if (sent != 0)
      a.sent_ms = sent_ms;
    GOODHART_ASSIGN_OR_RETURN(uint64_t version, reader.UInt(8));
    std::string key = a.id;
    KeepNewest(&newest, std::move(key), version, std::move(a));
  }
  std::vector<AlertRow> out;
  out.reserve(newest.size());
  for (auto& [id, v] : newest)
    out.push_back(std::move(v.second));
  return out;
}

Status ClickHouseReviewRecords::WriteAlert(const AlertRow& a) {
  TsvWriter tsv;
  tsv.Str(a.id)
      .Str(a.payload)
      .Int(a.created_ms)
      .Int(a.attempts)
      .Int(a.next_attempt_ms)
      .Str(a.last_error)
      .Int(a.sent_ms ? 1 : 0)
      .Int(a.sent_ms.value_or(0))
      .UInt(clock_.Reserve(1));
  tsv.EndRow();
  return client_.Insert("alerts: write",
                        fmt::format("INSERT INTO {}.alerts ({}) FORMAT TabSeparated",
                                    SqlIdentifier(database_), kAlertColumns),
                        tsv.data());
}

Result<bool> ClickHouseReviewRecords::EnqueueAlert(const std::string& id,
                                                   const std::string& payload, int64_t now_ms) {
  std::lock_guard lock(alert_mu_);
  GOODHART_ASSIGN_OR_RETURN(std::vector<AlertRow> known, ReadAlerts("id = " + SqlString(id)));
  if (!known.empty())
    return false;
  GOODHART_RETURN_IF_ERROR(
      WriteAlert({.id = id, .payload = payload, .created_ms = now_ms, .next_attempt_ms = now_ms}));
  return true;
}

Result<std::vector<AlertRow>> ClickHouseReviewRecords::DueAlerts(int64_t now_ms,
                                                                 int64_t max_attempts) const {
  // Ids with an unsent state first: sent alerts accumulate, unsent ones are few.
  GOODHART_ASSIGN_OR_RETURN(std::vector<AlertRow> alerts,
                            ReadAlerts(fmt::format("id IN (SELECT id FROM {}.alerts WHERE sent = 0 "
                                                   "AND next_attempt_ms <= {})",
                                                   SqlIdentifier(database_), now_ms)));
  std::erase_if(alerts, [&](const AlertRow& a) {
    return a.sent_ms.has_value() || a.next_attempt_ms > now_ms || a.attempts >= max_attempts;
  });
  std::sort(alerts.begin(), alerts.end(), [](const AlertRow& a, const AlertRow& b) {
    return std::tie(a.created_ms, a.id) < std::tie(b.created_ms, b.id);
  });
  return alerts;
}

Status ClickHouseReviewRecords::MarkAlertSent(const std::string& id, int64_t now_ms) {
  std::lock_guard lock(alert_mu_);
  GOODHART_ASSIGN_OR_RETURN(std::vector<AlertRow> known, ReadAlerts("id = " + SqlString(id)));
  if (known.empty())
    return Status::Ok();  // like an UPDATE of no row
  AlertRow a = std::move(known.front());
  a.attempts += 1;
  a.sent_ms = now_ms;
  return WriteAlert(a);
}

Status ClickHouseReviewRecords::MarkAlertFailed(const std::string& id, const std::string& error,
                                                int64_t next_attempt_ms) {
  std::lock_guard lock(alert_mu_);
  GOODHART_ASSIGN_OR_RETURN(std::vector<AlertRow> known, ReadAlerts("id = " + SqlString(id)));
  if (known.empty())
    return Status::Ok();
  AlertRow a = std::move(known.front());
  a.attempts += 1;
  a.last_error = error;
  a.next_attempt_ms = next_attempt_ms;
  return WriteAlert(a);
}

Result<int64_t> ClickHouseReviewRecords::SentAlertCount() const {
  GOODHART_ASSIGN_OR_RETURN(
      std::vector<AlertRow> sent,
      ReadAlerts(fmt::format("id IN (SELECT id FROM {}.alerts WHERE sent = 1)",
                             SqlIdentifier(database_))));
  return static_cast<int64_t>(sent.size());
}

Result<int64_t> ClickHouseReviewRecords::ChangeStamp() const {
  std::lock_guard lock(stamp_mu_);
  int64_t now = SteadyMillis();
  if (stamp_read_ms_ < 0 || now - stamp_read_ms_ >= 1'000) {
    const std::string db = SqlIdentifier(database_);
    GOODHART_ASSIGN_OR_RETURN(
        std::vector<int64_t> v,
        QueryInt64Row(client_, "flags: change stamp",
                      fmt::format("SELECT (SELECT toInt64(count()) FROM {0}.flags), "
                                  "(SELECT toInt64(max(version)) FROM {0}.flags), "
                                  "(SELECT toInt64(count()) FROM {0}.flag_notes), "
                                  "(SELECT toInt64(max(arrival)) FROM {0}.flag_notes) "
                                  "FORMAT TabSeparated",
                                  db),
                      4));
    // Versions are microseconds since 1970: their sum, plus the counts, fits in 63 bits.
    stamp_remote_ = v[0] + v[1] + v[2] + v[3];
    stamp_read_ms_ = now;
  }
  return stamp_remote_;
}

void ClickHouseReviewRecords::InvalidateStamp() {
  std::lock_guard lock(stamp_mu_);
  stamp_read_ms_ = -1;
}

}  // namespace goodhart::store::clickhouse
