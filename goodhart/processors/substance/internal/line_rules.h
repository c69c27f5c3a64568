// Line-level rules of the substance classifier (metrics.md §3.5): whitespace normalisation,
// keyword/punctuation-only lines, comment-only lines and the token substitution of an updated line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "goodhart/processors/substance/file_classifier.h"

namespace goodhart::processors::internal {

// The line with every whitespace character removed ("" for a blank line).
std::string StripWhitespace(std::string_view line);

int64_t CountAlnum(std::string_view line);

// True for a non-blank line made only of punctuation and block keywords: "}", "});", "end",
// "fi", "done", "esac", "} else {", "#endif", "return;", "break;", "pass", "default:", ...
bool IsTrivialLine(std::string_view line);

// The line without a trailing line comment ("}  // namespace x" -> "}  "), for IsTrivialLine.
// Crude: a comment marker inside a string literal also cuts the line.
std::string_view CodePart(std::string_view line, CommentStyle style);

// Tracks /* */ and <!-- --> blocks along one side (old or new) of a hunk. A hunk that starts
// inside a block comment is not recognised as such, except for "* ..." continuation lines.
class CommentTracker {
 public:
  explicit CommentTracker(CommentStyle style) : style_(style) {}
  // Feeds the next line of this side; returns true when it is a comment-only line.
  bool Next(std::string_view line);

 private:
  CommentStyle style_;
  bool in_block_ = false;
};

// "old -> new" when `before` and `after` differ by one consistent substitution of tokens
// (identifiers, numbers, punctuation): every differing aligned token pair is the same pair, or
// else the differing middle after the common prefix and suffix. "" when there is no difference
// or the lines are too long to compare.
std::string SubstitutionKey(std::string_view before, std::string_view after);

}  // namespace goodhart::processors::internal
