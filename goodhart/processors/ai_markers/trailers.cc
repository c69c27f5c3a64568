#include "goodhart/processors/ai_markers/trailers.h"

#include <algorithm>
#include <cstddef>

namespace goodhart::processors {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back()))
    s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view line) { return Trim(line).empty(); }

// git's find_separator with separators ":": the index of ':' after a token, or npos.
size_t FindSeparator(std::string_view line) {
  bool whitespace_found = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == ':')
      return i;
    if (!whitespace_found && (IsAlnum(c) || c == '-'))
      continue;
    if (i != 0 && (c == ' ' || c == '\t')) {
      whitespace_found = true;
      continue;
    }
    break;
  }
  return std::string_view::npos;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The index of the first line of the trailer block, or lines.size() when there is none.
size_t FindTrailerBlockStart(const std::vector<std::string_view>& lines, size_t end) {
  // The first paragraph is the title and cannot hold trailers.
  size_t end_of_title = 0;
  while (end_of_title < end) {
    std::string_view l = lines[end_of_title];
    if (!l.empty() && l[0] == '#') {
      ++end_of_title;
      continue;
    }
    if (IsBlank(l))
      break;
    ++end_of_title;
  }
  static constexpr std::string_view kGitGeneratedPrefixes[] = {"Signed-off-by: ",
                                                               "(cherry picked from commit "};
  bool only_spaces = true, recognized_prefix = false;
  int trailer_lines = 0, non_trailer_lines = 0, possible_continuation_lines = 0;
  for (size_t i = end; i-- > end_of_title;) {
    std::string_view bol = lines[i];
    if (!bol.empty() && bol[0] == '#') {
      non_trailer_lines += possible_continuation_lines;
      possible_continuation_lines = 0;
      continue;
    }
    if (IsBlank(bol)) {
      if (only_spaces)
        continue;
      non_trailer_lines += possible_continuation_lines;
      if (recognized_prefix && trailer_lines * 3 >= non_trailer_lines)
        return i + 1;
      if (trailer_lines > 0 && non_trailer_lines == 0)
        return i + 1;
      return lines.size();
    }
    only_spaces = false;
    bool generated = false;
    for (std::string_view prefix : kGitGeneratedPrefixes) {
      if (StartsWith(bol, prefix)) {
        generated = true;
        break;
      }
    }
    if (generated) {
      ++trailer_lines;
      possible_continuation_lines = 0;
      recognized_prefix = true;
      continue;
    }
    size_t sep = FindSeparator(bol);
    if (sep != std::string_view::npos && sep >= 1 && !IsSpace(bol[0])) {
      ++trailer_lines;
      possible_continuation_lines = 0;
    } else if (IsSpace(bol[0])) {
      ++possible_continuation_lines;
    } else {
      ++non_trailer_lines;
      non_trailer_lines += possible_continuation_lines;
      possible_continuation_lines = 0;
    }
  }
  return lines.size();
}

}  // namespace

std::vector<model::Trailer> ParseTrailers(std::string_view message) {
  std::vector<std::string_view> lines = SplitLines(message);
  // Trailing blank and comment lines are not part of the message's last paragraph.
  size_t end = lines.size();
  while (end > 0 && (IsBlank(lines[end - 1]) || lines[end - 1][0] == '#'))
    --end;
  std::vector<model::Trailer> trailers;
  size_t start = FindTrailerBlockStart(lines, end);
  bool last_is_trailer = false;
  for (size_t i = start; i < end; ++i) {
    std::string_view line = lines[i];
    if (line.empty() || line[0] == '#') {
      last_is_trailer = false;
      continue;
    }
    if (IsSpace(line[0])) {
      if (last_is_trailer && !IsBlank(line)) {
        std::string& value = trailers.back().value;
        if (!value.empty())
          value += ' ';
        value += Trim(line);
      }
      continue;
    }
    size_t sep = FindSeparator(line);
    if (sep == std::string_view::npos || sep == 0) {
      last_is_trailer = false;
      continue;
    }
    trailers.push_back(
        {std::string(Trim(line.substr(0, sep))), std::string(Trim(line.substr(sep + 1)))});
    last_is_trailer = true;
  }
  return trailers;
}

bool TrailerKeyIs(const model::Trailer& trailer, std::string_view lowercase_key) {
  if (trailer.key.size() != lowercase_key.size())
    return false;
  for (size_t i = 0; i < lowercase_key.size(); ++i) {
    char c = trailer.key[i];
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (c != lowercase_key[i])
      return false;
  }
  return true;
}

std::vector<std::string> CoAuthors(const std::vector<model::Trailer>& trailers) {
  std::vector<std::string> out;
  for (const model::Trailer& t : trailers) {
    if (TrailerKeyIs(t, "co-authored-by") && !t.value.empty() &&
        std::find(out.begin(), out.end(), t.value) == out.end()) {
      out.push_back(t.value);
    }
  }
  return out;
}

}  // namespace goodhart::processors
