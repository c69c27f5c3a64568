#include "goodhart/base/utf8.h"

#include <cstdint>
#include <cstring>

namespace goodhart {

// RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
size_t Utf8SequenceLength(std::string_view text, size_t at) {
  const auto c = static_cast<uint8_t>(text[at]);
  if (c < 0x80)
    return 1;
  size_t n = 0;
  uint8_t lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (text.size() - at <= n)
    return 0;
  for (size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<uint8_t>(text[at + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
      return 0;
  }
  return n + 1;
}

bool IsUtf8(std::string_view text) {
  // ASCII eight bytes at a time: most text is, and this runs on every string of a protobuf body.
  size_t i = 0;
  for (uint64_t word = 0; i + 8 <= text.size(); i += 8) {
    std::memcpy(&word, text.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0)
      break;
  }
  while (i < text.size()) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

std::string ToUtf8Lossy(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD for the byte that starts no sequence
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace goodhart
