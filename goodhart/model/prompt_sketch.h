// PromptSketch: what goodhart keeps of a prompt instead of its text (metrics.md §5.2 D3, §7).
// Keyed with a secret from config, so a sketch cannot be matched against guessed texts without the
// key. Built by processors/sketch; the text itself never reaches the store.
#pragma once

#include <array>
#include <cstdint>

namespace goodhart::model {

inline constexpr int kMinHashSize = 128;  // permutations; LSH uses 16 bands x 8 rows

struct PromptSketch {
  uint64_t simhash = 0;                          // 64-bit SimHash over keyed shingles
  std::array<uint64_t, kMinHashSize> minhash{};  // keyed MinHash signature
  int32_t token_estimate = 0;  // whitespace-separated words of the normalised text
  bool operator==(const PromptSketch&) const = default;
};

}  // namespace goodhart::model
