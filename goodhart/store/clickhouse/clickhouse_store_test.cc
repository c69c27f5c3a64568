// The ClickHouse store against a real clickhouse-server (testing/clickhouse_test_env.h): the
// conformance suite, plus what only this backend promises: two nodes storing the same events at
// once count them once, migrations, credentials, and failing fast with kUnavailable when
// ClickHouse is unreachable.
#include "goodhart/store/clickhouse/clickhouse_store.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/store/clickhouse/internal/http_client.h"
#include "goodhart/store/clickhouse/testing/clickhouse_test_env.h"
#include "goodhart/store/storetest/store_conformance.h"
#include "goodhart/store/storetest/test_events.h"

GOODHART_CLICKHOUSE_TEST_ENVIRONMENT();

namespace goodhart::store {
namespace {

using ::goodhart::testing::StatusIs;
using storetest::At;
using storetest::kDay;
using storetest::ModelCall;
using storetest::Prompt;
using storetest::ReferenceRollups;
using storetest::Render;
using storetest::SortRollups;
using testing::ClickHouseTestDatabase;
using testing::ClickHouseTestOptions;
using testing::ClickHouseTestQuery;
using testing::OpenClickHouseForTest;

GOODHART_INSTANTIATE_STORE_CONFORMANCE_TEST(ClickHouse, storetest::StoreFactory{
                                                            "clickhouse", OpenClickHouseForTest});

// A database of its own for each test.
class ClickHouseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = ClickHouseTestDatabase(fmt::format(
        "{}_{}", ::testing::UnitTest::GetInstance()->current_test_info()->name(), ::getpid()));
  }
  std::unique_ptr<Store> Open() {
    auto store = OpenClickHouseStore(ClickHouseTestOptions(database_));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::vector<UsageRollupRow> Rollups(const Store& store) {
    auto rows = store.QueryUsageRollups({.from_day = 0, .to_day = 1'000'000});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok())
      return {};
    SortRollups(&*rows);
    return *rows;
  }
  std::string database_;
};

model::EventBatch Batch(int n, int offset = 0) {
  model::EventBatch batch;
  for (int i = 0; i < n; ++i) {
    int id = offset + i;
    if (id % 5 == 0) {
      batch.usage.push_back(Prompt(fmt::format("seq:{}", id), fmt::format("user{}", id % 3),
                                   At(kDay + id % 2, id % 24, id), fmt::format("s{}", id % 4)));
    } else {
      batch.usage.push_back(ModelCall(fmt::format("req:{}", id), fmt::format("user{}", id % 3),
                                      At(kDay + id % 2, id % 24, id), fmt::format("m{}", id % 2),
                                      fmt::format("s{}", id % 4), 1 + id % 3));
    }
  }
  return batch;
}

// Two nodes (two stores, one database) append the same events at the same time, again and again:
// both may insert a key (neither saw the other's), yet every rollup counts each event once.
TEST_F(ClickHouseStoreTest, TwoNodesStoringTheSameEventsCountThemOnce) {
  auto node_a = Open();
  auto node_b = Open();
  ASSERT_NE(node_a, nullptr);
  ASSERT_NE(node_b, nullptr);
  std::vector<model::UsageEvent> all;
  std::atomic<int> failures{0};
  for (int round = 0; round < 5; ++round) {
    model::EventBatch batch = Batch(60, round * 40);  // overlapping key ranges across rounds
    for (const model::UsageEvent& e : batch.usage)
      all.push_back(e);
    std::thread a([&] { failures += !node_a->Append(batch).ok(); });
    std::thread b([&] { failures += !node_b->Append(batch).ok(); });
    a.join();
    b.join();
  }
  EXPECT_EQ(failures, 0);
  std::vector<model::UsageEvent> distinct;
  std::set<std::string> keys;
  for (const model::UsageEvent& e : all) {
    if (keys.insert(e.event_key).second)
      distinct.push_back(e);
  }
  EXPECT_EQ(Render(Rollups(*node_a)), Render(ReferenceRollups(distinct)));
  EXPECT_EQ(Render(Rollups(*node_b)), Render(ReferenceRollups(distinct)));
  auto stats = node_b->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->usage_events, static_cast<int64_t>(distinct.size()));
  auto cadence = node_a->QueryPromptCadence({.from_day = 0, .to_day = 1'000'000});
  ASSERT_TRUE(cadence.ok()) << cadence.status().ToString();
  size_t prompt_times = 0;
  for (const PromptCadenceRow& r : *cadence)
    prompt_times += r.prompt_times_unix_ms.size();
  size_t prompts = 0;
  for (const model::UsageEvent& e : distinct)
    prompts += e.kind == model::UsageKind::kPrompt;
  EXPECT_EQ(prompt_times, prompts);
  auto sketches = node_a->QueryPromptSketches({.from_day = 0, .to_day = 1'000'000});
  ASSERT_TRUE(sketches.ok()) << sketches.status().ToString();
  EXPECT_EQ(sketches->size(), prompts);
}

