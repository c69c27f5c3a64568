// String helpers for ids, shas and identities.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace goodhart::analytics::nd::internal {

inline std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && Lower(a) == Lower(b);
}

// The comparable form of an identity: lowercased, trimmed, and the email of "Name <email>".
inline std::string IdentityKey(std::string_view identity) {
  std::string key = Lower(identity);
  if (auto lt = key.find('<'); lt != std::string::npos && !key.empty() && key.back() == '>') {
    key = key.substr(lt + 1, key.size() - lt - 2);
  }
  auto first = key.find_first_not_of(" \t");
  if (first == std::string::npos)
    return "";
  auto last = key.find_last_not_of(" \t");
  return key.substr(first, last - first + 1);
}

// True when two shas name the same commit: equal ignoring case, or one (at least 7 hex digits) is
// a prefix of the other, as abbreviated shas in revert messages are.
inline bool SameSha(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty())
    return false;
  if (a.size() > b.size())
    std::swap(a, b);
  if (a.size() < 7 && a.size() != b.size())
    return false;
  return EqualsIgnoreCase(a, b.substr(0, a.size()));
}

}  // namespace goodhart::analytics::nd::internal
