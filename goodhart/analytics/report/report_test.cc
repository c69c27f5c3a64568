// The report end to end over a real embedded store: delivery records, usage and the directory are
// stored, loaded back by LoadReportData and reported by BuildReport. Expected values are derived
// by hand in the comments from metrics.md §3.
#include "goodhart/analytics/report/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "goodhart/analytics/nd/internal/testing_scenario.h"
#include "goodhart/analytics/report/report_format.h"
#include "goodhart/analytics/report/report_loader.h"
#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/store/embedded/embedded_store.h"
#include "goodhart/store/storetest/test_events.h"

namespace goodhart::analytics::report {
namespace {

using ::goodhart::testing::StatusIs;
using nd::testing::Day;
using nd::testing::File;
using nd::testing::kHour;
using nd::testing::kQ1;
using nd::testing::Scenario;
using nlohmann::json;

constexpr double kEps = 1e-9;

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("goodhart-report-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto opened = store::OpenEmbeddedStore({.data_dir = dir_.string(), .synchronous_full = false});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Stores what a scenario built, as the receivers would.
  void Store(Scenario& s) {
    model::EventBatch batch;
    batch.commits = s.commits();
    batch.changes = s.changes();
    batch.reviews = s.reviews();
    batch.deployments = s.deployments();
    batch.incidents = s.incidents();
    auto stored = store_->Append(batch);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    ASSERT_TRUE(store_->PutDirectory(goodhart::testing::ReadTestdata("directory.yaml"), 0).ok());
  }

  void StoreUsage(const std::string& actor, int calls, int64_t at) {
    model::EventBatch usage;
    for (int i = 0; i < calls; ++i) {
      usage.usage.push_back(store::storetest::ModelCall(actor + std::to_string(i), actor,
                                                        at + i * 1000, "claude-sonnet-4-5", "s1",
                                                        /*scale=*/100));
    }
    ASSERT_TRUE(store_->Append(usage).ok());
  }

  json Report(ReportRequest request, std::vector<PersonFlag> flags = {}) {
    auto data = LoadReportData(*store_, request);
    if (data.ok())
      data->person_flags = std::move(flags);
    EXPECT_TRUE(data.ok()) << data.status().ToString();
    auto report = BuildReport(request, *data);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : json();
  }

  static ReportRequest Q1(int64_t as_of) {
    ReportRequest r;
    r.from_unix_ms = kQ1;
    r.to_unix_ms = CivilToMillis(2026, 4, 1);
    r.as_of_unix_ms = as_of;
    return r;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

// Alice ships 60 meaningful lines in payments-api, approved by carol before the merge, deployed an
// hour later. The store holds no other history, so S_ref is the fallback of 100 lines (no pool has
// 30 changes): g = 60 / 100 = 0.6 (60 >= rho x S_ref = 25, below the cap). R = 1 (carol is a human
// non-author), F = 1, D = 1 (nothing removes the lines): ND = 0.6. As of day 30 the change is
// provisional (21 <= 30 < 90 days).
TEST_F(ReportTest, OneReviewedChangeEndToEnd) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  Store(s);
  StoreUsage("alice@example.com", 10, Day(1));  // 10 calls x 1,063 x 100 tokens, $2.70 reported

  json r = Report(Q1(Day(30)));
  EXPECT_EQ(r["definition_version"], "nd-1.0");
  EXPECT_EQ(r["directory_version"], 1);
  EXPECT_EQ(r["period"]["from"], "2026-01-01T00:00:00.000Z");
  const json& org = r["org"];
  EXPECT_NEAR(org["nd"].get<double>(), 0.6, kEps);
  EXPECT_NEAR(org["nd_provisional"].get<double>(), 0.6, kEps);
  EXPECT_NEAR(org["nd_final"].get<double>(), 0.0, kEps);
  EXPECT_EQ(org["changes"], 1);
  EXPECT_EQ(org["tokens"], 1'063'000);
  EXPECT_NEAR(org["cost_usd"].get<double>(), 2.70, kEps);
  // No final ND yet: cost per ND is over provisional + final ND, and says so.
  EXPECT_EQ(org["cost_per_nd_basis"], "provisional_and_final");
  EXPECT_NEAR(org["cost_per_nd"].get<double>(), 2.70 / 0.6, 1e-6);
  EXPECT_NEAR(org["review_coverage"].get<double>(), 1.0, kEps);
  // One QPD in Q1: days/week of deployment is defined, lead time is 1 h (authored at the merge).
  EXPECT_EQ(org["dora"]["deployment_count"], 1);
  EXPECT_NEAR(org["dora"]["lead_time_hours_median"].get<double>(), 1.0, kEps);
  EXPECT_NEAR(org["dora"]["change_failure_rate"].get<double>(), 0.0, kEps);

  ASSERT_EQ(r["teams"].size(), 2u);
  const json& payments = r["teams"][0];
  EXPECT_EQ(payments["team"], "payments");
  EXPECT_EQ(payments["members"], 3);
  EXPECT_NEAR(payments["nd"].get<double>(), 0.6, kEps);
  EXPECT_EQ(payments["tokens"], 1'063'000);
  EXPECT_NEAR(r["teams"][1]["nd"].get<double>(), 0.0, kEps);
  EXPECT_EQ(r["teams"][1]["tokens"], 0);
  EXPECT_FALSE(r.contains("people"));  // only on request
  EXPECT_FALSE(r["org"].contains("dora_devlake"));

  // DevLake's definitions on the same data: one production deployment day, no incident.
  ReportRequest devlake = Q1(Day(30));
  devlake.dora_mode = "devlake";
  json d = Report(devlake)["org"]["dora_devlake"];
  EXPECT_EQ(d["deployment_days"], 1);
  EXPECT_EQ(d["deployments"], 1);
  EXPECT_EQ(d["deployments_with_incident"], 0);
  EXPECT_NEAR(d["change_failure_rate"].get<double>(), 0.0, kEps);
  // DevLake's lead time needs a previous successful deployment to diff against: d1 is the first.
  EXPECT_EQ(d["lead_time_pull_requests"], 0);
  EXPECT_TRUE(d["lead_time_hours_median"].is_null());
}

// Alice's day has telemetry and a Claude Code usage report of the same calls: the report's row is
// set aside, shown in usage_set_aside and the table, and the spend counts the telemetry once.
TEST_F(ReportTest, ADailyReportCoveredByTelemetryIsNotCountedTwice) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  Store(s);
  StoreUsage("alice@example.com", 10, Day(1));
  model::EventBatch report;
  model::UsageEvent row = store::storetest::ModelCall("report-1", "alice@example.com", Day(1),
                                                      "claude-sonnet-4-5", "", /*scale=*/100);
  row.source = "claude_code_report";
  report.usage.push_back(row);
  ASSERT_TRUE(store_->Append(report).ok());

  json r = Report(Q1(Day(30)));
  EXPECT_EQ(r["org"]["tokens"], 1'063'000);
  EXPECT_NEAR(r["org"]["cost_usd"].get<double>(), 2.70, kEps);
  EXPECT_EQ(r["org"]["usage_set_aside"]["rows"], 1);
  EXPECT_EQ(r["org"]["usage_set_aside"]["tokens"], 106'300);
  EXPECT_NEAR(r["org"]["usage_set_aside"]["cost_usd"].get<double>(), 0.27, kEps);
  EXPECT_NE(RenderReportTable(r).find("not counted   106300 tokens ($0.27)"), std::string::npos)
      << RenderReportTable(r);
}

// As of day 120 the same change is final; a revert on day 3 of a second change fails it (F = 0).
TEST_F(ReportTest, FinalStageAndAFailedChange) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  std::string bad = s.SquashPr(2, "bob", Day(7), {File("services/payments/b.go", 100)});
  s.Approve(2, "carol", Day(6.5));
  s.Deploy("d2", "payments-api", Day(7) + kHour);
  s.Revert("bob", Day(10), bad);
  s.Deploy("d3", "payments-api", Day(10) + kHour);
  Store(s);

  ReportRequest request = Q1(Day(120));
  request.people = true;
  json r = Report(request);
  // L1: 0.6 final. L2: g = 1.0 (100 / 100) but F = 0: 0. The revert itself weighs nothing.
  EXPECT_NEAR(r["org"]["nd"].get<double>(), 0.6, kEps);
  EXPECT_NEAR(r["org"]["nd_final"].get<double>(), 0.6, kEps);
  EXPECT_EQ(r["org"]["cost_per_nd_basis"], "final");
  ASSERT_TRUE(r.contains("people"));
  std::map<std::string, json> people;
  for (const json& p : r["people"])
    people[p["person"].get<std::string>()] = p;
  EXPECT_NEAR(people["alice"]["nd"].get<double>(), 0.6, kEps);
  EXPECT_NEAR(people["alice"]["nd_star"].get<double>(), 0.6, kEps);
  EXPECT_NEAR(people["bob"]["nd"].get<double>(), 0.0, kEps);
  EXPECT_EQ(people["bob"]["changes"], 2);  // L2 and the revert (its own L, weighing nothing)
  EXPECT_EQ(people["alice"]["team"], "payments");
}

TEST_F(ReportTest, BadRequestsAreRefused) {
  Scenario s;
  Store(s);
  ReportRequest unknown_team = Q1(Day(30));
  unknown_team.team = "paymnts";
  auto data = LoadReportData(*store_, unknown_team);
  ASSERT_TRUE(data.ok());
  EXPECT_THAT(
      BuildReport(unknown_team, *data).status(),
      StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("unknown team 'paymnts'")));
  ReportRequest empty = Q1(Day(30));
  empty.to_unix_ms = empty.from_unix_ms;
  EXPECT_THAT(BuildReport(empty, *data).status(), StatusIs(StatusCode::kInvalidArgument));
  ReportRequest mode = Q1(Day(30));
  mode.dora_mode = "fourkeys";
  EXPECT_THAT(BuildReport(mode, *data).status(),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("dora_mode")));
}

