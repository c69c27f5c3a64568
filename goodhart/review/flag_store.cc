#include "goodhart/review/flag_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "goodhart/base/time.h"
#include "goodhart/detect/flag_json.h"

namespace goodhart::review {
namespace {

constexpr int64_t kDayMs = 86'400'000;

Status SqlError(sqlite3* db, std::string_view where) {
  int rc = sqlite3_errcode(db);
  std::string message = fmt::format("flags: {}: {}", where, sqlite3_errmsg(db));
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_FULL || rc == SQLITE_IOERR)
    return Status::Unavailable(message);
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
    return Status::DataLoss(message);
  return Status::Internal(message);
}

// One prepared statement, finalized at scope exit.
class Query {
 public:
  Query(sqlite3* db, const char* sql) : db_(db) {
    ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK;
  }
  ~Query() { sqlite3_finalize(stmt_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Query& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // true: a row; false: done.
  Result<bool> Step(std::string_view where) {
    if (!ok_)
      return SqlError(db_, where);
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
      return true;
    if (rc == SQLITE_DONE)
      return false;
    return SqlError(db_, where);
  }
  Status Run(std::string_view where) {
    auto r = Step(where);
    return r.ok() ? Status::Ok() : r.status();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE IF NOT EXISTS flags(
  id TEXT PRIMARY KEY, detector_id TEXT NOT NULL, subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL, team TEXT NOT NULL, period_from INTEGER NOT NULL,
  period_to INTEGER NOT NULL, shown INTEGER NOT NULL, created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL, review_opens_ms INTEGER NOT NULL, flag_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS flags_subject ON flags(subject_id, period_from);
CREATE TABLE IF NOT EXISTS flag_notes(
  flag_id TEXT NOT NULL, kind TEXT NOT NULL, author TEXT NOT NULL, disposition TEXT NOT NULL,
  note TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS flag_notes_flag ON flag_notes(flag_id);
CREATE TABLE IF NOT EXISTS alerts(
  id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_ms INTEGER NOT NULL, sent_ms INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL, last_error TEXT);
)sql";

constexpr const char* kSelectFlag =
    "SELECT flag_json, created_ms, updated_ms, review_opens_ms FROM flags";

Result<FlagRecord> ReadRecord(sqlite3* db, Query& q) {
  FlagRecord r;
  nlohmann::json j = nlohmann::json::parse(q.Text(0), nullptr, false);
  if (j.is_discarded())
    return Status::DataLoss("flags: a stored flag is not JSON");
  GOODHART_ASSIGN_OR_RETURN(r.flag, detect::FlagFromJson(j));
  r.created_unix_ms = q.Int(1);
  r.updated_unix_ms = q.Int(2);
  r.review_opens_unix_ms = q.Int(3);
  Query notes(db,
              "SELECT kind, author, disposition, note, at_ms FROM flag_notes WHERE flag_id = ? "
              "ORDER BY rowid");
  notes.Bind(1, r.flag.id);
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, notes.Step("read notes"));
    if (!row)
      break;
    r.notes.push_back({.kind = notes.Text(0),
                       .author = notes.Text(1),
                       .disposition = notes.Text(2),
                       .note = notes.Text(3),
                       .at_unix_ms = notes.Int(4)});
  }
  return r;
}

}  // namespace

int64_t AddWorkingDays(int64_t from_unix_ms, int days) {
  int64_t t = from_unix_ms;
  while (days > 0) {
    t += kDayMs;
    int64_t day = t >= 0 ? t / kDayMs : (t - kDayMs + 1) / kDayMs;
    int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);  // 0 = Monday (1970-01-01: Thursday)
    if (weekday < 5)
      --days;
  }
  return t;
}

const FlagNote* FlagRecord::disposition() const {
  for (auto it = notes.rbegin(); it != notes.rend(); ++it) {
    if (it->kind == "disposition")
      return &*it;
  }
  return nullptr;
}

std::string FlagRecord::Status(int64_t now_unix_ms) const {
  if (disposition() != nullptr)
    return "resolved";
  bool answered = std::any_of(notes.begin(), notes.end(),
                              [](const FlagNote& n) { return n.kind == "annotation"; });
  return answered || now_unix_ms >= review_opens_unix_ms ? "open" : "awaiting_subject";
}

Result<std::unique_ptr<FlagStore>> FlagStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Status::Unavailable(
        fmt::format("flags: {}: cannot open: {}", path, db ? sqlite3_errmsg(db) : "no memory"));
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<FlagStore> store(new FlagStore(db));
  GOODHART_RETURN_IF_ERROR(store->Exec(kSchema));
  return store;
}

FlagStore::~FlagStore() { sqlite3_close(db_); }

Status FlagStore::Exec(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    Status s = Status::Internal(fmt::format("flags: {}", error ? error : "exec failed"));
    sqlite3_free(error);
    return s;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> FlagStore::Upsert(const std::vector<detect::Flag>& flags,
                                                   int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> added;
  GOODHART_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  for (const detect::Flag& f : flags) {
    Query exists(db_, "SELECT shown FROM flags WHERE id = ?");
    exists.Bind(1, f.id);
    auto found = exists.Step("upsert");
    if (!found.ok()) {
      (void)Exec("ROLLBACK");
      return found.status();
    }
    bool was_shown = *found && exists.Int(0) != 0;
    detect::Flag stored = f;
    stored.shown = f.shown || was_shown;
    std::string json =
        detect::ToJson(stored).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    Status s;
    if (*found && (was_shown || !f.shown)) {
      Query update(db_, "UPDATE flags SET flag_json = ?, updated_ms = ? WHERE id = ?");
      update.Bind(1, json).Bind(2, now).Bind(3, f.id);
      s = update.Run("upsert");
    } else if (*found) {
      // Recorded before without being shown (a held-back candidate, or below materiality): it
      // is shown from now on, so its subject's turn starts now.
      Query update(db_,
                   "UPDATE flags SET flag_json = ?, shown = 1, created_ms = ?, updated_ms = ?, "
                   "review_opens_ms = ? WHERE id = ?");
      update.Bind(1, json)
          .Bind(2, now)
          .Bind(3, now)
          .Bind(4, AddWorkingDays(now, kSubjectWorkingDays))
          .Bind(5, f.id);
      s = update.Run("upsert");
      if (s.ok())
        added.push_back(f.id);
    } else {
      Query insert(db_,
                   "INSERT INTO flags(id, detector_id, subject_kind, subject_id, team, "
                   "period_from, period_to, shown, created_ms, updated_ms, review_opens_ms, "
                   "flag_json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
      insert.Bind(1, f.id)
          .Bind(2, f.detector_id)
          .Bind(3, std::string(detect::SubjectKindName(f.subject.kind)))
          .Bind(4, f.subject.id)
          .Bind(5, f.team)
          .Bind(6, f.period.from_unix_ms)
          .Bind(7, f.period.to_unix_ms)
          .Bind(8, f.shown ? 1 : 0)
          .Bind(9, now)
          .Bind(10, now)
          .Bind(11, AddWorkingDays(now, kSubjectWorkingDays))
          .Bind(12, json);
      s = insert.Run("upsert");
      if (s.ok())
        added.push_back(f.id);
    }
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
  }
  GOODHART_RETURN_IF_ERROR(Exec("COMMIT"));
  return added;
}

Result<std::optional<FlagRecord>> FlagStore::Get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  Query q(db_, "SELECT flag_json, created_ms, updated_ms, review_opens_ms FROM flags WHERE id = ?");
  q.Bind(1, id);
  GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("get"));
  if (!row)
    return std::optional<FlagRecord>();
  GOODHART_ASSIGN_OR_RETURN(FlagRecord r, ReadRecord(db_, q));
  return std::optional<FlagRecord>(std::move(r));
}

Result<std::vector<FlagRecord>> FlagStore::List(const FlagFilter& filter) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = std::string(kSelectFlag) +
                    " WHERE (?1 IS NULL OR subject_id = ?1) AND (?2 IS NULL OR team = ?2) AND "
                    "(?3 IS NULL OR detector_id = ?3) AND (?4 = 1 OR shown = 1) AND "
                    "(?5 IS NULL OR period_to > ?5) AND (?6 IS NULL OR period_from < ?6) "
                    "ORDER BY period_from DESC, detector_id, subject_id";
  Query q(db_, sql.c_str());
  if (filter.subject_id)
    q.Bind(1, *filter.subject_id);
  if (filter.team)
    q.Bind(2, *filter.team);
  if (filter.detector_id)
    q.Bind(3, *filter.detector_id);
  q.Bind(4, filter.include_silent ? 1 : 0);
  if (filter.period_overlaps_from)
    q.Bind(5, *filter.period_overlaps_from);
  if (filter.period_overlaps_to)
    q.Bind(6, *filter.period_overlaps_to);
  std::vector<FlagRecord> out;
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("list"));
    if (!row)
      break;
    GOODHART_ASSIGN_OR_RETURN(FlagRecord r, ReadRecord(db_, q));
    out.push_back(std::move(r));
  }
  return out;
}

