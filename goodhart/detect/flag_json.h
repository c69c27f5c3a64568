// JSON form of a Flag (flag.h) for the flag store, `goodhart flags` and the API: the struct's
// field names, enums as their names ("person", "B", "cost"), times in unix milliseconds, unset
// optionals as null. Reading is lenient about missing fields (they keep their defaults), so flags
// written by an older goodhart still load; unknown enum names are errors.
#pragma once

#include <nlohmann/json.hpp>

#include "goodhart/base/status.h"
#include "goodhart/detect/flag.h"

namespace goodhart::detect {

nlohmann::json ToJson(const Flag& flag);
// InvalidArgument ("detect: flag json: subject.kind: unknown 'robot'") for a malformed document.
Result<Flag> FlagFromJson(const nlohmann::json& json);

}  // namespace goodhart::detect
