// The text of a JSON answer. Strings in answers can hold bytes a client sent (a team name, an
// event header, a path), and nlohmann's default dump throws on bytes that are not UTF-8: every
// answer goes through JsonText, which writes U+FFFD for them instead and never throws.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace goodhart::api {

inline std::string JsonText(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace goodhart::api
