// Commit-message trailers with `git interpret-trailers --parse` semantics (formats.md §9): the
// trailers are the "Key: value" lines of the message's last paragraph, never its first (the title).
// Used for AI markers (Co-authored-by, Claude-Session, Assisted-by, ...) and co-authors.
//
// As in git's trailer.c (find_trailer_block_start):
//   - trailing blank lines and comment lines ('#') are ignored;
//   - a line "Token: value" is a trailer when Token is [A-Za-z0-9-]+, optionally followed by spaces
//     or tabs before the ':' (the only separator);
//   - a line starting with whitespace continues the previous trailer ("folded"); the parsed value
//     joins the pieces with one space (git's `unfold`);
//   - the last paragraph is a trailer block when every line is a trailer or continuation, or when
//   at
//     least a quarter of its lines are trailers and one starts with a git-generated prefix
//     ("Signed-off-by: ", "(cherry picked from commit "); other lines of such a block are skipped.
// Not applied: the "---" patch divider (commit messages may contain "---"), `trailer.*` config.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "goodhart/model/delivery.h"

namespace goodhart::processors {

// Keys and values as written, trimmed, in message order. Keys compare case-insensitively
// (use TrailerKeyIs).
std::vector<model::Trailer> ParseTrailers(std::string_view message);

// ASCII case-insensitive comparison of a trailer key: TrailerKeyIs(t, "co-authored-by").
bool TrailerKeyIs(const model::Trailer& trailer, std::string_view lowercase_key);

// The values of the Co-authored-by trailers ("Name <email>"), in order, duplicates dropped.
std::vector<std::string> CoAuthors(const std::vector<model::Trailer>& trailers);

}  // namespace goodhart::processors
