#include "goodhart/analytics/linking/internal/lenient_time.h"

#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::analytics::internal {
namespace {

TEST(ParseLenientTimestampMillisTest, DevLakeFormats) {
  const int64_t expected = CivilToMillis(2023, 4, 10, 6, 51, 47);
  EXPECT_EQ(*ParseLenientTimestampMillis("2023-04-10T06:51:47.000+00:00"), expected);
  EXPECT_EQ(*ParseLenientTimestampMillis("2023-4-10 6:51:47"), expected);
  EXPECT_EQ(*ParseLenientTimestampMillis("2023-04-10 06:51:47"), expected);
  EXPECT_EQ(*ParseLenientTimestampMillis(" 2023-4-10T6:51:47Z "), expected);
  EXPECT_EQ(*ParseLenientTimestampMillis("2023-4-10 6:51:47 UTC"), expected);
}

TEST(ParseLenientTimestampMillisTest, FractionsZonesAndDates) {
  const int64_t base = CivilToMillis(2022, 9, 1, 8, 5, 0);
  EXPECT_EQ(*ParseLenientTimestampMillis("2022-9-1 8:5"), base);
  EXPECT_EQ(*ParseLenientTimestampMillis("2022-09-01T08:05:00.5Z"), base + 500);
  EXPECT_EQ(*ParseLenientTimestampMillis("2022-09-01T08:05:00.123456789Z"), base + 123);
  EXPECT_EQ(*ParseLenientTimestampMillis("2022-09-01T10:05:00+02:00"), base);
  EXPECT_EQ(*ParseLenientTimestampMillis("2022-09-01T03:05:00-0500"), base);
  EXPECT_EQ(*ParseLenientTimestampMillis("2022-09-01T10:05:00+02"), base);
  EXPECT_EQ(*ParseLenientTimestampMillis("2022-9-1"), CivilToMillis(2022, 9, 1));
  EXPECT_EQ(*ParseLenientTimestampMillis("2024-2-29"), CivilToMillis(2024, 2, 29));
}

TEST(ParseLenientTimestampMillisTest, RejectsGarbageAndOutOfRange) {
  for (const char* bad :
       {"", "yesterday", "22-9-1", "2022-13-1", "2022-2-30", "2023-2-29", "2022-9-1 24:00:00",
        "2022-9-1 8:60", "2022-9-1 8", "2022-9-1 8:5:", "2022-9-1T8:5:0.", "2022-9-1T8:5:0+2",
        "2022-9-1T8:5:0 junk", "2022-09-001", "2022-9-1 8:5:0+25:00"}) {
    EXPECT_FALSE(ParseLenientTimestampMillis(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace goodhart::analytics::internal
