// The text of a JSON document goodhart writes: an API answer, a CLI report, an export line.
// Strings in them can hold bytes from outside (a query value, an event header, a name in an old
// directory version), and nlohmann's default dump throws on bytes that are not UTF-8: JsonText
// writes U+FFFD for them instead and never throws. `indent` as nlohmann's (-1: one line).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace goodhart {

inline std::string JsonText(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The same for a document that keeps its keys in insertion order.
inline std::string JsonText(const nlohmann::ordered_json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace goodhart
