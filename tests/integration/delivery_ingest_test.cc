// Delivery events through the real goodhart binary on 127.0.0.1: every octokit GitHub example
// signed and posted to /hooks/github, GitLab, CDEvents and the generic JSON forms, signatures and
// tokens refused, retries stored once, the directory over HTTP and the CLI, and `import-git`
// importing a real repository incrementally. What is stored is read back with
// `goodhart store export --delivery`.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "goodhart/base/testing/testdata.h"
#include "tests/integration/server_process.h"

namespace goodhart::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr char kSecret[] = "It's a Secret to Everybody";
constexpr char kGitlabToken[] = "gitlab-shared-token";
constexpr char kOctokit[] = "octokit-webhooks/payload-examples/api.github.com/";

std::string Sign(const std::string& body) {
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kSecret, static_cast<int>(sizeof(kSecret) - 1),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  std::string hex = "sha256=";
  for (unsigned int i = 0; i < len; ++i)
    hex += fmt::format("{:02x}", mac[i]);
  return hex;
}

std::string WriteConfig(const TempDir& dir) {
  std::string path = dir.path() + "/goodhart.yaml";
  std::ofstream(path) << fmt::format("webhooks:\n  github_secret: \"{}\"\n  gitlab_token: {}\n",
                                     kSecret, kGitlabToken);
  return path;
}

// Records stored, by kind, from `goodhart store export --delivery`.
std::map<std::string, std::vector<json>> Exported(const std::string& data_dir) {
  CommandResult r = RunGoodhart({"store", "export", "--delivery", "--data", data_dir});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::vector<json>> out;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    json j = json::parse(line);
    out[j["kind"].get<std::string>()].push_back(j["record"]);
  }
  return out;
}

json StoreStats(const ServerProcess& server) {
  auto res = server.Client()->Get("/api/v1/ingest/status");
  EXPECT_TRUE(res);
  return json::parse(res->body)["store"];
}

httplib::Result PostGithub(httplib::Client& client, const std::string& event,
                           const std::string& delivery, const std::string& body,
                           const std::string& signature) {
  httplib::Headers headers = {{"X-GitHub-Event", event}, {"X-GitHub-Delivery", delivery}};
  if (!signature.empty())
    headers.emplace("X-Hub-Signature-256", signature);
  return client.Post("/hooks/github", headers, body, "application/json");
}

class DeliveryIngestTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string data_ = dir_.path() + "/data";
  std::string config_ = WriteConfig(dir_);
};

