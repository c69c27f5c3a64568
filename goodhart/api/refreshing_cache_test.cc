#include "goodhart/api/refreshing_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "goodhart/base/testing/fake_clock.h"

namespace goodhart::api {
namespace {

using Cache = RefreshingCache<std::string>;

class RefreshingCacheTest : public ::testing::Test {
 protected:
  // A computation that counts its calls and answers "<key>#<call>".
  std::function<Result<std::string>()> Counting(const std::string& key) {
    return [this, key]() -> Result<std::string> { return key + "#" + std::to_string(++calls_); };
  }
  std::string Get(const std::string& key, ChangeStamps stamps) {
    auto v = cache_.Get(key, stamps, Counting(key));
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? **v : "";
  }

  testing::FakeClock clock_{1'000'000};
  Cache cache_{{.refresh_ms = 5'000, .max_entries = 2}, clock_};
  std::atomic<int> calls_{0};
};

TEST_F(RefreshingCacheTest, EqualStampsComputeOnce) {
  EXPECT_EQ(Get("a", {1, 1}), "a#1");
  EXPECT_EQ(Get("a", {1, 1}), "a#1");
  EXPECT_EQ(Get("b", {1, 1}), "b#2");
  EXPECT_EQ(calls_, 2);
}

TEST_F(RefreshingCacheTest, NewDataShowsAfterTheRefreshInterval) {
  EXPECT_EQ(Get("a", {1, 1}), "a#1");
  clock_.Advance(4'999);
  EXPECT_EQ(Get("a", {2, 1}), "a#1");  // new data, but the answer is younger than 5 s
  clock_.Advance(1);
  EXPECT_EQ(Get("a", {2, 1}), "a#2");
  EXPECT_EQ(Get("a", {2, 1}), "a#2");
}

TEST_F(RefreshingCacheTest, UrgentChangesShowAtOnce) {
  EXPECT_EQ(Get("a", {1, 1}), "a#1");
  EXPECT_EQ(Get("a", {1, 2}), "a#2");
  EXPECT_EQ(Get("a", {1, 2}), "a#2");
}

// A fresh answer is one computed with the caller's stamps: an unchanged answer still serves.
TEST_F(RefreshingCacheTest, AFreshCallerNeverGetsAStaleAnswer) {
  EXPECT_EQ(Get("a", {1, 1}), "a#1");
  auto fresh = [&](ChangeStamps stamps) {
    auto v = cache_.Get("a", stamps, Counting("a"), /*fresh=*/true);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? **v : "";
  };
  EXPECT_EQ(fresh({1, 1}), "a#1");
  EXPECT_EQ(fresh({2, 1}), "a#2");  // new data, though the answer is younger than 5 s
  EXPECT_EQ(Get("a", {2, 1}), "a#2");
}

TEST_F(RefreshingCacheTest, FailuresAreNotCached) {
  int failures = 0;
  auto failing = [&]() -> Result<std::string> {
    ++failures;
    return Status::InvalidArgument("report: team: unknown team 'x'");
  };
  EXPECT_EQ(cache_.Get("x", {1, 1}, failing).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cache_.Get("x", {1, 1}, failing).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(failures, 2);
  EXPECT_EQ(Get("x", {1, 1}), "x#1");
}

TEST_F(RefreshingCacheTest, TheLeastRecentlyUsedEntryIsDropped) {
  Get("a", {1, 1});
  Get("b", {1, 1});
  Get("a", {1, 1});
  Get("c", {1, 1});  // drops b
  EXPECT_EQ(cache_.size(), 2u);
  EXPECT_EQ(Get("a", {1, 1}), "a#1");
  EXPECT_EQ(Get("b", {1, 1}), "b#4");
}

// While one caller computes, an equal caller waits for that answer instead of computing it too;
// a caller that only sees newer data gets the previous answer at once.
TEST_F(RefreshingCacheTest, ConcurrentCallersShareOneComputation) {
  EXPECT_EQ(Get("a", {1, 1}), "a#1");
  clock_.Advance(10'000);
  std::promise<void> started, release;
  std::shared_future<void> go = release.get_future().share();
  auto slow = [&]() -> Result<std::string> {
    started.set_value();
    go.wait();
    return std::string("a#slow");
  };
  auto refreshing = std::async(std::launch::async, [&] { return cache_.Get("a", {2, 1}, slow); });
  started.get_future().wait();
  EXPECT_EQ(Get("a", {3, 1}), "a#1");  // stale, served while the refresh runs
  auto waiting = std::async(std::launch::async, [&] { return Get("a", {3, 2}); });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  release.set_value();
  auto refreshed = refreshing.get();
  ASSERT_TRUE(refreshed.ok());
  EXPECT_EQ(**refreshed, "a#slow");
  EXPECT_EQ(waiting.get(),
            "a#2");  // an urgent change: computed after the refresh, not served stale
  EXPECT_EQ(calls_, 2);
}

// While one answer is being refreshed for new data, another answer that new data made stale is
// served stale rather than refreshed at the same time; an urgent change still computes at once.
TEST_F(RefreshingCacheTest, OneRefreshAtATimeAcrossKeys) {
  EXPECT_EQ(Get("a", {1, 1}), "a#1");
  EXPECT_EQ(Get("b", {1, 1}), "b#2");
  clock_.Advance(10'000);
  std::promise<void> started, release;
  std::shared_future<void> go = release.get_future().share();
  auto slow = [&]() -> Result<std::string> {
    started.set_value();
    go.wait();
    return std::string("a#slow");
  };
  auto refreshing = std::async(std::launch::async, [&] { return cache_.Get("a", {2, 1}, slow); });
  started.get_future().wait();
  EXPECT_EQ(Get("b", {2, 1}), "b#2");  // stale: a's refresh runs
  release.set_value();
  ASSERT_TRUE(refreshing.get().ok());
  EXPECT_EQ(Get("b", {2, 1}), "b#3");  // its turn now
  EXPECT_EQ(calls_, 3);
}

}  // namespace
}  // namespace goodhart::api
