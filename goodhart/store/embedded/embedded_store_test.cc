// The embedded store: the conformance suite, plus what only this backend promises (schema
// versioning, file handling, key-hash collisions, the on-disk key index, privacy of purged
// sketches).
#include "goodhart/store/embedded/embedded_store.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/store/embedded/internal/schema.h"
#include "goodhart/store/storetest/store_conformance.h"
#include "goodhart/store/storetest/test_events.h"

namespace goodhart::store {
namespace {

using ::goodhart::testing::StatusIs;
using storetest::At;
using storetest::kDay;
using storetest::ModelCall;
using storetest::Prompt;
using storetest::StoreFactory;

std::unique_ptr<Store> OpenEmbeddedForTest(const std::string& dir) {
  // NORMAL keeps the suite fast; durability settings do not change behaviour.
  auto store = OpenEmbeddedStore({.data_dir = dir, .synchronous_full = false});
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

// A tiny merge threshold: most keys are checked through the on-disk key index.
std::unique_ptr<Store> OpenWithKeyIndexMerges(const std::string& dir) {
  auto store = OpenEmbeddedStore(
      {.data_dir = dir, .synchronous_full = false, .key_index_merge_threshold = 3});
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

// Every key hashes to one of eight values: every lookup walks a collision chain.
uint64_t CollidingHash(std::string_view key) {
  return key.empty() ? 0 : static_cast<uint64_t>(key.back() % 8);
}

std::unique_ptr<Store> OpenWithCollisions(const std::string& dir) {
  auto store = OpenEmbeddedStore({.data_dir = dir,
                                  .synchronous_full = false,
                                  .key_index_merge_threshold = 16,
                                  .key_hash_for_test = CollidingHash});
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

GOODHART_INSTANTIATE_STORE_CONFORMANCE_TEST(Embedded, StoreFactory{"embedded", OpenEmbeddedForTest},
                                            StoreFactory{"embedded_key_index_merges",
                                                         OpenWithKeyIndexMerges},
                                            StoreFactory{"embedded_hash_collisions",
                                                         OpenWithCollisions});

class EmbeddedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = std::filesystem::temp_directory_path() / "goodhart_embedded_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string db_path() const { return dir_ + "/goodhart.db"; }

  // Runs SQL on the database file directly, as another program would.
  void ExecDirect(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  std::string dir_;
};

TEST_F(EmbeddedStoreTest, CreatesTheDataDirAndTheDatabaseFile) {
  std::string nested = dir_ + "/a/b";
  auto store = OpenEmbeddedStore({.data_dir = nested});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(nested + "/goodhart.db"));
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->schema_version, internal::LatestSchemaVersion());
  EXPECT_GT(stats->bytes_on_disk, 0);
}

TEST_F(EmbeddedStoreTest, RejectsBadOptions) {
  EXPECT_THAT(OpenEmbeddedStore({}).status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(OpenEmbeddedStore({.data_dir = dir_, .cache_size_kib = 0}).status(),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(OpenEmbeddedStore({.data_dir = dir_, .key_index_merge_threshold = 0}).status(),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(EmbeddedStoreTest, MigrationsRunOnceAndAreRecorded) {
  for (int i = 0; i < 2; ++i) {
    auto store = OpenEmbeddedStore({.data_dir = dir_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*), max(version) FROM schema_migrations", -1,
                               &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), static_cast<int64_t>(internal::Migrations().size()));
  EXPECT_EQ(sqlite3_column_int64(stmt, 1), internal::LatestSchemaVersion());
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(EmbeddedStoreTest, RefusesADatabaseFromANewerBinary) {
  {
    auto store = OpenEmbeddedStore({.data_dir = dir_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  ExecDirect(
      "INSERT INTO schema_migrations(version, description, applied_unix_ms) "
      "VALUES (999, 'from the future', 0)");
  EXPECT_THAT(OpenEmbeddedStore({.data_dir = dir_}).status(),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::HasSubstr("999")));
}

TEST_F(EmbeddedStoreTest, RefusesForeignFiles) {
  {
    std::ofstream junk(db_path());
    junk << "this is not an SQLite database, just some text long enough to have a header......";
  }
  EXPECT_THAT(OpenEmbeddedStore({.data_dir = dir_}).status(), StatusIs(StatusCode::kDataLoss));

  std::filesystem::remove(db_path());
  ExecDirect("CREATE TABLE somebody_elses(x INTEGER)");
  EXPECT_THAT(OpenEmbeddedStore({.data_dir = dir_}).status(),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(EmbeddedStoreTest, RefusesMixedBatchesAndMetricPointsWithoutTemporality) {
  auto store = OpenEmbeddedStore({.data_dir = dir_, .synchronous_full = false});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  model::EventBatch mixed;
  mixed.usage.push_back(ModelCall("req:1", "alice", At(kDay, 9)));
  mixed.deployments.push_back(model::Deployment{.id = "d1"});
  EXPECT_THAT((*store)->Append(mixed).status(),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("not both")));

  model::EventBatch metric;
  metric.usage.push_back(storetest::MetricPoint("hash:1", "alice", At(kDay, 9), "s", "m", "x",
                                                model::Temporality::kNone, 0, 5));
  EXPECT_THAT((*store)->Append(metric).status(),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("usage[0]")));
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->usage_events, 0);
}

TEST_F(EmbeddedStoreTest, PurgedSketchesLeaveTheRawEventsToo) {
  auto store = OpenEmbeddedStore({.data_dir = dir_, .synchronous_full = false});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  model::EventBatch batch;
  batch.usage.push_back(Prompt("seq:old", "alice", At(kDay - 40, 9)));
  batch.usage.push_back(Prompt("seq:new", "alice", At(kDay, 9)));
  ASSERT_TRUE((*store)->Append(batch).ok());
  ASSERT_TRUE((*store)->PurgeSketchesBefore(kDay - 30).ok());
  auto events = (*store)->QueryUsageEvents({});
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].event_key, "seq:new");
  EXPECT_TRUE((*events)[0].prompt_sketch.has_value());
  EXPECT_EQ((*events)[1].event_key, "seq:old");
  EXPECT_FALSE((*events)[1].prompt_sketch.has_value());
}

// The change stamp stays put while nothing is written and moves with every committed write, this
// process's or another program's (a CLI import beside a running server).
TEST_F(EmbeddedStoreTest, ChangeStampMovesWithEveryCommit) {
  auto store = OpenEmbeddedStore({.data_dir = dir_, .synchronous_full = false});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto stamp = [&] {
    auto s = (*store)->ChangeStamp();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : -1;
  };
  int64_t empty = stamp();
  EXPECT_EQ(stamp(), empty);
  model::EventBatch batch;
  batch.usage.push_back(ModelCall("req:1", "alice", At(kDay, 9)));
  ASSERT_TRUE((*store)->Append(batch).ok());
  int64_t one = stamp();
  EXPECT_NE(one, empty);
  ASSERT_TRUE((*store)->QueryUsageEvents({}).ok());
  EXPECT_EQ(stamp(), one);  // reads change nothing
  ASSERT_TRUE((*store)->PutGitHeads("acme/mono", {"abc"}).ok());
  int64_t two = stamp();
  EXPECT_NE(two, one);
  ExecDirect(
      "INSERT INTO git_import_state(repo, heads, updated_ms) VALUES ('acme/other', '[]', 1)");
  EXPECT_NE(stamp(), two);
}

TEST_F(EmbeddedStoreTest, KeysSurviveAMergeIntoTheKeyIndexAcrossReopen) {
  std::vector<model::UsageEvent> events;
  for (int i = 0; i < 50; ++i)
    events.push_back(ModelCall(fmt::format("req:{}", i), "alice", At(kDay, 9, i)));
  model::EventBatch first, second;
  first.usage.assign(events.begin(), events.begin() + 30);
  second.usage.assign(events.begin() + 20, events.end());
  {
    auto store = OpenEmbeddedStore(
        {.data_dir = dir_, .synchronous_full = false, .key_index_merge_threshold = 25});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto stats = (*store)->Append(first);  // 30 keys: merged into the index after commit
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_EQ(stats->inserted, 30);
  }
  auto store = OpenEmbeddedStore(
      {.data_dir = dir_, .synchronous_full = false, .key_index_merge_threshold = 25});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto stats = (*store)->Append(second);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->inserted, 20);
  EXPECT_EQ(stats->duplicates, 10);
  auto again = (*store)->Append(first);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->duplicates, 30);
}

}  // namespace
}  // namespace goodhart::store
