// The text of prices.yaml, compiled into the binary: CMake generates builtin_prices.cc from
// builtin_prices.cc.in at configure time, so no file is read at runtime.
#pragma once

#include <string_view>

namespace goodhart::processors::internal {

std::string_view BuiltinPricesYaml();

}  // namespace goodhart::processors::internal
