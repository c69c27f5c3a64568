#include "goodhart/base/time.h"

#include <gtest/gtest.h>

namespace goodhart {
namespace {

TEST(TimeTest, ParsesTheEncodingsSourcesUse) {
  // 1791447318137 ms is the Claude Code capture's timeUnixNano / 1e6.
  EXPECT_EQ(*ParseTimestampMillis("2026-10-08T08:15:18.137Z"), 1791447318137);
  EXPECT_EQ(*ParseTimestampMillis("2026-10-08T10:15:18.137+02:00"), 1791447318137);
  EXPECT_EQ(*ParseTimestampMillis("2026-10-08 08:15:18.137 UTC"), 1791447318137);
  EXPECT_EQ(*ParseTimestampMillis("2026-10-08T08:15:18.137456789Z"), 1791447318137);
  EXPECT_EQ(*ParseTimestampMillis("1970-01-02"), kMillisPerDay);
  EXPECT_EQ(*ParseTimestampMillis("2024-01-01 10:00:00 +0100"), CivilToMillis(2024, 1, 1, 9));
}

TEST(TimeTest, RejectsGarbage) {
  EXPECT_FALSE(ParseTimestampMillis("yesterday").ok());
  EXPECT_FALSE(ParseTimestampMillis("2026-13-01").ok());
  EXPECT_FALSE(ParseTimestampMillis("2026-10-08T08:15:18Zjunk").ok());
}

TEST(TimeTest, FormatsRoundTrip) {
  EXPECT_EQ(FormatMillis(1791447318137), "2026-10-08T08:15:18.137Z");
  EXPECT_EQ(FormatDay(DayOfMillis(1791447318137)), "2026-10-08");
  EXPECT_EQ(DayOfMillis(-1), -1);
}

TEST(TimeTest, QuarterStarts) {
  EXPECT_EQ(QuarterStartMillis(CivilToMillis(2026, 3, 31, 23)), CivilToMillis(2026, 1, 1));
  EXPECT_EQ(QuarterStartMillis(CivilToMillis(2026, 4, 1)), CivilToMillis(2026, 4, 1));
  EXPECT_EQ(QuarterStartMillis(CivilToMillis(2025, 12, 2)), CivilToMillis(2025, 10, 1));
  EXPECT_EQ(QuarterStartMillis(CivilToMillis(1969, 12, 31, 23)), CivilToMillis(1969, 10, 1));
}

}  // namespace
}  // namespace goodhart