TEST_F(ReportTest, TeamFilterKeepsOneTeam) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.Deploy("d1", "payments-api", Day(0) + kHour);
  Store(s);
  ReportRequest request = Q1(Day(30));
  request.team = "search";
  request.people = true;
  json r = Report(request);
  ASSERT_EQ(r["teams"].size(), 1u);
  EXPECT_EQ(r["teams"][0]["team"], "search");
  for (const json& p : r["people"])
    EXPECT_EQ(p["team"], "search");
  EXPECT_NEAR(r["org"]["nd"].get<double>(), 0.6, kEps);  // the organisation is always whole
}

// ND* removes what a reviewer confirmed as gaming: the flag's ND effect, when its four-week
// period ends in the report period. Benign flags and flags of other periods only get listed.
TEST_F(ReportTest, NdStarRemovesConfirmedGamingOnly) {
  Scenario s;
  s.SquashPr(1, "alice", Day(0), {File("services/payments/a.go", 60)});
  s.Approve(1, "carol", Day(-0.5));
  s.SquashPr(2, "bob", Day(1), {File("services/payments/b.go", 60)});
  s.Approve(2, "carol", Day(0.5));
  s.Deploy("d1", "payments-api", Day(1) + kHour);
  Store(s);
  ReportRequest request = Q1(Day(120));
  request.people = true;
  const int64_t feb = CivilToMillis(2026, 2, 1);
  std::vector<PersonFlag> flags = {{.flag_id = "f-gamed",
                                    .person = "alice",
                                    .detector_id = "D8",
                                    .status = "resolved",
                                    .disposition = "confirmed_gaming",
                                    .period_from_unix_ms = feb - 28 * kMillisPerDay,
                                    .period_to_unix_ms = feb,
                                    .nd_effect = 0.2},
                                   {.flag_id = "f-benign",
                                    .person = "bob",
                                    .detector_id = "D7",
                                    .status = "resolved",
                                    .disposition = "benign",
                                    .period_from_unix_ms = feb - 28 * kMillisPerDay,
                                    .period_to_unix_ms = feb,
                                    .nd_effect = 0.3},
                                   {.flag_id = "f-later",
                                    .person = "bob",
                                    .detector_id = "D8",
                                    .status = "resolved",
                                    .disposition = "confirmed_gaming",
                                    .period_from_unix_ms = CivilToMillis(2026, 5, 1),
                                    .period_to_unix_ms = CivilToMillis(2026, 5, 29),
                                    .nd_effect = 0.3}};
  json r = Report(request, flags);
  const json& alice = r["people"][0];
  ASSERT_EQ(alice["person"], "alice");
  EXPECT_NEAR(alice["nd"].get<double>(), 0.6, kEps);
  EXPECT_NEAR(alice["nd_star"].get<double>(), 0.4, kEps);
  ASSERT_EQ(alice["flags"].size(), 1u);
  EXPECT_EQ(alice["flags"][0]["id"], "f-gamed");
  EXPECT_EQ(alice["flags"][0]["disposition"], "confirmed_gaming");
  const json& bob = r["people"][1];
  EXPECT_NEAR(bob["nd_star"].get<double>(), bob["nd"].get<double>(), kEps);
  ASSERT_EQ(bob["flags"].size(), 1u);  // the May flag is outside Q1
  EXPECT_EQ(bob["flags"][0]["id"], "f-benign");
}

}  // namespace
}  // namespace goodhart::analytics::report
