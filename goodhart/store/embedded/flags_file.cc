#include "goodhart/store/embedded/flags_file.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <mutex>

namespace goodhart::store {
namespace {

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
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

// The layout every flags.db has had; note_id is added below to files written before it existed
// (their notes read as note_id "row-<rowid>": stable, so an export of them imports once).
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

constexpr const char* kFlagColumns =
    "id, detector_id, subject_kind, subject_id, team, period_from, period_to, shown, created_ms, "
    "updated_ms, review_opens_ms, flag_json";

FlagRow ReadFlag(const Query& q) {
  return {.id = q.Text(0),
          .detector_id = q.Text(1),
          .subject_kind = q.Text(2),
          .subject_id = q.Text(3),
          .team = q.Text(4),
          .period_from_ms = q.Int(5),
          .period_to_ms = q.Int(6),
          .shown = q.Int(7) != 0,
          .created_ms = q.Int(8),
          .updated_ms = q.Int(9),
          .review_opens_ms = q.Int(10),
          .flag_json = q.Text(11)};
}

class FlagsFile final : public ReviewRecords {
 public:
  explicit FlagsFile(sqlite3* db) : db_(db) {}
  ~FlagsFile() override { sqlite3_close(db_); }

  Status Init() {
    GOODHART_RETURN_IF_ERROR(Exec(kSchema));
    Query columns(db_,
                  "SELECT count(*) FROM pragma_table_info('flag_notes') WHERE name = "
                  "'note_id'");
    GOODHART_ASSIGN_OR_RETURN(bool row, columns.Step("schema"));
    if (row && columns.Int(0) == 0)
      GOODHART_RETURN_IF_ERROR(Exec("ALTER TABLE flag_notes ADD COLUMN note_id TEXT"));
    // NULLs (notes written before note_id existed) are distinct in a unique index.
    return Exec("CREATE UNIQUE INDEX IF NOT EXISTS flag_notes_note_id ON flag_notes(note_id)");
  }

  Status UpsertFlags(std::span<const std::string> ids, const FlagMerge& merge) override {
    std::lock_guard<std::mutex> lock(mu_);
    GOODHART_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status s = UpsertLocked(ids, merge);
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
    return Exec("COMMIT");
  }

  Result<std::optional<FlagRow>> GetFlag(const std::string& id) const override {
    std::lock_guard<std::mutex> lock(mu_);
    return GetLocked(id);
  }

  Result<std::vector<FlagRow>> ListFlags(const FlagRowFilter& filter) const override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string sql = fmt::format(
        "SELECT {} FROM flags WHERE (?1 IS NULL OR subject_id = ?1) AND (?2 IS NULL OR team = ?2) "
        "AND (?3 IS NULL OR detector_id = ?3) AND (?4 = 1 OR shown = 1) AND "
        "(?5 IS NULL OR period_to > ?5) AND (?6 IS NULL OR period_from < ?6) "
        "ORDER BY period_from DESC, detector_id, subject_id",
        kFlagColumns);
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
    std::vector<FlagRow> out;
    while (true) {
      GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("list"));
      if (!row)
        break;
      out.push_back(ReadFlag(q));
    }
    return out;
  }

