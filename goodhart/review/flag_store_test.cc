#include "goodhart/review/flag_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/temp_dir.h"
#include "goodhart/base/time.h"

namespace goodhart::review {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

const int64_t kMonday = CivilToMillis(2026, 6, 1, 9);  // 2026-06-01 is a Monday
const int64_t kFriday = CivilToMillis(2026, 6, 5, 9);

detect::Flag MakeFlag(const std::string& detector, const std::string& person, bool shown = true) {
  detect::Flag f;
  f.detector_id = detector;
  f.detector_version = detector + "-1";
  f.tier = detect::Tier::kA;
  f.subject = {.kind = detect::SubjectKind::kPerson, .id = person};
  f.team = "payments";
  f.period = {.from_unix_ms = kMonday - 28 * kMillisPerDay, .to_unix_ms = kMonday};
  f.id = detect::FlagId(f.detector_id, f.subject, f.period);
  f.shown = shown;
  f.explanation = "137 prompts were near-identical";
  f.evidence = {{.id = "sess-1", .value = "137 prompts"}};
  f.materiality.nd_effect = 0.25;
  return f;
}

std::unique_ptr<FlagStore> OpenIn(const goodhart::testing::TempDir& dir) {
  auto store = FlagStore::Open(dir.path() + "/flags.db");
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

TEST(FlagStoreTest, WorkingDaysSkipWeekends) {
  EXPECT_EQ(AddWorkingDays(kMonday, 5), kMonday + 7 * kMillisPerDay);
  EXPECT_EQ(AddWorkingDays(kFriday, 1), kFriday + 3 * kMillisPerDay);
  EXPECT_EQ(AddWorkingDays(kFriday, 5), kFriday + 7 * kMillisPerDay);
}

TEST(FlagStoreTest, UpsertKeepsOneRecordPerFlagAndItsHistory) {
  goodhart::testing::TempDir dir("flags");
  auto store = OpenIn(dir);
  detect::Flag d3 = MakeFlag("D3", "alice");
  auto added = store->Upsert({d3, MakeFlag("D4", "bob", /*shown=*/false)}, kMonday);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->size(), 2u);
  d3.evidence.push_back({.id = "sess-2"});
  added = store->Upsert({d3}, kMonday + kMillisPerDay);
  ASSERT_TRUE(added.ok());
  EXPECT_TRUE(added->empty());
  auto got = store->Get(d3.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->flag, d3);  // the refreshed evidence
  EXPECT_EQ((*got)->created_unix_ms, kMonday);
  EXPECT_EQ((*got)->review_opens_unix_ms, kMonday + 7 * kMillisPerDay);
  // Silent flags are kept for calibration but listed only on request.
  EXPECT_EQ(store->List({})->size(), 1u);
  EXPECT_EQ(store->List({.include_silent = true})->size(), 2u);
  EXPECT_EQ(store->List({.subject_id = "bob", .include_silent = true})->size(), 1u);
  EXPECT_TRUE(store->List({.team = "search"})->empty());
}

TEST(FlagStoreTest, AHeldBackCandidateShownLaterStartsTheSubjectsTurnThen) {
  goodhart::testing::TempDir dir("flags");
  auto store = OpenIn(dir);
  detect::Flag f = MakeFlag("D7", "alice", /*shown=*/false);
  ASSERT_EQ(store->Upsert({f}, kMonday)->size(), 1u);
  f.shown = true;
  const int64_t later = kMonday + 28 * kMillisPerDay;
  auto added = store->Upsert({f}, later);
  ASSERT_EQ(added->size(), 1u);  // newly shown: alerts and the subject's turn start now
  auto record = *store->Get(f.id);
  EXPECT_EQ(record->created_unix_ms, later);
  EXPECT_EQ(record->Status(later + kMillisPerDay), "awaiting_subject");
  f.shown = false;  // a later run never hides what was shown
  EXPECT_TRUE(store->Upsert({f}, later + 1)->empty());
  EXPECT_EQ(store->List({})->size(), 1u);
  EXPECT_TRUE((*store->Get(f.id))->flag.shown);
}

TEST(FlagStoreTest, SubjectFirstThenReviewerThenDisposition) {
  goodhart::testing::TempDir dir("flags");
  auto store = OpenIn(dir);
  detect::Flag f = MakeFlag("D8", "alice");
  ASSERT_TRUE(store->Upsert({f}, kMonday).ok());
  EXPECT_EQ((*store->Get(f.id))->Status(kMonday + kMillisPerDay), "awaiting_subject");
  EXPECT_THAT(store->Dispose(f.id, "benign", "fine", "rev", kMonday + kMillisPerDay),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("has until 2026-06-08")));
  // After 5 working days the reviewer may decide; or earlier once the subject has answered.
  EXPECT_EQ((*store->Get(f.id))->Status(kMonday + 7 * kMillisPerDay), "open");
  ASSERT_TRUE(
      store->Annotate(f.id, "alice", "I was testing a flaky pipeline", kMonday + 3600).ok());
  EXPECT_EQ((*store->Get(f.id))->Status(kMonday + 7200), "open");
  EXPECT_THAT(store->Dispose(f.id, "guilty", "x", "rev", kMonday + 7200),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("benign|process_issue")));
  EXPECT_THAT(store->Dispose(f.id, "benign", "", "rev", kMonday + 7200),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("note")));
  EXPECT_THAT(store->Dispose("f-unknown", "benign", "x", "rev", kMonday),
              StatusIs(StatusCode::kNotFound));
  ASSERT_TRUE(
      store->Dispose(f.id, "confirmed_gaming", "same patch-id three times", "rev", kMonday + 7200)
          .ok());
  auto record = *store->Get(f.id);
  EXPECT_EQ(record->Status(kMonday + 7200), "resolved");
  ASSERT_NE(record->disposition(), nullptr);
  EXPECT_EQ(record->disposition()->disposition, "confirmed_gaming");
  EXPECT_EQ(record->disposition()->author, "rev");
  ASSERT_EQ(record->notes.size(), 2u);
  EXPECT_EQ(record->notes[0].kind, "annotation");
}

