#include "goodhart/processors/sketch/prompt_sketcher.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "goodhart/base/hash.h"
#include "goodhart/base/status.h"
#include "goodhart/processors/sketch/internal/keyed_shingle_hasher.h"

namespace goodhart::processors {
namespace {

static_assert(kLshBands * kLshRows == model::kMinHashSize);

constexpr uint64_t SplitMix64Finalize(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::array<uint64_t, model::kMinHashSize> MakeMinHashSeeds() {
  std::array<uint64_t, model::kMinHashSize> seeds{};
  uint64_t state = 0x676f6f6468617274ULL;  // "goodhart"
  for (auto& seed : seeds) {
    state += 0x9e3779b97f4a7c15ULL;
    seed = SplitMix64Finalize(state);
  }
  return seeds;
}
constexpr std::array<uint64_t, model::kMinHashSize> kMinHashSeeds = MakeMinHashSeeds();

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Appends the normalised text to `out` and returns the number of words.
int64_t NormalizeInto(std::string_view text, std::string* out) {
  out->reserve(out->size() + text.size());
  int64_t words = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i]))
      ++i;
    if (i == text.size())
      break;
    size_t end = i;
    bool path = false;
    while (end < text.size() && !IsSpace(text[end])) {
      path = path || text[end] == '/' || text[end] == '\\';
      ++end;
    }
    if (words++ > 0)
      out->push_back(' ');
    if (path) {
      out->push_back('/');
    } else {
      for (size_t k = i; k < end; ++k) {
        char c = text[k];
        if (IsDigit(c)) {
          out->push_back('0');
          while (k + 1 < end && IsDigit(text[k + 1]))
            ++k;
        } else if (c >= 'A' && c <= 'Z') {
          out->push_back(static_cast<char>(c - 'A' + 'a'));
        } else {
          out->push_back(c);
        }
      }
    }
    i = end;
  }
  return words;
}

// A shingle of at most 5 bytes packed with its length, so the set can be sorted and deduplicated
// without allocating a string per shingle.
uint64_t PackShingle(std::string_view s) {
  uint64_t packed = static_cast<uint64_t>(s.size()) << 40;
  for (size_t i = 0; i < s.size(); ++i) {
    packed |= static_cast<uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
  }
  return packed;
}

std::string_view UnpackShingle(uint64_t packed, std::array<char, kShingleBytes>& buf) {
  size_t len = static_cast<size_t>(packed >> 40);
  for (size_t i = 0; i < len; ++i)
    buf[i] = static_cast<char>((packed >> (8 * i)) & 0xff);
  return {buf.data(), len};
}

}  // namespace

// The by-value key is the header's contract; only the derived HMAC states are kept.
PromptSketcher::PromptSketcher(std::string key)  // NOLINT(performance-unnecessary-value-param)
    : hasher_(std::make_shared<const internal::KeyedShingleHasher>(key)) {
  GOODHART_CHECK(!key.empty());
}

std::string PromptSketcher::Normalize(std::string_view text) {
  std::string out;
  NormalizeInto(text, &out);
  return out;
}

model::PromptSketch PromptSketcher::Sketch(std::string_view text) const {
  std::string norm;
  int64_t words = NormalizeInto(text, &norm);

  std::vector<uint64_t> shingles;
  const std::string_view view(norm);
  if (view.size() < kShingleBytes) {
    shingles.push_back(PackShingle(view));
  } else {
    shingles.reserve(view.size() - kShingleBytes + 1);
    for (size_t i = 0; i + kShingleBytes <= view.size(); ++i) {
      shingles.push_back(PackShingle(view.substr(i, kShingleBytes)));
    }
  }
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());

  model::PromptSketch sketch;
  sketch.minhash.fill(std::numeric_limits<uint64_t>::max());
  std::array<int64_t, 64> votes{};
  internal::KeyedShingleHasher::Session session(*hasher_);
  std::array<char, kShingleBytes> buf{};
  for (uint64_t packed : shingles) {
    const uint64_t x = session.Hash(UnpackShingle(packed, buf));
    for (int b = 0; b < 64; ++b)
      votes[static_cast<size_t>(b)] += ((x >> b) & 1) ? 1 : -1;
    for (size_t i = 0; i < kMinHashSeeds.size(); ++i) {
      sketch.minhash[i] = std::min(sketch.minhash[i], SplitMix64Finalize(x ^ kMinHashSeeds[i]));
    }
  }
  for (int b = 0; b < 64; ++b) {
    if (votes[static_cast<size_t>(b)] > 0)
      sketch.simhash |= uint64_t{1} << b;
  }
  sketch.token_estimate =
      static_cast<int32_t>(std::min<int64_t>(words, std::numeric_limits<int32_t>::max()));
  return sketch;
}

double PromptSketcher::EstimatedJaccard(const model::PromptSketch& a,
                                        const model::PromptSketch& b) {
  int equal = 0;
  for (size_t i = 0; i < a.minhash.size(); ++i)
    equal += a.minhash[i] == b.minhash[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(a.minhash.size());
}

int PromptSketcher::SimHashDistance(const model::PromptSketch& a, const model::PromptSketch& b) {
  return std::popcount(a.simhash ^ b.simhash);
}

std::array<uint64_t, 16> PromptSketcher::LshBands(const model::PromptSketch& sketch) {
  std::array<uint64_t, kLshBands> bands{};
  std::array<char, size_t{kLshRows} * 8> bytes{};
  for (size_t band = 0; band < bands.size(); ++band) {
    for (size_t row = 0; row < kLshRows; ++row) {
      const uint64_t v = sketch.minhash[band * kLshRows + row];
      for (size_t k = 0; k < 8; ++k)
        bytes[row * 8 + k] = static_cast<char>((v >> (8 * k)) & 0xff);
    }
    bands[band] = Hash64(std::string_view(bytes.data(), bytes.size()), band);
  }
  return bands;
}

}  // namespace goodhart::processors
