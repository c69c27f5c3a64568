// Whether bytes are well-formed UTF-8. Text from outside (HTTP query values, YAML files) is
// checked at the border, because nlohmann's dump throws on anything else.
#pragma once

#include <string_view>

namespace goodhart {

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence.
bool IsUtf8(std::string_view text);

}  // namespace goodhart
