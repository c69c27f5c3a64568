#include "goodhart/analytics/nd/internal/calendar.h"

#include <chrono>

#include "goodhart/base/time.h"

namespace goodhart::analytics::nd::internal {
namespace {

std::chrono::sys_days DayOf(int64_t unix_ms) {
  return std::chrono::sys_days{std::chrono::days{DayOfMillis(unix_ms)}};
}

std::chrono::year_month_day DateOf(int64_t unix_ms) {
  return std::chrono::year_month_day{DayOf(unix_ms)};
}

}  // namespace

bool IsWeekend(int64_t unix_ms) {
  std::chrono::weekday day{DayOf(unix_ms)};
  return day == std::chrono::Saturday || day == std::chrono::Sunday;
}

int64_t AddWorkingDays(int64_t unix_ms, int64_t working_days) {
  int64_t t = unix_ms;
  for (int64_t left = working_days; left > 0;) {
    t += kMillisPerDay;
    if (!IsWeekend(t))
      --left;
  }
  return t;
}

int QuarterYear(int64_t unix_ms) { return static_cast<int>(DateOf(unix_ms).year()); }

int QuarterNumber(int64_t unix_ms) {
  return static_cast<int>((static_cast<unsigned>(DateOf(unix_ms).month()) - 1) / 3 + 1);
}

}  // namespace goodhart::analytics::nd::internal
