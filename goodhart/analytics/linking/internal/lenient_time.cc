#include "goodhart/analytics/linking/internal/lenient_time.h"

#include <fmt/format.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::internal {
namespace {

// Reads between min_digits and max_digits decimal digits at text[pos].
bool ReadNumber(std::string_view text, size_t& pos, size_t min_digits, size_t max_digits,
                int* out) {
  size_t start = pos;
  int value = 0;
  while (pos < text.size() && pos - start < max_digits && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
  }
  *out = value;
  return pos - start >= min_digits;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

Result<int64_t> ParseLenientTimestampMillis(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("linking: '{}' is not a timestamp", text.substr(0, 40)));
  };
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadNumber(text, pos, 4, 4, &year) || !Expect(text, pos, '-') ||
      !ReadNumber(text, pos, 1, 2, &month) || !Expect(text, pos, '-') ||
      !ReadNumber(text, pos, 1, 2, &day)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return bad();
  }
  int64_t millis = 0;
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') {
      return bad();
    }
    ++pos;
    if (!ReadNumber(text, pos, 1, 2, &hour) || !Expect(text, pos, ':') ||
        !ReadNumber(text, pos, 1, 2, &minute)) {
      return bad();
    }
    if (Expect(text, pos, ':') && !ReadNumber(text, pos, 1, 2, &second)) {
      return bad();
    }
    if (hour > 23 || minute > 59 || second > 60) {
      return bad();
    }
    if (Expect(text, pos, '.')) {
      size_t start = pos;
      while (pos < text.size() && pos - start < 9 && text[pos] >= '0' && text[pos] <= '9') {
        if (pos - start < 3) {
          millis = millis * 10 + (text[pos] - '0');
        }
        ++pos;
      }
      if (pos == start) {
        return bad();
      }
      for (size_t digits = pos - start; digits < 3; ++digits) {
        millis *= 10;
      }
    }
    std::string_view zone = text.substr(pos);
    if (zone == "Z" || zone == "z" || zone == " UTC") {
      pos = text.size();
    } else if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
      int sign = zone[0] == '-' ? -1 : 1;
      ++pos;
      int zone_hours = 0, zone_minutes = 0;
      if (!ReadNumber(text, pos, 2, 2, &zone_hours)) {
        return bad();
      }
      if (pos < text.size()) {
        (void)Expect(text, pos, ':');
        if (!ReadNumber(text, pos, 2, 2, &zone_minutes)) {
          return bad();
        }
      }
      if (zone_hours > 23 || zone_minutes > 59) {
        return bad();
      }
      offset_minutes = int64_t{sign} * (zone_hours * 60 + zone_minutes);
    }
  }
  if (pos != text.size()) {
    return bad();
  }
  return CivilToMillis(year, month, day, hour, minute, second) + millis - offset_minutes * 60'000;
}

}  // namespace goodhart::analytics::internal
