// Conformance tests of a Store's review records (review_records.h): flags replaced by id through
// a read-merge-write, the newest state filtered and ordered, notes in order and deduplicated by
// note_id, purges, the alert outbox, and a change stamp that moves with writes only. Reopening
// the store must find them again (another process, or another node of the same database).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "goodhart/store/storetest/store_conformance.h"

namespace goodhart::store::storetest {

int ReviewConformanceAnchor() { return 0; }

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kT0 = 20'600 * kDay;

FlagRow Row(std::string detector, std::string subject, int64_t period_from, bool shown = true) {
  FlagRow r;
  r.id = detector + ":" + subject + ":" + std::to_string(period_from);
  r.detector_id = std::move(detector);
  r.subject_kind = "person";
  r.subject_id = std::move(subject);
  r.team = "payments";
  r.period_from_ms = period_from;
  r.period_to_ms = period_from + 28 * kDay;
  r.shown = shown;
  r.created_ms = kT0;
  r.updated_ms = kT0;
  r.review_opens_ms = kT0 + 7 * kDay;
  r.flag_json = R"({"explanation":"tab\there, newline\n, quote ' and \\ backslash"})";
  return r;
}

// Upserts `rows` as they are, and returns what the merge was given.
std::vector<FlagRow> Put(ReviewRecords& records, std::vector<FlagRow> rows) {
  std::vector<std::string> ids;
  for (const FlagRow& r : rows)
    ids.push_back(r.id);
  std::vector<FlagRow> seen;
  Status s =
      records.UpsertFlags(ids, [&](std::vector<FlagRow> stored) -> Result<std::vector<FlagRow>> {
        seen = std::move(stored);
        return rows;
      });
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::sort(seen.begin(), seen.end(),
            [](const FlagRow& a, const FlagRow& b) { return a.id < b.id; });
  return seen;
}

std::vector<std::string> Ids(const Result<std::vector<FlagRow>>& rows) {
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<std::string> ids;
  if (rows.ok()) {
    for (const FlagRow& r : *rows)
      ids.push_back(r.id);
  }
  return ids;
}

TEST_P(StoreConformanceTest, ReviewFlagsAreReplacedByIdAndSurviveAReopen) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto records = store->review_records();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  FlagRow a = Row("D3", "alice", kT0), b = Row("D4", "bob", kT0, /*shown=*/false);
  EXPECT_THAT(Put(**records, {a, b}), IsEmpty());
  FlagRow a2 = a;
  a2.updated_ms = kT0 + kDay;
  a2.team = "search";  // the newest state's columns win, not just its JSON
  a2.flag_json = R"({"evidence":2})";
  EXPECT_THAT(Put(**records, {a2}), ElementsAre(a));  // the merge sees what is stored
  auto got = (*records)->GetFlag(a.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, a2);
  EXPECT_FALSE((*(*records)->GetFlag("no-such-flag")).has_value());

  store.reset();
  store = Open();
  ASSERT_NE(store, nullptr);
  records = store->review_records();
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(**(*records)->GetFlag(b.id), b);
  EXPECT_EQ(**(*records)->GetFlag(a.id), a2);
}

TEST_P(StoreConformanceTest, ReviewFlagsAreFilteredOnTheirNewestStateAndOrdered) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto records = store->review_records();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ReviewRecords& r = **records;
  FlagRow old_alice = Row("D3", "alice", kT0 - 28 * kDay);
  FlagRow alice_d3 = Row("D3", "alice", kT0), alice_d1 = Row("D1", "alice", kT0);
  FlagRow bob = Row("D7", "bob", kT0, /*shown=*/false);
  Put(r, {old_alice, alice_d3, bob, alice_d1});
  // Newest period first, then detector, then subject; silent flags only on request.
  EXPECT_THAT(Ids(r.ListFlags({})), ElementsAre(alice_d1.id, alice_d3.id, old_alice.id));
  EXPECT_THAT(Ids(r.ListFlags({.include_silent = true})),
              ElementsAre(alice_d1.id, alice_d3.id, bob.id, old_alice.id));
  EXPECT_THAT(Ids(r.ListFlags({.subject_id = "bob", .include_silent = true})), ElementsAre(bob.id));
  EXPECT_THAT(Ids(r.ListFlags({.detector_id = "D3"})), ElementsAre(alice_d3.id, old_alice.id));
  EXPECT_THAT(Ids(r.ListFlags({.period_overlaps_from = kT0 + kDay})),
              ElementsAre(alice_d1.id, alice_d3.id));
  EXPECT_THAT(Ids(r.ListFlags({.period_overlaps_to = kT0})), ElementsAre(old_alice.id));
  // Shown later, moved to another team: filters see the newest state only.
  bob.shown = true;
  bob.team = "search";
  bob.updated_ms += 1;
  Put(r, {bob});
  EXPECT_THAT(Ids(r.ListFlags({.team = "search"})), ElementsAre(bob.id));
  EXPECT_THAT(Ids(r.ListFlags({.team = "payments"})),
              ElementsAre(alice_d1.id, alice_d3.id, old_alice.id));
}

