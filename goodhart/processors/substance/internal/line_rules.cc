#include "goodhart/processors/substance/internal/line_rules.h"

#include <algorithm>
#include <array>
#include <vector>

namespace goodhart::processors::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsWordChar(char c) { return IsAlnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsSpace(s.front()))
    s.remove_prefix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Block keywords that carry no logic on their own, lowercase.
constexpr std::array<std::string_view, 28> kKeywords = {
    "end",      "fi",         "done",      "esac",        "else",      "endif",   "endfor",
    "endwhile", "endforeach", "endswitch", "endfunction", "endmodule", "endcase", "begin",
    "then",     "do",         "try",       "finally",     "return",    "break",   "continue",
    "pass",     "default",    "public",    "private",     "protected", "elif",    "endclass"};

constexpr size_t kMaxCompareBytes = 2000;

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    if (IsSpace(s[i])) {
      ++i;
    } else if (IsWordChar(s[i])) {
      size_t j = i;
      while (j < s.size() && IsWordChar(s[j]))
        ++j;
      out.push_back(s.substr(i, j - i));
      i = j;
    } else {
      out.push_back(s.substr(i, 1));
      ++i;
    }
  }
  return out;
}

std::string Join(const std::vector<std::string_view>& tokens, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (i > from)
      out += ' ';
    out += tokens[i];
  }
  return out;
}

}  // namespace

std::string StripWhitespace(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    if (!IsSpace(c))
      out += c;
  }
  return out;
}

int64_t CountAlnum(std::string_view line) {
  return std::count_if(line.begin(), line.end(), IsAlnum);
}

bool IsTrivialLine(std::string_view line) {
  bool any = false;
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    any = true;
    if (!IsWordChar(c)) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < line.size() && IsWordChar(line[j]))
      ++j;
    if (j - i > 12)
      return false;
    std::string word(line.substr(i, j - i));
    for (char& w : word)
      w = static_cast<char>(w >= 'A' && w <= 'Z' ? w - 'A' + 'a' : w);
    if (std::find(kKeywords.begin(), kKeywords.end(), word) == kKeywords.end())
      return false;
    i = j;
  }
  return any;
}

std::string_view CodePart(std::string_view line, CommentStyle style) {
  std::string_view marker;
  switch (style) {
    case CommentStyle::kCLike:
      marker = "//";
      break;
    case CommentStyle::kHash:
      marker = "#";
      break;
    case CommentStyle::kDashDash:
      marker = "--";
      break;
    default:
      return line;
  }
  size_t at = line.find(marker);
  if (at == std::string_view::npos || TrimLeft(line.substr(0, at)).empty())
    return line;  // no comment, or a comment-only line (classified as a comment instead)
  return line.substr(0, at);
}

bool CommentTracker::Next(std::string_view line) {
  std::string_view s = TrimLeft(line);
  std::string_view open, close;
  switch (style_) {
    case CommentStyle::kCLike:
      open = "/*";
      close = "*/";
      break;
    case CommentStyle::kMarkup:
      open = "<!--";
      close = "-->";
      break;
    default:
      break;
  }
  if (in_block_) {
    if (s.find(close) != std::string_view::npos)
      in_block_ = false;
    return !s.empty();
  }
  if (s.empty())
    return false;
  switch (style_) {
    case CommentStyle::kNone:
      return false;
    case CommentStyle::kHash:
      return s[0] == '#';
    case CommentStyle::kDashDash:
      return StartsWith(s, "--");
    case CommentStyle::kSemicolon:
      return s[0] == ';';
    case CommentStyle::kPercent:
      return s[0] == '%';
    case CommentStyle::kCLike:
      if (StartsWith(s, "//"))
        return true;
      if (s[0] == '*' && (s.size() == 1 || IsSpace(s[1]) || s[1] == '/' || s[1] == '*'))
        return true;  // a block comment's continuation line
      break;
    case CommentStyle::kMarkup:
      break;
  }
  // A block opened on this line and not closed after the opening keeps the next lines comment.
  size_t at = s.rfind(open);
  if (at != std::string_view::npos && s.find(close, at + open.size()) == std::string_view::npos) {
    in_block_ = true;
  }
  if (!StartsWith(s, open))
    return false;
  // Comment-only when nothing but comment follows the last close.
  size_t end = s.rfind(close);
  if (end == std::string_view::npos || end < open.size())
    return true;
  return TrimLeft(s.substr(end + close.size())).empty();
}

std::string SubstitutionKey(std::string_view before, std::string_view after) {
  if (before.size() > kMaxCompareBytes || after.size() > kMaxCompareBytes)
    return "";
  std::vector<std::string_view> a = Tokens(before), b = Tokens(after);
  if (a == b)
    return "";
  if (a.size() == b.size()) {
    std::string_view from, to;
    bool consistent = true;
    for (size_t i = 0; i < a.size() && consistent; ++i) {
      if (a[i] == b[i])
        continue;
      if (from.empty() && to.empty()) {
        from = a[i];
        to = b[i];
      } else {
        consistent = a[i] == from && b[i] == to;
      }
    }
    if (consistent)
      return std::string(from) + " -> " + std::string(to);
  }
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
    ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  return Join(a, prefix, a.size() - suffix) + " -> " + Join(b, prefix, b.size() - suffix);
}

}  // namespace goodhart::processors::internal
