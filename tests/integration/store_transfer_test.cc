// Moving a store between backends through the real binary (issue #8): an embedded store filled by
// every path goodhart has (directory versions, delivery and usage files, import-git, OTLP, the
// deployments and incidents APIs) is exported with `goodhart store export --out`, imported into
// ClickHouse twice, exported again and imported into a fresh embedded store twice. The report,
// the store's counts, the stdout exports and the export directories must be identical across the
// three stores, and every repeated import must store nothing. Flags with a subject's note and a
// reviewer's disposition move too.
//
// The ClickHouse server is the one of the store's ctest fixture (or GOODHART_TEST_CLICKHOUSE_URL,
// or one this binary starts); without clickhouse-server the test skips, saying why.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "goodhart/review/flag_store.h"
#include "goodhart/store/clickhouse/testing/clickhouse_test_env.h"
#include "tests/integration/otlp_bodies.h"
#include "tests/integration/server_process.h"

GOODHART_CLICKHOUSE_TEST_ENVIRONMENT();

namespace goodhart::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kScenarios = GOODHART_SCENARIOS_DIR;
const fs::path kWebhookTestdata = GOODHART_WEBHOOK_TESTDATA_DIR;

constexpr int64_t kJan6 = 1767693600000;  // 2026-01-06T10:00:00Z

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `goodhart <args> <store>` that must succeed; returns stdout.
std::string Goodhart(std::vector<std::string> args, const std::vector<std::string>& store) {
  args.insert(args.end(), store.begin(), store.end());
  CommandResult r = RunGoodhart(args);
  EXPECT_EQ(r.exit_code, 0) << fmt::format("goodhart {}: {}", fmt::join(args, " "), r.err);
  return r.out;
}

