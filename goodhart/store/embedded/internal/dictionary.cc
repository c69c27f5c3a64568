#include "goodhart/store/embedded/internal/dictionary.h"

#include <fmt/format.h>

#include <mutex>

namespace goodhart::store::internal {

Result<int64_t> WriterDictionary::Intern(std::string_view value) {
  if (value.empty())
    return 0;
  if (auto it = ids_.find(value); it != ids_.end())
    return it->second;
  // New strings are the common miss (a new session id per session): one statement adds the row;
  // only a string stored before (not cached) needs the lookup after it. (INSERT ... RETURNING
  // measured slower: SQLite buffers RETURNING rows in an ephemeral table.)
  GOODHART_ASSIGN_OR_RETURN(Stmt * insert,
                            db_.PrepareStatic("INSERT OR IGNORE INTO strings(value) VALUES (?)"));
  insert->BindText(1, value);
  GOODHART_RETURN_IF_ERROR(insert->Run());
  int64_t id = 0;
  if (db_.Changes() == 1) {
    id = db_.LastInsertRowid();
  } else {
    GOODHART_ASSIGN_OR_RETURN(Stmt * find,
                              db_.PrepareStatic("SELECT id FROM strings WHERE value = ?"));
    find->BindText(1, value);
    GOODHART_ASSIGN_OR_RETURN(bool found, find->Step());
    if (!found) {
      find->Reset();
      return Status::DataLoss("embedded_store: strings: a conflicting value is missing");
    }
    id = find->ColumnInt64(0);
    find->Reset();
  }
  if (ids_.size() >= kMaxCached)
    ids_.clear();
  ids_.emplace(std::string(value), id);
  return id;
}

Result<std::string> IdCache::Get(Db& db, int64_t id) {
  if (id == 0)
    return std::string();
  {
    std::shared_lock lock(mu_);
    if (auto it = values_.find(id); it != values_.end())
      return it->second;
  }
  GOODHART_ASSIGN_OR_RETURN(Stmt * find, db.Prepare("SELECT value FROM strings WHERE id = ?"));
  find->BindInt64(1, id);
  GOODHART_ASSIGN_OR_RETURN(bool found, find->Step());
  if (!found) {
    return Status::DataLoss(fmt::format("embedded_store: strings: id {} is missing", id));
  }
  std::string value(find->ColumnText(0));
  find->Reset();
  std::unique_lock lock(mu_);
  if (values_.size() >= kMaxCached)
    values_.clear();
  values_.emplace(id, value);
  return value;
}

Result<std::optional<int64_t>> IdCache::Find(Db& db, std::string_view value) {
  if (value.empty())
    return std::optional<int64_t>(0);
  GOODHART_ASSIGN_OR_RETURN(Stmt * find, db.Prepare("SELECT id FROM strings WHERE value = ?"));
  find->BindText(1, value);
  GOODHART_ASSIGN_OR_RETURN(bool found, find->Step());
  std::optional<int64_t> id;
  if (found)
    id = find->ColumnInt64(0);
  find->Reset();
  return id;
}

}  // namespace goodhart::store::internal
