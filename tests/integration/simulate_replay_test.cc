// The end-to-end check of issue #6: one simulated organisation written as wire formats
// (`goodhart simulate --emit`), fed to the real server on 127.0.0.1 through its receivers
// (`goodhart replay`: the directory, Claude Code's OTLP bodies, signed GitHub webhooks) and
// `goodhart import-git`, then `goodhart detect` for each period and `goodhart report --people`.
// The world is dated January-April 2026, so the server's 30-day prompt-sketch retention deletes its
// sketches at its next pass (every minute, and at start); the test restarts the server after the
// replay so that pass has run before detection, as the in-process outcome runs it.
// What the server computes must equal the in-process outcome of the same world (expected.json:
// the same records appended to a store directly, simulate/emit/in_process.h): ND per team and
// person, the whole report, and every flag.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr char kSketchKey[] = "5eb63bbbe01eeed093cb22bb8f5acdc3a1b2c3d4e5f60718293a4b5c6d7e8f90";
constexpr char kGithubSecret[] = "replay-test-secret";
constexpr char kAdminKey[] = "ghk_replay_admin";

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

json RunJson(const std::vector<std::string>& args) {
  CommandResult r = RunGoodhart(args);
  EXPECT_EQ(r.exit_code, 0) << fmt::format("{}", fmt::join(args, " ")) << "\n" << r.err;
  return r.exit_code == 0 ? json::parse(r.out) : json();
}

json WithoutRunTimes(json flag) {
  for (const char* key : {"created", "review_opens", "status"})
    flag.erase(key);
  return flag;
}

class SimulateReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(config_) << fmt::format(
        "privacy: {{sketch_key: \"{}\"}}\n"
        "store: {{synchronous: normal}}\n"
        "webhooks: {{github_secret: \"{}\"}}\n"
        "access:\n  api_keys:\n    - {{name: replay, role: admin, key_sha256: \"{}\"}}\n",
        kSketchKey, kGithubSecret, Sha256Hex(kAdminKey));
  }
  std::vector<std::string> Local(std::vector<std::string> args) const {
    args.insert(args.end(), {"--data", data_, "--config", config_});
    return args;
  }

  TempDir dir_;
  std::string emit_ = dir_.path() + "/emit";
  std::string data_ = dir_.path() + "/data";
  std::string config_ = dir_.path() + "/goodhart.yaml";
};

