#include "goodhart/review/alerts.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "goodhart/base/testing/fake_clock.h"
#include "goodhart/base/testing/temp_dir.h"
#include "goodhart/base/time.h"

namespace goodhart::review {
namespace {

using nlohmann::json;

const int64_t kNow = CivilToMillis(2026, 6, 1, 9);

// A Slack-like webhook on 127.0.0.1 that fails its first `failures` posts with 500.
class FakeWebhook {
 public:
  explicit FakeWebhook(int failures) : failures_(failures) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      if (failures_ > 0) {
        --failures_;
        res.status = 500;
        return;
      }
      bodies_.push_back(json::parse(req.body));
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeWebhook() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<json> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  int failures_;
  std::vector<json> bodies_;
};

std::unique_ptr<FlagStore> OpenIn(const goodhart::testing::TempDir& dir) {
  return std::move(FlagStore::Open(dir.path() + "/flags.db")).value();
}

detect::Flag PersonFlag(const std::string& detector, detect::Tier tier, bool shown) {
  detect::Flag f;
  f.detector_id = detector;
  f.tier = tier;
  f.subject = {.kind = detect::SubjectKind::kPerson, .id = "alice"};
  f.team = "payments";
  f.period = {.from_unix_ms = kNow - 28 * kMillisPerDay, .to_unix_ms = kNow};
  f.id = detect::FlagId(detector, f.subject, f.period);
  f.shown = shown;
  return f;
}

TEST(AlertsTest, NewShownTierAFlagsArePostedOnceWithRetryAndNoName) {
  goodhart::testing::TempDir dir("alerts");
  auto store = OpenIn(dir);
  std::vector<detect::Flag> flags = {PersonFlag("D4", detect::Tier::kA, true),
                                     PersonFlag("D1", detect::Tier::kB, true),    // Tier B: no
                                     PersonFlag("D8", detect::Tier::kA, false)};  // silent: no
  detect::Flag pipeline = PersonFlag("D6", detect::Tier::kA, true);
  pipeline.subject = {.kind = detect::SubjectKind::kPipeline, .id = "payments-prod"};
  pipeline.id = detect::FlagId("D6", pipeline.subject, pipeline.period);
  flags.push_back(pipeline);
  std::vector<std::string> ids;
  for (const auto& f : flags)
    ids.push_back(f.id);
  EXPECT_EQ(*QueueFlagAlerts(*store, flags, ids, kNow), 2);
  EXPECT_EQ(*QueueFlagAlerts(*store, flags, ids, kNow), 0);  // a re-run queues nothing new

  FakeWebhook hook(/*failures=*/2);
  goodhart::testing::FakeClock clock(kNow);
  AlertSender sender(*store, hook.url(), &clock);
  auto first = sender.DeliverDue();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->failed, 2);
  EXPECT_EQ(sender.DeliverDue()->sent, 0);  // backing off
  clock.Advance(61'000);
  auto second = sender.DeliverDue();
  EXPECT_EQ(second->sent, 2);
  clock.Advance(3'600'000);
  EXPECT_EQ(sender.DeliverDue()->sent, 0);  // delivered alerts are not sent again

  std::vector<json> bodies = hook.bodies();
  ASSERT_EQ(bodies.size(), 2u);
  std::string person_alert = bodies[0]["text"];
  EXPECT_NE(person_alert.find("D4 (scripted cadence) about a person in team payments"),
            std::string::npos)
      << person_alert;
  EXPECT_NE(person_alert.find("until 2026-06-08"), std::string::npos);
  EXPECT_EQ(bodies[0].dump().find("alice"), std::string::npos);
  EXPECT_EQ(bodies[1]["goodhart"]["subject"], "payments-prod");
}

TEST(AlertsTest, CostAnomalyIsThreeTimesTheTeamsMedianDay) {
  auto dir = directory::Directory::Parse(R"(
teams: [{id: payments}, {id: search}]
people:
  - {id: alice, team: payments, emails: [alice@example.com]}
  - {id: dave, team: search, emails: [dave@example.com]}
)");
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  const int64_t day = kNow / kMillisPerDay;
  std::vector<store::UsageRollupRow> rollups;
  for (int64_t d = day - 28; d < day; ++d) {
    rollups.push_back({.actor = "alice@example.com", .day = d, .reported_cost_micros = 30'000'000});
    rollups.push_back({.actor = "dave@example.com", .day = d, .reported_cost_micros = 30'000'000});
  }
  rollups.push_back({.actor = "alice@example.com", .day = day, .reported_cost_micros = 95'000'000});
  rollups.push_back({.actor = "dave@example.com", .day = day, .reported_cost_micros = 85'000'000});
  std::vector<CostAnomaly> found = FindCostAnomalies(rollups, *dir, day);
  ASSERT_EQ(found.size(), 1u);  // 95 > 3 x 30; 85 is not
  EXPECT_EQ(found[0].team, "payments");
  EXPECT_EQ(found[0].baseline_micros, 30'000'000);
  goodhart::testing::TempDir temp("alerts");
  auto store = OpenIn(temp);
  EXPECT_EQ(*QueueCostAlerts(*store, found, kNow), 1);
  EXPECT_EQ(*QueueCostAlerts(*store, found, kNow), 0);
  auto due = store->DueAlerts(kNow, 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, "cost:payments:2026-06-01");
}

}  // namespace
}  // namespace goodhart::review
