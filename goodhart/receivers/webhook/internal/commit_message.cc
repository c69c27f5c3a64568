#include "goodhart/receivers/webhook/internal/commit_message.h"

#include "goodhart/processors/ai_markers/trailers.h"

namespace goodhart::receivers::webhook::internal {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back()))
    s.remove_suffix(1);
  return s;
}

}  // namespace

CommitMessage ParseCommitMessage(std::string_view message) {
  CommitMessage out;
  // The subject: leading blank lines skipped, then lines up to the first blank one.
  bool started = false;
  size_t start = 0;
  while (start <= message.size()) {
    size_t end = message.find('\n', start);
    std::string_view line =
        Trim(message.substr(start, end == std::string_view::npos ? end : end - start));
    if (line.empty()) {
      if (started)
        break;
    } else {
      if (started)
        out.subject.push_back(' ');
      out.subject.append(line);
      started = true;
    }
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
  out.trailers = processors::ParseTrailers(message);
  out.co_authors = processors::CoAuthors(out.trailers);
  return out;
}

}  // namespace goodhart::receivers::webhook::internal
