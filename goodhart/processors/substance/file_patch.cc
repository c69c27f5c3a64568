#include "goodhart/processors/substance/file_patch.h"

#include <charconv>

namespace goodhart::processors {
namespace {

constexpr int64_t kHeadLines = 10;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool Consume(std::string_view* s, std::string_view prefix) {
  if (!StartsWith(*s, prefix))
    return false;
  s->remove_prefix(prefix.size());
  return true;
}

// Reads a C-quoted token at the start of `s` ("..." with escapes) or, if `s` does not start with
// a quote, returns false. On success `s` is left after the closing quote.
bool ReadQuoted(std::string_view* s, std::string* out) {
  if (s->empty() || s->front() != '"')
    return false;
  out->clear();
  size_t i = 1;
  while (i < s->size()) {
    char c = (*s)[i];
    if (c == '"') {
      s->remove_prefix(i + 1);
      return true;
    }
    if (c != '\\' || i + 1 >= s->size()) {
      out->push_back(c);
      ++i;
      continue;
    }
    char e = (*s)[i + 1];
    i += 2;
    switch (e) {
      case 'a':
        out->push_back('\a');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'v':
        out->push_back('\v');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'r':
        out->push_back('\r');
        break;
      default:
        if (e >= '0' && e <= '7') {
          int value = e - '0';
          int digits = 1;
          while (digits < 3 && i < s->size() && (*s)[i] >= '0' && (*s)[i] <= '7') {
            value = value * 8 + ((*s)[i] - '0');
            ++i;
            ++digits;
          }
          out->push_back(static_cast<char>(value));
        } else {
          out->push_back(e);
        }
    }
  }
  return false;  // unterminated
}

// A path as written after "--- ", "rename from ", ...: quoted or raw; a raw name written with a
// trailing tab (git adds one when the name has a space) loses it.
std::string ReadPath(std::string_view s) {
  std::string quoted;
  std::string_view rest = s;
  if (ReadQuoted(&rest, &quoted))
    return quoted;
  if (!s.empty() && s.back() == '\t')
    s.remove_suffix(1);
  return std::string(s);
}

std::string StripPrefix(std::string path, std::string_view prefix) {
  if (StartsWith(path, prefix))
    path.erase(0, prefix.size());
  return path;
}

int64_t ParseCount(std::string_view* s, int64_t fallback) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), value);
  if (ec != std::errc())
    return fallback;
  s->remove_prefix(static_cast<size_t>(ptr - s->data()));
  return value;
}

int ParsePercent(std::string_view s) {
  int value = -1;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

}  // namespace

void UnifiedDiffParser::AddLine(std::string_view line) {
  if (file_ != nullptr && (before_ > 0 || after_ > 0)) {
    char op = line.empty() ? ' ' : line[0];  // an empty line is context (diff.suppressBlankEmpty)
    if (op == '\\')
      return;  // "\ No newline at end of file"
    if (op == ' ' || op == '+' || op == '-') {
      if (op != '+')
        --before_;
      if (op != '-')
        --after_;
      std::string_view text = line.empty() ? line : line.substr(1);
      file_->hunks.back().push_back({op, std::string(text)});
      if (head_lines_ >= 0 && op != '-') {
        if (head_lines_ < kHeadLines) {
          file_->head.append(text).push_back('\n');
          ++head_lines_;
        } else {
          head_lines_ = -1;
        }
      }
      if (before_ < 0 || after_ < 0)
        before_ = after_ = 0;  // malformed counts: leave the hunk
      return;
    }
    before_ = after_ = 0;  // a line that cannot be in a hunk ends it
  }
  if (StartsWith(line, "diff --git ")) {
    StartFile(line);
    return;
  }
  if (file_ == nullptr || line.empty())
    return;
  if (line[0] == '\\')
    return;
  if (StartsWith(line, "@@ ")) {
    HunkHeader(line);
    return;
  }
  HeaderLine(line);
}

void UnifiedDiffParser::StartFile(std::string_view line) {
  files_.emplace_back();
  file_ = &files_.back();
  before_ = after_ = 0;
  head_lines_ = -1;
  std::string_view rest = line.substr(11);
  std::string a, b;
  std::string_view r = rest;
  if (ReadQuoted(&r, &a)) {
    Consume(&r, " ");
    if (!ReadQuoted(&r, &b))
      b = std::string(r);
  } else if (size_t q = rest.find(" \""); q != std::string_view::npos) {
    a = std::string(rest.substr(0, q));
    std::string_view tail = rest.substr(q + 1);
    if (!ReadQuoted(&tail, &b))
      b = std::string(rest.substr(q + 1));
  } else {
    // Unquoted "a/X b/Y": when X == Y (no rename) split in the middle, which copes with spaces.
    size_t half = rest.size() / 2;
    if (rest.size() % 2 == 1 && half >= 2 && rest[half] == ' ' &&
        rest.substr(2, half - 2) == rest.substr(half + 3)) {
      a = std::string(rest.substr(0, half));
      b = std::string(rest.substr(half + 1));
    } else if (size_t sp = rest.find(" b/"); sp != std::string_view::npos) {
      a = std::string(rest.substr(0, sp));
      b = std::string(rest.substr(sp + 1));
    } else {
      a = b = std::string(rest);
    }
  }
  file_->old_path = StripPrefix(std::move(a), "a/");
  file_->path = StripPrefix(std::move(b), "b/");
}