TEST_F(DeliveryIngestTest, EveryOctokitExampleThroughHooksGithubStoredOnce) {
  ServerProcess server(data_, {"--config", config_});
  auto client = server.Client();
  std::vector<std::pair<std::string, fs::path>> examples;
  for (const auto& dir : fs::directory_iterator(CorpusPath(kOctokit))) {
    for (const auto& file : fs::directory_iterator(dir.path()))
      examples.emplace_back(dir.path().filename().string(), file.path());
  }
  ASSERT_EQ(examples.size(), 127u);
  for (int round = 0; round < 2; ++round) {  // the second round is every sender retrying
    int stored = 0, duplicates = 0;
    for (const auto& [event, path] : examples) {
      std::string body = ReadFileOrDie(path);
      auto res =
          PostGithub(*client, event, path.filename().string() + "/" + event, body, Sign(body));
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << event << " " << path << ": " << res->body;
      json answer = json::parse(res->body);
      stored += answer["stored"].get<int>();
      duplicates += answer["duplicates"].get<int>();
    }
    if (round == 0) {
      EXPECT_GT(stored, 0);
    } else {
      EXPECT_EQ(stored, 0);
      EXPECT_EQ(duplicates, 40);  // the 40 records of the delivery-relevant examples
    }
  }

  // The examples describe one pull request (#2 of Codertocat/Hello-World) in 18 states, one
  // deployment created then in_progress then success, one review submitted then dismissed, tag
  // 0.0.1 released and tag simple-tag created, one workflow run requested then completed, and one
  // commit pushed twice. Each identity is stored once, in its latest state.
  auto got = Exported(data_);
  ASSERT_EQ(got["change"].size(), 1u);
  EXPECT_EQ(got["change"][0]["id"], "github:Codertocat/Hello-World#2");
  ASSERT_EQ(got["deployment"].size(), 1u);
  EXPECT_EQ(got["deployment"][0]["status"], "success");
  EXPECT_EQ(got["deployment"][0]["commit_sha"], "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
  EXPECT_EQ(got["review"].size(), 2u);
  ASSERT_EQ(got["release"].size(), 2u);
  EXPECT_EQ(got["release"][0]["tag"], "0.0.1");
  EXPECT_EQ(got["release"][1]["tag"], "simple-tag");
  ASSERT_EQ(got["pipeline_run"].size(), 1u);
  EXPECT_EQ(got["pipeline_run"][0]["status"], "completed");
  ASSERT_EQ(got["commit"].size(), 1u);
  EXPECT_EQ(got["commit"][0]["sha"], "6113728f27ae82c7b1a177c8d03f9e96e0adf246");
  json stats = StoreStats(server);
  EXPECT_EQ(stats["raw_deliveries"], 127);  // every delivery kept for replay, once
}

TEST_F(DeliveryIngestTest, UnsignedOrTamperedGithubDeliveriesAreRefusedAndNotStored) {
  ServerProcess server(data_, {"--config", config_});
  auto client = server.Client();
  std::string body = ReadCorpus(std::string(kOctokit) + "deployment/payload.json");
  std::string signature = Sign(body);
  std::string tampered = body;
  tampered[tampered.find("145988746")] = '2';

  auto unsigned_res = PostGithub(*client, "deployment", "d-1", body, "");
  ASSERT_TRUE(unsigned_res);
  EXPECT_EQ(unsigned_res->status, 401);
  EXPECT_NE(unsigned_res->body.find("X-Hub-Signature-256: missing"), std::string::npos);
  auto tampered_res = PostGithub(*client, "deployment", "d-2", tampered, signature);
  ASSERT_TRUE(tampered_res);
  EXPECT_EQ(tampered_res->status, 401);
  auto wrong_secret =
      PostGithub(*client, "deployment", "d-3", body, "sha256=" + std::string(64, 'a'));
  ASSERT_TRUE(wrong_secret);
  EXPECT_EQ(wrong_secret->status, 401);
  json stats = StoreStats(server);
  EXPECT_EQ(stats["raw_deliveries"], 0);
  EXPECT_EQ(stats["deployments"], 0);

  auto good = PostGithub(*client, "deployment", "d-4", body, signature);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(StoreStats(server)["deployments"], 1);

  // Malformed JSON with a valid signature: 400 naming the receiver, nothing stored.
  std::string broken = "{\"action\": \"created\", \"deployment\": 7}";
  auto bad = PostGithub(*client, "deployment", "d-5", broken, Sign(broken));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(json::parse(bad->body)["error"]["message"].get<std::string>().find("github"),
            std::string::npos);
  EXPECT_EQ(StoreStats(server)["raw_deliveries"], 1);
}

TEST_F(DeliveryIngestTest, GitlabCdeventsAndGenericFormsAreStored) {
  ServerProcess server(data_, {"--config", config_});
  auto client = server.Client();
  std::string webhook_testdata = GOODHART_WEBHOOK_TESTDATA_DIR;

  // GitLab: the token is checked; a retry with the same idempotency key stores nothing.
  std::string mr = ReadFileOrDie(webhook_testdata + "/gitlab_merge_request_merged.json");
  httplib::Headers gitlab = {{"X-Gitlab-Event", "Merge Request Hook"},
                             {"Idempotency-Key", "mr-1"},
                             {"X-Gitlab-Token", "wrong"}};
  auto refused = client->Post("/hooks/gitlab", gitlab, mr, "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  gitlab.erase("X-Gitlab-Token");
  gitlab.emplace("X-Gitlab-Token", kGitlabToken);
  for (int i = 0; i < 2; ++i) {
    auto res = client->Post("/hooks/gitlab", gitlab, mr, "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(json::parse(res->body)["duplicate"], i == 1);
  }

  // CDEvents, both spec versions, binary mode; the three incident events share one context.id.
  int cdevents = 0;
  for (std::string dir : {"cdevents-spec/conformance/", "cdevents-spec/v0.4.1/conformance/"}) {
    for (const auto& file : fs::directory_iterator(CorpusPath(dir))) {
      if (file.path().extension() != ".json")
        continue;
      auto res = client->Post("/hooks/cdevents", ReadFileOrDie(file.path()), "application/json");
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << file.path() << ": " << res->body;
      ++cdevents;
    }
  }
  EXPECT_GT(cdevents, 40);

  // Generic JSON for CD systems without a webhook of their own.
  auto deploy = client->Post("/api/v1/deployments",
                             ReadFileOrDie(webhook_testdata + "/generic_deployment_devlake.json"),
                             "application/json");
  ASSERT_TRUE(deploy);
  EXPECT_EQ(deploy->status, 200) << deploy->body;
  auto incident = client->Post("/api/v1/incidents",
                               ReadFileOrDie(webhook_testdata + "/generic_incident_resolved.json"),
                               "application/json");
  ASSERT_TRUE(incident);
  EXPECT_EQ(incident->status, 200) << incident->body;
  auto bad = client->Post("/api/v1/deployments", "{\"id\": 5}", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);

  auto got = Exported(data_);
  std::map<std::string, json> changes, incidents;
  for (const json& c : got["change"])
    changes[c["id"].get<std::string>()] = c;
  for (const json& i : got["incident"])
    incidents[i["id"].get<std::string>()] = i;
  ASSERT_TRUE(changes.count("gitlab:mike/diaspora!7")) << json(got["change"]).dump();
  EXPECT_EQ(changes["gitlab:mike/diaspora!7"]["state"], "merged");
  ASSERT_TRUE(incidents.count("api:INC-7"));
  EXPECT_EQ(incidents["api:INC-7"]["service"], "checkout");
  EXPECT_GT(incidents["api:INC-7"]["resolved_unix_ms"].get<int64_t>(), 0);
  // detected, reported and resolved of one CDEvents incident: one record, resolved.
  int cdevents_resolved = 0;
  for (const auto& [id, i] : incidents) {
    if (id.rfind("cdevents:", 0) == 0 && i["status"] == "resolved")
      ++cdevents_resolved;
  }
  EXPECT_GE(cdevents_resolved, 1);
  int devlake_deployments = 0;
  for (const json& d : got["deployment"])
    devlake_deployments += d["id"] == "api:deploy-2026-03-04-1";
  EXPECT_EQ(devlake_deployments, 2);  // one deployment of two repositories' commits
}

TEST_F(DeliveryIngestTest, DirectoryOverHttpAndCliIsVersioned) {
  std::string yaml = ReadFileOrDie(fs::path(GOODHART_DIRECTORY_TESTDATA_DIR) / "directory.yaml");
  {
    ServerProcess server(data_);
    auto client = server.Client();
    auto none = client->Get("/api/v1/directory");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 404);
    auto put = client->Put("/api/v1/directory", yaml, "application/yaml");
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 201) << put->body;
    json first = json::parse(put->body);
    EXPECT_EQ(first["version"], 1);
    EXPECT_EQ(first["people"], 2);
    EXPECT_EQ(first["teams"], 2);
    auto again = client->Put("/api/v1/directory", yaml, "application/yaml");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
    EXPECT_EQ(json::parse(again->body)["changed"], false);
    auto bad = client->Put("/api/v1/directory", "people:\n  - {id: carol, team: nowhere}\n",
                           "application/yaml");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(bad->body.find("people[0].team"), std::string::npos) << bad->body;
    auto get = client->Get("/api/v1/directory");
    ASSERT_TRUE(get);
    EXPECT_EQ(json::parse(get->body)["yaml"], yaml);
  }
  std::string changed_path = dir_.path() + "/directory.yaml";
  std::string changed = yaml;
  changed.replace(changed.find("fte: 0.5"), 8, "fte: 0.8");  // bob now works 80%
  std::ofstream(changed_path) << changed;
  CommandResult imported = RunGoodhart({"directory", "import", changed_path, "--data", data_});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("directory version 2"), std::string::npos) << imported.out;
  CommandResult versions = RunGoodhart({"directory", "versions", "--data", data_});
  EXPECT_EQ(versions.exit_code, 0);
  EXPECT_EQ(std::count(versions.out.begin(), versions.out.end(), '\n'), 2);
  CommandResult invalid =
      RunGoodhart({"directory", "import", "/nonexistent.yaml", "--data", data_});
  EXPECT_EQ(invalid.exit_code, 1);
}

