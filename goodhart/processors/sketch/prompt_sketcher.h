// PromptSketcher turns prompt text into a keyed PromptSketch (metrics.md §5.2 D3) so the text can
// be dropped at the door: normalise (lowercase; collapse whitespace, digits and paths), take
// character 5-gram shingles, hash each with HMAC-SHA256(key) truncated to 64 bits, then build a
// 128-permutation MinHash and a 64-bit SimHash. Deterministic for a given key.
//
// The exact algorithm is part of the stored format: sketches made by different versions must
// compare, so any change here needs a new sketch version. As implemented:
//   Normalise  ASCII whitespace splits words; words are joined by one space (leading and trailing
//              whitespace dropped). A word containing '/' or '\' becomes "/" (a path). Otherwise
//              A-Z are lowercased and every run of ASCII digits becomes "0". Bytes >= 0x80 pass
//              through unchanged, so UTF-8 text stays valid.
//   Shingles   every 5-byte window of the normalised text, as a set (duplicates count once); a
//              text shorter than 5 bytes (including "") is one shingle of the whole text.
//   Keyed hash x = first 8 bytes, big-endian, of HMAC-SHA256(key, shingle).
//   MinHash    minhash[i] = min over shingles of Mix(x ^ seed[i]), where Mix is the splitmix64
//              finaliser and seed[0..127] are the first 128 outputs of splitmix64 started at state
//              0x676f6f6468617274 ("goodhart" in ASCII).
//   SimHash    bit b is set when more shingles have bit b of x set than clear.
//   LSH        band j (0..15) = XXH3-64 with seed j of minhash[8j..8j+7] as 64 little-endian bytes.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "goodhart/model/prompt_sketch.h"

namespace goodhart::processors {

namespace internal {
class KeyedShingleHasher;
}  // namespace internal

inline constexpr int kLshBands = 16;
inline constexpr int kLshRows = 8;  // kLshBands * kLshRows == model::kMinHashSize
inline constexpr int kShingleBytes = 5;

// Thread-safe: Sketch is const and may be called concurrently. Copies share the keyed state.
class PromptSketcher {
 public:
  // REQUIRES: !key.empty(). The key comes from config (privacy.sketch_key).
  explicit PromptSketcher(std::string key);

  model::PromptSketch Sketch(std::string_view text) const;

  // The normalised text the shingles are taken from (see the file comment).
  static std::string Normalize(std::string_view text);

  // Estimated Jaccard similarity of two sketches' shingle sets (share of equal MinHash slots).
  static double EstimatedJaccard(const model::PromptSketch& a, const model::PromptSketch& b);
  // Hamming distance between SimHashes.
  static int SimHashDistance(const model::PromptSketch& a, const model::PromptSketch& b);
  // The 16 LSH band keys (8 rows each) of a sketch, for candidate-pair search.
  static std::array<uint64_t, 16> LshBands(const model::PromptSketch& sketch);

 private:
  std::shared_ptr<const internal::KeyedShingleHasher> hasher_;  // never null
};

}  // namespace goodhart::processors
