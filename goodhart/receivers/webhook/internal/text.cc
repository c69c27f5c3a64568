#include "goodhart/receivers/webhook/internal/text.h"

#include "goodhart/base/hex.h"

namespace goodhart::receivers::webhook::internal {
std::string UrlDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = HexDigitValue(text[i + 1]);
      int lo = HexDigitValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsFullSha(std::string_view text) {
  if (text.size() != 40)
    return false;
  for (char c : text) {
    if (HexDigitValue(c) < 0)
      return false;
  }
  return true;
}

std::string RepoFromUrl(std::string_view url) {
  std::string_view rest = url;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    size_t slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  } else if (size_t at = rest.find('@'); at != std::string_view::npos) {
    // scp-like "git@host:owner/name".
    size_t colon = rest.find(':', at);
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  }
  if (size_t q = rest.find_first_of("?#"); q != std::string_view::npos)
    rest = rest.substr(0, q);
  while (!rest.empty() && rest.front() == '/')
    rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '/')
    rest.remove_suffix(1);
  if (rest.size() >= 4 && rest.substr(rest.size() - 4) == ".git")
    rest.remove_suffix(4);
  return std::string(rest);
}

}  // namespace goodhart::receivers::webhook::internal
