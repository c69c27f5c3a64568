// KeyFilter: a Bloom filter over the fingerprints in the on-disk KeyBlocks, so that a new
// key (the common case) is known to be new without an index probe. False positives (about 0.2% at
// 16 bits and 4 probes a key) only cost a probe; there are no false negatives for keys added.
// Rebuilt at open from the index, and grown by a rebuild when it fills. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "goodhart/store/embedded/internal/key_tail.h"

namespace goodhart::store::internal {

class KeyFilter {
 public:
  // Empties the filter and sizes it for `expected_keys` (at least 1M).
  void Reset(size_t expected_keys) {
    size_t bits = size_t{1} << 24;  // 2 MiB: 1M keys
    while (bits < expected_keys * kBitsPerKey)
      bits *= 2;
    words_.assign(bits / 64, 0);
    mask_ = bits - 1;
    keys_ = 0;
  }

  void Add(const KeyFingerprint& key) {
    for (int i = 0; i < kProbes; ++i) {
      uint64_t bit = Probe(key, i);
      words_[bit / 64] |= uint64_t{1} << (bit % 64);
    }
    ++keys_;
  }

  bool MayContain(const KeyFingerprint& key) const {
    if (words_.empty())
      return true;
    for (int i = 0; i < kProbes; ++i) {
      uint64_t bit = Probe(key, i);
      if ((words_[bit / 64] & (uint64_t{1} << (bit % 64))) == 0)
        return false;
    }
    return true;
  }

  // True when `more` keys would push it past its designed load.
  bool WouldOverflow(size_t more) const {
    return words_.empty() || (keys_ + more) * kBitsPerKey > mask_ + 1;
  }
  size_t keys() const { return keys_; }

 private:
  static constexpr size_t kBitsPerKey = 16;
  static constexpr int kProbes = 4;

  // Double hashing over the two independent halves of the fingerprint.
  uint64_t Probe(const KeyFingerprint& key, int i) const {
    return (key.check + static_cast<uint64_t>(i) * (key.hash | 1)) & mask_;
  }

  std::vector<uint64_t> words_;
  uint64_t mask_ = 0;
  size_t keys_ = 0;
};

}  // namespace goodhart::store::internal