void Git(const std::string& repo, const std::string& args) {
  std::string cmd = fmt::format(
      "git -C '{}' -c user.name=Alice -c user.email=alice@example.com {} >/dev/null 2>&1", repo,
      args);
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST_F(DeliveryIngestTest, ImportGitIsIncremental) {
  std::string repo = dir_.path() + "/repo";
  fs::create_directories(repo + "/src");
  Git(repo, "init -q -b main");
  std::ofstream(repo + "/src/a.cc") << "int a() {\n  return 1;\n}\n";
  Git(repo, "add -A");
  Git(repo, "commit -q -m 'Add a'");
  std::ofstream(repo + "/src/b.cc") << "int b() {\n  return 2;\n}\n";
  Git(repo, "add -A");
  Git(repo, "commit -q -m 'Add b' -m 'Co-authored-by: Claude <noreply@anthropic.com>'");
  Git(repo, "tag v1.0");

  auto run = [&] {
    CommandResult r = RunGoodhart(
        {"import-git", "--repo", repo, "--name", "acme/demo", "--format", "json", "--data", data_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  };
  json first = run();
  EXPECT_EQ(first["repo"], "acme/demo");
  EXPECT_EQ(first["commits"], 2);
  EXPECT_EQ(first["releases"], 1);
  json second = run();
  EXPECT_EQ(second["commits"], 0);
  EXPECT_EQ(second["releases"], 0);

  std::ofstream(repo + "/src/a.cc", std::ios::app) << "int c() {\n  return 3;\n}\n";
  Git(repo, "commit -q -am 'Add c'");
  json third = run();
  EXPECT_EQ(third["commits"], 1);

  auto got = Exported(data_);
  ASSERT_EQ(got["commit"].size(), 3u);
  ASSERT_EQ(got["release"].size(), 1u);
  EXPECT_EQ(got["release"][0]["tag"], "v1.0");
  int with_marker = 0;
  for (const json& c : got["commit"]) {
    EXPECT_EQ(c["repo"], "acme/demo");
    EXPECT_GT(c["meaningful_lines"].get<double>(), 0);
    with_marker += !c["ai_markers"].empty();
  }
  EXPECT_EQ(with_marker, 1);

  CommandResult not_a_repo = RunGoodhart({"import-git", "--repo", dir_.path(), "--data", data_});
  EXPECT_NE(not_a_repo.exit_code, 0);
  EXPECT_NE(not_a_repo.err.find("not a git repository"), std::string::npos) << not_a_repo.err;
}

// A directory with the service payments-api of repository acme/demo, and that repository (one
// commit on 2026-03-02) imported with import-git. Returns the commit's sha.
std::string DirectoryAndImportedRepository(
    const TempDir& dir, const std::string& data,
    const std::string& environments = ", production_environments: [production]") {
  std::string repo = dir.path() + "/repo";
  fs::create_directories(repo + "/services/payments");
  Git(repo, "init -q -b main");
  std::ofstream(repo + "/services/payments/a.go") << "package a\n\nfunc A() int {\n\treturn 1\n}\n";
  Git(repo, "add -A");
  setenv("GIT_COMMITTER_DATE", "2026-03-02T10:00:00Z", 1);
  Git(repo, "commit -q -m 'Add A' --date=2026-03-02T10:00:00Z");
  unsetenv("GIT_COMMITTER_DATE");
  std::string sha;
  {
    FILE* p = popen(fmt::format("git -C '{}' rev-parse HEAD", repo).c_str(), "r");
    char buf[64] = {};
    EXPECT_NE(fgets(buf, sizeof buf, p), nullptr);
    pclose(p);
    sha = std::string(buf, 40);
  }
  std::string directory = dir.path() + "/directory.yaml";
  std::ofstream(directory) << "teams: [{id: payments, name: Payments}]\n"
                              "people:\n"
                              "  - {id: alice, team: payments, emails: [alice@example.com]}\n"
                              "services:\n"
                              "  - {id: payments-api, team: payments, repo: acme/demo,\n"
                              "     paths: [\"services/payments/**\"]"
                           << environments << "}\n";
  EXPECT_EQ(RunGoodhart({"directory", "import", directory, "--data", data}).exit_code, 0);
  CommandResult imported =
      RunGoodhart({"import-git", "--repo", repo, "--name", "acme/demo", "--data", data});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  return sha;
}

// `goodhart report` and GET /api/v1/report give the same document for the same store and period:
// a directory, a repository imported with import-git, and a production deployment of its head
// posted to the generic endpoint.
TEST_F(DeliveryIngestTest, ReportIsTheSameOverCliAndApi) {
  CommandResult head = RunGoodhart({"--version"});  // the binary runs at all
  ASSERT_EQ(head.exit_code, 0);
  const std::string sha = DirectoryAndImportedRepository(dir_, data_);
  ASSERT_FALSE(HasFailure());

  json from_api;
  {
    ServerProcess server(data_);
    auto client = server.Client();
    json deployment = {
        {"id", "deploy-1"},
        {"result", "SUCCESS"},
        {"environment", "production"},
        {"service", "payments-api"},
        {"startedDate", "2026-03-02T11:00:00Z"},
        {"finishedDate", "2026-03-02T11:10:00Z"},
        {"deploymentCommits", {{{"repoUrl", "https://github.com/acme/demo"}, {"commitSha", sha}}}}};
    auto posted = client->Post("/api/v1/deployments", deployment.dump(), "application/json");
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 200) << posted->body;
    auto res =
        client->Get("/api/v1/report?from=2026-03-01&to=2026-03-31&as_of=2026-04-30T00:00:00Z");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    from_api = json::parse(res->body);
    auto bad = client->Get("/api/v1/report?from=2026-03-01&to=yesterday");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(bad->body.find("report: to"), std::string::npos) << bad->body;
  }
  CommandResult cli =
      RunGoodhart({"report", "--from", "2026-03-01", "--to", "2026-03-31", "--as-of",
                   "2026-04-30T00:00:00Z", "--format", "json", "--data", data_});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out), from_api);
  EXPECT_EQ(from_api["period"]["to"], "2026-04-01T00:00:00.000Z");  // --to is inclusive
  EXPECT_EQ(from_api["org"]["dora"]["deployment_count"], 1);
  ASSERT_EQ(from_api["teams"].size(), 1u);
  EXPECT_EQ(from_api["teams"][0]["team"], "payments");
  // A direct push has no review: R = 0, so the delivered change earns nothing.
  EXPECT_EQ(from_api["org"]["nd"], 0.0);
  EXPECT_EQ(from_api["org"]["changes"], 1);

  CommandResult table = RunGoodhart({"report", "--from", "2026-03-01", "--to", "2026-03-31",
                                     "--as-of", "2026-04-30T00:00:00Z", "--data", data_});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("Organisation"), std::string::npos);
  CommandResult csv = RunGoodhart({"report", "--from", "2026-03-01", "--to", "2026-03-31",
                                   "--format", "csv", "--people", "--data", data_});
  EXPECT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("scope,id,team,nd,", 0), 0u);
  CommandResult unknown = RunGoodhart(
      {"report", "--from", "2026-03-01", "--to", "2026-03-31", "--team", "nope", "--data", data_});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("unknown team 'nope'"), std::string::npos) << unknown.err;
}

