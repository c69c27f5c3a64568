#include "goodhart/review/maintenance.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "goodhart/base/testing/fake_clock.h"
#include "goodhart/base/testing/temp_dir.h"
#include "goodhart/base/time.h"
#include "goodhart/store/embedded/embedded_store.h"
#include "goodhart/store/storetest/test_events.h"

namespace goodhart::review {
namespace {

namespace storetest = store::storetest;

TEST(MaintenanceTest, RetentionPurgesOldSketchesAndFlagsOnly) {
  goodhart::testing::TempDir temp("maintenance");
  const std::string& dir = temp.path();
  auto store = store::OpenEmbeddedStore({.data_dir = dir});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto flags = FlagStore::Open(dir + "/flags.db");
  ASSERT_TRUE(flags.ok());

  const int64_t now = CivilToMillis(2026, 6, 30, 12);
  const int64_t today = now / kMillisPerDay;
  model::EventBatch batch;  // prompts 40 and 10 days ago
  batch.usage.push_back(
      storetest::Prompt("old", "alice@example.com", (today - 40) * kMillisPerDay + 3'600'000));
  batch.usage.push_back(
      storetest::Prompt("new", "alice@example.com", (today - 10) * kMillisPerDay + 3'600'000));
  ASSERT_TRUE((*store)->Append(batch).ok());

  detect::Flag old_flag, new_flag;
  old_flag.id = "f-old";
  new_flag.id = "f-new";
  ASSERT_TRUE((*flags)->Upsert({old_flag}, now - 400 * kMillisPerDay).ok());
  ASSERT_TRUE((*flags)->Upsert({new_flag}, now - 100 * kMillisPerDay).ok());

  goodhart::testing::FakeClock clock(now);
  Maintenance maintenance(**store, **flags, /*alert_webhook_url=*/"", &clock);
  auto r = maintenance.RunOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->flags_purged, 1);
  EXPECT_GE(r->sketches_purged, 1);
  auto sketches = (*store)->QueryPromptSketches({.from_day = 0, .to_day = today});
  ASSERT_TRUE(sketches.ok());
  ASSERT_EQ(sketches->size(), 1u);
  EXPECT_EQ((*sketches)[0].event_key, "new");
  EXPECT_TRUE((*flags)->Get("f-new")->has_value());
  EXPECT_FALSE((*flags)->Get("f-old")->has_value());

  // The background thread runs the same pass and stops promptly.
  maintenance.Start(/*interval_ms=*/3'600'000);
  maintenance.Stop();
}

}  // namespace
}  // namespace goodhart::review
