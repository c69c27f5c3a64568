// Concurrency conformance (label `concurrency`, run under TSan): appends from several threads,
// overlapping keys and readers running alongside must end with exact totals.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "goodhart/store/storetest/store_conformance.h"
#include "goodhart/store/storetest/test_events.h"

namespace goodhart::store::storetest {

std::string StoreConcurrencyTestName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

namespace {

constexpr int kThreads = 4;
constexpr int kBatchesPerThread = 25;
constexpr int kEventsPerBatch = 40;
constexpr int kSharedPerBatch = 10;

// Batch `b` of thread `t`: its own calls and prompts, plus keys every thread sends with the same
// content (so whichever thread stores one first, the totals are the same).
model::EventBatch ThreadBatch(int t, int b) {
  model::EventBatch batch;
  for (int i = 0; i < kEventsPerBatch; ++i) {
    std::string actor = fmt::format("user{}", (t * 7 + i) % 5);
    int64_t time = At(kDay + i % 2, (b + i) % 24, t * 1000 + i);
    if (i % 8 == 0) {
      batch.usage.push_back(
          Prompt(fmt::format("seq:{}:{}:{}", t, b, i), actor, time, fmt::format("s{}", t)));
    } else {
      batch.usage.push_back(ModelCall(fmt::format("req:{}:{}:{}", t, b, i), actor, time,
                                      fmt::format("m{}", i % 3), fmt::format("s{}", i % 6),
                                      1 + i % 4));
    }
  }
  for (int i = 0; i < kSharedPerBatch; ++i) {
    batch.usage.push_back(ModelCall(fmt::format("req:shared:{}:{}", b, i), "shared",
                                    At(kDay, b % 24, i), "m0", "s-shared", 1 + i));
  }
  return batch;
}

TEST_P(StoreConcurrencyTest, ConcurrentAppendsEndWithExactTotals) {
  auto store = Open();
  ASSERT_NE(store, nullptr);

  std::atomic<int64_t> inserted{0}, duplicates{0}, failures{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int b = 0; b < kBatchesPerThread; ++b) {
        auto stats = store->Append(ThreadBatch(t, b));
        if (!stats.ok()) {
          ++failures;
          continue;
        }
        inserted += stats->inserted;
        duplicates += stats->duplicates;
      }
    });
  }
  // A reader alongside: what it sees only grows.
  std::atomic<int64_t> reader_errors{0}, shrinks{0};
  std::thread reader([&] {
    int64_t last = 0;
    while (writing) {
      auto rows = store->QueryUsageRollups({.from_day = kDay, .to_day = kDay + 1});
      auto page = store->QueryUsageEvents({.limit = 50});
      if (!rows.ok() || !page.ok()) {
        ++reader_errors;
        continue;
      }
      int64_t events = 0;
      for (const UsageRollupRow& r : *rows)
        events += r.events;
      if (events < last)
        ++shrinks;
      last = events;
    }
  });
  for (std::thread& w : writers)
    w.join();
  writing = false;
  reader.join();

  std::vector<model::UsageEvent> distinct;
  std::set<std::string> keys;
  int64_t sent = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int b = 0; b < kBatchesPerThread; ++b) {
      for (const model::UsageEvent& e : ThreadBatch(t, b).usage) {
        ++sent;
        if (keys.insert(e.event_key).second)
          distinct.push_back(e);
      }
    }
  }
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(reader_errors, 0);
  EXPECT_EQ(shrinks, 0);
  EXPECT_EQ(inserted, static_cast<int64_t>(distinct.size()));
  EXPECT_EQ(inserted + duplicates, sent);
  auto rows = store->QueryUsageRollups({.from_day = 0, .to_day = 1'000'000});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  SortRollups(&*rows);
  EXPECT_EQ(Render(*rows), Render(ReferenceRollups(distinct)));
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->usage_events, static_cast<int64_t>(distinct.size()));
  auto cadence = store->QueryPromptCadence({.from_day = 0, .to_day = 1'000'000});
  ASSERT_TRUE(cadence.ok()) << cadence.status().ToString();
  size_t prompt_times = 0;
  for (const PromptCadenceRow& r : *cadence) {
    EXPECT_TRUE(std::is_sorted(r.prompt_times_unix_ms.begin(), r.prompt_times_unix_ms.end()));
    prompt_times += r.prompt_times_unix_ms.size();
  }
  EXPECT_EQ(prompt_times, static_cast<size_t>(kThreads * kBatchesPerThread * kEventsPerBatch / 8));
}

TEST_P(StoreConcurrencyTest, TheSameBatchFromManyThreadsIsStoredOnce) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  model::EventBatch batch = ThreadBatch(0, 0);
  std::atomic<int64_t> inserted{0}, duplicates{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      auto stats = store->Append(batch);
      if (!stats.ok()) {
        ++failures;
        return;
      }
      inserted += stats->inserted;
      duplicates += stats->duplicates;
    });
  }
  for (std::thread& t : threads)
    t.join();
  int64_t n = static_cast<int64_t>(batch.usage.size());
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(inserted, n);
  EXPECT_EQ(duplicates, 5 * n);
  auto rows = store->QueryUsageRollups({.from_day = 0, .to_day = 1'000'000});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  SortRollups(&*rows);
  EXPECT_EQ(Render(*rows), Render(ReferenceRollups(batch.usage)));
}

}  // namespace
}  // namespace goodhart::store::storetest
