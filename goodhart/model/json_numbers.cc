#include "goodhart/model/json_numbers.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "goodhart/base/float_fits.h"

namespace goodhart::model {
namespace {

// The path below `j` of its first float that does not fit, with the value; nullopt when all fit.
// The path is built only on the way back from a misfit: the common case formats nothing.
std::optional<std::string> FirstMisfit(const nlohmann::json& j, bool is_unsigned, double* value) {
  switch (j.type()) {
    case nlohmann::json::value_t::number_float: {
      *value = j.get<double>();
      const bool fits = is_unsigned ? TruncatesIntoUint64(*value) : TruncatesIntoInt64(*value);
      return fits ? std::nullopt : std::optional<std::string>("");
    }
    case nlohmann::json::value_t::object:
      for (const auto& [key, member] : j.items()) {
        const bool hashes = member.is_array() && key.ends_with("_hashes");
        if (auto below = FirstMisfit(member, hashes, value))
          return fmt::format(".{}{}", key, *below);
      }
      return std::nullopt;
    case nlohmann::json::value_t::array:
      for (size_t i = 0; i < j.size(); ++i) {
        if (auto below = FirstMisfit(j[i], is_unsigned, value))
          return fmt::format("[{}]{}", i, *below);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

Status CheckJsonNumbersFit(const nlohmann::json& j, std::string_view where) {
  double value = 0;
  if (auto path = FirstMisfit(j, false, &value)) {
    return Status::InvalidArgument(
        fmt::format("{}{}: number out of range ({})", where, *path, value));
  }
  return Status::Ok();
}

}  // namespace goodhart::model
