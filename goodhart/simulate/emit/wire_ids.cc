#include "goodhart/simulate/emit/wire_ids.h"

#include <fmt/format.h>

#include "goodhart/base/hash.h"
#include "goodhart/base/time.h"

namespace goodhart::simulate::emit {

std::string UuidOf(std::string_view name) {
  std::string hex = Hash128Hex(name);  // 32 hex digits
  hex[12] = '4';                       // version 4
  hex[16] = "89ab"[(hex[16] - '0') & 3];
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20, 12));
}

std::string RequestIdOf(std::string_view name) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id = "req_011C";
  uint64_t a = Hash64(name, 1), b = Hash64(name, 2);
  for (int i = 0; i < 20; ++i) {
    uint64_t& v = i < 10 ? a : b;
    id += kAlphabet[v % 62];
    v /= 62;
  }
  return id;
}

std::string LoginOf(std::string_view identity) {
  size_t at = identity.find('@');
  return std::string(at == std::string_view::npos ? identity : identity.substr(0, at));
}

int64_t FloorToSecond(int64_t unix_ms) {
  int64_t s = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
  return s * 1000;
}

std::string GithubTime(int64_t unix_ms) {
  std::string text = FormatMillis(FloorToSecond(unix_ms));  // "...T10:00:00.000Z"
  size_t dot = text.rfind('.');
  return dot == std::string::npos ? text : text.substr(0, dot) + "Z";
}

}  // namespace goodhart::simulate::emit
