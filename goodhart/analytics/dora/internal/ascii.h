// Case-insensitive comparison for DevLake's enum-like strings ("SUCCESS", "PRODUCTION").
#pragma once

#include <algorithm>
#include <string_view>

namespace goodhart::analytics::dora::internal {

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace goodhart::analytics::dora::internal
