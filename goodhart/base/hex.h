// Hexadecimal digits, as URL escapes, TSV escapes and signature headers spell bytes.
#pragma once

#include <string>
#include <string_view>

namespace goodhart {

// The value of one hex digit (either case), or -1 when `c` is not one.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Writes the 2 * bytes.size() lower-case hex digits of `bytes` to `out`.
inline void WriteLowerHex(std::string_view bytes, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    *out++ = kDigits[byte >> 4];
    *out++ = kDigits[byte & 15];
  }
}

// `bytes` as lower-case hex.
inline std::string LowerHex(std::string_view bytes) {
  std::string out(2 * bytes.size(), '\0');
  WriteLowerHex(bytes, out.data());
  return out;
}

}  // namespace goodhart