TEST_P(StoreConformanceTest, ReviewNotesKeepTheirOrderAndAreStoredOncePerNoteId) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto records = store->review_records();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ReviewRecords& r = **records;
  FlagRow f = Row("D8", "alice", kT0);
  Put(r, {f});
  FlagNoteRow answer{.flag_id = f.id,
                     .note_id = "n1",
                     .kind = "annotation",
                     .author = "alice",
                     .note = "a flaky\tpipeline\nretried",
                     .at_ms = kT0 + 10};
  FlagNoteRow decision{.flag_id = f.id,
                       .note_id = "n2",
                       .kind = "disposition",
                       .author = "rev",
                       .disposition = "benign",
                       .note = "confirmed with the team",
                       .at_ms = kT0 + 10};  // the same millisecond: the order added decides
  FlagNoteRow later = answer;
  later.note_id = "n3";
  later.at_ms = kT0 + 20;
  ASSERT_TRUE(r.AddNote(answer).ok());
  ASSERT_TRUE(r.AddNote(decision).ok());
  ASSERT_TRUE(r.AddNote(answer).ok());  // a retried request
  ASSERT_TRUE(r.AddNote(later).ok());
  auto notes = r.NotesOf(f.id);
  ASSERT_TRUE(notes.ok()) << notes.status().ToString();
  EXPECT_THAT(*notes, ElementsAre(answer, decision, later));
  EXPECT_THAT(*r.NotesOf("another-flag"), IsEmpty());
}

TEST_P(StoreConformanceTest, ReviewPurgeDeletesOldFlagsAndTheirNotes) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto records = store->review_records();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ReviewRecords& r = **records;
  FlagRow old_flag = Row("D3", "alice", kT0), new_flag = Row("D4", "alice", kT0);
  new_flag.created_ms = kT0 + 400 * kDay;
  Put(r, {old_flag, new_flag});
  ASSERT_TRUE(r.AddNote({.flag_id = old_flag.id,
                         .note_id = "a",
                         .kind = "annotation",
                         .author = "alice",
                         .note = "x",
                         .at_ms = kT0})
                  .ok());
  ASSERT_TRUE(r.AddNote({.flag_id = new_flag.id,
                         .note_id = "b",
                         .kind = "annotation",
                         .author = "alice",
                         .note = "y",
                         .at_ms = kT0})
                  .ok());
  auto purged = r.PurgeFlagsCreatedBefore(kT0 + 35 * kDay);
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 1);
  EXPECT_THAT(Ids(r.ListFlags({.include_silent = true})), ElementsAre(new_flag.id));
  EXPECT_THAT(*r.NotesOf(old_flag.id), IsEmpty());
  EXPECT_EQ(r.NotesOf(new_flag.id)->size(), 1u);
  EXPECT_EQ(*r.PurgeFlagsCreatedBefore(kT0 + 35 * kDay), 0);
}

TEST_P(StoreConformanceTest, ReviewAlertsAreQueuedOnceRetriedAndSent) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto records = store->review_records();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ReviewRecords& r = **records;
  EXPECT_TRUE(*r.EnqueueAlert("flag:f-1", R"({"id":"flag:f-1"})", kT0));
  EXPECT_TRUE(*r.EnqueueAlert("flag:f-2", "{}", kT0 + 1));
  EXPECT_FALSE(*r.EnqueueAlert("flag:f-1", "{}", kT0 + 2));
  auto due = r.DueAlerts(kT0 + 1, 3);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].id, "flag:f-1");
  EXPECT_EQ((*due)[0].payload, R"({"id":"flag:f-1"})");
  EXPECT_EQ((*due)[0].created_ms, kT0);
  EXPECT_EQ((*due)[0].attempts, 0);
  EXPECT_EQ((*due)[1].id, "flag:f-2");

  ASSERT_TRUE(r.MarkAlertFailed("flag:f-2", "503 from the webhook", kT0 + 60'000).ok());
  ASSERT_TRUE(r.MarkAlertSent("flag:f-1", kT0 + 5).ok());
  EXPECT_THAT(*r.DueAlerts(kT0 + 59'999, 3), IsEmpty());  // f-2 waits for its next attempt
  due = r.DueAlerts(kT0 + 60'000, 3);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ((*due)[0].last_error, "503 from the webhook");
  EXPECT_THAT(*r.DueAlerts(kT0 + 60'000, 1), IsEmpty());     // out of attempts
  EXPECT_FALSE(*r.EnqueueAlert("flag:f-1", "{}", kT0 + 9));  // sent ids stay known
  EXPECT_EQ(*r.SentAlertCount(), 1);
}

TEST_P(StoreConformanceTest, ReviewChangeStampMovesWithWritesOnly) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto records = store->review_records();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ReviewRecords& r = **records;
  auto empty = r.ChangeStamp();
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  FlagRow f = Row("D3", "alice", kT0);
  Put(r, {f});
  int64_t flagged = *r.ChangeStamp();
  EXPECT_NE(flagged, *empty);
  EXPECT_EQ(Ids(r.ListFlags({})).size(), 1u);
  EXPECT_EQ(*r.ChangeStamp(), flagged);  // reads change nothing
  ASSERT_TRUE(r.AddNote({.flag_id = f.id,
                         .note_id = "n",
                         .kind = "annotation",
                         .author = "a",
                         .note = "x",
                         .at_ms = kT0})
                  .ok());
  EXPECT_NE(*r.ChangeStamp(), flagged);
}

}  // namespace
}  // namespace goodhart::store::storetest
