#include "goodhart/processors/substance/git_attributes.h"

#include <algorithm>
#include <cstddef>

namespace goodhart::processors {
namespace {

constexpr std::ptrdiff_t kMaxStars = 16;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Matches a bracket expression starting at pattern[*p] == '['; advances *p past it.
bool MatchClass(std::string_view pattern, size_t* p, char c, bool* ok) {
  size_t i = *p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char lo = pattern[i];
    if (lo == '\\' && i + 1 < pattern.size())
      lo = pattern[++i];
    char hi = lo;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      hi = pattern[i + 2];
      i += 2;
    }
    if (c >= lo && c <= hi)
      matched = true;
    ++i;
  }
  if (i >= pattern.size()) {
    *ok = false;  // no closing ']'
    return false;
  }
  *ok = true;
  *p = i + 1;
  return matched != negate;
}

bool Match(std::string_view pattern, size_t p, std::string_view path, size_t s) {
  while (p < pattern.size()) {
    char pc = pattern[p];
    if (pc == '*') {
      bool double_star = p + 1 < pattern.size() && pattern[p + 1] == '*';
      if (double_star) {
        size_t after = p + 2;
        bool at_segment_start = p == 0 || pattern[p - 1] == '/';
        if (at_segment_start && (after == pattern.size() || pattern[after] == '/')) {
          if (after == pattern.size())
            return true;  // "**" or "dir/**": everything below
          // "**/": zero or more folders.
          for (size_t t = s;; ++t) {
            if ((t == s || path[t - 1] == '/') && Match(pattern, after + 1, path, t))
              return true;
            if (t >= path.size())
              return false;
          }
        }
        // Any other "**" acts like "*".
        p = after - 1;
      }
      ++p;
      for (size_t t = s;; ++t) {
        if (Match(pattern, p, path, t))
          return true;
        if (t >= path.size() || path[t] == '/')
          return false;
      }
    }
    if (s >= path.size())
      return false;
    if (pc == '?') {
      if (path[s] == '/')
        return false;
    } else if (pc == '[') {
      bool ok = false;
      size_t q = p;
      bool m = MatchClass(pattern, &q, path[s], &ok);
      if (ok) {
        if (!m || path[s] == '/')
          return false;
        p = q;
        ++s;
        continue;
      }
      if (path[s] != '[')
        return false;
    } else {
      if (pc == '\\' && p + 1 < pattern.size())
        pc = pattern[++p];
      if (pc != path[s])
        return false;
    }
    ++p;
    ++s;
  }
  return s == path.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  return Match(pattern, 0, path, 0);
}

GitAttributes GitAttributes::Parse(std::string_view text) {
  GitAttributes attrs;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && IsSpace(line[i]))
        ++i;
      size_t j = i;
      while (j < line.size() && !IsSpace(line[j]))
        ++j;
      if (j > i)
        words.push_back(line.substr(i, j - i));
      i = j;
    }
    if (words.empty() || words[0][0] == '#')
      continue;
    std::string_view pattern = words[0];
    if (pattern[0] == '!' || pattern.back() == '/')
      continue;  // negative patterns are forbidden; folder patterns match no file
    if (std::count(pattern.begin(), pattern.end(), '*') > kMaxStars)
      continue;  // wildcard matching is polynomial in the stars: refuse pathological patterns
    Rule rule;
    if (pattern[0] == '/')
      pattern.remove_prefix(1);
    rule.pattern = std::string(pattern);
    rule.basename_only = pattern.find('/') == std::string_view::npos;
    for (size_t w = 1; w < words.size(); ++w) {
      std::string_view a = words[w];
      if (a == "binary") {
        rule.assignments.push_back({"diff", false});
        rule.assignments.push_back({"merge", false});
        rule.assignments.push_back({"text", false});
      } else if (a[0] == '-') {
        rule.assignments.push_back({std::string(a.substr(1)), false});
      } else if (a[0] == '!') {
        rule.assignments.push_back({std::string(a.substr(1)), std::nullopt});
      } else if (size_t eq = a.find('='); eq != std::string_view::npos) {
        rule.assignments.push_back({std::string(a.substr(0, eq)), a.substr(eq + 1) != "false"});
      } else {
        rule.assignments.push_back({std::string(a), true});
      }
    }
    if (!rule.pattern.empty() && !rule.assignments.empty())
      attrs.rules_.push_back(std::move(rule));
  }
  return attrs;
}

std::optional<bool> GitAttributes::Get(std::string_view path, std::string_view attribute) const {
  std::string_view base = path.substr(path.rfind('/') + 1);
  for (auto rule = rules_.rbegin(); rule != rules_.rend(); ++rule) {
    const Assignment* found = nullptr;
    for (const Assignment& a : rule->assignments) {
      if (a.name == attribute)
        found = &a;
    }
    if (found == nullptr)
      continue;
    if (GlobMatch(rule->pattern, rule->basename_only ? base : path))
      return found->state;
  }
  return std::nullopt;
}

}  // namespace goodhart::processors
