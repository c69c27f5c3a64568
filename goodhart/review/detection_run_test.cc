#include "goodhart/review/detection_run.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "goodhart/base/testing/temp_dir.h"
#include "goodhart/base/time.h"
#include "goodhart/store/embedded/embedded_store.h"

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

// A caller showing progress hears of each step as it starts, in order; an empty store gives a run
// with nothing to flag.
TEST(RunDetectionTest, ReportsEachStepInOrder) {
  goodhart::testing::TempDir temp("detection-run");
  const std::string& dir = temp.path();
  auto store = store::OpenEmbeddedStore({.data_dir = dir});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto flags = FlagStore::Open(dir + "/flags.db");
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  std::vector<std::string> steps;
  const int64_t end = CivilToMillis(2026, 11, 1);
  auto run = RunDetection(**store, **flags, {}, {}, end, end,
                          [&](std::string_view step) { steps.emplace_back(step); });
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->output.flags.empty());
  EXPECT_EQ(steps,
            std::vector<std::string>(std::begin(kDetectionSteps), std::end(kDetectionSteps)));
}

}  // namespace
}  // namespace goodhart::review
