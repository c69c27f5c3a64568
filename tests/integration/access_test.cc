// Access rules through the real binary (issue #5, metrics.md §7): API keys and roles, team
// aggregates only with k = 5 contributors, differencing protection across queries, self-view,
// and the audit log of every person-level read.
//
// The organisation: team "big" (6 people), "mid" (5) and "small" (2), one service each in the
// monorepo acme/mono. Every person ships one reviewed 40-line change in 2026-02, so every
// person is a contributor of their team.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;

constexpr char kAdminKey[] = "ghk_admin-test-key";
constexpr char kAnalystKey[] = "ghk_analyst-test-key";
constexpr char kAliceKey[] = "ghk_alice-test-key";

const std::map<std::string, std::vector<std::string>> kTeams = {
    {"big", {"alice", "bob", "carol", "dan", "eve", "fay"}},
    {"mid", {"gus", "hal", "ivy", "jon", "kim"}},
    {"small", {"lea", "max"}}};

std::string DirectoryYaml() {
  std::string y = "teams:\n";
  for (const auto& [team, people] : kTeams)
    y += fmt::format("  - {{id: {0}, name: {0}}}\n", team);
  y += "people:\n";
  for (const auto& [team, people] : kTeams) {
    for (const auto& p : people)
      y += fmt::format("  - {{id: {0}, team: {1}, emails: [{0}@example.com], github: {0}}}\n", p,
                       team);
  }
  y += "services:\n";
  for (const auto& [team, people] : kTeams) {
    y += fmt::format(
        "  - {{id: {0}-api, team: {0}, repo: acme/mono, paths: [\"services/{0}/**\"], "
        "production_environments: [production]}}\n",
        team);
  }
  return y;
}

// Delivery JSONL: a root commit, one squash-merged PR per person approved by a teammate's
// neighbour, then one deployment per service.
std::string Events() {
  const int64_t t0 = 1'770'000'000'000;  // 2026-02-02
  std::string out;
  auto line = [&](const char* kind, const json& record) {
    out += json{{"kind", kind}, {"record", record}}.dump() + "\n";
  };
  std::string parent = fmt::format("{:040x}", 1);
  line("commit", {{"repo", "acme/mono"}, {"sha", parent}, {"committed_unix_ms", t0 - 86'400'000}});
  int n = 1;
  uint64_t hash = 1;
  for (const auto& [team, people] : kTeams) {
    for (size_t i = 0; i < people.size(); ++i) {
      ++n;
      std::string sha = fmt::format("{:040x}", n * 7919);
      std::vector<uint64_t> hashes;
      for (int l = 0; l < 40; ++l)
        hashes.push_back(hash++);
      int64_t at = t0 + n * 3'600'000;
      line("commit", {{"repo", "acme/mono"},
                      {"sha", sha},
                      {"parents", {parent}},
                      {"author_email", people[i] + "@example.com"},
                      {"authored_unix_ms", at},
                      {"committed_unix_ms", at},
                      {"patch_id", fmt::format("pid-{}", n)},
                      {"meaningful_lines", 40},
                      {"files",
                       {{{"path", fmt::format("services/{}/f{}.go", team, n)},
                         {"added", 40},
                         {"meaningful", 40},
                         {"added_line_hashes", hashes}}}}});
      std::string id = fmt::format("github:acme/mono#{}", n);
      line("change", {{"id", id},
                      {"repo", "acme/mono"},
                      {"number", n},
                      {"author", people[i]},
                      {"state", "merged"},
                      {"merged", true},
                      {"head_sha", sha},
                      {"merge_sha", sha},
                      {"created_unix_ms", at - 86'400'000},
                      {"merged_unix_ms", at}});
      line("review", {{"ref", {{"raw_id", fmt::format("r{}", n)}}},
                      {"change_id", id},
                      {"reviewer", people[(i + 1) % people.size()]},
                      {"state", "approved"},
                      {"commit_sha", sha},
                      {"submitted_unix_ms", at - 600'000}});
      parent = sha;
    }
  }
  for (const auto& [team, people] : kTeams) {
    line("deployment", {{"id", "deploy-" + team},
                        {"service", team + "-api"},
                        {"environment", "production"},
                        {"repo", "acme/mono"},
                        {"commit_sha", parent},
                        {"artifact_digest", "sha256:" + parent},
                        {"status", "success"},
                        {"started_unix_ms", t0 + 200 * 3'600'000},
                        {"finished_unix_ms", t0 + 201 * 3'600'000}});
  }
  return out;
}

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() + "/directory.yaml") << DirectoryYaml();
    std::ofstream(dir_.path() + "/events.jsonl") << Events();
    std::ofstream(config_) << fmt::format(
        "access:\n  api_keys:\n"
        "    - {{name: root, role: admin, key_sha256: \"{}\"}}\n"
        "    - {{name: ana, role: analyst, key_sha256: \"{}\"}}\n"
        "    - {{name: alice-laptop, role: member, person: alice, key_sha256: \"{}\"}}\n",
        Sha256Hex(kAdminKey), Sha256Hex(kAnalystKey), Sha256Hex(kAliceKey));
    for (auto args : std::vector<std::vector<std::string>>{
             {"directory", "import", dir_.path() + "/directory.yaml"},
             {"ingest", dir_.path() + "/events.jsonl"}}) {
      args.insert(args.end(), {"--data", data_, "--config", config_});
      CommandResult r = RunGoodhart(args);
      ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }
  }

  httplib::Result Get(const ServerProcess& server, const std::string& query,
                      const std::string& key) {
    httplib::Headers headers;
    if (!key.empty())
      headers.emplace("Authorization", "Bearer " + key);
    return server.Client()->Get(
        "/api/v1/report?from=2026-02-01&to=2026-02-28&as_of=2026-06-30" + query, headers);
  }

  std::vector<json> Audit() {
    CommandResult r = RunGoodhart({"audit", "--format", "json", "--data", data_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out).get<std::vector<json>>();
  }

  TempDir dir_;
  std::string data_ = dir_.path() + "/data";
  std::string config_ = dir_.path() + "/goodhart.yaml";
};

TEST_F(AccessTest, KeysAreRequiredAndChecked) {
  ServerProcess server(data_, {"--config", config_});
  auto none = Get(server, "", "");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  auto wrong = Get(server, "", "ghk_guess");
  EXPECT_EQ(wrong->status, 401);
  EXPECT_NE(wrong->body.find("access: the API key is not valid"), std::string::npos);
  httplib::Headers x_api_key = {{"X-Api-Key", kAnalystKey}};
  EXPECT_EQ(server.Client()->Get("/api/v1/report?from=2026-02-01&to=2026-02-28", x_api_key)->status,
            200);
  // The directory lists people: admin only.
  httplib::Headers analyst = {{"Authorization", std::string("Bearer ") + kAnalystKey}};
  EXPECT_EQ(server.Client()->Get("/api/v1/directory", analyst)->status, 403);
  httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kAdminKey}};
  EXPECT_EQ(server.Client()->Get("/api/v1/directory", admin)->status, 200);
  std::vector<json> audit = Audit();  // the directory names people: its read is audited
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["action"], "GET /api/v1/directory");
  EXPECT_EQ(audit[0]["subjects"].size(), 13u);
}