// GitHub's deployment webhooks name a repository and an environment, not a service: the report
// counts the deployment under the directory's service of that repository
// (analytics/linking/deployment_services.h).
TEST_F(DeliveryIngestTest, GithubDeploymentsCountUnderTheServiceOfTheirRepository) {
  const std::string sha = DirectoryAndImportedRepository(dir_, data_);
  ASSERT_FALSE(HasFailure());
  json body = json::parse(ReadCorpus(std::string(kOctokit) + "deployment_status/payload.json"));
  body["repository"]["full_name"] = "acme/demo";
  body["deployment"]["sha"] = sha;
  body["deployment"]["environment"] = "production";
  body["deployment"]["created_at"] = "2026-03-02T11:00:00Z";
  body["deployment_status"]["state"] = "success";
  body["deployment_status"]["created_at"] = "2026-03-02T11:10:00Z";
  ServerProcess server(data_, {"--config", config_});
  auto client = server.Client();
  std::string text = body.dump();
  auto posted = PostGithub(*client, "deployment_status", "ds-1", text, Sign(text));
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  auto res = client->Get("/api/v1/report?from=2026-03-01&to=2026-03-31&as_of=2026-04-30T00:00:00Z");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json report = json::parse(res->body);
  EXPECT_EQ(report["org"]["dora"]["deployment_count"], 1);
  EXPECT_EQ(report["org"]["changes"], 1);
  ASSERT_EQ(report["teams"].size(), 1u);
  EXPECT_EQ(report["teams"][0]["team"], "payments");
}

