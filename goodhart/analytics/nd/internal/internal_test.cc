#include <gtest/gtest.h>

#include "goodhart/analytics/nd/internal/calendar.h"
#include "goodhart/analytics/nd/internal/severity.h"
#include "goodhart/analytics/nd/internal/strings.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::nd::internal {
namespace {

TEST(CalendarTest, AddWorkingDaysSkipsWeekends) {
  int64_t friday = CivilToMillis(2026, 1, 9, 10);
  EXPECT_EQ(AddWorkingDays(friday, 0), friday);
  EXPECT_EQ(AddWorkingDays(friday, 1), CivilToMillis(2026, 1, 12, 10));  // Monday
  EXPECT_EQ(AddWorkingDays(friday, 3), CivilToMillis(2026, 1, 14, 10));  // Wednesday
  int64_t saturday = CivilToMillis(2026, 1, 10, 10);
  EXPECT_EQ(AddWorkingDays(saturday, 1), CivilToMillis(2026, 1, 12, 10));
  int64_t monday = CivilToMillis(2026, 1, 5, 10);
  EXPECT_EQ(AddWorkingDays(monday, 3), CivilToMillis(2026, 1, 8, 10));  // Thursday
  EXPECT_TRUE(IsWeekend(saturday));
  EXPECT_FALSE(IsWeekend(friday));
}

TEST(CalendarTest, Quarters) {
  EXPECT_EQ(QuarterYear(CivilToMillis(2025, 8, 2)), 2025);
  EXPECT_EQ(QuarterNumber(CivilToMillis(2025, 8, 2)), 3);
}

TEST(SeverityTest, ReadsTheCommonSpellings) {
  EXPECT_EQ(SeverityLevel("Sev1"), 1);
  EXPECT_EQ(SeverityLevel("SEV-2"), 2);
  EXPECT_EQ(SeverityLevel("sev 3"), 3);
  EXPECT_EQ(SeverityLevel("P1"), 1);
  EXPECT_EQ(SeverityLevel("P0"), 1);
  EXPECT_EQ(SeverityLevel("S4"), 4);
  EXPECT_EQ(SeverityLevel("2"), 2);
  EXPECT_EQ(SeverityLevel("Critical"), 1);
  EXPECT_EQ(SeverityLevel("major"), 2);
  EXPECT_EQ(SeverityLevel("low"), 4);
  EXPECT_EQ(SeverityLevel(""), 0);
  EXPECT_EQ(SeverityLevel("sev12"), 0);
  EXPECT_EQ(SeverityLevel("whatever"), 0);
}

TEST(StringsTest, ShasAndIdentities) {
  EXPECT_TRUE(SameSha("ABCDEF1234", "abcdef1234"));
  EXPECT_TRUE(SameSha("abcdef1", "abcdef1234567890"));
  EXPECT_FALSE(SameSha("abcde", "abcdef1234567890"));  // too short to abbreviate
  EXPECT_FALSE(SameSha("", ""));
  EXPECT_EQ(IdentityKey("Alice Liddell <Alice@Example.com>"), "alice@example.com");
  EXPECT_EQ(IdentityKey("  bob "), "bob");
}

}  // namespace
}  // namespace goodhart::analytics::nd::internal
