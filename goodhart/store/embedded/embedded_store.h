// The embedded store: goodhart's default Store, one SQLite database in WAL mode at
// <data_dir>/goodhart.db. Events are stored exactly once (by event_key), and the rollups,
// presence tables, cumulative-series state, prompt sketches and cadence rows are updated in the
// same transaction, so reads never scan raw events. Schema, pragmas, the durability contract and
// measured speeds are in README.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/store/store.h"

namespace goodhart::store {

struct EmbeddedStoreOptions {
  std::string data_dir;            // created if missing; the database is <data_dir>/goodhart.db
  bool synchronous_full = true;    // FULL survives power loss; NORMAL only process crashes
  int64_t cache_size_kib = 65536;  // SQLite page cache of the write connection

  // Keys of recent events are checked in memory (about 32 bytes each) and merged into the
  // on-disk key index in one sorted pass once this many have accumulated; see README.md.
  int64_t key_index_merge_threshold = 1 << 20;

  // Replaces the 64-bit key hash, so tests can force collisions. nullptr: XXH3 (Hash64).
  uint64_t (*key_hash_for_test)(std::string_view event_key) = nullptr;

  // kInvalidArgument when a field is out of range.
  Status Validate() const;
};

// Opens (creating or migrating) the store. kFailedPrecondition if the file was written by a newer
// goodhart or is not a goodhart store; kDataLoss if it is not a database; kUnavailable if it is
// locked or cannot be opened.
//
// Thread-safe as Store requires. Concurrent Append calls are committed together (group commit):
// one thread writes every queued batch in one transaction and each caller gets its own result.
// Append returns OK only after COMMIT (see README.md for what survives a crash or power loss).
// Batches carrying delivery records (changes, reviews, deployments, incidents) are refused with
// kUnimplemented: the Store interface has no place for them yet.
Result<std::unique_ptr<Store>> OpenEmbeddedStore(const EmbeddedStoreOptions& options);

}  // namespace goodhart::store
