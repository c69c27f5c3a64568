// Thin RAII wrappers over the SQLite C API: a connection (Db) that caches its prepared statements,
// and a statement (Stmt) with typed binds and columns. Every failure becomes a Status whose code
// says what the caller should do: busy or out of space -> kUnavailable (retry), a corrupt or
// foreign file -> kDataLoss, anything else -> kInternal.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "goodhart/base/status.h"

namespace goodhart::store::internal {

// Maps an SQLite result code to a Status: "embedded_store: <where>: <sqlite message>".
Status SqliteStatus(int rc, std::string_view where, std::string_view detail);

// A prepared statement. Not thread-safe; owned by a Db, which finalizes it.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Binds are 1-based like sqlite3_bind_*. Text and blobs must outlive the next Step().
  void BindInt64(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }
  void BindText(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  void BindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
  }

  // true: a row is ready; false: done. The statement is reset by Reset() or by the next use.
  Result<bool> Step();
  // Steps a statement that returns no rows, then resets it.
  Status Run();
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  int64_t ColumnInt64(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool ColumnIsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view ColumnText(int col) const;
  std::string_view ColumnBlob(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

// One connection. Not thread-safe: callers serialise access (the writer lock, the reader pool).
class Db {
 public:
  // Opens (creating if `create`) the database at `path` with SQLITE_OPEN_NOMUTEX.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool create);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status Exec(std::string_view sql);
  // Returns the cached statement for `sql`, reset and with bindings cleared.
  Result<Stmt*> Prepare(std::string_view sql);
  // Prepare() for a string literal, cached by its address: hot paths skip hashing the SQL text.
  Result<Stmt*> PrepareStatic(const char* sql);
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  int64_t Changes() const { return sqlite3_changes64(db_); }
  sqlite3* raw() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> stmts_;
  std::unordered_map<const char*, Stmt*> static_stmts_;
};

// Runs `sql`, which must return one integer in its first column; `fallback` when it returns none.
Result<int64_t> QueryInt64(Db& db, std::string_view sql, int64_t fallback);

}  // namespace goodhart::store::internal
