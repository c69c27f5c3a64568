#include "goodhart/model/cost_units.h"

#include <fmt/format.h>

#include <cmath>

namespace goodhart::model {
namespace {
int UnitScaleDigits(MoneyUnit unit) {  // decimal digits from the unit to micro-USD
  switch (unit) {
    case MoneyUnit::kUsd:
      return 6;
    case MoneyUnit::kCents:
      return 4;
    case MoneyUnit::kMicroUsd:
      return 0;
  }
  return 0;
}
}  // namespace

int64_t ToMicroUsd(double amount, MoneyUnit unit) {
  return std::llround(amount * std::pow(10.0, UnitScaleDigits(unit)));
}

Result<int64_t> DecimalStringToMicroUsd(std::string_view text, MoneyUnit unit) {
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("cost: '{}' is not a decimal number", text.substr(0, 32)));
  };
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+'))
    negative = text[pos++] == '-';
  int64_t whole = 0;
  size_t digits = 0;
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
    if (whole > (INT64_MAX / 100) / 10'000'000)
      return bad();  // overflow after scaling
    whole = whole * 10 + (text[pos] - '0');
  }
  const int scale = UnitScaleDigits(unit);
  int64_t fraction = 0;  // the first `scale` fractional digits
  int fraction_digits = 0;
  bool round_up = false;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (fraction_digits < scale) {
        fraction = fraction * 10 + (text[pos] - '0');
        ++fraction_digits;
      } else if (fraction_digits == scale) {
        round_up = text[pos] >= '5';
        ++fraction_digits;
      }
    }
  }
  if (digits == 0 || pos != text.size())
    return bad();
  for (int i = std::min(fraction_digits, scale); i < scale; ++i)
    fraction *= 10;
  int64_t multiplier = 1;
  for (int i = 0; i < scale; ++i)
    multiplier *= 10;
  int64_t micros = whole * multiplier + fraction + (round_up ? 1 : 0);
  return negative ? -micros : micros;
}

}  // namespace goodhart::model