TEST(FlagStoreTest, RetentionPurgesOldFlagsAndTheirNotes) {
  goodhart::testing::TempDir dir("flags");
  auto store = OpenIn(dir);
  ASSERT_TRUE(store->Upsert({MakeFlag("D3", "alice")}, kMonday).ok());
  ASSERT_TRUE(store->Upsert({MakeFlag("D4", "alice")}, kMonday + 400 * kMillisPerDay).ok());
  auto purged = store->PurgeCreatedBefore(kMonday + 35 * kMillisPerDay);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  auto left = store->List({});
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].flag.detector_id, "D4");
}

TEST(FlagStoreTest, ChangeStampMovesWithEveryWrite) {
  goodhart::testing::TempDir dir("flags");
  auto store = OpenIn(dir);
  int64_t empty = *store->ChangeStamp();
  EXPECT_EQ(*store->ChangeStamp(), empty);
  ASSERT_TRUE(store->Upsert({MakeFlag("D3", "alice")}, kMonday).ok());
  int64_t flagged = *store->ChangeStamp();
  EXPECT_NE(flagged, empty);
  auto listed = store->List({});
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(*store->ChangeStamp(), flagged);  // reads change nothing
  ASSERT_TRUE(
      store->Annotate((*listed)[0].flag.id, "alice", "a loop in my test runner", kMonday).ok());
  EXPECT_NE(*store->ChangeStamp(), flagged);
}

TEST(FlagStoreTest, AlertsAreQueuedOnce) {
  goodhart::testing::TempDir dir("flags");
  auto store = OpenIn(dir);
  EXPECT_TRUE(*store->EnqueueAlert("flag:f-1", "{}", kMonday));
  EXPECT_FALSE(*store->EnqueueAlert("flag:f-1", "{}", kMonday + 1));
  auto due = store->DueAlerts(kMonday, 10);
  ASSERT_EQ(due->size(), 1u);
  ASSERT_TRUE(store->MarkAlertSent("flag:f-1", kMonday).ok());
  EXPECT_TRUE(store->DueAlerts(kMonday + 1, 10)->empty());
  EXPECT_FALSE(*store->EnqueueAlert("flag:f-1", "{}", kMonday + 2));  // sent ids stay known
  EXPECT_EQ(*store->SentAlertCount(), 1);
}

}  // namespace
}  // namespace goodhart::review
