// The read routes the dashboard adds below the report (docs/dashboard.md), through the real
// binary: who a key is, a team's and a person's delivery evidence shaped for the role, the cost
// view, the Goodhart table from the data directory, and the report's one-person filter.
//
// June 2026 in the monorepo of tests/scenarios: alice, bob (payments), dave and erin (search) each
// merge 6 reviewed changes of 40 lines, each deployed; alice and dave use Claude Code. k = 2, so
// the analyst sees both teams.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/integration/otlp_bodies.h"
#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;

constexpr char kAdminKey[] = "ghk_admin";
constexpr char kAliceKey[] = "ghk_alice";
constexpr char kAnalystKey[] = "ghk_analyst";
constexpr int64_t kDay = 86'400'000, kHour = 3'600'000;
constexpr int64_t kJune1 = 1'780'272'000'000;  // 2026-06-01T00:00Z
constexpr char kPeriod[] = "from=2026-06-01&to=2026-06-28";

std::string Events() {
  std::string out;
  auto line = [&](const char* kind, const json& r) {
    out += json{{"kind", kind}, {"record", r}}.dump() + "\n";
  };
  std::string parent = fmt::format("{:040x}", 1);
  line("commit", {{"repo", "acme/mono"}, {"sha", parent}, {"committed_unix_ms", kJune1 - kDay}});
  int n = 0;
  uint64_t hash = 1;
  for (auto [who, service, reviewer] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"alice", "payments", "bob"},
                                                                      {"bob", "payments", "alice"},
                                                                      {"dave", "search", "erin"},
                                                                      {"erin", "search", "dave"}}) {
    for (int i = 0; i < 6; ++i) {
      ++n;
      std::string sha = fmt::format("{:040x}", 1000 + n);
      int64_t at = kJune1 + n * 12 * kHour;  // in the order of the parent chain
      std::vector<uint64_t> hashes;
      for (int l = 0; l < 40; ++l)
        hashes.push_back(hash++);
      line("commit", {{"repo", "acme/mono"},
                      {"sha", sha},
                      {"parents", {parent}},
                      {"author_email", who + "@example.com"},
                      {"authored_unix_ms", at},
                      {"committed_unix_ms", at},
                      {"patch_id", fmt::format("p{}", n)},
                      {"meaningful_lines", 40},
                      {"files",
                       {{{"path", fmt::format("services/{}/f{}.go", service, n)},
                         {"added", 40},
                         {"meaningful", 40},
                         {"added_line_hashes", hashes}}}}});
      std::string id = fmt::format("github:acme/mono#{}", n);
      line("change", {{"id", id},
                      {"repo", "acme/mono"},
                      {"number", n},
                      {"author", who},
                      {"state", "merged"},
                      {"merged", true},
                      {"head_sha", sha},
                      {"merge_sha", sha},
                      {"created_unix_ms", at - kDay},
                      {"merged_unix_ms", at}});
      line("review", {{"ref", {{"raw_id", fmt::format("r{}", n)}}},
                      {"change_id", id},
                      {"reviewer", reviewer},
                      {"state", "approved"},
                      {"commit_sha", sha},
                      {"submitted_unix_ms", at - kHour}});
      line("deployment", {{"id", fmt::format("d{}", n)},
                          {"service", service + "-api"},
                          {"environment", "production"},
                          {"repo", "acme/mono"},
                          {"commit_sha", sha},
                          {"artifact_digest", "sha256:" + sha},
                          {"pipeline", service + "-prod"},
                          {"pipeline_id", fmt::format("{}-prod/runs/{}", service, n)},
                          {"status", "success"},
                          {"started_unix_ms", at + kHour},
                          {"finished_unix_ms", at + 2 * kHour}});
      parent = sha;
    }
  }
  return out;
}

std::string Usage() {
  std::string out;
  int n = 0;
  for (const char* who : {"alice", "dave"}) {
    for (int d = 0; d < 3; ++d) {
      out += json{{"event_key", fmt::format("u{}", ++n)},
                  {"source", "canonical"},
                  {"kind", "model_call"},
                  {"time", fmt::format("2026-06-0{}T10:00:00.000Z", d + 2)},
                  {"actor", std::string(who) + "@example.com"},
                  {"actor_kind", "email"},
                  {"session_id", fmt::format("s{}", n)},
                  {"tool", "claude-code"},
                  {"provider", "anthropic"},
                  {"model", "claude-sonnet-4-5"},
                  {"tokens", {{"input_uncached", 100000}, {"output", 5000}}},
                  {"request_count", 1},
                  {"reported_cost_micros", 2'000'000}}
                 .dump() +
             "\n";
    }
  }
  return out;
}

class DashboardApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() + "/events.jsonl") << Events();
    std::ofstream(dir_.path() + "/usage.jsonl") << Usage();
    std::ofstream(config_) << fmt::format(
        "access:\n  min_group_size: 2\n  api_keys:\n"
        "    - {{name: reviewer, role: admin, key_sha256: \"{}\"}}\n"
        "    - {{name: alice-laptop, role: member, person: alice, key_sha256: \"{}\"}}\n"
        "    - {{name: ana, role: analyst, key_sha256: \"{}\"}}\n",
        Sha256Hex(kAdminKey), Sha256Hex(kAliceKey), Sha256Hex(kAnalystKey));
    for (auto args : std::vector<std::vector<std::string>>{
             {"directory", "import", std::string(GOODHART_SCENARIOS_DIR) + "/directory.yaml"},
             {"ingest", dir_.path() + "/events.jsonl", dir_.path() + "/usage.jsonl"}}) {
      args.insert(args.end(), {"--data", data_, "--config", config_});
      CommandResult r = RunGoodhart(args);
      ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }
    server_ = std::make_unique<ServerProcess>(data_, std::vector<std::string>{"--config", config_});
    client_ = server_->Client();
  }

  // The answer's status and JSON body.
  std::pair<int, json> Get(const std::string& path, const char* key) {
    auto res = client_->Get(path, {{"Authorization", std::string("Bearer ") + key}});
    EXPECT_TRUE(res) << path;
    return {res->status, json::parse(res->body)};
  }

  std::vector<std::string> AuditedSubjects() {
    CommandResult audit = RunGoodhart({"audit", "--format", "json", "--data", data_});
    std::vector<std::string> subjects;
    for (const json& r : json::parse(audit.out)) {
      for (const json& s : r["subjects"])
        subjects.push_back(s);
    }
    return subjects;
  }

  TempDir dir_;
  std::string data_ = dir_.path() + "/data";
  std::string config_ = dir_.path() + "/goodhart.yaml";
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DashboardApiTest, WhoamiNamesTheRoleAndAMembersPerson) {
  auto [admin_status, admin] = Get("/api/v1/whoami", kAdminKey);
  EXPECT_EQ(admin_status, 200);
  EXPECT_EQ(admin, (json{{"principal", "reviewer"},
                         {"role", "admin"},
                         {"person", nullptr},
                         {"min_group_size", 2}}));
  EXPECT_EQ(Get("/api/v1/whoami", kAliceKey).second["person"], "alice");
  EXPECT_EQ(Get("/api/v1/whoami", "ghk_nobody").first, 401);
}