// A directory service that lists no production environments: GitHub's production_environment
// flag decides, whatever the environment is called. A staging deployment of the same commit
// earlier does not count.
TEST_F(DeliveryIngestTest, GithubsProductionFlagCountsWhenTheServiceListsNoEnvironments) {
  const std::string sha = DirectoryAndImportedRepository(dir_, data_, "");
  ASSERT_FALSE(HasFailure());
  ServerProcess server(data_, {"--config", config_});
  auto client = server.Client();
  auto post = [&](int64_t id, const std::string& environment, bool production,
                  const std::string& at) {
    json body = json::parse(ReadCorpus(std::string(kOctokit) + "deployment_status/payload.json"));
    body["repository"]["full_name"] = "acme/demo";
    body["deployment"]["id"] = id;
    body["deployment"]["sha"] = sha;
    body["deployment"]["environment"] = environment;
    body["deployment_status"]["environment"] = environment;  // GitHub repeats it here
    body["deployment"]["production_environment"] = production;
    body["deployment"]["created_at"] = at;
    body["deployment_status"]["state"] = "success";
    body["deployment_status"]["created_at"] = at;
    std::string text = body.dump();
    auto posted =
        PostGithub(*client, "deployment_status", fmt::format("ds-{}", id), text, Sign(text));
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 200) << posted->body;
  };
  post(7001, "stage-eu", false, "2026-03-02T10:30:00Z");
  post(7002, "live-eu", true, "2026-03-02T11:10:00Z");
  auto res = client->Get("/api/v1/report?from=2026-03-01&to=2026-03-31&as_of=2026-04-30T00:00:00Z");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json report = json::parse(res->body);
  EXPECT_EQ(report["org"]["dora"]["deployment_count"], 1) << report["org"].dump();
  EXPECT_EQ(report["org"]["changes"], 1);
}

}  // namespace
}  // namespace goodhart::testing
