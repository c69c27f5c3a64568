#include "goodhart/review/detection_run.h"

#include <gtest/gtest.h>

#include "goodhart/base/time.h"

namespace goodhart::review {
namespace {

// D10's own baseline is the calendar quarter before the one the current period starts in: the
// same for every period that starts in one quarter (frozen), across year ends too.
TEST(OwnBaselineQuarterTest, IsTheCalendarQuarterBeforeTheCurrentPeriodsStart) {
  const detect::Period q3{CivilToMillis(2026, 7, 1), CivilToMillis(2026, 10, 1)};
  EXPECT_EQ(OwnBaselineQuarter(CivilToMillis(2026, 10, 1)), q3);
  EXPECT_EQ(OwnBaselineQuarter(CivilToMillis(2026, 12, 31, 23)), q3);
  EXPECT_EQ(OwnBaselineQuarter(CivilToMillis(2026, 9, 30, 23)),
            (detect::Period{CivilToMillis(2026, 4, 1), CivilToMillis(2026, 7, 1)}));
  EXPECT_EQ(OwnBaselineQuarter(CivilToMillis(2027, 2, 14)),
            (detect::Period{CivilToMillis(2026, 10, 1), CivilToMillis(2027, 1, 1)}));
}

}  // namespace
}  // namespace goodhart::review
