// The `strings` dictionary: actor, model, session, tool, source and the other repeated strings
// are stored once and referenced by integer id. Id 0 is the empty string. Ids are never reused
// once committed, so a committed (id, value) pair can be cached forever.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "goodhart/base/status.h"
#include "goodhart/store/embedded/internal/sqlite.h"

namespace goodhart::store::internal {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The writer's side: finds or adds strings inside the writer's transaction. Not thread-safe (the
// writer lock guards it). After a rollback call Forget(): cached ids may name rolled-back rows.
class WriterDictionary {
 public:
  explicit WriterDictionary(Db& db) : db_(db) {}

  Result<int64_t> Intern(std::string_view value);
  void Forget() { ids_.clear(); }

 private:
  static constexpr size_t kMaxCached = 1 << 20;
  Db& db_;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> ids_;
};

// The readers' side: id -> string for committed ids, shared by every reader connection.
// Thread-safe.
class IdCache {
 public:
  Result<std::string> Get(Db& db, int64_t id);
  // The id of `value`, if it was ever stored.
  static Result<std::optional<int64_t>> Find(Db& db, std::string_view value);

 private:
  static constexpr size_t kMaxCached = 1 << 20;
  std::shared_mutex mu_;
  std::unordered_map<int64_t, std::string> values_;
};

}  // namespace goodhart::store::internal
