#include "goodhart/receivers/file/internal/json_fields.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

#include "goodhart/base/json_text.h"
#include "goodhart/base/time.h"

namespace goodhart::receivers::file::internal {
namespace {

Status Bad(std::string_view label, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{} {}", label, what));
}

Result<int64_t> CheckedCount(std::string_view label, int64_t value) {
  if (value < 0)
    return Bad(label, fmt::format("is negative ({})", value));
  if (value > kMaxCount)
    return Bad(label, fmt::format("is too large ({})", value));
  return value;
}

// The first 32 bytes of `text`, cut before a UTF-8 continuation byte so a character is not split.
std::string Excerpt(std::string_view text) {
  if (text.size() <= 32)
    return std::string(text);
  size_t end = 32;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  return std::string(text.substr(0, end)) + "...";
}

}  // namespace

std::string_view StripBom(std::string_view content) {
  if (content.size() >= 3 && content.substr(0, 3) == "\xEF\xBB\xBF")
    content.remove_prefix(3);
  return content;
}

// Called with literal component names only, so a swap cannot go unnoticed in tests.
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
Result<Json> ParseJson(std::string_view component, std::string_view text) {
  Json doc = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded())
    return doc;
  // Parse again for the parser's message (position and cause); only failures pay for it.
  try {
    Json unused = Json::parse(text.begin(), text.end());
    (void)unused;
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(fmt::format("{}: not JSON: {}", component, e.what()));
  }
  return Status::InvalidArgument(fmt::format("{}: not JSON", component));
}

const Json* Member(const Json& object, std::string_view key) {
  if (!object.is_object())
    return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null())
    return nullptr;
  return &*it;
}

Result<int64_t> ReadCount(const Json& object, std::string_view key, std::string_view label) {
  if (label.empty())
    label = key;
  const Json* v = Member(object, key);
  if (v == nullptr)
    return int64_t{0};
  switch (v->type()) {
    case Json::value_t::number_integer:
      return CheckedCount(label, v->get<int64_t>());
    case Json::value_t::number_unsigned: {
      uint64_t u = v->get<uint64_t>();
      if (u > static_cast<uint64_t>(kMaxCount))
        return Bad(label, fmt::format("is too large ({})", u));
      return static_cast<int64_t>(u);
    }
    case Json::value_t::number_float: {
      double d = v->get<double>();
      if (!std::isfinite(d) || d != std::floor(d))
        return Bad(label, fmt::format("is not an integer ({})", d));
      if (d < 0)
        return Bad(label, fmt::format("is negative ({})", d));
      if (d > static_cast<double>(kMaxCount))
        return Bad(label, fmt::format("is too large ({})", d));
      return static_cast<int64_t>(d);
    }
    case Json::value_t::string: {
      const auto& s = v->get_ref<const std::string&>();
      int64_t out = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec != std::errc() || ptr != s.data() + s.size() || s.empty())
        return Bad(label, fmt::format("is not an integer ('{}')", Excerpt(s)));
      return CheckedCount(label, out);
    }
    default:
      return Bad(label, fmt::format("is not a number ({})", v->type_name()));
  }
}

Result<std::string> ReadString(const Json& object, std::string_view key) {
  const Json* v = Member(object, key);
  if (v == nullptr)
    return std::string();
  switch (v->type()) {
    case Json::value_t::string:
      return v->get<std::string>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
    case Json::value_t::boolean:
      return JsonText(*v);
    default:
      return Bad(key, fmt::format("is not a string ({})", v->type_name()));
  }
}

Result<double> ReadNumber(const Json& object, std::string_view key) {
  const Json* v = Member(object, key);
  if (v == nullptr)
    return Bad(key, "is missing");
  double d = 0;
  if (v->is_number()) {
    d = v->get<double>();
  } else if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty())
      return Bad(key, fmt::format("is not a number ('{}')", Excerpt(s)));
  } else {
    return Bad(key, fmt::format("is not a number ({})", v->type_name()));
  }
  if (!std::isfinite(d))
    return Bad(key, "is not a finite number");
  return d;
}

Result<int64_t> ReadTime(const Json& object, std::string_view key) {
  const Json* v = Member(object, key);
  if (v == nullptr)
    return Bad(key, "is missing");
  if (!v->is_string())
    return Bad(key, fmt::format("is not a timestamp string ({})", v->type_name()));
  auto t = ParseTimestampMillis(v->get_ref<const std::string&>());
  if (!t.ok())
    return t.status().WithPrefix(key);
  return *t;
}

Result<int64_t> ReadMoneyMicros(const Json& object, std::string_view key, model::MoneyUnit unit,
                                std::string_view label) {
  if (label.empty())
    label = key;
  const Json* v = Member(object, key);
  if (v == nullptr)
    return Bad(label, "is missing");
  int64_t micros = 0;
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    auto parsed = model::DecimalStringToMicroUsd(s, unit);
    if (!parsed.ok())
      return Bad(label, fmt::format("'{}' is not a decimal number", Excerpt(s)));
    micros = *parsed;
  } else if (v->is_number()) {
    double d = v->get<double>();
    // 10^12 of any unit here is beyond any bill and keeps llround in range.
    if (!std::isfinite(d) || std::fabs(d) > 1e12)
      return Bad(label, fmt::format("is out of range ({})", d));
    micros = model::ToMicroUsd(d, unit);
  } else {
    return Bad(label, fmt::format("is not a number ({})", v->type_name()));
  }
  if (micros < 0)
    return Bad(label, fmt::format("is negative ({} micro-USD)", micros));
  return micros;
}

Status CheckCurrency(std::string_view currency, std::string_view expected) {
  if (currency.empty())
    return Status::Ok();
  bool same = currency.size() == expected.size();
  for (size_t i = 0; same && i < currency.size(); ++i) {
    same = std::tolower(static_cast<unsigned char>(currency[i])) ==
           std::tolower(static_cast<unsigned char>(expected[i]));
  }
  if (!same) {
    return Status::InvalidArgument(
        fmt::format("currency '{}' is not {}", Excerpt(currency), expected));
  }
  return Status::Ok();
}

}  // namespace goodhart::receivers::file::internal
