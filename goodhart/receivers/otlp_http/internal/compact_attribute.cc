#include "goodhart/receivers/otlp_http/internal/compact_attribute.h"

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace goodhart::receivers::otlp::internal {
namespace {

template <size_t N>
bool StartsWith(const char* text, const char (&literal)[N]) {
  return std::memcmp(text, literal, N - 1) == 0;
}

// The closing quote of a string whose first character is at `text`, or null if a backslash
// comes first (the string has escapes). Eight bytes at a time; the padding makes over-reading
// past the quote safe, and stage 1 guarantees a closing quote exists.
const char* FindStringEnd(const char* text) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  for (const char* p = text;; p += 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    const uint64_t quotes = word ^ (0x22 * kOnes);
    const uint64_t slashes = word ^ (0x5C * kOnes);
    const uint64_t hits =
        ((quotes - kOnes) & ~quotes & kHighs) | ((slashes - kOnes) & ~slashes & kHighs);
    if (hits != 0) {
      // The lowest flagged byte is a real match (borrows only flag bytes above a real one).
      const char* at = p + (std::countr_zero(hits) >> 3);
      return *at == '"' ? at : nullptr;
    }
  }
}

// A string starting after its opening quote at `text`; sets *out and *end (past the closing
// quote).
bool ReadPlainString(const char* text, std::string_view* out, const char** end) {
  const char* close = FindStringEnd(text);
  if (close == nullptr)
    return false;
  *out = std::string_view(text, static_cast<size_t>(close - text));
  *end = close + 1;
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The end of the attribute: the value object's '}' then the attribute's '}'.
bool AtAttributeEnd(const char* text) { return text[0] == '}' && text[1] == '}'; }

}  // namespace

bool ReadCompactKey(const char* text, std::string_view* key, const char** value_start) {
  if (!StartsWith(text, "{\"key\":\""))
    return false;
  const char* end = nullptr;
  if (!ReadPlainString(text + 8, key, &end))
    return false;
  if (!StartsWith(end, ",\"value\":{"))
    return false;
  *value_start = end + 9;
  return true;
}

bool ReadCompactValue(const char* text, AnyValue* value) {
  if (text[0] != '{' || text[1] != '"')
    return false;
  const char* p = text + 2;
  if (StartsWith(p, "stringValue\":\"")) {
    std::string_view s;
    const char* end = nullptr;
    if (!ReadPlainString(p + 14, &s, &end) || !AtAttributeEnd(end))
      return false;
    *value = AnyValue{.type = ValueType::kString, .text = s};
    return true;
  }
  if (StartsWith(p, "intValue\":")) {
    p += 10;
    const bool quoted = *p == '"';
    if (quoted)
      ++p;
    const char* digits = p;
    if (*p == '-')
      ++p;
    while (IsDigit(*p))
      ++p;
    const char* digits_end = p;
    if (quoted && *p++ != '"')
      return false;
    if (!AtAttributeEnd(p))
      return false;
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(digits, digits_end, n);
    if (ec != std::errc() || ptr != digits_end)
      return false;  // empty, or out of int64 range: the slow path reports it
    *value = AnyValue{.type = ValueType::kInt, .int_value = n};
    return true;
  }
  if (StartsWith(p, "boolValue\":")) {
    p += 11;
    bool b = false;
    if (StartsWith(p, "true")) {
      b = true;
      p += 4;
    } else if (StartsWith(p, "false")) {
      p += 5;
    } else {
      return false;
    }
    if (!AtAttributeEnd(p))
      return false;
    *value = AnyValue{.type = ValueType::kBool, .bool_value = b};
    return true;
  }
  if (StartsWith(p, "doubleValue\":")) {
    p += 13;
    const char* number = p;
    while (IsDigit(*p) || *p == '-' || *p == '.' || *p == 'e' || *p == 'E' || *p == '+')
      ++p;
    if (!AtAttributeEnd(p))
      return false;
    double d = 0;
    auto [ptr, ec] = std::from_chars(number, p, d);
    if (ec != std::errc() || ptr != p)
      return false;
    *value = AnyValue{.type = ValueType::kDouble, .double_value = d};
    return true;
  }
  return false;
}

}  // namespace goodhart::receivers::otlp::internal
