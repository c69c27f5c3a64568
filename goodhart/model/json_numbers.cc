#include "goodhart/model/json_numbers.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace goodhart::model {
namespace {

Status Check(const nlohmann::json& j, const std::string& where, bool is_unsigned) {
  switch (j.type()) {
    case nlohmann::json::value_t::number_float: {
      const double d = j.get<double>();
      const bool fits = is_unsigned ? (d > -1.0 && d < 0x1p64) : (d >= -0x1p63 && d < 0x1p63);
      if (!std::isfinite(d) || !fits)
        return Status::InvalidArgument(fmt::format("{}: number out of range ({})", where, d));
      return Status::Ok();
    }
    case nlohmann::json::value_t::object:
      for (const auto& [key, value] : j.items()) {
        const bool hashes = value.is_array() && key.ends_with("_hashes");
        GOODHART_RETURN_IF_ERROR(Check(value, fmt::format("{}.{}", where, key), hashes));
      }
      return Status::Ok();
    case nlohmann::json::value_t::array:
      for (size_t i = 0; i < j.size(); ++i)
        GOODHART_RETURN_IF_ERROR(Check(j[i], fmt::format("{}[{}]", where, i), is_unsigned));
      return Status::Ok();
    default:
      return Status::Ok();
  }
}

}  // namespace

Status CheckJsonNumbersFit(const nlohmann::json& j, std::string_view where) {
  return Check(j, std::string(where), false);
}

}  // namespace goodhart::model
