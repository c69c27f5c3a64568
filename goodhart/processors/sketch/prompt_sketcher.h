// PromptSketcher turns prompt text into a keyed PromptSketch (metrics.md §5.2 D3) so the text can
// be dropped at the door: normalise (lowercase; collapse whitespace, digits and paths), take
// character 5-gram shingles, hash each with HMAC-SHA256(key) truncated to 64 bits, then build a
// 128-permutation MinHash and a 64-bit SimHash. Deterministic for a given key.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "goodhart/model/prompt_sketch.h"

namespace goodhart::processors {

// Thread-safe: Sketch is const and may be called concurrently.
class PromptSketcher {
 public:
  // REQUIRES: !key.empty(). The key comes from config (privacy.sketch_key).
  explicit PromptSketcher(std::string key);

  model::PromptSketch Sketch(std::string_view text) const;

  // Estimated Jaccard similarity of two sketches' shingle sets (share of equal MinHash slots).
  static double EstimatedJaccard(const model::PromptSketch& a, const model::PromptSketch& b);
  // Hamming distance between SimHashes.
  static int SimHashDistance(const model::PromptSketch& a, const model::PromptSketch& b);
  // The 16 LSH band keys (8 rows each) of a sketch, for candidate-pair search.
  static std::array<uint64_t, 16> LshBands(const model::PromptSketch& sketch);

 private:
  std::string key_;
};

}  // namespace goodhart::processors