// The raw table holds a key twice after such a race until ClickHouse merges; reads are already
// deduplicated, and a forced merge leaves one row.
TEST_F(ClickHouseStoreTest, ARowStoredTwiceIsReadOnce) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  model::EventBatch batch = Batch(10);
  ASSERT_TRUE(store->Append(batch).ok());
  // What a second node does when it checked the keys before the first node's insert landed.
  ASSERT_TRUE(ClickHouseTestQuery(fmt::format("INSERT INTO `{0}`.usage_events SELECT * FROM "
                                              "`{0}`.usage_events",
                                              database_))
                  .ok());
  auto raw = ClickHouseTestQuery(
      fmt::format("SELECT count() FROM `{}`.usage_events FORMAT TabSeparated", database_));
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(*raw, "20\n");
  // A retry of the batch finds every key stored and refreshes its person-days.
  auto again = store->Append(batch);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->duplicates, 10);
  EXPECT_EQ(Render(Rollups(*store)), Render(ReferenceRollups(batch.usage)));
  auto events = store->QueryUsageEvents({.limit = 100});
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(events->size(), 10u);
}

TEST_F(ClickHouseStoreTest, MigrateIsIdempotentAndRecordsTheVersion) {
  auto first = MigrateClickHouseStore(ClickHouseTestOptions(database_));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, ClickHouseSchemaVersion());
  auto second = MigrateClickHouseStore(ClickHouseTestOptions(database_));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->from_version, ClickHouseSchemaVersion());
  EXPECT_EQ(second->to_version, ClickHouseSchemaVersion());
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->schema_version, ClickHouseSchemaVersion());
}

TEST_F(ClickHouseStoreTest, AnUnmigratedDatabaseIsRefusedWithoutMigrateOnOpen) {
  ClickHouseStoreOptions options = ClickHouseTestOptions(database_);
  options.migrate_on_open = false;
  EXPECT_THAT(OpenClickHouseStore(options).status(),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::HasSubstr("store migrate")));
}

TEST_F(ClickHouseStoreTest, ADatabaseOfANewerGoodhartIsRefused) {
  ASSERT_TRUE(MigrateClickHouseStore(ClickHouseTestOptions(database_)).ok());
  ASSERT_TRUE(ClickHouseTestQuery(fmt::format("INSERT INTO `{}`.schema_migrations (version, "
                                              "description, applied_ms) VALUES (999, 'future', 0)",
                                              database_))
                  .ok());
  EXPECT_THAT(OpenClickHouseStore(ClickHouseTestOptions(database_)).status(),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::HasSubstr("newer goodhart")));
}

TEST_F(ClickHouseStoreTest, CredentialsTravelAndWrongOnesAreRefused) {
  ClickHouseStoreOptions options = ClickHouseTestOptions(database_);
  options.user = "goodhart_auth";
  options.password = "goodhart-auth";
  auto store = OpenClickHouseStore(options);
  // scripts/clickhouse.sh creates goodhart_auth; a server given by URL may not have it.
  if (!store.ok() && store.status().message().find("Code: 192") != std::string::npos)
    GTEST_SKIP() << "the server has no user goodhart_auth (scripts/clickhouse.sh creates it)";
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Append(Batch(3)).ok());
  options.password = "wrong";
  EXPECT_THAT(OpenClickHouseStore(options).status(), StatusIs(StatusCode::kFailedPrecondition));
}

// ClickHouse closes a kept-alive connection after keep_alive_timeout (1 s on the test server, 3 s
// by default); the next request opens a new one instead of failing an attempt.
TEST(ClickHouseClientIdleTest, AConnectionClosedByTheServerCostsNoRetry) {
  clickhouse::ClickHouseClient client({.url = testing::ClickHouseTestUrl(), .max_attempts = 4});
  ASSERT_TRUE(client.Query("test", "SELECT 1").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto again = client.Query("test", "SELECT 1");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(client.attempts_for_test(), 2);
}

TEST(ClickHouseStoreUnreachableTest, FailsFastWithUnavailable) {
  ClickHouseStoreOptions options;
  options.url = "http://127.0.0.1:1";  // nothing listens on port 1
  options.max_attempts = 3;
  options.initial_backoff_ms = 10;
  options.max_backoff_ms = 20;
  auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(OpenClickHouseStore(options).status(), StatusIs(StatusCode::kUnavailable));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ClickHouseStoreOptionsTest, ValidateNamesTheField) {
  ClickHouseStoreOptions options;
  options.url = "127.0.0.1:8123";
  EXPECT_THAT(options.Validate(),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("url")));
  options.url = "http://127.0.0.1:8123";
  options.database = "drop table";
  EXPECT_THAT(options.Validate(),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("database")));
  options.database = "goodhart_2";
  EXPECT_TRUE(options.Validate().ok());
}

}  // namespace
}  // namespace goodhart::store
