#include "goodhart/base/time.h"

#include <fmt/format.h>

#include <cctype>

namespace goodhart {
namespace {

// Howard Hinnant's days_from_civil.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool ReadDigits(std::string_view s, size_t& pos, size_t n, int* out) {
  if (pos + n > s.size())
    return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  *out = v;
  return true;
}

}  // namespace

int64_t CivilToMillis(int year, int month, int day, int hour, int minute, int second) {
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
             kMillisPerDay +
         (static_cast<int64_t>(hour) * 3600 + minute * 60 + second) * 1000;
}

Result<int64_t> ParseTimestampMillis(std::string_view s) {
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("time: '{}' is not an RFC 3339 timestamp", s.substr(0, 40)));
  };
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(s, pos, 4, &year) || pos >= s.size() || s[pos++] != '-' ||
      !ReadDigits(s, pos, 2, &month) || pos >= s.size() || s[pos++] != '-' ||
      !ReadDigits(s, pos, 2, &day)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return bad();
  int64_t millis = 0;
  int64_t offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
      return bad();
    ++pos;
    if (!ReadDigits(s, pos, 2, &hour) || pos >= s.size() || s[pos++] != ':' ||
        !ReadDigits(s, pos, 2, &minute)) {
      return bad();
    }
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadDigits(s, pos, 2, &second))
        return bad();
    }
    if (hour > 23 || minute > 59 || second > 60)
      return bad();
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      int digits = 0;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        if (digits < 3)
          millis = millis * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0)
        return bad();
      for (int i = digits; i < 3; ++i)
        millis *= 10;
    }
    if (pos < s.size()) {
      char z = s[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        ++pos;
        int oh = 0, om = 0;
        if (!ReadDigits(s, pos, 2, &oh))
          return bad();
        if (pos < s.size() && s[pos] == ':')
          ++pos;
        if (pos < s.size() && !ReadDigits(s, pos, 2, &om))
          return bad();
        offset_minutes = (z == '+' ? 1 : -1) * (oh * 60 + om);
      } else if (z == ' ') {
        // "2024-01-01 10:00:00 UTC" (GitLab) or " +0000"
        std::string_view rest = s.substr(pos + 1);
        if (rest == "UTC") {
          pos = s.size();
        } else if (rest.size() == 5 && (rest[0] == '+' || rest[0] == '-')) {
          size_t p2 = 1;
          int oh = 0, om = 0;
          if (!ReadDigits(rest, p2, 2, &oh) || !ReadDigits(rest, p2, 2, &om))
            return bad();
          offset_minutes = (rest[0] == '+' ? 1 : -1) * (oh * 60 + om);
          pos = s.size();
        } else {
          return bad();
        }
      }
    }
    if (pos != s.size())
      return bad();
  }
  return CivilToMillis(year, month, day, hour, minute, second) + millis - offset_minutes * 60'000;
}

int64_t DayOfMillis(int64_t unix_ms) {
  return unix_ms >= 0 ? unix_ms / kMillisPerDay : -((-unix_ms + kMillisPerDay - 1) / kMillisPerDay);
}

std::string FormatMillis(int64_t unix_ms) {
  int64_t day = DayOfMillis(unix_ms);
  int64_t rem = unix_ms - day * kMillisPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, rem / 3'600'000,
                     rem / 60'000 % 60, rem / 1000 % 60, rem % 1000);
}

int64_t QuarterStartMillis(int64_t unix_ms) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(DayOfMillis(unix_ms), &y, &m, &d);
  return CivilToMillis(static_cast<int>(y), static_cast<int>((m - 1) / 3 * 3 + 1), 1);
}

std::string FormatDay(int64_t day) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

}  // namespace goodhart
