// ComputeDora over a hand-built NdResult: two services of two teams over two weeks, with every
// kind of failure signal. Expected values are derived by hand in the comments.
#include "goodhart/analytics/dora/dora_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/time.h"

namespace goodhart::analytics::dora {
namespace {

using nd::DeploymentStatus;

const int64_t kT0 = CivilToMillis(2026, 1, 5);  // a Monday, 00:00 UTC
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
int64_t At(int day, double hour) { return kT0 + day * kDay + static_cast<int64_t>(hour * kHour); }

nd::DeploymentVerdict Verdict(std::string id, std::string service, DeploymentStatus status,
                              int64_t finished, std::vector<std::string> shas = {},
                              std::vector<std::string> changes = {}) {
  nd::DeploymentVerdict v;
  v.deployment_id = std::move(id);
  v.service = std::move(service);
  v.environment = "production";
  v.status = status;
  v.started_unix_ms = finished - kHour / 2;
  v.finished_unix_ms = finished;
  v.landed = status != DeploymentStatus::kFailed;
  v.commit_shas = std::move(shas);
  v.delivered_change_ids = std::move(changes);
  return v;
}

nd::LogicalChangeCredit Change(std::string id, std::string service, std::string change_id,
                               std::string owner, std::vector<std::string> shas,
                               std::string deployment, int64_t delivered) {
  nd::LogicalChangeCredit l;
  l.id = std::move(id);
  l.service = std::move(service);
  l.delivered_unix_ms = delivered;
  l.delivered_by = deployment;
  nd::ChangePart part;
  part.change_id = std::move(change_id);
  part.owner = std::move(owner);
  part.commit_shas = std::move(shas);
  part.deployment_id = std::move(deployment);
  part.delivered_unix_ms = delivered;
  l.parts.push_back(std::move(part));
  return l;
}

model::Commit Commit(std::string sha, int64_t authored, std::string reverts = "") {
  model::Commit c;
  c.sha = std::move(sha);
  c.authored_unix_ms = authored;
  c.committed_unix_ms = authored;
  c.reverts_sha = std::move(reverts);
  return c;
}

// Services: api (team core), web (team front). Period: days 0..13 (two complete weeks).
//   d1  api QPD       day 0 10:00  L1 (c1 authored day 0 04:00)            lead 6 h
//   d2  api QPD       day 0 15:00  L2 (c2 authored day -1 15:00)           lead 24 h
//   d3  api QPD       day 2 10:00  L3 (c3b day 0 10:00, c3a day 1 10:00)   lead 48 h
//                                  c3a reverted by r1 at day 3 10:00 (F gate event)
//   d4  api failed    day 3 09:00  never landed
//   d5  api no-op     day 3 12:00  ships r1 (the revert): restores d3 and d4; rework
//   d6  api QPD       day 8 10:00  L4, a bot's change (no owner); ch4 remediates incident i1
//   d7  web QPD       day 9 10:00  L5 (c5 authored day 9 08:00)            lead 2 h
//                                  incident i1 caused_by d7, began day 9 11:00, resolved
//                                  day 10 12:00 (also an F gate event on L5)
//   d9  web failed    day 10 10:00 rolled back by d10 (started day 10 10:30, finished 11:00)
//   d10 web rollback  day 10 11:00
//   d11 web redeploy  day 11 10:00
//   d12 api QPD       day 15 10:00 outside the period
struct Scenario {
  nd::NdResult nd;
  DoraInput input;
};

Scenario MakeScenario() {
  Scenario s;
  auto& v = s.nd.deployments;
  v.push_back(Verdict("d1", "api", DeploymentStatus::kQpd, At(0, 10), {"c1"}, {"ch1"}));
  v.push_back(Verdict("d2", "api", DeploymentStatus::kQpd, At(0, 15), {"c2"}, {"ch2"}));
  v.push_back(Verdict("d3", "api", DeploymentStatus::kQpd, At(2, 10), {"c3b", "c3a"}, {"ch3"}));
  v.push_back(Verdict("d4", "api", DeploymentStatus::kFailed, At(3, 9)));
  v.push_back(Verdict("d5", "api", DeploymentStatus::kNoop, At(3, 12), {"r1"}));
  v.push_back(Verdict("d6", "api", DeploymentStatus::kQpd, At(8, 10), {"c4"}, {"ch4"}));
  v.push_back(Verdict("d7", "web", DeploymentStatus::kQpd, At(9, 10), {"c5"}, {"ch5"}));
  v.push_back(Verdict("d9", "web", DeploymentStatus::kFailed, At(10, 10), {"c6"}, {"ch6"}));
  v.back().landed = true;  // it ran until the rollback
  v.back().rolled_back_by = "d10";
  v.back().rolled_back_unix_ms = At(10, 11);
  v.push_back(Verdict("d10", "web", DeploymentStatus::kRollback, At(10, 11)));
  v.push_back(Verdict("d11", "web", DeploymentStatus::kRedeploy, At(11, 10)));
  v.push_back(Verdict("d12", "api", DeploymentStatus::kQpd, At(15, 10), {"c7"}, {"ch7"}));

  auto& l = s.nd.changes;
  l.push_back(Change("api/ch1", "api", "ch1", "ann", {"c1"}, "d1", At(0, 10)));
  l.push_back(Change("api/ch2", "api", "ch2", "bob", {"c2"}, "d2", At(0, 15)));
  l.push_back(Change("api/ch3", "api", "ch3", "ann", {"c3b", "c3a"}, "d3", At(2, 10)));
  l.back().failure = {.value = 0,
                      .events = {{.kind = nd::kFailRevert,
                                  .change_id = "ch3",
                                  .event_id = "r1",
                                  .at_unix_ms = At(3, 10)}}};
  l.push_back(Change("api/ch4", "api", "ch4", "", {"c4"}, "d6", At(8, 10)));
  l.push_back(Change("web/ch5", "web", "ch5", "cat", {"c5"}, "d7", At(9, 10)));
  l.back().failure = {.value = 0,
                      .events = {{.kind = nd::kFailIncident,
                                  .change_id = "ch5",
                                  .event_id = "i1",
                                  .at_unix_ms = At(9, 11)}}};
  l.push_back(Change("api/ch7", "api", "ch7", "ann", {"c7"}, "d12", At(15, 10)));

  DoraInput& in = s.input;
  in.from_unix_ms = At(0, 0);
  in.to_unix_ms = At(14, 0);
  model::Incident i1;
  i1.id = "i1";
  i1.service = "web";
  i1.caused_by_deployment = "d7";
  i1.started_unix_ms = At(9, 11);
  i1.resolved_unix_ms = At(10, 12);
  in.incidents = {i1};
  in.remediations = {{.incident_id = "i1", .change_id = "ch4"}};
  static const std::vector<model::Commit> kCommits = {
      Commit("c1", At(0, 4)),         Commit("c2", At(-1, 15)), Commit("c3a", At(1, 10)),
      Commit("c3b", At(0, 10)),       Commit("c4", At(8, 9)),   Commit("c5", At(9, 8)),
      Commit("r1", At(3, 10), "c3a"), Commit("c7", At(14, 10))};
  in.commits = kCommits;  // viewed: DoraInput does not own its commits
  in.services = {{.id = "api", .team = "core"}, {.id = "web", .team = "front"}};
  return s;
}

TEST(ComputeDoraTest, OrganisationByHand) {
  Scenario s = MakeScenario();
  auto m = ComputeDora(s.nd, s.input);
  ASSERT_TRUE(m.ok()) << m.status().ToString();

  // QPDs in the period: d1 d2 d3 d6 d7 (d9 failed, d12 outside). Week 1: days 0 and 2 -> 2 days;
  // week 2: days 8 and 9 -> 2 days. Median 2 < 3, but every week deployed: "weekly".
  EXPECT_EQ(m->frequency.deployment_count, 5);
  EXPECT_EQ(m->frequency.deployment_days, 4);
  ASSERT_EQ(m->frequency.weeks.size(), 2u);
  EXPECT_EQ(m->frequency.weeks[0].deployment_days, 2);
  EXPECT_EQ(m->frequency.weeks[0].deployments, 3);
  EXPECT_DOUBLE_EQ(*m->frequency.days_per_week_median, 2.0);
  EXPECT_EQ(m->frequency.bucket, "weekly");

  // Lead times 6, 24, 48 (first authored commit c3b, not the later c3a), 2 h; L4 is a bot's.
  // Median of {2, 6, 24, 48} = (6 + 24) / 2 = 15 h.
  EXPECT_EQ(m->bot_only_changes, 1);
  ASSERT_EQ(m->lead_times.size(), 4u);
  EXPECT_DOUBLE_EQ(m->lead_times[2].hours, 48.0);
  EXPECT_DOUBLE_EQ(*m->lead_time_hours_median, 15.0);

  // Failed: d3 (revert), d4 (failed), d7 (incident), d9 (rolled back). Denominator: QPDs
  // {d1 d2 d3 d6 d7} + failed {d3 d4 d7 d9}, each once = 7. CFR = 4/7.
  EXPECT_EQ(m->failed_deployment_count, 4);
  EXPECT_EQ(m->cfr_deployment_count, 7);
  EXPECT_DOUBLE_EQ(*m->change_failure_rate, 4.0 / 7.0);

  // Recovery: d3 revert at day 3 10:00, restored by d5 (ships r1) at 12:00 -> 2 h; d4 failed at
  // day 3 09:00, next landed d5 at 12:00 -> 3 h; d7 incident day 9 11:00 -> resolved day 10 12:00
  // -> 25 h; d9 rollback started 10:30, finished 11:00 -> 0.5 h. Median of {0.5, 2, 3, 25} = 2.5.
  ASSERT_EQ(m->failed_deployments.size(), 4u);
  const FailedDeployment& d7 = m->failed_deployments[2];
  EXPECT_EQ(d7.deployment_id, "d7");
  ASSERT_EQ(d7.signals.size(), 1u);  // the F gate event and caused_by are the same incident
  EXPECT_EQ(d7.signals[0].kind, kSignalIncident);
  EXPECT_EQ(d7.recovery_ms, 25 * kHour);
  EXPECT_EQ(m->failed_deployments[3].recovery_ms, kHour / 2);
  EXPECT_EQ(m->unrecovered_count, 0);
  EXPECT_DOUBLE_EQ(*m->recovery_hours_median, 2.5);

  // Rework: landed, not redeploys, in the period: d1 d2 d3 d5 d6 d7 d9 d10 = 8. Responding: d5
  // (ships the revert r1), d6 (delivers ch4, i1's remediation), d10 (a rollback) -> 3/8.
  EXPECT_EQ(m->rework_denominator, 8);
  EXPECT_THAT(m->rework_deployment_ids, ::testing::ElementsAre("d5", "d6", "d10"));
  EXPECT_DOUBLE_EQ(*m->rework_rate, 3.0 / 8.0);
}

TEST(ComputeDoraTest, OpenIncidentWindowOption) {
  Scenario s = MakeScenario();
  s.input.options.open_window_counts_as_rework = true;
  auto m = ComputeDora(s.nd, s.input);
  ASSERT_TRUE(m.ok());
  // i1 (web) is open [day 9 11:00, day 10 12:00): d9 (day 10 10:00) joins d5 d6 d10 -> 4/8.
  EXPECT_THAT(m->rework_deployment_ids, ::testing::ElementsAre("d5", "d6", "d9", "d10"));
  EXPECT_DOUBLE_EQ(*m->rework_rate, 0.5);
}

TEST(ComputeDoraTest, TeamScope) {
  Scenario s = MakeScenario();
  s.input.scope = {.kind = ScopeKind::kTeam, .id = "core"};
  auto m = ComputeDora(s.nd, s.input);
  ASSERT_TRUE(m.ok());
  // api only. QPDs d1 d2 d3 d6: week 1 days {0, 2}, week 2 day {8} -> median (2 + 1) / 2 = 1.5.
  EXPECT_EQ(m->frequency.deployment_count, 4);
  EXPECT_DOUBLE_EQ(*m->frequency.days_per_week_median, 1.5);
  EXPECT_EQ(m->frequency.bucket, "weekly");
  // Lead {6, 24, 48} -> 24. CFR: failed d3 d4 over {d1 d2 d3 d6 d4} = 2/5.
  EXPECT_DOUBLE_EQ(*m->lead_time_hours_median, 24.0);
  EXPECT_DOUBLE_EQ(*m->change_failure_rate, 0.4);
  // Rework: d1 d2 d3 d5 d6 -> d5 and d6 respond: 2/5.
  EXPECT_DOUBLE_EQ(*m->rework_rate, 0.4);
}

TEST(ComputeDoraTest, ServiceScope) {
  Scenario s = MakeScenario();
  s.input.scope = {.kind = ScopeKind::kService, .id = "web"};
  auto m = ComputeDora(s.nd, s.input);
  ASSERT_TRUE(m.ok());
  // One QPD (d7, week 2): weeks {0, 1} -> median 0.5; half the weeks deployed is not "most";
  // no complete 30-day window in 14 days and a QPD happened: "monthly".
  EXPECT_DOUBLE_EQ(*m->frequency.days_per_week_median, 0.5);
  EXPECT_EQ(m->frequency.bucket, "monthly");
  // Failed d7 and d9 over {d7, d9}: CFR 1. Recovery {25, 0.5} -> 12.75 h.
  EXPECT_DOUBLE_EQ(*m->change_failure_rate, 1.0);
  EXPECT_DOUBLE_EQ(*m->recovery_hours_median, 12.75);
}

TEST(ComputeDoraTest, NothingDeployedLeavesRatesUndefined) {
  Scenario s = MakeScenario();
  s.input.scope = {.kind = ScopeKind::kService, .id = "billing"};
  auto m = ComputeDora(s.nd, s.input);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->frequency.deployment_count, 0);
  EXPECT_DOUBLE_EQ(*m->frequency.days_per_week_median, 0.0);
  EXPECT_EQ(m->frequency.bucket, "none");
  EXPECT_EQ(m->lead_time_hours_median, std::nullopt);
  EXPECT_EQ(m->change_failure_rate, std::nullopt);
  EXPECT_EQ(m->recovery_hours_median, std::nullopt);
  EXPECT_EQ(m->rework_rate, std::nullopt);
}

TEST(ComputeDoraTest, UnrecoveredFailureIsLeftOutOfTheMedian) {
  Scenario s = MakeScenario();
  s.input.incidents[0].resolved_unix_ms = 0;
  s.input.scope = {.kind = ScopeKind::kService, .id = "web"};
  auto m = ComputeDora(s.nd, s.input);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->unrecovered_count, 1);
  EXPECT_DOUBLE_EQ(*m->recovery_hours_median, 0.5);  // only d9's rollback
}

TEST(ComputeDoraTest, RejectsEmptyPeriod) {
  Scenario s = MakeScenario();
  s.input.to_unix_ms = s.input.from_unix_ms;
  auto m = ComputeDora(s.nd, s.input);
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), ::testing::StartsWith("dora: period:"));
}

}  // namespace
}  // namespace goodhart::analytics::dora