Status FlagStore::Dispose(const std::string& id, const std::string& disposition,
                          const std::string& note, const std::string& reviewer, int64_t now) {
  if (disposition != "benign" && disposition != "process_issue" &&
      disposition != "confirmed_gaming") {
    return Status::InvalidArgument(fmt::format(
        "flags: disposition: '{}' is not benign|process_issue|confirmed_gaming", disposition));
  }
  if (note.empty())
    return Status::InvalidArgument("flags: note: a disposition records the reviewer's reasons");
  GOODHART_ASSIGN_OR_RETURN(std::optional<FlagRecord> record, Get(id));
  if (!record)
    return Status::NotFound(fmt::format("flags: {}: no such flag", id));
  if (!record->ReviewerMaySee(now)) {
    return Status::FailedPrecondition(
        fmt::format("flags: {}: the subject has until {} to respond before review", id,
                    FormatMillis(record->review_opens_unix_ms)));
  }
  std::lock_guard<std::mutex> lock(mu_);
  Query q(db_,
          "INSERT INTO flag_notes(flag_id, kind, author, disposition, note, at_ms) "
          "VALUES(?, 'disposition', ?, ?, ?, ?)");
  q.Bind(1, id).Bind(2, reviewer).Bind(3, disposition).Bind(4, note).Bind(5, now);
  return q.Run("dispose");
}

