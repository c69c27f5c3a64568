// Whether bytes are well-formed UTF-8. Text from outside (HTTP query values, YAML files) is
// checked at the border, because nlohmann's dump throws on anything else.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace goodhart {

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence.
bool IsUtf8(std::string_view text);

// The length of the well-formed sequence starting at text[at] (at < text.size()), 0 if none does.
size_t Utf8SequenceLength(std::string_view text, size_t at);

// `text` with every byte that starts no well-formed sequence replaced by U+FFFD.
std::string ToUtf8Lossy(std::string_view text);

}  // namespace goodhart
