#include "goodhart/analytics/linking/service_paths.h"

#include <fmt/format.h>

#include <utility>

namespace goodhart::analytics {
namespace {

// Parses the class starting at p[pi] == '['. On success sets *end past the ']' and *matched to
// whether `c` is in the class; returns false for an unterminated class.
bool MatchClass(std::string_view p, size_t pi, char c, size_t* end, bool* matched) {
  size_t i = pi + 1;
  bool negate = false;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
    negate = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  while (i < p.size() && (first || p[i] != ']')) {
    first = false;
    char lo = p[i];
    if (lo == '\\' && i + 1 < p.size()) {
      lo = p[++i];
    }
    char hi = lo;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = p[i + 2];
      i += 2;
    }
    if (lo <= c && c <= hi) {
      found = true;
    }
    ++i;
  }
  if (i >= p.size()) {
    return false;
  }
  *end = i + 1;
  *matched = c != '/' && found != negate;
  return true;
}

// Matches glob p[pi..] against the whole of s[si..].
bool MatchFrom(std::string_view p, size_t pi, std::string_view s, size_t si) {
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*') {
      bool double_star = pi + 1 < p.size() && p[pi + 1] == '*';
      bool segment_start = pi == 0 || p[pi - 1] == '/';
      if (double_star && segment_start) {
        size_t after = pi + 2;
        if (after == p.size()) {
          return true;  // trailing "**": everything below
        }
        if (p[after] == '/') {
          // "**/": zero or more whole directories.
          if (MatchFrom(p, after + 1, s, si)) {
            return true;
          }
          for (size_t k = si; k < s.size(); ++k) {
            if (s[k] == '/' && MatchFrom(p, after + 1, s, k + 1)) {
              return true;
            }
          }
          return false;
        }
      }
      // A single '*' (or stars inside a name, which git reads as one '*'): stay in the segment.
      while (pi < p.size() && p[pi] == '*') {
        ++pi;
      }
      for (size_t k = si;; ++k) {
        if (MatchFrom(p, pi, s, k)) {
          return true;
        }
        if (k >= s.size() || s[k] == '/') {
          return false;
        }
      }
    }
    if (si >= s.size()) {
      return false;
    }
    if (c == '?') {
      if (s[si] == '/') {
        return false;
      }
      ++pi;
      ++si;
      continue;
    }
    if (c == '[') {
      size_t end = 0;
      bool matched = false;
      if (MatchClass(p, pi, s[si], &end, &matched)) {
        if (!matched) {
          return false;
        }
        pi = end;
        ++si;
        continue;
      }
      // An unterminated class is a literal '['.
    }
    if (c == '\\' && pi + 1 < p.size()) {
      c = p[++pi];
    }
    if (s[si] != c) {
      return false;
    }
    ++pi;
    ++si;
  }
  return si == s.size();
}

}  // namespace

bool MatchPathGlob(std::string_view glob, std::string_view path) {
  bool anchored = false;
  if (!glob.empty() && glob.front() == '/') {
    anchored = true;
    glob.remove_prefix(1);
  }
  bool dir_only = false;
  if (!glob.empty() && glob.back() == '/') {
    dir_only = true;
    glob.remove_suffix(1);
  }
  if (glob.empty() || path.empty()) {
    return false;
  }
  anchored = anchored || glob.find('/') != std::string_view::npos;
  if (!anchored) {
    // A bare name matches any one path segment; a directory segment covers the file below it.
    size_t start = 0;
    while (start <= path.size()) {
      size_t slash = path.find('/', start);
      bool last = slash == std::string_view::npos;
      size_t end = last ? path.size() : slash;
      if (!(dir_only && last) && MatchFrom(glob, 0, path.substr(start, end - start), 0)) {
        return true;
      }
      if (last) {
        break;
      }
      start = slash + 1;
    }
    return false;
  }
  for (size_t k = path.find('/'); k != std::string_view::npos; k = path.find('/', k + 1)) {
    if (MatchFrom(glob, 0, path.substr(0, k), 0)) {
      return true;
    }
  }
  return !dir_only && MatchFrom(glob, 0, path, 0);
}

Status ValidatePathGlob(std::string_view glob) {
  auto bad = [&](std::string_view what) {
    return Status::InvalidArgument(fmt::format("service paths: glob '{}': {}", glob, what));
  };
  std::string_view body = glob;
  if (!body.empty() && body.front() == '!') {
    body.remove_prefix(1);
  }
  if (body.empty() || body == "/") {
    return bad("is empty");
  }
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\') {
      if (i + 1 == body.size()) {
        return bad("ends with a lone '\\'");
      }
      ++i;
    } else if (body[i] == '[') {
      size_t end = 0;
      bool matched = false;
      if (!MatchClass(body, i, 'a', &end, &matched)) {
        return bad("has an unterminated '['");
      }
      i = end - 1;
    }
  }
  return Status::Ok();
}

ServicePaths::ServicePaths(std::vector<std::string> globs) {
  only_negated_ = true;
  for (auto& glob : globs) {
    Glob g;
    g.negated = !glob.empty() && glob.front() == '!';
    g.pattern = g.negated ? glob.substr(1) : std::move(glob);
    only_negated_ = only_negated_ && g.negated;
    globs_.push_back(std::move(g));
  }
}

bool ServicePaths::Matches(std::string_view path) const {
  if (globs_.empty()) {
    return true;
  }
  bool in = only_negated_;
  for (const auto& glob : globs_) {
    if (MatchPathGlob(glob.pattern, path)) {
      in = !glob.negated;
    }
  }
  return in;
}

bool ServicePaths::Touches(const model::Commit& commit) const {
  if (whole_repo()) {
    return true;
  }
  for (const auto& file : commit.files) {
    if (Matches(file.path) || (!file.old_path.empty() && Matches(file.old_path))) {
      return true;
    }
  }
  return false;
}

}  // namespace goodhart::analytics
