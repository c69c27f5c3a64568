// Before a JSON record from outside is read into a model struct (nlohmann's get<T>()): its
// fractional numbers must fit the integer fields they may land in. nlohmann converts a float to
// an integer with a plain cast, which is undefined behaviour when the value does not fit
// (1e30 as a timestamp, -5.5 as a line fingerprint).
#pragma once

#include <nlohmann/json.hpp>

#include "goodhart/base/status.h"

namespace goodhart::model {

// InvalidArgument "record.files[0].added_line_hashes[3]: number out of range (-5.5)" for the
// first float that is not finite or outside [-2^63, 2^63), or, inside an array whose name ends
// in "_hashes" (the only unsigned fields), outside (-1, 2^64). `where` names the root.
Status CheckJsonNumbersFit(const nlohmann::json& j, std::string_view where = "record");

}  // namespace goodhart::model