TEST_F(SimulateReplayTest, TheServerComputesTheInProcessNdAndFlagsOfTheEmittedWorld) {
  CommandResult emitted =
      RunGoodhart({"simulate", "--emit", emit_, "--teams", "3", "--engineers", "5", "--seed", "7",
                   "--github-secret", kGithubSecret, "--expect", "--sketch-key", kSketchKey});
  ASSERT_EQ(emitted.exit_code, 0) << emitted.err;
  const json manifest = ReadJson(emit_ + "/manifest.json");
  const json expected = ReadJson(emit_ + "/expected.json");
  ASSERT_EQ(manifest["gamers"].size(), 3u);
  ASSERT_EQ(manifest["git"].size(), 6u);

  auto server =
      std::make_unique<ServerProcess>(data_, std::vector<std::string>{"--config", config_});
  std::string url = fmt::format("http://127.0.0.1:{}", server->port());
  json replayed =
      RunJson({"replay", emit_, "--url", url, "--api-key", kAdminKey, "--format", "json"});
  ASSERT_TRUE(replayed.is_object());
  EXPECT_TRUE(replayed["errors"].empty()) << replayed.dump(2);
  const json& sent = replayed["sent"];
  EXPECT_EQ(sent["github"]["requests"], manifest["counts"]["github_deliveries"]);
  EXPECT_EQ(sent["github"]["failed"], 0);
  EXPECT_EQ(sent["otlp_logs"]["requests"], manifest["counts"]["otlp_log_bodies"]);
  EXPECT_EQ(sent["otlp_logs"]["rejected"], 0);
  EXPECT_EQ(sent["otlp_metrics"]["requests"], manifest["counts"]["otlp_metric_bodies"]);
  EXPECT_EQ(sent["otlp_metrics"]["rejected"], 0);
  EXPECT_GT(sent["github"]["stored"].get<int64_t>(), 0);
  EXPECT_EQ(sent["deployments"]["requests"], manifest["counts"]["deployment_requests"]);
  EXPECT_EQ(sent["deployments"]["failed"], 0);

  // Restarted: the retention pass runs at start. Waiting for its result is not a timing threshold.
  server.reset();
  server = std::make_unique<ServerProcess>(data_, std::vector<std::string>{"--config", config_});
  url = fmt::format("http://127.0.0.1:{}", server->port());
  json sketches;
  for (int i = 0; i < 600; ++i) {
    auto status = server->Client()->Get("/api/v1/ingest/status");
    ASSERT_TRUE(status);
    sketches = json::parse(status->body)["store"]["prompt_sketches"];
    if (sketches == expected["prompt_sketches_after_retention"])
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(sketches, expected["prompt_sketches_after_retention"]);

  // The repositories go through import-git while the server runs on the same data directory.
  for (const json& repo : manifest["git"]) {
    json imported =
        RunJson(Local({"import-git", "--repo", emit_ + "/" + repo["path"].get<std::string>(),
                       "--format", "json"}));
    EXPECT_EQ(imported["repo"], repo["name"]);
    EXPECT_EQ(imported["commits"], repo["commits"]);
  }

  // Detection at the end of the baseline and of each test period, in order.
  const json& ends = manifest["calendar"]["detect_period_ends"];
  ASSERT_EQ(ends.size(), expected["detect"].size());
  for (size_t i = 0; i < ends.size(); ++i) {
    json run = RunJson(Local({"detect", "--period-end", ends[i], "--format", "json"}));
    const json& want = expected["detect"][i];
    EXPECT_EQ(run["flags"], want["flags"]) << ends[i];
    EXPECT_EQ(run["shown"], want["shown"]) << ends[i];
    EXPECT_EQ(run["new"], want["new"]) << ends[i];
    EXPECT_EQ(run["suppressed_candidates"], want["suppressed_candidates"]) << ends[i];
  }
  json flags = RunJson(Local({"flags", "list", "--all", "--format", "json"}));
  json stripped = json::array();
  for (const json& f : flags)
    stripped.push_back(WithoutRunTimes(f));
  EXPECT_FALSE(stripped.empty());  // the gamers give the detectors something to find
  EXPECT_EQ(stripped, expected["flags"]);

  const json& calendar = manifest["calendar"];
  const std::vector<std::string> report_args =
      Local({"report", "--from", calendar["report"]["from"], "--to", calendar["report"]["to"],
             "--as-of", calendar["as_of"], "--people", "--format", "json"});
  json report = RunJson(report_args);
  const json& want = expected["report"];
  ASSERT_EQ(report["teams"].size(), want["teams"].size());
  for (size_t i = 0; i < want["teams"].size(); ++i) {
    EXPECT_EQ(report["teams"][i]["team"], want["teams"][i]["team"]);
    EXPECT_EQ(report["teams"][i]["nd"], want["teams"][i]["nd"]) << want["teams"][i]["team"];
  }
  ASSERT_EQ(report["people"].size(), want["people"].size());
  double nd = 0;
  for (size_t i = 0; i < want["people"].size(); ++i) {
    const json& p = want["people"][i];
    EXPECT_EQ(report["people"][i]["person"], p["person"]);
    EXPECT_EQ(report["people"][i]["nd"], p["nd"]) << p["person"];
    EXPECT_EQ(report["people"][i]["nd_star"], p["nd_star"]) << p["person"];
    nd += p["nd"].get<double>();
  }
  EXPECT_GT(nd, 10);        // the world shipped something
  EXPECT_EQ(report, want);  // and everything else: DORA, cost, tokens, AI share, flags per person

  // Every sender retrying: nothing is stored twice, the numbers stay.
  json again = RunJson({"replay", emit_, "--url", url, "--api-key", kAdminKey, "--format", "json"});
  EXPECT_EQ(again["sent"]["github"]["stored"], 0);
  EXPECT_EQ(RunJson(report_args), want);
}

}  // namespace
}  // namespace goodhart::testing
