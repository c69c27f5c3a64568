// Reading fields of vendor report JSON (nlohmann; these are cold paths): lenient about absence,
// strict about type and range. Missing and null read as empty/zero; a wrong type, a negative count
// or a fraction where an integer belongs is an error naming the field. Messages carry no component
// or place: the caller prefixes "component: where: ".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/cost_units.h"

namespace goodhart::receivers::file::internal {

using Json = nlohmann::json;

// Counts above this are garbage, and capping them keeps every sum of counts from overflowing.
inline constexpr int64_t kMaxCount = 1'000'000'000'000'000;  // 10^15

// `content` without a leading UTF-8 byte order mark.
std::string_view StripBom(std::string_view content);

// Calls `fn(line_number, line)` for each non-blank line of a JSONL file (a leading byte order mark
// skipped, line numbers from 1, the newline not included).
template <typename Fn>
void ForEachJsonLine(std::string_view content, Fn&& fn) {
  content = StripBom(content);
  int64_t line_number = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos)
      end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") != std::string_view::npos)
      fn(line_number, line);
  }
}

// Parses one JSON document: "component: not JSON: <parser message>" on failure.
Result<Json> ParseJson(std::string_view component, std::string_view text);

// The member `key` of `object`; nullptr when `object` is not an object or the member is missing
// or null.
const Json* Member(const Json& object, std::string_view key);

// A count: a JSON integer, an integral float (4400.0) or a string of digits ("15"). Missing or
// null reads as 0. `label` names the field in messages (default: `key`).
Result<int64_t> ReadCount(const Json& object, std::string_view key, std::string_view label = {});

// A string; numbers and booleans are written out (ids are sometimes numbers). Missing or null
// reads as "".
Result<std::string> ReadString(const Json& object, std::string_view key);

// A finite number (JSON number or decimal string). Missing or null is an error.
Result<double> ReadNumber(const Json& object, std::string_view key);

// An RFC 3339 timestamp or a date, as unix milliseconds. Missing is an error.
Result<int64_t> ReadTime(const Json& object, std::string_view key);

// A money amount in `unit` as micro-USD: a decimal string is parsed exactly, a JSON number
// through model::ToMicroUsd. Missing is an error; so are negative amounts.
Result<int64_t> ReadMoneyMicros(const Json& object, std::string_view key, model::MoneyUnit unit,
                                std::string_view label = {});

// OK when `currency` is `expected` in any case ("USD", "usd"); an empty currency is taken as
// `expected`, since every source here bills in USD.
Status CheckCurrency(std::string_view currency, std::string_view expected);

}  // namespace goodhart::receivers::file::internal
