// KeyBlocks: the on-disk set of merged key fingerprints. Each merge of the in-memory KeyTail
// writes its sorted fingerprints as new rows of `key_blocks`, up to 65,536 a row (16 bytes each,
// hash then check, little-endian). A row covers a hash range [min_hash, max_hash]; its `fences`
// (every 256th hash) stay in memory, so a lookup reads one 4 KiB slice of each row whose range
// holds the hash. Merging is therefore a sequential write of 16 bytes a key, not an insert into a
// B-tree (which measured ~1.6 us a key and stalled appends for seconds per million keys).
//
// Lookups happen only when the KeyFilter says a key may be stored: duplicates and ~0.2% of new
// keys. Not thread-safe (the writer owns it).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "goodhart/base/status.h"
#include "goodhart/store/embedded/internal/key_filter.h"
#include "goodhart/store/embedded/internal/key_tail.h"
#include "goodhart/store/embedded/internal/sqlite.h"

namespace goodhart::store::internal {

class KeyBlocks {
 public:
  static constexpr size_t kKeysPerBlock = 65536;
  static constexpr size_t kKeysPerFence = 256;
  static constexpr size_t kKeyBytes = 16;

  explicit KeyBlocks(Db& db) : db_(db) {}

  // Loads every block's range and fences, and adds every stored key to `filter` (sized for them).
  Status Load(KeyFilter* filter);

  // Whether `key` is in a committed or pending block.
  Result<bool> Contains(const KeyFingerprint& key);

  // Writes `sorted` as new blocks inside the caller's transaction. Commit() or Abort() after.
  Status Write(std::span<const KeyFingerprint> sorted);
  void Commit();
  void Abort() { pending_.clear(); }

  int64_t keys() const { return keys_; }

 private:
  struct Block {
    int64_t id = 0;
    uint64_t min_hash = 0, max_hash = 0;
    int64_t keys = 0;
    std::vector<uint64_t> fences;  // hash of keys 0, 256, 512, ...
  };

  Result<bool> BlockContains(const Block& block, const KeyFingerprint& key);

  Db& db_;
  std::vector<Block> blocks_;
  std::vector<Block> pending_;
  int64_t keys_ = 0;
};

}  // namespace goodhart::store::internal