TEST_F(DashboardApiTest, TeamDeliveryShowsTheEvidenceAndHidesPeopleFromTheAnalyst) {
  auto [status, admin] = Get(fmt::format("/api/v1/teams/payments/delivery?{}", kPeriod), kAdminKey);
  ASSERT_EQ(status, 200) << admin;
  ASSERT_EQ(admin["changes"].size(), 12u);
  ASSERT_EQ(admin["services"].size(), 1u);
  EXPECT_EQ(admin["services"][0]["service"], "payments-api");
  EXPECT_EQ(admin["services"][0]["changes"], 12);
  EXPECT_EQ(admin["services"][0]["qualifying_deployments"], 12);
  EXPECT_EQ(admin["deployments"].size(), 12u);
  // The team's ND is the report's, change by change.
  auto [report_status, report] =
      Get(fmt::format("/api/v1/report?{}&team=payments", kPeriod), kAdminKey);
  ASSERT_EQ(report_status, 200);
  double nd = 0;
  std::set<std::string> owners;
  for (const json& c : admin["changes"]) {
    nd += c["scope_nd"].get<double>();
    owners.insert(c["owner"].get<std::string>());
    EXPECT_EQ(c["review"]["value"], 1);
    EXPECT_NEAR(c["credit"]["g"].get<double>(), 0.4, 1e-9);  // 40 of S_ref 100 lines
  }
  EXPECT_NEAR(nd, report["teams"][0]["nd"].get<double>(), 1e-9);
  EXPECT_EQ(owners, (std::set<std::string>{"alice", "bob"}));
  std::vector<std::string> audited = AuditedSubjects();
  EXPECT_EQ(std::set<std::string>(audited.begin(), audited.end()),
            (std::set<std::string>{"alice", "bob"}));

  auto [analyst_status, analyst] =
      Get(fmt::format("/api/v1/teams/payments/delivery?{}", kPeriod), kAnalystKey);
  ASSERT_EQ(analyst_status, 200);
  ASSERT_EQ(analyst["changes"].size(), 12u);
  for (const json& c : analyst["changes"]) {
    EXPECT_EQ(c["owner"], "");
    EXPECT_EQ(c["parts"][0]["author"], "");
    EXPECT_EQ(c["shares"][0]["person_id"], "");
    EXPECT_EQ(c["review"]["approvals"][0]["reviewer"], "");
  }
  EXPECT_EQ(analyst.dump().find("alice"), std::string::npos);

  EXPECT_EQ(Get(fmt::format("/api/v1/teams/payments/delivery?{}", kPeriod), kAliceKey).first, 403);
  EXPECT_EQ(Get(fmt::format("/api/v1/teams/nope/delivery?{}", kPeriod), kAdminKey).first, 404);
  EXPECT_EQ(Get("/api/v1/teams/payments/delivery?from=2026-06-01", kAdminKey).first, 400);
}

TEST_F(DashboardApiTest, PersonDeliveryIsForTheAdminAndThePersonOnly) {
  auto [status, own] = Get(fmt::format("/api/v1/people/alice/delivery?{}", kPeriod), kAliceKey);
  ASSERT_EQ(status, 200) << own;
  ASSERT_EQ(own["changes"].size(), 6u);
  for (const json& c : own["changes"]) {
    EXPECT_EQ(c["owner"], "alice");
    EXPECT_EQ(c["scope_share"], 1.0);
    EXPECT_EQ(c["review"]["approvals"][0]["reviewer"], "");  // bob, not hers to see
  }
  EXPECT_EQ(own.dump().find("bob"), std::string::npos);
  auto [denied_status, denied] =
      Get(fmt::format("/api/v1/people/bob/delivery?{}", kPeriod), kAliceKey);
  EXPECT_EQ(denied_status, 403);
  EXPECT_EQ(denied["error"]["code"], "PERMISSION_DENIED");
  EXPECT_EQ(Get(fmt::format("/api/v1/people/bob/delivery?{}", kPeriod), kAnalystKey).first, 403);
  EXPECT_EQ(Get(fmt::format("/api/v1/people/bob/delivery?{}", kPeriod), kAdminKey).first, 200);
  EXPECT_EQ(Get(fmt::format("/api/v1/people/zed/delivery?{}", kPeriod), kAdminKey).first, 404);
  EXPECT_EQ(AuditedSubjects(), (std::vector<std::string>{"alice", "bob"}));
}

TEST_F(DashboardApiTest, CostsMatchTheReportAndFoldSmallGroupsForTheAnalyst) {
  auto [status, costs] = Get(fmt::format("/api/v1/costs?{}", kPeriod), kAdminKey);
  ASSERT_EQ(status, 200) << costs;
  auto report = Get(fmt::format("/api/v1/report?{}", kPeriod), kAdminKey).second;
  EXPECT_NEAR(costs["total"]["cost_usd"].get<double>(), report["org"]["cost_usd"].get<double>(),
              1e-9);
  EXPECT_NEAR(costs["total"]["cost_usd"].get<double>(), 12.0, 1e-9);
  ASSERT_EQ(costs["by_tool"].size(), 1u);
  EXPECT_EQ(costs["by_tool"][0]["tool"], "claude-code");
  EXPECT_EQ(costs["by_tool"][0]["people"], 2);
  EXPECT_NEAR(costs["by_tool"][0]["reported_cost_usd"].get<double>(), 12.0, 1e-9);
  ASSERT_EQ(costs["by_team"].size(), 2u);  // by team id
  EXPECT_EQ(costs["by_team"][0]["team"], "payments");
  EXPECT_NEAR(costs["by_team"][0]["cost_usd"].get<double>(), 6.0, 1e-9);
  EXPECT_EQ(costs["waste"]["flags"], 0);

  EXPECT_EQ(Get(fmt::format("/api/v1/costs?{}", kPeriod), kAliceKey).first, 403);
  auto analyst = Get(fmt::format("/api/v1/costs?{}", kPeriod), kAnalystKey).second;
  EXPECT_EQ(analyst["by_tool"].size(), 1u);  // 2 people >= k = 2
  EXPECT_NEAR(analyst["total"]["cost_usd"].get<double>(), 12.0, 1e-9);
}

