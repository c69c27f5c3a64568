// The store when ClickHouse fails or is slow, against a fake of its HTTP interface on 127.0.0.1:
// Append answers kUnavailable (HTTP 503 with Retry-After at the API) instead of acknowledging
// what ClickHouse did not take, and refuses at once rather than queueing without bound.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/store/clickhouse/clickhouse_store.h"
#include "goodhart/store/storetest/test_events.h"

namespace goodhart::store {
namespace {

using ::goodhart::testing::StatusIs;

// Answers the schema version query with the current version, inserts after `insert_delay` with
// `insert_status`, and everything else with an empty result.
class FakeClickHouse {
 public:
  FakeClickHouse(int insert_status, std::chrono::milliseconds insert_delay)
      : insert_status_(insert_status), insert_delay_(insert_delay) {
    server_.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
      std::string sql = req.get_param_value("query") + req.body;
      if (sql.find("INSERT INTO") != std::string::npos) {
        ++inserts_;
        std::this_thread::sleep_for(insert_delay_);
        res.status = insert_status_;
        res.set_content(insert_status_ == 200 ? "" : "Code: 210, Connection refused", "text/plain");
        return;
      }
      if (sql.find("max(version)") != std::string::npos) {
        res.set_content(std::to_string(ClickHouseSchemaVersion()) + "\n", "text/plain");
        return;
      }
      res.set_content("", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeClickHouse() {
    server_.stop();
    thread_.join();
  }
  ClickHouseStoreOptions Options() const {
    ClickHouseStoreOptions o;
    o.url = "http://127.0.0.1:" + std::to_string(port_);
    o.max_attempts = 3;
    o.initial_backoff_ms = 5;
    o.max_backoff_ms = 10;
    return o;
  }
  int inserts() const { return inserts_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  const int insert_status_;
  const std::chrono::milliseconds insert_delay_;
  std::atomic<int> inserts_{0};
};

model::EventBatch Calls(int n, int offset) {
  model::EventBatch batch;
  for (int i = 0; i < n; ++i) {
    batch.usage.push_back(storetest::ModelCall("req:" + std::to_string(offset + i), "alice",
                                               storetest::At(storetest::kDay, 9, i)));
  }
  return batch;
}

TEST(ClickHouseStoreOutageTest, AFailingInsertIsUnavailableNotAcknowledged) {
  FakeClickHouse fake(503, std::chrono::milliseconds(0));
  auto store = OpenClickHouseStore(fake.Options());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_THAT((*store)->Append(Calls(3, 0)).status(),
              StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr("usage_events")));
  EXPECT_EQ(fake.inserts(), 3);  // every attempt, then the caller is told to retry
}

TEST(ClickHouseStoreOutageTest, WaitingAppendsAreBoundedWhileClickHouseIsSlow) {
  FakeClickHouse fake(200, std::chrono::milliseconds(400));
  ClickHouseStoreOptions options = fake.Options();
  options.max_pending_events = 10;
  auto store = OpenClickHouseStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<model::AppendStats> first = Status::Internal("not run");
  std::thread writer([&] { first = (*store)->Append(Calls(10, 0)); });
  while (fake.inserts() == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // Ten events already wait for ClickHouse: five more would pass the bound.
  auto start = std::chrono::steady_clock::now();
  EXPECT_THAT((*store)->Append(Calls(5, 100)).status(),
              StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr("already wait")));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
  writer.join();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->inserted, 10);
  // Once it is through, there is room again.
  auto later = (*store)->Append(Calls(5, 100));
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ(later->inserted, 5);
}

}  // namespace
}  // namespace goodhart::store
