// A ClickHouse outage under `goodhart serve` (issue #8): OTLP batches are posted continuously to a
// server whose store is a private clickhouse-server started by this test; ClickHouse is stopped in
// the middle and restarted later. While it is down requests must be answered 503 with Retry-After
// (no crash, no 500, no 200 for data that was not stored); each refused body is retried as an OTLP
// exporter would, and at the end every acknowledged event is stored exactly once and nothing else.
// The test starts its own server with scripts/clickhouse.sh (it stops it, so it cannot share one)
// and skips, saying why, when clickhouse-server is not installed.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/integration/clickhouse_script.h"
#include "tests/integration/otlp_bodies.h"
#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr int kEventsPerBody = 25;
constexpr int kPosters = 2;

// Polls `done` every 50 ms until it holds or `limit` passes; returns whether it held.
template <typename Pred>
bool WaitFor(Pred done, seconds limit) {
  auto deadline = steady_clock::now() + limit;
  while (!done()) {
    if (steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

struct Tally {
  std::mutex mu;
  std::map<std::string, int> acknowledged;  // request id -> times a 2xx covered it
  std::vector<std::string> unexpected;      // answers that are neither 2xx nor 503 + Retry-After
  std::atomic<int> bodies_acknowledged{0};
  std::atomic<int> refused{0};  // 503 with Retry-After
};

class ClickHouseOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ClickHouseServerInstalled()) {
      GTEST_SKIP() << "clickhouse-server is not installed: the outage test is skipped "
                      "(scripts/install-deps.sh installs it)";
    }
    std::string out;
    int status = ClickHouseScript("start", ch_dir_, &out);
    ASSERT_EQ(status, 0) << out;
    std::ifstream in(ch_dir_ + "/url");
    std::getline(in, url_);
    ASSERT_FALSE(url_.empty()) << out;
    started_ = true;
    config_ = dir_.path() + "/goodhart.yaml";
    std::ofstream(config_) << fmt::format(
        "store: {{kind: clickhouse, url: \"{}\", database: goodhart_outage}}\n", url_);
  }
  void TearDown() override {
    if (started_) {
      std::string out;
      if (ClickHouseScript("purge", ch_dir_, &out) != 0)
        ADD_FAILURE() << "clickhouse.sh purge: " << out;
    }
  }

  TempDir dir_;
  std::string ch_dir_ = dir_.path() + "/clickhouse";
  std::string data_ = dir_.path() + "/data";
  std::string config_, url_;
  bool started_ = false;
};

// Posts body after body until `stop`, each one until it is acknowledged.
void Post(const ServerProcess& server, int poster, const std::atomic<bool>& stop, Tally& tally) {
  auto client = server.Client();
  for (int64_t body_index = 0; !stop.load(); ++body_index) {
    int64_t first = (body_index * kPosters + poster) * kEventsPerBody;
    std::string body = ClaudeCodeApiRequestLogs({.first_request = first,
                                                 .count = kEventsPerBody,
                                                 .start_unix_ms = 1767693600000 + first * 1000,
                                                 .users = 7,
                                                 .models = 3});
    while (true) {  // an exporter retries a body until it is accepted or refused for good
      auto res = client->Post("/v1/logs", body, "application/json");
      if (res && res->status >= 200 && res->status < 300) {
        std::lock_guard lock(tally.mu);
        for (int64_t n = first; n < first + kEventsPerBody; ++n)
          ++tally.acknowledged[fmt::format("req_{:024}", n)];
        ++tally.bodies_acknowledged;
        break;
      }
      if (res && res->status == 503 && res->has_header("Retry-After")) {
        ++tally.refused;
      } else {
        std::lock_guard lock(tally.mu);
        tally.unexpected.push_back(
            res ? fmt::format(
                      "HTTP {} {}: {}", res->status,
                      res->has_header("Retry-After") ? "with Retry-After" : "without Retry-After",
                      res->body)
                : fmt::format("no answer: {}", httplib::to_string(res.error())));
        if (!res)
          client = server.Client();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

TEST_F(ClickHouseOutageTest, EveryAcknowledgedEventIsStoredOnceAcrossAStopAndRestart) {
  ServerProcess server(data_, {"--config", config_});
  Tally tally;
  std::atomic<bool> stop{false};
  std::vector<std::thread> posters;
  for (int p = 0; p < kPosters; ++p)
    posters.emplace_back([&, p] { Post(server, p, stop, tally); });

  bool before = WaitFor([&] { return tally.bodies_acknowledged.load() >= 20; }, seconds(120));
  EXPECT_TRUE(before) << "no traffic acknowledged before the outage";
  std::string out;
  EXPECT_EQ(ClickHouseScript("stop", ch_dir_, &out), 0) << out;
  int acknowledged_at_stop = tally.bodies_acknowledged.load();
  bool refused = WaitFor([&] { return tally.refused.load() >= 10; }, seconds(120));
  EXPECT_TRUE(refused) << "no 503 with Retry-After while ClickHouse was down";
  // At most the requests in flight at the stop were acknowledged after it.
  EXPECT_LE(tally.bodies_acknowledged.load(), acknowledged_at_stop + kPosters);

  out.clear();
  EXPECT_EQ(ClickHouseScript("restart", ch_dir_, &out), 0) << out;
  int acknowledged_at_restart = tally.bodies_acknowledged.load();
  bool after =
      WaitFor([&] { return tally.bodies_acknowledged.load() >= acknowledged_at_restart + 20; },
              seconds(180));
  EXPECT_TRUE(after) << "traffic did not resume after ClickHouse restarted";
  stop = true;
  for (std::thread& t : posters)
    t.join();

  {
    std::lock_guard lock(tally.mu);
    EXPECT_TRUE(tally.unexpected.empty())
        << tally.unexpected.size() << " unexpected answers, the first: " << tally.unexpected[0];
  }
  EXPECT_GE(tally.refused.load(), 10);

  // Every acknowledged event once, nothing else: the stored request ids, and the store's count.
  CommandResult exported = RunGoodhart({"store", "export", "--config", config_, "--data", data_});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::map<std::string, int> stored;
  std::istringstream lines(exported.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty())
      ++stored[json::parse(line).value("request_id", "")];
  }
  size_t stored_ids = stored.size();
  int wrong = 0;
  for (const auto& [id, times] : tally.acknowledged) {
    EXPECT_EQ(times, 1) << id << " acknowledged more than once";
    int times_stored = stored.count(id) != 0 ? stored.at(id) : 0;
    if (times_stored != 1 && ++wrong <= 5)
      ADD_FAILURE() << id << " acknowledged, stored " << times_stored << " times";
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(stored_ids, tally.acknowledged.size()) << "stored events nobody acknowledged";
  CommandResult stats = RunGoodhart({"store", "stats", "--config", config_, "--data", data_});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(json::parse(stats.out)["usage_events"].get<size_t>(), tally.acknowledged.size());

  // The rollups count them once too: each event reports $0.002765 (otlp_bodies.cc).
  CommandResult report = RunGoodhart({"report", "--from", "2026-01-01", "--to", "2026-12-31",
                                      "--as-of", "2027-01-01T00:00:00Z", "--format", "json",
                                      "--config", config_, "--data", data_});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  json org = json::parse(report.out)["org"];
  EXPECT_NEAR(org["reported_cost_usd"].get<double>(),
              static_cast<double>(tally.acknowledged.size()) * 0.002765, 1e-6)
      << org.dump();
}

}  // namespace
}  // namespace goodhart::testing
