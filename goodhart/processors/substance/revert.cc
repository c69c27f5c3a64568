#include "goodhart/processors/substance/revert.h"

#include <charconv>

namespace goodhart::processors {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}

bool IsRepoChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '_' || c == '.' || c == '/';
}

}  // namespace

RevertInfo ParseRevert(std::string_view message) {
  RevertInfo info;
  size_t start = 0;
  bool first = true;
  while (start <= message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string_view::npos)
      end = message.size();
    std::string_view line = message.substr(start, end - start);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    start = end + 1;
    if (first) {
      first = false;
      constexpr std::string_view kRevert = "Revert \"";
      size_t close = line.rfind('"');
      if (line.substr(0, kRevert.size()) == kRevert && close >= kRevert.size())
        info.reverted_subject = std::string(line.substr(kRevert.size(), close - kRevert.size()));
      if (end == message.size())
        break;
      continue;
    }
    std::string_view l = TrimLeft(line);
    constexpr std::string_view kThisReverts = "This reverts commit ";
    if (size_t at = l.find(kThisReverts); at != std::string_view::npos) {
      std::string_view rest = l.substr(at + kThisReverts.size());
      size_t n = 0;
      while (n < rest.size() && n < 64 && IsHex(rest[n]))
        ++n;
      if (n >= 7 && (n == rest.size() || !IsHex(rest[n])))
        info.reverted_sha = std::string(rest.substr(0, n));
    }
    constexpr std::string_view kReverts = "Reverts ";
    if (l.substr(0, kReverts.size()) == kReverts) {
      std::string_view rest = l.substr(kReverts.size());
      size_t hash = rest.find('#');
      if (hash != std::string_view::npos) {
        std::string_view repo = rest.substr(0, hash);
        bool repo_ok = repo.empty() || (repo.find('/') != std::string_view::npos &&
                                        repo.find_first_not_of("/") != std::string_view::npos);
        for (char c : repo)
          repo_ok = repo_ok && IsRepoChar(c);
        int64_t number = 0;
        std::string_view digits = rest.substr(hash + 1);
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
        if (repo_ok && ec == std::errc() && number > 0) {
          info.reverted_change = number;
          info.reverted_change_repo = std::string(repo);
        }
      }
    }
    if (end == message.size())
      break;
  }
  return info;
}

}  // namespace goodhart::processors
