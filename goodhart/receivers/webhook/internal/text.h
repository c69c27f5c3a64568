// Small string helpers the decoders share: URL decoding, case folding, sha and repository-URL
// recognition.
#pragma once

#include <string>
#include <string_view>

namespace goodhart::receivers::webhook::internal {

// Percent-decodes `text`; with `plus_is_space` (form bodies) '+' becomes ' '. A '%' not followed
// by two hex digits is kept as is.
std::string UrlDecode(std::string_view text, bool plus_is_space = false);

std::string AsciiLower(std::string_view text);

// True for 40 hex digits (a full SHA-1 object id).
bool IsFullSha(std::string_view text);

// "https://github.com/owner/name.git" or "git@github.com:owner/name" -> "owner/name"; the path
// of any other URL without its leading and trailing slashes and ".git"; "" when nothing is left.
std::string RepoFromUrl(std::string_view url);

}  // namespace goodhart::receivers::webhook::internal
