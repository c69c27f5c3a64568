// The review workflow through the real binary (issue #5): `goodhart detect` over delivery events,
// alerts posted once to a webhook, and the flags over HTTP with the subject seeing a flag first,
// the reviewer afterwards, dispositions, and every person-level read in the audit log.
//
// June 2026 in the monorepo of tests/scenarios: alice merges 12 changes without any approval
// (review bypass, D9a), bob, dave and erin 12 reviewed changes each (the honest look-alikes), and
// the payments-prod pipeline redeploys the running artifact 12 times (no-op deployments, D6).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;

constexpr char kAdminKey[] = "ghk_reviewer";
constexpr char kAliceKey[] = "ghk_alice";
constexpr char kAnalystKey[] = "ghk_analyst";
constexpr int64_t kDay = 86'400'000, kHour = 3'600'000;
constexpr int64_t kJune1 = 1'780'272'000'000;  // 2026-06-01T00:00Z, a Monday

std::string Events() {
  std::string out;
  auto line = [&](const char* kind, const json& r) {
    out += json{{"kind", kind}, {"record", r}}.dump() + "\n";
  };
  std::string parent = fmt::format("{:040x}", 1);
  line("commit",
       {{"repo", "acme/mono"}, {"sha", parent}, {"committed_unix_ms", kJune1 - 40 * kDay}});
  int n = 0;
  uint64_t hash = 1;
  for (auto [who, reviewed] : std::vector<std::pair<std::string, bool>>{
           {"alice", false}, {"bob", true}, {"dave", true}, {"erin", true}}) {
    for (int i = 0; i < 12; ++i) {
      ++n;
      std::string sha = fmt::format("{:040x}", 1000 + n);
      // Every 12 hours, in the order of the commit chain, so each deployment ships its own
      // change and none ships a change before it is deployed.
      int64_t at = kJune1 + n * 12 * kHour;
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
                       {{{"path", fmt::format("services/payments/f{}.go", n)},
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
      if (reviewed) {
        line("review", {{"ref", {{"raw_id", fmt::format("r{}", n)}}},
                        {"change_id", id},
                        {"reviewer", "carol"},
                        {"state", "approved"},
                        {"commit_sha", sha},
                        {"submitted_unix_ms", at - kHour}});
      }
      line("deployment", {{"id", fmt::format("d{}", n)},
                          {"service", "payments-api"},
                          {"environment", "production"},
                          {"repo", "acme/mono"},
                          {"commit_sha", sha},
                          {"artifact_digest", "sha256:" + sha},
                          {"pipeline", "payments-prod"},
                          {"pipeline_id", fmt::format("payments-prod/runs/{}", n)},
                          {"status", "success"},
                          {"started_unix_ms", at + kHour},
                          {"finished_unix_ms", at + 2 * kHour}});
      parent = sha;
    }
  }
  for (int i = 0; i < 12; ++i) {  // the running artifact, redeployed: 2 h apart, past fan-out
    line("deployment", {{"id", fmt::format("re{}", i)},
                        {"service", "payments-api"},
                        {"environment", "production"},
                        {"repo", "acme/mono"},
                        {"commit_sha", parent},
                        {"artifact_digest", "sha256:" + parent},
                        {"pipeline", "payments-prod"},
                        {"pipeline_id", fmt::format("payments-prod/runs/re{}", i)},
                        {"status", "success"},
                        {"started_unix_ms", kJune1 + 25 * kDay + 2 * i * kHour},
                        {"finished_unix_ms", kJune1 + 25 * kDay + 2 * i * kHour + 600'000}});
  }
  return out;
}

// A Slack-like incoming webhook on 127.0.0.1.
class Webhook {
 public:
  Webhook() {
    server_.Post("/alerts", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      bodies_.push_back(req.body);
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Webhook() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return fmt::format("http://127.0.0.1:{}/alerts", port_); }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<std::string> bodies_;
};

class FlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() + "/events.jsonl") << Events();
    std::ofstream(config_) << fmt::format(
        "alerts: {{webhook_url: \"{}\"}}\n"
        "access:\n  api_keys:\n"
        "    - {{name: reviewer, role: admin, key_sha256: \"{}\"}}\n"
        "    - {{name: alice, role: member, person: alice, key_sha256: \"{}\"}}\n"
        "    - {{name: ana, role: analyst, key_sha256: \"{}\"}}\n",
        webhook_.url(), Sha256Hex(kAdminKey), Sha256Hex(kAliceKey), Sha256Hex(kAnalystKey));
    for (auto args : std::vector<std::vector<std::string>>{
             {"directory", "import", std::string(GOODHART_SCENARIOS_DIR) + "/directory.yaml"},
             {"ingest", dir_.path() + "/events.jsonl"}}) {
      args.insert(args.end(), {"--data", data_, "--config", config_});
      CommandResult r = RunGoodhart(args);
      ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }
  }

  json Detect() {
    CommandResult r = RunGoodhart({"detect", "--period-end", "2026-06-29", "--format", "json",
                                   "--data", data_, "--config", config_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  static httplib::Headers Key(const char* key) {
    return {{"Authorization", std::string("Bearer ") + key}};
  }

  Webhook webhook_;
  TempDir dir_;
  std::string data_ = dir_.path() + "/data";
  std::string config_ = dir_.path() + "/goodhart.yaml";
};

TEST_F(FlagsTest, DetectRaisesTheGamedAndSparesTheHonestAndAlertsOnce) {
  json run = Detect();
  EXPECT_EQ(run["flags"], 2);
  // D10's own baseline: the quarter before the one the period (2026-06-01 to 06-29) starts in.
  EXPECT_EQ(run["own_baseline"]["from"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(run["own_baseline"]["to"], "2026-04-01T00:00:00.000Z");
  EXPECT_EQ(run["new"].size(), 2u);
  EXPECT_EQ(run["alerts_queued"], 2);
  EXPECT_EQ(run["alerts_sent"], 2);
  CommandResult listed =
      RunGoodhart({"flags", "list", "--all", "--format", "json", "--data", data_});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  json flags = json::parse(listed.out);
  ASSERT_EQ(flags.size(), 2u);
  std::set<std::string> subjects;
  for (const json& f : flags) {
    subjects.insert(f["detector_id"].get<std::string>() + ":" +
                    f["subject"]["id"].get<std::string>());
    if (f["detector_id"] == "D6") {  // the 12 redeploys, each its own run of the pipeline
      EXPECT_EQ(f["score"], 12);
      EXPECT_NE(f["explanation"].get<std::string>().find(
                    "ran 60 deployments from 2026-06-01 to 2026-06-28; 12 re-deployed"),
                std::string::npos)
          << f["explanation"];
    }
  }
  EXPECT_EQ(subjects, (std::set<std::string>{"D6:payments-prod", "D9a:alice"}));

  // A second run finds the same flags: nothing new, no alert posted twice.
  json again = Detect();
  EXPECT_TRUE(again["new"].empty());
  EXPECT_EQ(again["alerts_queued"], 0);
  std::vector<std::string> posted = webhook_.bodies();
  ASSERT_EQ(posted.size(), 2u);
  for (const std::string& body : posted) {
    EXPECT_EQ(body.find("alice"), std::string::npos) << body;  // the subject is told first
    EXPECT_TRUE(json::parse(body).contains("text"));
  }
}

TEST_F(FlagsTest, SubjectFirstThenReviewerOverHttp) {
  Detect();
  ServerProcess server(data_, {"--config", config_});
  auto client = server.Client();

  // Alice sees her flag at once, with its explanation and evidence.
  auto own = client->Get("/api/v1/flags", Key(kAliceKey));
  ASSERT_EQ(own->status, 200) << own->body;
  json alice_flags = json::parse(own->body)["flags"];
  ASSERT_EQ(alice_flags.size(), 1u);
  const json& flag = alice_flags[0];
  std::string id = flag["id"];
  EXPECT_EQ(flag["detector_id"], "D9a");
  EXPECT_EQ(flag["status"], "awaiting_subject");
  EXPECT_NE(flag["explanation"].get<std::string>().find("12 of your 12 changes"),
            std::string::npos);
  EXPECT_FALSE(flag["evidence"].empty());

  // The reviewer does not see it yet, nor can decide on it; the analyst never sees person flags.
  json admin_flags = json::parse(client->Get("/api/v1/flags", Key(kAdminKey))->body)["flags"];
  ASSERT_EQ(admin_flags.size(), 1u);
  EXPECT_EQ(admin_flags[0]["detector_id"], "D6");
  std::string pipeline_id = admin_flags[0]["id"];
  json decision = {{"disposition", "confirmed_gaming"}, {"note", "bypassed branch protection"}};
  EXPECT_EQ(client
                ->Post("/api/v1/flags/" + id + "/disposition", Key(kAdminKey), decision.dump(),
                       "application/json")
                ->status,
            404);
  json analyst = json::parse(client->Get("/api/v1/flags", Key(kAnalystKey))->body)["flags"];
  ASSERT_EQ(analyst.size(), 1u);
  EXPECT_EQ(analyst[0]["detector_id"], "D6");
  EXPECT_EQ(client->Get("/api/v1/flags/" + id, Key(kAnalystKey))->status, 404);
  EXPECT_EQ(client->Get("/api/v1/flags/" + pipeline_id, Key(kAliceKey))->status, 404);
  EXPECT_EQ(client
                ->Post("/api/v1/flags/" + id + "/disposition", Key(kAliceKey), decision.dump(),
                       "application/json")
                ->status,
            403);

  // Alice answers; the review opens; the reviewer decides.
  auto answered =
      client->Post("/api/v1/flags/" + id + "/annotation", Key(kAliceKey),
                   R"({"note": "hotfixes during the June incident"})", "application/json");
  ASSERT_EQ(answered->status, 201) << answered->body;
  EXPECT_EQ(json::parse(answered->body)["status"], "open");
  EXPECT_EQ(json::parse(client->Get("/api/v1/flags", Key(kAdminKey))->body)["flags"].size(), 2u);
  EXPECT_EQ(client
                ->Post("/api/v1/flags/" + id + "/disposition", Key(kAdminKey),
                       R"({"disposition": "fraud", "note": "x"})", "application/json")
                ->status,
            400);
  auto decided = client->Post("/api/v1/flags/" + id + "/disposition", Key(kAdminKey),
                              decision.dump(), "application/json");
  ASSERT_EQ(decided->status, 200) << decided->body;
  json resolved = json::parse(decided->body);
  EXPECT_EQ(resolved["status"], "resolved");
  EXPECT_EQ(resolved["disposition"], "confirmed_gaming");
  EXPECT_EQ(resolved["notes"].size(), 2u);

  // Alice's report row lists the flag; ND* equals ND because ND already gave the bypassed
  // changes nothing (R = 0).
  json report = json::parse(
      client->Get("/api/v1/report?from=2026-06-01&to=2026-06-28&people=true", Key(kAliceKey))
          ->body);
  ASSERT_EQ(report["people"].size(), 1u);
  EXPECT_EQ(report["people"][0]["flags"][0]["id"], id);
  EXPECT_EQ(report["people"][0]["nd_star"], report["people"][0]["nd"]);

  CommandResult audit = RunGoodhart({"audit", "--format", "json", "--data", data_});
  json reads = json::parse(audit.out);
  int alice_reads = 0;
  for (const json& r : reads) {
    if (r["subjects"] == json::array({"alice"}))
      ++alice_reads;
  }
  // Alice's list, her annotation's answer, the reviewer's list once review opened, the decision's
  // answer, Alice's report row.
  EXPECT_EQ(alice_reads, 5);
}

// D5's loop signal end to end: Claude Code's OTLP logs for carol's three agent sessions, each
// rerunning the same failing Bash step six times, go through the OTLP decoder into the store,
// which keeps only the steps' fingerprints, and `goodhart detect` raises D5 with the loop as
// evidence.
TEST_F(FlagsTest, AgentToolLoopsFromOtlpRaiseD5) {
  json records = json::array();
  auto attr = [](const char* key, const json& value) {
    return json{{"key", key}, {"value", value}};
  };
  int sequence = 0;
  for (int day : {3, 5, 8}) {
    std::string session = fmt::format("carol-loop-{}", day);
    int64_t start = kJune1 + day * kDay + 10 * kHour;
    auto record = [&](int64_t at, const char* name, json attrs) {
      attrs.push_back(attr("session.id", {{"stringValue", session}}));
      attrs.push_back(attr("user.email", {{"stringValue", "carol@example.com"}}));
      attrs.push_back(attr("event.sequence", {{"intValue", ++sequence}}));
      records.push_back({{"timeUnixNano", std::to_string(at * 1'000'000)},
                         {"body", {{"stringValue", std::string("claude_code.") + name}}},
                         {"attributes", attrs}});
    };
    record(
        start, "api_request",
        {attr("request_id", {{"stringValue", session + "-req"}}),
         attr("model", {{"stringValue", "claude-sonnet-4-5"}}),
         attr("input_tokens", {{"intValue", 2'000'000}}),
         attr("output_tokens", {{"intValue", 20'000}}), attr("cost_usd", {{"doubleValue", 30.0}})});
    for (int i = 1; i <= 6; ++i) {
      record(start + i * 60'000, "tool_result",
             {attr("tool_name", {{"stringValue", "Bash"}}),
              attr("success", {{"stringValue", "false"}}),
              attr("error_type", {{"stringValue", "exit_code"}}),
              attr("tool_input_size_bytes", {{"intValue", "24"}}),
              attr("tool_result_size_bytes", {{"intValue", "1830"}})});
    }
  }
  json body = {
      {"resourceLogs",
       {{{"resource", {{"attributes", {attr("service.name", {{"stringValue", "claude-code"}})}}}},
         {"scopeLogs",
          {{{"scope", {{"name", "com.anthropic.claude_code.events"}}},
            {"logRecords", records}}}}}}}};
  // Through `goodhart ingest` (the same OTLP decoder as /v1/logs): a server started here would
  // run its retention pass and rightly purge June's tool steps, 30 days after them.
  std::ofstream(dir_.path() + "/otlp-logs.json") << body.dump();
  CommandResult ingested = RunGoodhart(
      {"ingest", dir_.path() + "/otlp-logs.json", "--data", data_, "--config", config_});
  ASSERT_EQ(ingested.exit_code, 0) << ingested.out << ingested.err;
  json run = Detect();
  CommandResult shown = RunGoodhart(
      {"flags", "list", "--all", "--format", "json", "--data", data_, "--config", config_});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const json* d5 = nullptr;
  json flags = json::parse(shown.out);
  for (const json& f : flags)
    if (f["detector_id"] == "D5")
      d5 = &f;
  ASSERT_NE(d5, nullptr) << run.dump(1);
  EXPECT_EQ((*d5)["subject"]["id"], "carol");
  std::string explanation = (*d5)["explanation"];
  EXPECT_NE(explanation.find("3 of your agent sessions from 2026-06-01 to 2026-06-28 looped on a "
                             "tool"),
            std::string::npos)
      << explanation;
  EXPECT_NE(explanation.find("repeated the same Bash step (same arguments, same result) 6 times "
                             "in a row over 5 min"),
            std::string::npos)
      << explanation;
  EXPECT_EQ((*d5)["evidence"].size(), 3u);
}

}  // namespace
}  // namespace goodhart::testing
