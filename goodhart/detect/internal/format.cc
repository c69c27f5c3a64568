#include "goodhart/detect/internal/format.h"

#include <fmt/format.h>

#include <cmath>

#include "goodhart/base/time.h"

namespace goodhart::detect::internal {

std::string Usd(double micros) {
  double usd = micros / 1e6;
  if (std::abs(usd) < 100) {
    return usd == 0 ? "$0" : fmt::format("${:.2f}", usd);
  }
  auto whole = static_cast<int64_t>(std::llround(usd));
  std::string digits = std::to_string(whole < 0 ? -whole : whole), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return (whole < 0 ? "-$" : "$") + out;
}

std::string Count(double n) {
  double a = std::abs(n);
  if (a >= 1e9) {
    return fmt::format("{:.1f}B", n / 1e9);
  }
  if (a >= 1e6) {
    return a >= 1e8 ? fmt::format("{:.0f}M", n / 1e6) : fmt::format("{:.1f}M", n / 1e6);
  }
  if (a >= 1e4) {
    return fmt::format("{:.1f}k", n / 1e3);
  }
  return fmt::format("{:.0f}", n);
}

std::string Pct(double share) {
  double p = share * 100;
  return std::abs(p) < 10 && p != 0 ? fmt::format("{:.1f}%", p) : fmt::format("{:.0f}%", p);
}

std::string Day(int64_t unix_ms) { return FormatDay(DayOfMillis(unix_ms)); }

std::string TimeOfDay(int64_t unix_ms) {
  int64_t ms = ((unix_ms % kMillisPerDay) + kMillisPerDay) % kMillisPerDay;
  return fmt::format("{:02d}:{:02d}", ms / 3'600'000, (ms / 60'000) % 60);
}

std::string Duration(int64_t ms) {
  int64_t minutes = ms / 60'000;
  if (minutes >= 60) {
    return minutes % 60 == 0 ? fmt::format("{} h", minutes / 60)
                             : fmt::format("{} h {} min", minutes / 60, minutes % 60);
  }
  if (minutes > 0) {
    return fmt::format("{} min", minutes);
  }
  return fmt::format("{} s", ms / 1000);
}

std::string PeriodLabel(const Period& period) {
  return fmt::format("{} to {}", Day(period.from_unix_ms), Day(period.to_unix_ms - 1));
}

std::string JoinAnd(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += i + 1 == items.size() ? " and " : ", ";
    }
    out += items[i];
  }
  return out;
}

std::string Fixed(double v, int digits) { return fmt::format("{:.{}f}", v, digits); }

}  // namespace goodhart::detect::internal
