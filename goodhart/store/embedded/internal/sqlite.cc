#include "goodhart/store/embedded/internal/sqlite.h"

#include <fmt/format.h>

namespace goodhart::store::internal {

Status SqliteStatus(int rc, std::string_view where, std::string_view detail) {
  std::string message =
      fmt::format("embedded_store: {}: {} ({})", where, detail, sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return Status::Unavailable(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::DataLoss(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  Status status = SqliteStatus(rc, "step", sqlite3_errmsg(db));
  sqlite3_reset(stmt_);
  return status;
}

Status Stmt::Run() {
  Result<bool> row = Step();
  Reset();
  return row.ok() ? Status::Ok() : row.status();
}

std::string_view Stmt::ColumnText(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr)
    return {};
  return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string_view Stmt::ColumnBlob(int col) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  if (bytes == nullptr)
    return {};
  return {bytes, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool create) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteStatus(rc, "open " + path, raw ? sqlite3_errmsg(raw) : "no handle");
    sqlite3_close(raw);
    return status;
  }
  sqlite3_extended_result_codes(raw, 1);
  return std::unique_ptr<Db>(new Db(raw));
}

Db::~Db() {
  static_stmts_.clear();
  stmts_.clear();  // finalize before closing
  sqlite3_close(db_);
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK)
    return Status::Ok();
  std::string detail = error ? error : sqlite3_errmsg(db_);
  sqlite3_free(error);
  std::string where = text.substr(0, text.find_first_of("(\n"));
  return SqliteStatus(rc, where, detail);
}

Result<Stmt*> Db::Prepare(std::string_view sql) {
  auto it = stmts_.find(std::string(sql));
  if (it != stmts_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteStatus(rc, "prepare", sqlite3_errmsg(db_));
  }
  auto stmt = std::make_unique<Stmt>(raw);
  Stmt* result = stmt.get();
  stmts_.emplace(std::string(sql), std::move(stmt));
  return result;
}

Result<Stmt*> Db::PrepareStatic(const char* sql) {
  auto it = static_stmts_.find(sql);
  if (it != static_stmts_.end()) {
    it->second->Reset();
    return it->second;
  }
  GOODHART_ASSIGN_OR_RETURN(Stmt * stmt, Prepare(sql));
  static_stmts_.emplace(sql, stmt);
  return stmt;
}

Result<int64_t> QueryInt64(Db& db, std::string_view sql, int64_t fallback) {
  GOODHART_ASSIGN_OR_RETURN(Stmt * stmt, db.Prepare(sql));
  GOODHART_ASSIGN_OR_RETURN(bool row, stmt->Step());
  int64_t value = row && !stmt->ColumnIsNull(0) ? stmt->ColumnInt64(0) : fallback;
  stmt->Reset();
  return value;
}

}  // namespace goodhart::store::internal