TEST_F(AccessTest, AnalystSeesOnlyGroupsOfFiveAndNoIndividual) {
  ServerProcess server(data_, {"--config", config_});
  auto r = Get(server, "", kAnalystKey);
  ASSERT_EQ(r->status, 200) << r->body;
  json report = json::parse(r->body);
  EXPECT_FALSE(report.contains("people"));
  EXPECT_EQ(r->body.find("\"person\""), std::string::npos);
  EXPECT_NEAR(report["org"]["nd"].get<double>(), 13 * 40.0 / 100, 1e-9);  // S_ref fallback 100
  std::map<std::string, json> teams;
  for (const json& t : report["teams"])
    teams[t["team"].get<std::string>()] = t;
  // big (6) is published; small (2) is below k; mid (5) is suppressed with it, or org minus
  // big would be small's two people.
  EXPECT_FALSE(teams["big"].contains("suppressed"));
  EXPECT_NEAR(teams["big"]["nd"].get<double>(), 6 * 0.4, 1e-9);
  EXPECT_TRUE(teams["small"]["suppressed"].get<bool>());
  EXPECT_FALSE(teams["small"].contains("nd"));
  EXPECT_TRUE(teams["mid"]["suppressed"].get<bool>());
  EXPECT_FALSE(teams["mid"].contains("nd"));

  // Asking for people is refused; asking team by team reveals nothing more.
  EXPECT_EQ(Get(server, "&people=true", kAnalystKey)->status, 403);
  for (const char* team : {"small", "mid"}) {
    json one = json::parse(Get(server, fmt::format("&team={}", team), kAnalystKey)->body);
    ASSERT_EQ(one["teams"].size(), 1u);
    EXPECT_TRUE(one["teams"][0]["suppressed"].get<bool>()) << team;
  }
  // Differencing by hand: org minus every published team leaves at least five people hidden.
  double published = 0;
  for (const auto& [id, t] : teams) {
    if (!t.contains("suppressed"))
      published += t["nd"].get<double>();
  }
  EXPECT_NEAR(report["org"]["nd"].get<double>() - published, 7 * 0.4, 1e-9);
  EXPECT_TRUE(Audit().empty());  // aggregates only: nothing person-level was read
}

TEST_F(AccessTest, MemberSeesOwnRowAdminSeesAllAndEveryPersonReadIsAudited) {
  {
    ServerProcess server(data_, {"--config", config_});
    json own = json::parse(Get(server, "&people=true&team=big", kAliceKey)->body);
    EXPECT_FALSE(own.contains("org"));
    EXPECT_FALSE(own.contains("teams"));
    ASSERT_EQ(own["people"].size(), 1u);
    EXPECT_EQ(own["people"][0]["person"], "alice");
    EXPECT_NEAR(own["people"][0]["nd"].get<double>(), 0.4, 1e-9);

    json all = json::parse(Get(server, "&people=true", kAdminKey)->body);
    EXPECT_EQ(all["people"].size(), 13u);
    json aggregates = json::parse(Get(server, "", kAdminKey)->body);
    EXPECT_FALSE(aggregates.contains("people"));
  }
  CommandResult cli =
      RunGoodhart({"report", "--from", "2026-02-01", "--to", "2026-02-28", "--people", "--format",
                   "json", "--data", data_, "--config", config_});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;

  std::vector<json> audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0]["principal"], "alice-laptop");
  EXPECT_EQ(audit[0]["role"], "member");
  EXPECT_EQ(audit[0]["action"], "GET /api/v1/report");
  EXPECT_EQ(audit[0]["subjects"], json::array({"alice"}));
  EXPECT_EQ(audit[1]["principal"], "root");
  EXPECT_EQ(audit[1]["subjects"].size(), 13u);
  EXPECT_EQ(audit[2]["action"], "goodhart report --people");
  EXPECT_EQ(audit[2]["subjects"].size(), 13u);
}

}  // namespace
}  // namespace goodhart::testing