// The read routes answer from a cache (api/read_cache.h): an answer says its age, and a request
// with Cache-Control: no-cache sees telemetry that arrived after the cached answer.
TEST_F(DashboardApiTest, CachedAnswersSayTheirAgeAndNoCacheSeesNewTelemetry) {
  const std::string october = "/api/v1/costs?from=2026-10-01&to=2026-10-31";
  auto before = client_->Get(october, {{"Authorization", std::string("Bearer ") + kAdminKey}});
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200) << before->body;
  ASSERT_TRUE(before->has_header("Age"));
  EXPECT_LE(std::stoi(before->get_header_value("Age")), 1);
  EXPECT_EQ(json::parse(before->body)["total"]["tokens"], 0);

  // Ten Claude Code api_request records of 2026-10-08 arrive over OTLP.
  auto posted =
      client_->Post("/v1/logs", ClaudeCodeApiRequestLogs({.count = 10}), "application/json");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;

  auto fresh = client_->Get(october, {{"Authorization", std::string("Bearer ") + kAdminKey},
                                      {"Cache-Control", "no-cache"}});
  ASSERT_TRUE(fresh);
  ASSERT_EQ(fresh->status, 200) << fresh->body;
  json costs = json::parse(fresh->body);
  EXPECT_GT(costs["total"]["tokens"].get<int64_t>(), 0);
  EXPECT_EQ(costs["total"]["people"], 10);  // ten users, none in the directory
  EXPECT_EQ(fresh->get_header_value("Age"), "0");
  // The analyst's answer is its own, never the admin's: nobody of the directory contributed.
  auto analyst = Get(october, kAnalystKey).second;
  EXPECT_EQ(analyst["suppressed"], true) << analyst;
  EXPECT_FALSE(analyst.contains("total"));
}

TEST_F(DashboardApiTest, GoodhartTableIsTheFileInTheDataDirectory) {
  auto [absent_status, absent] = Get("/api/v1/goodhart-table", kAliceKey);
  EXPECT_EQ(absent_status, 404);
  EXPECT_EQ(absent["error"]["code"], "NOT_FOUND");
  json table = {{"command", "goodhart simulate --format json"},
                {"pass", false},
                {"seeds", json::array()},
                {"criteria", json::array()}};
  std::ofstream(data_ + "/goodhart-table.json") << table.dump(2);
  auto [status, served] = Get("/api/v1/goodhart-table", kAliceKey);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(served, table);
  std::ofstream(data_ + "/goodhart-table.json") << "{not json";
  EXPECT_EQ(client_->Get("/api/v1/goodhart-table", {{"X-Api-Key", kAdminKey}})->status, 500);
}

TEST_F(DashboardApiTest, ReportPersonFilterKeepsAndAuditsOneRow) {
  auto [status, report] =
      Get(fmt::format("/api/v1/report?{}&people=true&person=bob", kPeriod), kAdminKey);
  ASSERT_EQ(status, 200);
  ASSERT_EQ(report["people"].size(), 1u);
  EXPECT_EQ(report["people"][0]["person"], "bob");
  EXPECT_EQ(report["people"][0]["changes"], 6);
  EXPECT_EQ(AuditedSubjects(), (std::vector<std::string>{"bob"}));
  // A member asking for someone else gets no row at all.
  auto own = Get(fmt::format("/api/v1/report?{}&people=true&person=bob", kPeriod), kAliceKey);
  EXPECT_TRUE(own.second["people"].empty());
}

}  // namespace
}  // namespace goodhart::testing
