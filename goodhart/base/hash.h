// Content hashes for idempotency keys and sketches. xxHash (XXH3) is fast and stable across
// platforms and versions, so keys computed today match keys computed after an upgrade.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace goodhart {

uint64_t Hash64(std::string_view data, uint64_t seed = 0);

struct Hash128Value {
  uint64_t low = 0;
  uint64_t high = 0;
  bool operator==(const Hash128Value&) const = default;
};
Hash128Value Hash128(std::string_view data);

// 32 lowercase hex characters of Hash128(data).
std::string Hash128Hex(std::string_view data);

// Incremental XXH3-128 for hashing a record field by field without building a string.
class Hasher128 {
 public:
  Hasher128();
  ~Hasher128();
  Hasher128(const Hasher128&) = delete;
  Hasher128& operator=(const Hasher128&) = delete;
  // Each field is length-prefixed, so ("ab","c") and ("a","bc") differ.
  void AddField(std::string_view field);
  Hash128Value Finish() const;
  std::string FinishHex() const;

 private:
  void* state_;
};

}  // namespace goodhart
