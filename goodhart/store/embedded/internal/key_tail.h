// KeyTail: the 128-bit key fingerprints of stored events not yet merged into the on-disk
// KeyBlocks (`key_blocks`). Appends check it in memory; once it holds enough entries the writer
// merges it into the index in one sorted pass (see ../README.md, "Exactly once").
//
// Open addressing with linear probing on the first 64 bits; 24 bytes a slot, at most half full.
// Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace goodhart::store::internal {

struct KeyFingerprint {
  uint64_t hash = 0;   // picks the slot (and the index position)
  uint64_t check = 0;  // tells apart keys whose `hash` collides
  bool operator==(const KeyFingerprint&) const = default;
  auto operator<=>(const KeyFingerprint&) const = default;
};

class KeyTail {
 public:
  // REQUIRES: !Contains(key).
  void Insert(const KeyFingerprint& key) {
    if ((size_ + 1) * 2 > slots_.size())
      Grow();
    PutSlot(key);
    ++size_;
  }

  bool Contains(const KeyFingerprint& key) const {
    if (slots_.empty())
      return false;
    size_t mask = slots_.size() - 1;
    for (size_t i = key.hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (!slot.used)
        return false;
      if (slot.key == key)
        return true;
    }
  }

  // Hints the CPU to load the slot `key` probes first: a batch prefetches all its keys before
  // looking them up, so the lookups do not each wait for a cache miss.
  void Prefetch(const KeyFingerprint& key) const {
    if (!slots_.empty())
      __builtin_prefetch(&slots_[key.hash & (slots_.size() - 1)]);
  }

  // Every fingerprint held, sorted (the order of the on-disk index).
  std::vector<KeyFingerprint> Sorted() const;

  size_t size() const { return size_; }
  void Clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    size_ = 0;
  }

 private:
  struct Slot {
    KeyFingerprint key;
    bool used = false;
  };

  void PutSlot(const KeyFingerprint& key) {
    size_t mask = slots_.size() - 1;
    size_t i = key.hash & mask;
    while (slots_[i].used)
      i = (i + 1) & mask;
    slots_[i] = {key, true};
  }

  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.used)
        PutSlot(slot.key);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

inline std::vector<KeyFingerprint> KeyTail::Sorted() const {
  std::vector<KeyFingerprint> keys;
  keys.reserve(size_);
  for (const Slot& slot : slots_) {
    if (slot.used)
      keys.push_back(slot.key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace goodhart::store::internal