Status FlagStore::Annotate(const std::string& id, const std::string& author,
                           const std::string& note, int64_t now) {
  if (note.empty())
    return Status::InvalidArgument("flags: note: empty");
  GOODHART_ASSIGN_OR_RETURN(std::optional<FlagRecord> record, Get(id));
  if (!record)
    return Status::NotFound(fmt::format("flags: {}: no such flag", id));
  std::lock_guard<std::mutex> lock(mu_);
  Query q(db_,
          "INSERT INTO flag_notes(flag_id, kind, author, disposition, note, at_ms) "
          "VALUES(?, 'annotation', ?, '', ?, ?)");
  q.Bind(1, id).Bind(2, author).Bind(3, note).Bind(4, now);
  return q.Run("annotate");
}

Result<int64_t> FlagStore::ChangeStamp() const {
  std::lock_guard<std::mutex> lock(mu_);
  // data_version moves with other connections' commits, total_changes with this one's rows; both
  // only grow, so their sum changes whenever either does.
  Query q(db_, "PRAGMA data_version");
  GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("change stamp"));
  if (!row)
    return Status::Internal("flags: change stamp: no data_version");
  return q.Int(0) + static_cast<int64_t>(sqlite3_total_changes64(db_));
}

Result<int64_t> FlagStore::PurgeCreatedBefore(int64_t before) {
  std::lock_guard<std::mutex> lock(mu_);
  GOODHART_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Query notes(
      db_, "DELETE FROM flag_notes WHERE flag_id IN (SELECT id FROM flags WHERE created_ms < ?)");
  notes.Bind(1, before);
  Status s = notes.Run("purge");
  int64_t removed = 0;
  if (s.ok()) {
    Query flags(db_, "DELETE FROM flags WHERE created_ms < ?");
    flags.Bind(1, before);
    s = flags.Run("purge");
    removed = sqlite3_changes64(db_);
  }
  if (!s.ok()) {
    (void)Exec("ROLLBACK");
    return s;
  }
  GOODHART_RETURN_IF_ERROR(Exec("COMMIT"));
  return removed;
}

Result<bool> FlagStore::EnqueueAlert(const std::string& id, const std::string& payload,
                                     int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Query q(db_,
          "INSERT OR IGNORE INTO alerts(id, payload, created_ms, next_attempt_ms) VALUES(?,?,?,?)");
  q.Bind(1, id).Bind(2, payload).Bind(3, now).Bind(4, now);
  GOODHART_RETURN_IF_ERROR(q.Run("enqueue alert"));
  return sqlite3_changes64(db_) > 0;
}

Result<std::vector<Alert>> FlagStore::DueAlerts(int64_t now, int64_t max_attempts) const {
  std::lock_guard<std::mutex> lock(mu_);
  Query q(db_,
          "SELECT id, payload, created_ms, attempts, next_attempt_ms, COALESCE(last_error, '') "
          "FROM alerts WHERE sent_ms IS NULL AND next_attempt_ms <= ? AND attempts < ? "
          "ORDER BY created_ms, id");
  q.Bind(1, now).Bind(2, max_attempts);
  std::vector<Alert> out;
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("due alerts"));
    if (!row)
      break;
    out.push_back({.id = q.Text(0),
                   .payload = q.Text(1),
                   .created_unix_ms = q.Int(2),
                   .attempts = q.Int(3),
                   .next_attempt_unix_ms = q.Int(4),
                   .last_error = q.Text(5)});
  }
  return out;
}

Status FlagStore::MarkAlertSent(const std::string& id, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Query q(db_, "UPDATE alerts SET sent_ms = ?, attempts = attempts + 1 WHERE id = ?");
  q.Bind(1, now).Bind(2, id);
  return q.Run("alert sent");
}

Status FlagStore::MarkAlertFailed(const std::string& id, const std::string& error,
                                  int64_t next_attempt) {
  std::lock_guard<std::mutex> lock(mu_);
  Query q(db_,
          "UPDATE alerts SET attempts = attempts + 1, last_error = ?, next_attempt_ms = ? WHERE "
          "id = ?");
  q.Bind(1, error).Bind(2, next_attempt).Bind(3, id);
  return q.Run("alert failed");
}

Result<int64_t> FlagStore::SentAlertCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  Query q(db_, "SELECT COUNT(*) FROM alerts WHERE sent_ms IS NOT NULL");
  GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("count alerts"));
  return row ? q.Int(0) : 0;
}

}  // namespace goodhart::review