void UnifiedDiffParser::HeaderLine(std::string_view line) {
  FilePatch& f = *file_;
  std::string_view v = line;
  if (Consume(&v, "old mode ")) {
    f.old_mode = std::string(v);
  } else if (Consume(&v, "new mode ")) {
    f.new_mode = std::string(v);
  } else if (Consume(&v, "new file mode ")) {
    f.is_new = true;
    f.new_mode = std::string(v);
  } else if (Consume(&v, "deleted file mode ")) {
    f.is_deleted = true;
    f.old_mode = std::string(v);
  } else if (Consume(&v, "similarity index ")) {
    f.similarity = ParsePercent(v);
  } else if (Consume(&v, "dissimilarity index ")) {
    f.dissimilarity = ParsePercent(v);
  } else if (Consume(&v, "rename from ")) {
    f.old_path = ReadPath(v);
  } else if (Consume(&v, "rename to ")) {
    f.path = ReadPath(v);
  } else if (Consume(&v, "copy from ")) {
    f.is_copy = true;
    f.old_path = ReadPath(v);
  } else if (Consume(&v, "copy to ")) {
    f.is_copy = true;
    f.path = ReadPath(v);
  } else if (Consume(&v, "index ")) {
    size_t dots = v.find("..");
    if (dots == std::string_view::npos)
      return;
    f.old_oid = std::string(v.substr(0, dots));
    std::string_view post = v.substr(dots + 2);
    size_t space = post.find(' ');
    f.new_oid = std::string(post.substr(0, space));
    if (space != std::string_view::npos && f.old_mode.empty() && f.new_mode.empty()) {
      f.old_mode = f.new_mode = std::string(post.substr(space + 1));
    }
  } else if (Consume(&v, "--- ")) {
    if (v != "/dev/null")
      f.old_path = StripPrefix(ReadPath(v), "a/");
  } else if (Consume(&v, "+++ ")) {
    if (v != "/dev/null")
      f.path = StripPrefix(ReadPath(v), "b/");
  } else if (StartsWith(line, "Binary files ") || StartsWith(line, "GIT binary patch")) {
    f.binary = true;
  }
}

bool UnifiedDiffParser::HunkHeader(std::string_view line) {
  // "@@ -a[,b] +c[,d] @@ section"
  std::string_view v = line.substr(3);
  if (!Consume(&v, "-"))
    return false;
  ParseCount(&v, 0);
  int64_t before = Consume(&v, ",") ? ParseCount(&v, 0) : 1;
  if (!Consume(&v, " +"))
    return false;
  int64_t new_start = ParseCount(&v, 0);
  int64_t after = Consume(&v, ",") ? ParseCount(&v, 0) : 1;
  if (before < 0 || after < 0)
    return false;
  file_->hunks.emplace_back();
  before_ = before;
  after_ = after;
  head_lines_ = (file_->hunks.size() == 1 && new_start <= 1) ? 0 : -1;
  return true;
}

std::vector<FilePatch> UnifiedDiffParser::Finish() {
  for (FilePatch& f : files_) {
    if (f.is_deleted)
      f.path = f.old_path;
    if (f.is_new || f.old_path == f.path)
      f.old_path.clear();
  }
  std::vector<FilePatch> out = std::move(files_);
  files_.clear();
  file_ = nullptr;
  before_ = after_ = 0;
  head_lines_ = -1;
  return out;
}

std::vector<FilePatch> ParseUnifiedDiff(std::string_view text) {
  UnifiedDiffParser parser;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    parser.AddLine(text.substr(start, end - start));
    start = end + 1;
  }
  return parser.Finish();
}

std::string QuoteGitPath(std::string_view name) {
  auto needs = [](unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x7f; };
  bool quote = false;
  for (char c : name)
    quote = quote || needs(static_cast<unsigned char>(c));
  if (!quote)
    return std::string(name);
  std::string out = "\"";
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (needs(c)) {
          out += '\\';
          out += static_cast<char>('0' + ((c >> 6) & 7));
          out += static_cast<char>('0' + ((c >> 3) & 7));
          out += static_cast<char>('0' + (c & 7));
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string UnquoteGitPath(std::string_view quoted) {
  std::string out;
  std::string_view s = quoted;
  if (ReadQuoted(&s, &out))
    return out;
  return std::string(quoted);
}

}  // namespace goodhart::processors
