#include "goodhart/processors/ai_markers/ai_markers.h"

#include <algorithm>
#include <string>

// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> (std::function in the
// NFA states) at -O2 with sanitizers; the warning is in the library's code, not ours. It is
// emitted when the templates are compiled at the end of this file, so it stays off for the file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>

#include "goodhart/processors/ai_markers/trailers.h"

namespace goodhart::processors {
namespace {

// Longer texts are cut before the regex runs: markers are short, and std::regex recurses per
// character, so unbounded input could exhaust the stack.
constexpr size_t kMaxMatchBytes = 1024;

struct CompiledRule {
  const MarkerRule* rule;
  std::regex regex;
  bool has_pattern;
};

const std::vector<CompiledRule>& CompiledRules() {
  static const std::vector<CompiledRule> kCompiled = [] {
    std::vector<CompiledRule> out;
    for (const MarkerRule& rule : AiMarkerRules()) {
      CompiledRule c{&rule, {}, !rule.pattern.empty()};
      if (c.has_pattern) {
        c.regex = std::regex(std::string(rule.pattern),
                             std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
      }
      out.push_back(std::move(c));
    }
    return out;
  }();
  return kCompiled;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string ToolName(std::string_view tool) {
  std::string out = Lower(Trim(tool));
  std::replace(out.begin(), out.end(), ' ', '-');
  return out;
}

class Matcher {
 public:
  explicit Matcher(std::vector<model::AiMarker>* out) : out_(out) {}

  // Tries the rules of `source` (and trailer `key`) on `text`; the first match adds a marker.
  bool Match(MarkerSource source, std::string_view key, std::string_view text, std::string_view raw,
             std::string_view kind, std::string_view author_type = {}) {
    text = Trim(text);
    if (text.empty())
      return false;
    text = text.substr(0, kMaxMatchBytes);
    std::string lower = Lower(text);
    std::string lower_key = Lower(key);
    for (const CompiledRule& c : CompiledRules()) {
      const MarkerRule& rule = *c.rule;
      if (rule.source != source || (source == MarkerSource::kTrailer && rule.key != lower_key))
        continue;
      if (!rule.needle.empty() && lower.find(rule.needle) == std::string::npos)
        continue;
      if (rule.bot_only && !author_type.empty() && author_type != "Bot")
        continue;
      std::match_results<std::string_view::const_iterator> m;
      if (c.has_pattern && !std::regex_search(text.begin(), text.end(), m, c.regex))
        continue;
      model::AiMarker marker;
      if (rule.tool == "$1") {
        if (!c.has_pattern || m.size() < 2 || !m[1].matched)
          continue;
        marker.tool = ToolName(m[1].str());
      } else {
        marker.tool = std::string(rule.tool);
      }
      if (rule.model_group > 0 && c.has_pattern &&
          static_cast<size_t>(rule.model_group) < m.size() && m[rule.model_group].matched) {
        marker.model = std::string(Trim(m[rule.model_group].str()));
      }
      marker.kind = std::string(kind);
      marker.raw = std::string(Trim(raw));
      if (std::find(out_->begin(), out_->end(), marker) == out_->end())
        out_->push_back(std::move(marker));
      return true;
    }
    return false;
  }

 private:
  std::vector<model::AiMarker>* out_;
};

template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    fn(text.substr(start, end - start));
    start = end + 1;
  }
}

// "Key: value" of a single line, as git's separator rule reads it; false when not a trailer line.
bool SplitTrailerLine(std::string_view line, std::string_view* key, std::string_view* value) {
  std::vector<model::Trailer> parsed = ParseTrailers(std::string("x\n\n").append(Trim(line)));
  if (parsed.size() != 1)
    return false;
  size_t colon = line.find(':');
  *key = Trim(line.substr(0, colon));
  *value = Trim(line.substr(colon + 1));
  return true;
}

}  // namespace

std::vector<model::AiMarker> FindCommitMarkers(std::string_view author_name,
                                               std::string_view author_email,
                                               std::string_view message) {
  std::vector<model::AiMarker> markers;
  Matcher matcher(&markers);
  std::string author =
      std::string(Trim(author_name)) + " <" + std::string(Trim(author_email)) + ">";
  matcher.Match(MarkerSource::kAuthor, {}, author, author, "author");
  std::string_view subject = message.substr(0, message.find('\n'));
  matcher.Match(MarkerSource::kSubject, {}, subject, subject, "subject");
  for (const model::Trailer& t : ParseTrailers(message)) {
    matcher.Match(MarkerSource::kTrailer, t.key, t.value, t.key + ": " + t.value, "trailer");
  }
  ForEachLine(message, [&](std::string_view line) {
    matcher.Match(MarkerSource::kBodyLine, {}, line, line, "body");
  });
  return markers;
}

std::vector<model::AiMarker> FindChangeMarkers(std::string_view author_login,
                                               std::string_view author_type,
                                               std::string_view head_ref, std::string_view body) {
  std::vector<model::AiMarker> markers;
  Matcher matcher(&markers);
  matcher.Match(MarkerSource::kLogin, {}, author_login, author_login, "pr_author", author_type);
  matcher.Match(MarkerSource::kHeadRef, {}, head_ref, head_ref, "branch");
  ForEachLine(body, [&](std::string_view line) {
    std::string_view key, value;
    if (SplitTrailerLine(line, &key, &value) &&
        matcher.Match(MarkerSource::kTrailer, key, value, line, "body")) {
      return;
    }
    matcher.Match(MarkerSource::kBodyLine, {}, line, line, "body");
  });
  return markers;
}

}  // namespace goodhart::processors
