#include "goodhart/base/hash.h"

#include <fmt/format.h>
#include <xxhash.h>

namespace goodhart {

uint64_t Hash64(std::string_view data, uint64_t seed) {
  return XXH3_64bits_withSeed(data.data(), data.size(), seed);
}

Hash128Value Hash128(std::string_view data) {
  XXH128_hash_t h = XXH3_128bits(data.data(), data.size());
  return {h.low64, h.high64};
}

static std::string ToHex(Hash128Value h) { return fmt::format("{:016x}{:016x}", h.high, h.low); }

std::string Hash128Hex(std::string_view data) { return ToHex(Hash128(data)); }

Hasher128::Hasher128() : state_(XXH3_createState()) {
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}
Hasher128::~Hasher128() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void Hasher128::AddField(std::string_view field) {
  auto* s = static_cast<XXH3_state_t*>(state_);
  uint64_t n = field.size();
  XXH3_128bits_update(s, &n, sizeof n);
  XXH3_128bits_update(s, field.data(), field.size());
}

Hash128Value Hasher128::Finish() const {
  XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_));
  return {h.low64, h.high64};
}

std::string Hasher128::FinishHex() const { return ToHex(Finish()); }

}  // namespace goodhart