  Result<std::vector<FlagNoteRow>> NotesOf(const std::string& flag_id) const override {
    std::lock_guard<std::mutex> lock(mu_);
    Query q(db_,
            "SELECT kind, author, disposition, note, at_ms, COALESCE(note_id, 'row-' || rowid) "
            "FROM flag_notes "
            "WHERE flag_id = ? ORDER BY at_ms, rowid");
    q.Bind(1, flag_id);
    std::vector<FlagNoteRow> out;
    while (true) {
      GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("read notes"));
      if (!row)
        break;
      out.push_back({.flag_id = flag_id,
                     .note_id = q.Text(5),
                     .kind = q.Text(0),
                     .author = q.Text(1),
                     .disposition = q.Text(2),
                     .note = q.Text(3),
                     .at_ms = q.Int(4)});
    }
    return out;
  }

  Status AddNote(const FlagNoteRow& n) override {
    std::lock_guard<std::mutex> lock(mu_);
    Query q(db_,
            "INSERT OR IGNORE INTO flag_notes(flag_id, kind, author, disposition, note, at_ms, "
            "note_id) VALUES(?, ?, ?, ?, ?, ?, ?)");
    q.Bind(1, n.flag_id)
        .Bind(2, n.kind)
        .Bind(3, n.author)
        .Bind(4, n.disposition)
        .Bind(5, n.note)
        .Bind(6, n.at_ms)
        .Bind(7, n.note_id);
    return q.Run("add note");
  }

  Result<int64_t> PurgeFlagsCreatedBefore(int64_t before) override {
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

  Result<bool> EnqueueAlert(const std::string& id, const std::string& payload,
                            int64_t now) override {
    std::lock_guard<std::mutex> lock(mu_);
    Query q(db_,
            "INSERT OR IGNORE INTO alerts(id, payload, created_ms, next_attempt_ms) "
            "VALUES(?,?,?,?)");
    q.Bind(1, id).Bind(2, payload).Bind(3, now).Bind(4, now);
    GOODHART_RETURN_IF_ERROR(q.Run("enqueue alert"));
    return sqlite3_changes64(db_) > 0;
  }

  Result<std::vector<AlertRow>> DueAlerts(int64_t now, int64_t max_attempts) const override {
    std::lock_guard<std::mutex> lock(mu_);
    Query q(db_,
            "SELECT id, payload, created_ms, attempts, next_attempt_ms, COALESCE(last_error, '') "
            "FROM alerts WHERE sent_ms IS NULL AND next_attempt_ms <= ? AND attempts < ? "
            "ORDER BY created_ms, id");
    q.Bind(1, now).Bind(2, max_attempts);
    std::vector<AlertRow> out;
    while (true) {
      GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("due alerts"));
      if (!row)
        break;
      out.push_back({.id = q.Text(0),
                     .payload = q.Text(1),
                     .created_ms = q.Int(2),
                     .attempts = q.Int(3),
                     .next_attempt_ms = q.Int(4),
                     .last_error = q.Text(5)});
    }
    return out;
  }

  Status MarkAlertSent(const std::string& id, int64_t now) override {
    std::lock_guard<std::mutex> lock(mu_);
    Query q(db_, "UPDATE alerts SET sent_ms = ?, attempts = attempts + 1 WHERE id = ?");
    q.Bind(1, now).Bind(2, id);
    return q.Run("alert sent");
  }

  Status MarkAlertFailed(const std::string& id, const std::string& error,
                         int64_t next_attempt) override {
    std::lock_guard<std::mutex> lock(mu_);
    Query q(db_,
            "UPDATE alerts SET attempts = attempts + 1, last_error = ?, next_attempt_ms = ? "
            "WHERE id = ?");
    q.Bind(1, error).Bind(2, next_attempt).Bind(3, id);
    return q.Run("alert failed");
  }

  Result<int64_t> SentAlertCount() const override {
    std::lock_guard<std::mutex> lock(mu_);
    Query q(db_, "SELECT COUNT(*) FROM alerts WHERE sent_ms IS NOT NULL");
    GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("count alerts"));
    return row ? q.Int(0) : 0;
  }

  Result<int64_t> ChangeStamp() const override {
    std::lock_guard<std::mutex> lock(mu_);
    // data_version moves with other connections' commits, total_changes with this one's rows;
    // both only grow, so their sum changes whenever either does.
    Query q(db_, "PRAGMA data_version");
    GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("change stamp"));
    if (!row)
      return Status::Internal("flags: change stamp: no data_version");
    return q.Int(0) + static_cast<int64_t>(sqlite3_total_changes64(db_));
  }

 private:
  Status Exec(const char* sql) const {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      Status s = Status::Internal(fmt::format("flags: {}", error ? error : "exec failed"));
      sqlite3_free(error);
      return s;
    }
    return Status::Ok();
  }

  Result<std::optional<FlagRow>> GetLocked(const std::string& id) const {
    std::string sql = fmt::format("SELECT {} FROM flags WHERE id = ?", kFlagColumns);
    Query q(db_, sql.c_str());
    q.Bind(1, id);
    GOODHART_ASSIGN_OR_RETURN(bool row, q.Step("get"));
    if (!row)
      return std::optional<FlagRow>();
    return std::optional<FlagRow>(ReadFlag(q));
  }

  Status UpsertLocked(std::span<const std::string> ids, const FlagMerge& merge) {
    std::vector<FlagRow> stored;
    for (const std::string& id : ids) {
      GOODHART_ASSIGN_OR_RETURN(std::optional<FlagRow> row, GetLocked(id));
      if (row)
        stored.push_back(std::move(*row));
    }
    GOODHART_ASSIGN_OR_RETURN(std::vector<FlagRow> rows, merge(std::move(stored)));
    std::string sql = fmt::format(
        "INSERT OR REPLACE INTO flags({}) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", kFlagColumns);
    for (const FlagRow& r : rows) {
      Query q(db_, sql.c_str());
      q.Bind(1, r.id)
          .Bind(2, r.detector_id)
          .Bind(3, r.subject_kind)
          .Bind(4, r.subject_id)
          .Bind(5, r.team)
          .Bind(6, r.period_from_ms)
          .Bind(7, r.period_to_ms)
          .Bind(8, r.shown ? 1 : 0)
          .Bind(9, r.created_ms)
          .Bind(10, r.updated_ms)
          .Bind(11, r.review_opens_ms)
          .Bind(12, r.flag_json);
      GOODHART_RETURN_IF_ERROR(q.Run("upsert"));
    }
    return Status::Ok();
  }

  sqlite3* db_;
  mutable std::mutex mu_;
};

}  // namespace

Result<std::unique_ptr<ReviewRecords>> OpenFlagsFile(const std::string& path) {
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
  auto file = std::make_unique<FlagsFile>(db);
  GOODHART_RETURN_IF_ERROR(file->Init());
  return std::unique_ptr<ReviewRecords>(std::move(file));
}

}  // namespace goodhart::store