void Git(const std::string& repo, const std::string& args) {
  std::string cmd = fmt::format(
      "git -C '{}' -c user.name=Alice -c user.email=alice@example.com {} >/dev/null 2>&1", repo,
      args);
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// What must not change when the data moves: the report of the period with people, the counts,
// both stdout exports and the directory versions.
struct Snapshot {
  json report, stats, flags;
  std::string usage, delivery, directory_versions;
};

Snapshot Take(const std::vector<std::string>& store) {
  Snapshot s;
  std::string report = Goodhart({"report", "--from", "2026-01-01", "--to", "2026-03-31", "--as-of",
                                 "2026-07-01T00:00:00Z", "--people", "--format", "json"},
                                store);
  s.report = json::parse(report.empty() ? "null" : report);
  std::string stats = Goodhart({"store", "stats"}, store);
  s.stats = json::parse(stats.empty() ? "null" : stats);
  if (s.stats.is_object()) {
    s.stats.erase("bytes_on_disk");   // a property of the backend
    s.stats.erase("schema_version");  // likewise
  }
  s.usage = Goodhart({"store", "export"}, store);
  s.delivery = Goodhart({"store", "export", "--delivery"}, store);
  s.directory_versions = Goodhart({"directory", "versions"}, store);
  std::string flags = Goodhart({"flags", "list", "--all", "--format", "json"}, store);
  s.flags = json::parse(flags.empty() ? "null" : flags);
  return s;
}

void ExpectSame(const Snapshot& want, const Snapshot& got, const std::string& what) {
  EXPECT_EQ(got.report, want.report) << what;
  EXPECT_EQ(got.stats, want.stats) << what;
  EXPECT_TRUE(got.usage == want.usage) << what << ": store export differs";
  EXPECT_TRUE(got.delivery == want.delivery) << what << ": store export --delivery differs";
  EXPECT_EQ(got.directory_versions, want.directory_versions) << what;
  EXPECT_EQ(got.flags, want.flags) << what;
}

// `goodhart store import PATH --format json` into `store`.
json Import(const std::string& path, const std::vector<std::string>& store) {
  std::string out = Goodhart({"store", "import", path, "--format", "json"}, store);
  return json::parse(out.empty() ? "null" : out);
}

// Every part of an import of `manifest`'s export: all new, or (again) all duplicates.
void ExpectImported(const json& imported, const json& manifest, bool again) {
  const std::pair<const char*, const char*> parts[] = {
      {"directory.jsonl", "directory_versions"}, {"usage.jsonl", "usage_events"},
      {"delivery.jsonl", "delivery_records"},    {"raw_deliveries.jsonl", "raw_deliveries"},
      {"git_heads.jsonl", "git_heads"},          {"review.jsonl", "flags"}};
  for (const auto& [file, part] : parts) {
    int64_t records = manifest["files"][file]["records"].get<int64_t>();
    EXPECT_GT(records, 0) << file;
    EXPECT_EQ(imported[part]["stored"], again ? 0 : records) << part << " " << imported.dump();
    EXPECT_EQ(imported[part]["duplicates"], again ? records : 0) << part << " " << imported.dump();
  }
}

class StoreTransferTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::vector<std::string> embedded_ = {"--data", dir_.path() + "/embedded"};
  std::vector<std::string> again_ = {"--data", dir_.path() + "/embedded-again"};

  std::vector<std::string> ClickHouse() {
    std::string config = dir_.path() + "/clickhouse.yaml";
    std::ofstream(config) << fmt::format("store: {{kind: clickhouse, url: \"{}\", database: {}}}\n",
                                         store::testing::ClickHouseTestUrl(),
                                         store::testing::ClickHouseTestDatabase(dir_.path()));
    return {"--config", config, "--data", dir_.path() + "/clickhouse-data"};
  }

  // Fills the embedded store through every path that writes to a store.
  void Fill() {
    std::string v1 = ReadFile(kScenarios / "directory.yaml");
    std::ofstream(dir_.path() + "/directory-v1.yaml") << v1;
    std::ofstream(dir_.path() + "/directory-v2.yaml") << "# second version\n" << v1;
    Goodhart({"directory", "import", dir_.path() + "/directory-v1.yaml"}, embedded_);
    Goodhart({"directory", "import", dir_.path() + "/directory-v2.yaml"}, embedded_);
    for (const char* scenario : {"deploy-splitting", "monorepo-two-services", "incident-failure"}) {
      for (const char* file : {"events.jsonl", "usage.jsonl"}) {
        if (fs::exists(kScenarios / scenario / file))
          Goodhart({"ingest", (kScenarios / scenario / file).string()}, embedded_);
      }
    }
    std::string repo = dir_.path() + "/repo";
    fs::create_directories(repo + "/src");
    Git(repo, "init -q -b main");
    std::ofstream(repo + "/src/a.cc") << "int a() {\n  return 1;\n}\n";
    Git(repo, "add -A");
    Git(repo, "commit -q -m 'Add a' --date=2026-02-02T10:00:00Z");
    std::ofstream(repo + "/src/b.cc") << "int b() {\n  return 2;\n}\n";
    Git(repo, "add -A");
    Git(repo, "commit -q -m 'Add b' -m 'Co-authored-by: Claude <noreply@anthropic.com>'");
    Git(repo, "tag v1.0");
    Goodhart({"import-git", "--repo", repo, "--name", "acme/demo"}, embedded_);

    ServerProcess server(embedded_[1]);
    auto client = server.Client();
    for (int day = 0; day < 5; ++day) {
      std::string body = ClaudeCodeApiRequestLogs({.first_request = day * 120,
                                                   .count = 120,
                                                   .start_unix_ms = kJan6 + day * 86'400'000,
                                                   .users = 4,
                                                   .models = 2});
      auto res = client->Post("/v1/logs", body, "application/json");
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
    }
    for (int i = 0; i < 3; ++i) {
      auto res = client->Post(
          "/v1/logs",
          ClaudeCodeUserPromptLogs("sess-00000000-1", i, fmt::format("fix the flaky test #{}", i),
                                   kJan6 + 60'000 * i),
          "application/json");
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
    }
    for (const char* file : {"generic_deployment_devlake.json", "generic_incident_resolved.json"}) {
      const char* path = std::string(file).find("incident") != std::string::npos
                             ? "/api/v1/incidents"
                             : "/api/v1/deployments";
      auto res = client->Post(path, ReadFile(kWebhookTestdata / file), "application/json");
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << path << ": " << res->body;
    }
  }

  // Two flags through the review workflow, one with the subject's note and a disposition, one
  // held back (silent).
  void AddFlags() {
    auto flags = review::FlagStore::Open(embedded_[1] + "/flags.db");
    ASSERT_TRUE(flags.ok()) << flags.status().ToString();
    std::vector<detect::Flag> raised;
    for (const char* person : {"alice", "bob"}) {
      detect::Flag f;
      f.detector_id = "D3";
      f.detector_version = "D3-1";
      f.subject = {.kind = detect::SubjectKind::kPerson, .id = person};
      f.team = "payments";
      f.period = {.from_unix_ms = kJan6, .to_unix_ms = kJan6 + 28 * 86'400'000LL};
      f.id = detect::FlagId(f.detector_id, f.subject, f.period);
      f.shown = std::string(person) == "alice";
      f.explanation = fmt::format("{}'s prompts were near-identical", person);
      raised.push_back(f);
    }
    ASSERT_TRUE((*flags)->Upsert(raised, kJan6).ok());
    ASSERT_TRUE((*flags)->Annotate(raised[0].id, "alice", "a load test", kJan6 + 1).ok());
    ASSERT_TRUE(
        (*flags)->Dispose(raised[0].id, "benign", "agreed with the team", "lead", kJan6 + 2).ok());
  }
};

TEST_F(StoreTransferTest, EmbeddedToClickHouseToEmbeddedKeepsEverything) {
  ASSERT_NO_FATAL_FAILURE(Fill());
  ASSERT_NO_FATAL_FAILURE(AddFlags());
  Snapshot original = Take(embedded_);
  ASSERT_TRUE(original.report.is_object());
  EXPECT_GT(original.stats["usage_events"].get<int64_t>(), 600);
  EXPECT_GT(original.stats["prompt_sketches"].get<int64_t>(), 0);
  EXPECT_GT(original.stats["raw_deliveries"].get<int64_t>(), 0);
  EXPECT_EQ(original.stats["directory_versions"], 2);
  ASSERT_EQ(original.flags.size(), 2u) << original.flags.dump(2);

  std::string first = dir_.path() + "/export-embedded";
  json manifest = json::parse(Goodhart({"store", "export", "--out", first}, embedded_));
  EXPECT_EQ(manifest["format"], "goodhart-store-export");
  EXPECT_EQ(manifest["source"]["kind"], "embedded");
  EXPECT_EQ(manifest["files"]["usage.jsonl"]["records"], original.stats["usage_events"]);

  std::vector<std::string> clickhouse = ClickHouse();
  ExpectImported(Import(first, clickhouse), manifest, /*again=*/false);
  ExpectImported(Import(first, clickhouse), manifest, /*again=*/true);
  ExpectSame(original, Take(clickhouse), "clickhouse");

  std::string second = dir_.path() + "/export-clickhouse";
  json manifest2 = json::parse(Goodhart({"store", "export", "--out", second}, clickhouse));
  EXPECT_EQ(manifest2["source"]["kind"], "clickhouse");
  EXPECT_EQ(manifest2["files"], manifest["files"]);
  for (const char* file : {"directory.jsonl", "usage.jsonl", "delivery.jsonl",
                           "raw_deliveries.jsonl", "git_heads.jsonl", "review.jsonl"}) {
    EXPECT_TRUE(ReadFile(fs::path(first) / file) == ReadFile(fs::path(second) / file)) << file;
  }

  ExpectImported(Import(second, again_), manifest2, /*again=*/false);
  ExpectImported(Import(second, again_), manifest2, /*again=*/true);
  ExpectSame(original, Take(again_), "embedded again");

  // The git heads came along: import-git finds nothing new.
  json git = json::parse(Goodhart(
      {"import-git", "--repo", dir_.path() + "/repo", "--name", "acme/demo", "--format", "json"},
      again_));
  EXPECT_EQ(git["commits"], 0);

  // One exported file imports too, and again stores nothing.
  json usage = Import(first + "/usage.jsonl", clickhouse);
  EXPECT_EQ(usage["usage_events"]["stored"], 0);
  EXPECT_EQ(usage["usage_events"]["duplicates"], manifest["files"]["usage.jsonl"]["records"]);
}

TEST_F(StoreTransferTest, ExportRefusesAUsedDirectoryAndImportAnUnfinishedOne) {
  Goodhart({"directory", "import", (kScenarios / "directory.yaml").string()}, embedded_);
  std::string out = dir_.path() + "/export";
  Goodhart({"store", "export", "--out", out}, embedded_);
  CommandResult again = RunGoodhart({"store", "export", "--out", out, "--data", embedded_[1]});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("store export: --out: " + out + ": exists and is not empty"),
            std::string::npos)
      << again.err;
  CommandResult mixed =
      RunGoodhart({"store", "export", "--out", out + "2", "--delivery", "--data", embedded_[1]});
  EXPECT_EQ(mixed.exit_code, 2) << mixed.err;

  // A truncated copy is refused before anything is written.
  std::ofstream(out + "/usage.jsonl", std::ios::app) << "{\"truncated\":";
  CommandResult truncated = RunGoodhart({"store", "import", out, "--data", again_[1]});
  EXPECT_EQ(truncated.exit_code, 1);
  EXPECT_NE(truncated.err.find("the manifest says"), std::string::npos) << truncated.err;
  fs::remove(out + "/manifest.json");
  CommandResult unfinished = RunGoodhart({"store", "import", out, "--data", again_[1]});
  EXPECT_EQ(unfinished.exit_code, 1);
  EXPECT_NE(unfinished.err.find("no manifest.json"), std::string::npos) << unfinished.err;

  // A store whose directory history differs refuses the export's.
  std::string other = dir_.path() + "/other.yaml";
  std::ofstream(other) << "# another history\n" << ReadFile(kScenarios / "directory.yaml");
  Goodhart({"directory", "import", other}, again_);
  std::string fresh = dir_.path() + "/export2";
  Goodhart({"store", "export", "--out", fresh}, embedded_);
  CommandResult diverged = RunGoodhart({"store", "import", fresh, "--data", again_[1]});
  EXPECT_EQ(diverged.exit_code, 1);
  EXPECT_NE(diverged.err.find("directory history differs"), std::string::npos) << diverged.err;
}

}  // namespace
}  // namespace goodhart::testing
