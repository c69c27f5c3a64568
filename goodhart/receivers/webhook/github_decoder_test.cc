#include "goodhart/receivers/webhook/github_decoder.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "goodhart/base/hash.h"
#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"

namespace goodhart::receivers::webhook {
namespace {

using ::goodhart::testing::CorpusPath;
using ::goodhart::testing::ReadCorpus;
using ::goodhart::testing::ReadFileOrDie;
using ::goodhart::testing::ReadTestdata;
using ::goodhart::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Json = nlohmann::json;

constexpr char kExamples[] = "octokit-webhooks/payload-examples/api.github.com/";

std::string Example(const std::string& relative) { return ReadCorpus(kExamples + relative); }

WebhookResult DecodeOrDie(std::string_view event, std::string_view body,
                          std::string_view delivery = "d-1") {
  Result<WebhookResult> r = DecodeGithub(event, delivery, body);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : WebhookResult{};
}

// The examples goodhart maps to entities; every other file must come back ignored.
bool IsDeliveryRelevant(const std::string& event, const std::string& file) {
  static const std::set<std::string> kAlwaysMapped = {
      "pull_request_review", "deployment", "deployment_status", "workflow_run", "create"};
  static const std::set<std::string> kPrActions = {
      "opened",  "edited",    "closed",           "reopened",          "synchronize",
      "labeled", "unlabeled", "ready_for_review", "converted_to_draft"};
  std::string action = file.substr(0, file.find('.'));
  if (kAlwaysMapped.count(event) != 0)
    return true;
  if (event == "pull_request")
    return kPrActions.count(action) != 0;
  if (event == "release")
    return action == "published" || action == "released";
  if (event == "push")  // two pushes create master; the other four delete a tag
    return file == "with-new-branch.payload.json" ||
           file == "with-no-username-committer.payload.json";
  return false;
}

TEST(DecodeGithubTest, EveryOctokitExampleDecodes) {
  int files = 0, mapped = 0;
  std::set<std::string> events;
  for (const auto& dir : std::filesystem::directory_iterator(CorpusPath(kExamples))) {
    if (!dir.is_directory())
      continue;
    std::string event = dir.path().filename().string();
    events.insert(event);
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      std::string file = entry.path().filename().string();
      SCOPED_TRACE(event + "/" + file);
      Result<WebhookResult> r = DecodeGithub(event, "guid-" + file, ReadFileOrDie(entry.path()));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      ++files;
      EXPECT_EQ(r->dedupe_key, "github:guid-" + file);
      EXPECT_EQ(r->source, "github");
      bool relevant = IsDeliveryRelevant(event, file);
      EXPECT_EQ(r->ignored, !relevant);
      if (relevant) {
        ++mapped;
        EXPECT_GT(r->entity_count(), 0u);
      } else {
        EXPECT_EQ(r->entity_count(), 0u);
      }
    }
  }
  EXPECT_EQ(files, 127);  // formats.md §11
  EXPECT_EQ(mapped, 40);  // 18 pull_request, 4 create, 4 workflow_run, 3 each of review,
                          // deployment, deployment_status and release, 2 push
  EXPECT_EQ(events.size(), 19u);
}

TEST(DecodeGithubTest, PushOfNewBranchGivesItsCommit) {
  WebhookResult r = DecodeOrDie("push", Example("push/with-new-branch.payload.json"), "guid-7");
  EXPECT_FALSE(r.ignored);
  EXPECT_EQ(r.event, "push");
  ASSERT_EQ(r.batch.commits.size(), 1u);
  const model::Commit& c = r.batch.commits[0];
  EXPECT_EQ(c.ref, (model::SourceRef{"github", "guid-7"}));
  EXPECT_EQ(c.repo, "Codertocat/Hello-World");
  EXPECT_EQ(c.sha, "6113728f27ae82c7b1a177c8d03f9e96e0adf246");
  EXPECT_EQ(c.subject, "Initial commit");
  EXPECT_THAT(c.trailers, IsEmpty());
  EXPECT_EQ(c.author_name, "Codertocat");
  EXPECT_EQ(c.author_email, "21031067+Codertocat@users.noreply.github.com");
  EXPECT_EQ(c.committer_name, "Codertocat");
  EXPECT_EQ(c.authored_unix_ms, CivilToMillis(2019, 5, 15, 15, 19, 25));
  EXPECT_EQ(c.committed_unix_ms, c.authored_unix_ms);
  ASSERT_EQ(c.files.size(), 1u);
  EXPECT_EQ(c.files[0].path, "README.md");
  EXPECT_EQ(c.files[0].added, 0);
  EXPECT_EQ(c.files[0].deleted, 0);
  EXPECT_THAT(r.batch.releases, IsEmpty());  // a branch, not a tag
  EXPECT_EQ(r.batch.size(), 1u);             // the commit only
}

TEST(DecodeGithubTest, TagDeleteIsIgnored) {
  WebhookResult r = DecodeOrDie("push", Example("push/payload.json"));
  EXPECT_TRUE(r.ignored);
  EXPECT_EQ(r.entity_count(), 0u);
}

TEST(DecodeGithubTest, PushParsesTrailersOffsetsAndTagCreation) {
  WebhookResult r = DecodeOrDie("push", ReadTestdata("github_push_tag_with_trailers.json"));
  ASSERT_EQ(r.batch.commits.size(), 2u);
  const model::Commit& c = r.batch.commits[0];
  EXPECT_EQ(c.repo, "acme/shop");
  EXPECT_EQ(c.subject, "Add retry budget to the checkout client");
  EXPECT_THAT(
      c.trailers,
      ElementsAre(model::Trailer{"Co-Authored-By", "Claude Opus 4.6 <noreply@anthropic.com>"},
                  model::Trailer{"Co-authored-by", "Ana Silva <ana@acme.example>"},
                  model::Trailer{"Reviewed-by", "Bo Chen"}));
  EXPECT_THAT(c.co_authors, ElementsAre("Claude Opus 4.6 <noreply@anthropic.com>",
                                        "Ana Silva <ana@acme.example>"));
  // "2026-03-04T10:15:00+02:00" is 08:15 UTC.
  EXPECT_EQ(c.authored_unix_ms, CivilToMillis(2026, 3, 4, 8, 15, 0));
  ASSERT_EQ(c.files.size(), 4u);
  EXPECT_EQ(c.files[0].path, "src/client.cc");      // added
  EXPECT_EQ(c.files[1].path, "src/old_client.cc");  // removed
  EXPECT_EQ(c.files[2].path, "src/client.h");       // modified
  EXPECT_EQ(c.committer_email, "noreply@github.com");
  // The second commit's "Generated with" line is body text, not a trailer.
  EXPECT_EQ(r.batch.commits[1].subject, "Bump version to 1.4.0");
  EXPECT_THAT(r.batch.commits[1].trailers,
              ElementsAre(model::Trailer{"Co-Authored-By", "Claude <noreply@anthropic.com>"}));
  EXPECT_EQ(r.batch.commits[1].authored_unix_ms, CivilToMillis(2026, 3, 4, 17, 30, 0));  // -07:00

  ASSERT_EQ(r.batch.releases.size(), 1u);
  const model::Release& rel = r.batch.releases[0];
  EXPECT_EQ(rel.repo, "acme/shop");
  EXPECT_EQ(rel.tag, "v1.4.0");
  EXPECT_EQ(rel.sha, "9f2c1e7d3b4a5c6d7e8f90a1b2c3d4e5f6a7b8c9");
  EXPECT_EQ(rel.created_unix_ms, 1772646660000);  // repository.pushed_at, epoch seconds
}

TEST(DecodeGithubTest, ClosedPullRequestIsNotMerged) {
  WebhookResult r = DecodeOrDie("pull_request", Example("pull_request/closed.payload.json"));
  EXPECT_FALSE(r.ignored);
  EXPECT_EQ(r.event, "pull_request.closed");
  ASSERT_EQ(r.batch.changes.size(), 1u);
  const model::Change& c = r.batch.changes[0];
  EXPECT_EQ(c.id, "github:Codertocat/Hello-World#2");
  EXPECT_EQ(c.ref, (model::SourceRef{"github", "d-1"}));
  EXPECT_EQ(c.number, 2);
  EXPECT_EQ(c.repo, "Codertocat/Hello-World");
  EXPECT_FALSE(c.merged);  // closed != merged although merge_commit_sha is set
  EXPECT_EQ(c.state, "closed");
  EXPECT_EQ(c.merge_sha, "");
  EXPECT_EQ(c.merged_unix_ms, 0);
  EXPECT_EQ(c.merged_by, "");
  EXPECT_EQ(c.closed_unix_ms, CivilToMillis(2019, 5, 15, 15, 21, 18));
  EXPECT_EQ(c.created_unix_ms, CivilToMillis(2019, 5, 15, 15, 20, 33));
  EXPECT_EQ(c.title, "Update the README with new information.");
  EXPECT_EQ(c.author, "Codertocat");
  EXPECT_EQ(c.author_type, "User");
  EXPECT_EQ(c.base_ref, "master");
  EXPECT_EQ(c.head_ref, "changes");
  EXPECT_EQ(c.head_sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
  EXPECT_THAT(c.labels, ElementsAre("bug"));
  EXPECT_EQ(c.additions, 1);
  EXPECT_EQ(c.deletions, 1);
  EXPECT_EQ(c.commit_count, 1);
}

TEST(DecodeGithubTest, OpenedPullRequestIsOpen) {
  WebhookResult r = DecodeOrDie("pull_request", Example("pull_request/opened.with-null-body.json"));
  ASSERT_EQ(r.batch.changes.size(), 1u);
  EXPECT_EQ(r.batch.changes[0].state, "open");
  EXPECT_FALSE(r.batch.changes[0].merged);
}

TEST(DecodeGithubTest, AssignedPullRequestIsIgnored) {
  WebhookResult r = DecodeOrDie("pull_request", Example("pull_request/assigned.payload.json"));
  EXPECT_TRUE(r.ignored);
  EXPECT_TRUE(r.batch.empty());
}

// A minimal RFC 4180 reader: quoted fields may hold commas, newlines and doubled quotes.
std::vector<std::vector<std::string>> ReadCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      field.push_back(c);
    }
  }
  if (!field.empty() || !rows.back().empty())
    rows.back().push_back(std::move(field));
  if (rows.back().empty())
    rows.pop_back();
  return rows;
}

// A real merged PR (panjf2000/ants#4, from the REST API) wrapped the way the webhook sends it.
std::string MergedPullRequestBody() {
  auto rows = ReadCsv(ReadCorpus(
      "apache-devlake/backend/plugins/github/e2e/raw_tables/_raw_github_api_pull_requests.csv"));
  EXPECT_EQ(rows[0][2], "data");
  Json pr = Json::parse(rows[1][2]);
  EXPECT_FALSE(pr["merged_at"].is_null());
  // Webhook PR objects carry `merged` (the list API omits it) and `merged_by`.
  pr["merged"] = true;
  pr["merged_by"] = {{"login", "panjf2000"}, {"type", "User"}};
  Json body = {{"action", "closed"},
               {"number", pr["number"]},
               {"pull_request", pr},
               {"repository", pr["base"]["repo"]},
               {"sender", pr["merged_by"]}};
  return body.dump();
}

TEST(DecodeGithubTest, MergedPullRequestFromRealApiObject) {
  WebhookResult r = DecodeOrDie("pull_request", MergedPullRequestBody());
  ASSERT_EQ(r.batch.changes.size(), 1u);
  const model::Change& c = r.batch.changes[0];
  EXPECT_EQ(c.id, "github:panjf2000/ants#4");
  EXPECT_TRUE(c.merged);
  EXPECT_EQ(c.state, "merged");
  EXPECT_EQ(c.merged_unix_ms, CivilToMillis(2018, 7, 26, 2, 32, 41));
  EXPECT_EQ(c.closed_unix_ms, CivilToMillis(2018, 7, 26, 2, 32, 41));
  EXPECT_EQ(c.created_unix_ms, CivilToMillis(2018, 7, 25, 8, 19, 30));
  EXPECT_EQ(c.merge_sha, "3ddd58c390b0f928a5782c235f90ad0c9c21312c");
  EXPECT_EQ(c.merged_by, "panjf2000");
  EXPECT_EQ(c.author, "barryz");
  EXPECT_EQ(c.author_type, "User");
  EXPECT_EQ(c.base_ref, "master");
  EXPECT_EQ(c.head_ref, "pre_allocate");
  EXPECT_EQ(c.head_sha, "83042d709562a53973c78901ca5df7e7cddbe677");
  EXPECT_THAT(c.labels, ElementsAre("enhancement"));
}

TEST(DecodeGithubTest, MergedWithoutTheFlagIsNotMerged) {
  Json body = Json::parse(MergedPullRequestBody());
  body["pull_request"]["merged"] = false;
  WebhookResult r = DecodeOrDie("pull_request", body.dump());
  ASSERT_EQ(r.batch.changes.size(), 1u);
  EXPECT_FALSE(r.batch.changes[0].merged);
  EXPECT_EQ(r.batch.changes[0].merged_unix_ms, 0);
  EXPECT_EQ(r.batch.changes[0].merge_sha, "");
}

TEST(DecodeGithubTest, BadMergedAtIsRejectedByName) {
  Json body = Json::parse(MergedPullRequestBody());
  body["pull_request"]["merged_at"] = "yesterday, around noon";
  Result<WebhookResult> r = DecodeGithub("pull_request", "d", body.dump());
  EXPECT_THAT(r.status(), StatusIs(StatusCode::kInvalidArgument,
                                   "github_webhook: pull_request.merged_at: not a timestamp"));
}

TEST(DecodeGithubTest, PullRequestReview) {
  WebhookResult r =
      DecodeOrDie("pull_request_review", Example("pull_request_review/submitted.payload.json"));
  ASSERT_EQ(r.batch.reviews.size(), 1u);
  const model::Review& v = r.batch.reviews[0];
  EXPECT_EQ(v.change_id, "github:Codertocat/Hello-World#2");
  EXPECT_EQ(v.reviewer, "Codertocat");
  EXPECT_EQ(v.state, "commented");
  EXPECT_EQ(v.commit_sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
  EXPECT_EQ(v.submitted_unix_ms, CivilToMillis(2019, 5, 15, 15, 20, 38));
  EXPECT_EQ(v.ref, (model::SourceRef{"github", "d-1"}));

  WebhookResult dismissed =
      DecodeOrDie("pull_request_review", Example("pull_request_review/dismissed.payload.json"));
  ASSERT_EQ(dismissed.batch.reviews.size(), 1u);
  EXPECT_EQ(dismissed.batch.reviews[0].state, "dismissed");
}

TEST(DecodeGithubTest, ReviewStateIsLowercased) {
  Json body = Json::parse(Example("pull_request_review/submitted.payload.json"));
  body["review"]["state"] = "APPROVED";
  WebhookResult r = DecodeOrDie("pull_request_review", body.dump());
  ASSERT_EQ(r.batch.reviews.size(), 1u);
  EXPECT_EQ(r.batch.reviews[0].state, "approved");
}

TEST(DecodeGithubTest, Deployment) {
  WebhookResult r = DecodeOrDie("deployment", Example("deployment/payload.json"));
  ASSERT_EQ(r.batch.deployments.size(), 1u);
  const model::Deployment& d = r.batch.deployments[0];
  EXPECT_EQ(d.id, "github:Codertocat/Hello-World/deployments/145988746");
  EXPECT_EQ(d.repo, "Codertocat/Hello-World");
  EXPECT_EQ(d.commit_sha, "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
  EXPECT_EQ(d.ref_name, "master");
  EXPECT_EQ(d.environment, "production");
  EXPECT_EQ(d.environment_tier, "");  // production_environment is absent: only `true` marks it
  EXPECT_EQ(d.status, "queued");
  EXPECT_EQ(d.started_unix_ms, CivilToMillis(2019, 5, 15, 15, 20, 53));
  EXPECT_EQ(d.finished_unix_ms, 0);
  EXPECT_EQ(d.triggered_by, "Codertocat");
  EXPECT_EQ(d.pipeline_id, "");
  EXPECT_EQ(d.pipeline, "");
}

TEST(DecodeGithubTest, ProductionEnvironmentSetsTheTier) {
  Json body = Json::parse(Example("deployment/payload.json"));
  body["deployment"]["production_environment"] = true;
  WebhookResult r = DecodeOrDie("deployment", body.dump());
  ASSERT_EQ(r.batch.deployments.size(), 1u);
  EXPECT_EQ(r.batch.deployments[0].environment_tier, "production");
  body["deployment"]["production_environment"] = nullptr;
  r = DecodeOrDie("deployment", body.dump());
  EXPECT_EQ(r.batch.deployments[0].environment_tier, "");
}

TEST(DecodeGithubTest, DeploymentStatusSuccessFinishesTheDeployment) {
  WebhookResult r = DecodeOrDie("deployment_status", Example("deployment_status/payload.json"));
  ASSERT_EQ(r.batch.deployments.size(), 1u);
  const model::Deployment& d = r.batch.deployments[0];
  EXPECT_EQ(d.id, "github:Codertocat/Hello-World/deployments/145988746");
  EXPECT_EQ(d.status, "success");
  EXPECT_EQ(d.commit_sha, "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
  EXPECT_EQ(d.environment, "production");
  EXPECT_EQ(d.started_unix_ms, CivilToMillis(2019, 5, 15, 15, 20, 53));
  EXPECT_EQ(d.finished_unix_ms, CivilToMillis(2019, 5, 15, 15, 20, 55));
}

TEST(DecodeGithubTest, DeploymentStatusInProgressHasNoFinish) {
  WebhookResult r =
      DecodeOrDie("deployment_status", Example("deployment_status/gh-pages.payload.json"));
  ASSERT_EQ(r.batch.deployments.size(), 1u);
  const model::Deployment& d = r.batch.deployments[0];
  EXPECT_EQ(d.status, "in_progress");
  EXPECT_EQ(d.finished_unix_ms, 0);
  EXPECT_EQ(d.environment, "github-pages");
  EXPECT_EQ(d.environment_tier, "");  // production_environment: false
  EXPECT_EQ(d.triggered_by, "github-pages[bot]");
  // The run that deployed, and the workflow whose runs deploy (the pipeline D6 judges).
  EXPECT_EQ(d.pipeline_id, "github:Codertocat/Hello-World/actions/runs/289782451");
  EXPECT_EQ(d.pipeline, "github:Codertocat/Hello-World/actions/workflows/17248323");
}

TEST(DecodeGithubTest, DeploymentStatusStates) {
  Json body = Json::parse(Example("deployment_status/payload.json"));
  for (auto [state, status, finished] :
       std::vector<std::tuple<std::string, std::string, bool>>{{"failure", "failure", true},
                                                               {"error", "error", true},
                                                               {"pending", "queued", false},
                                                               {"queued", "queued", false},
                                                               {"inactive", "inactive", false}}) {
    body["deployment_status"]["state"] = state;
    WebhookResult r = DecodeOrDie("deployment_status", body.dump());
    ASSERT_EQ(r.batch.deployments.size(), 1u);
    EXPECT_EQ(r.batch.deployments[0].status, status) << state;
    EXPECT_EQ(r.batch.deployments[0].finished_unix_ms != 0, finished) << state;
  }
}

TEST(DecodeGithubTest, WorkflowRunCompleted) {
  WebhookResult r = DecodeOrDie("workflow_run", Example("workflow_run/completed.payload.json"));
  ASSERT_EQ(r.batch.pipeline_runs.size(), 1u);
  const model::PipelineRun& p = r.batch.pipeline_runs[0];
  EXPECT_EQ(p.id, "github:octo-org/octo-repo/actions/runs/289782451");
  EXPECT_EQ(p.attempt, 1);
  EXPECT_EQ(p.repo, "octo-org/octo-repo");
  EXPECT_EQ(p.name, "test");  // the run's own name is empty; the workflow's is used
  EXPECT_EQ(p.head_sha, "3484a3fb816e0859fd6e1cea078d76385ff50625");
  EXPECT_EQ(p.head_branch, "master");
  EXPECT_EQ(p.status, "completed");
  EXPECT_EQ(p.conclusion, "success");
  EXPECT_EQ(p.started_unix_ms, CivilToMillis(2020, 10, 5, 16, 33, 49));
  EXPECT_EQ(p.finished_unix_ms, CivilToMillis(2020, 10, 5, 16, 33, 49));
}

TEST(DecodeGithubTest, WorkflowRunRequestedAndReRun) {
  WebhookResult r = DecodeOrDie("workflow_run", Example("workflow_run/requested.payload.json"));
  ASSERT_EQ(r.batch.pipeline_runs.size(), 1u);
  EXPECT_EQ(r.batch.pipeline_runs[0].status, "queued");
  EXPECT_EQ(r.batch.pipeline_runs[0].conclusion, "");
  EXPECT_EQ(r.batch.pipeline_runs[0].finished_unix_ms, 0);

  Json body = Json::parse(Example("workflow_run/completed.payload.json"));
  body["workflow_run"]["run_attempt"] = 2;
  body["workflow_run"]["conclusion"] = "failure";
  r = DecodeOrDie("workflow_run", body.dump());
  EXPECT_EQ(r.batch.pipeline_runs[0].id, "github:octo-org/octo-repo/actions/runs/289782451");
  EXPECT_EQ(r.batch.pipeline_runs[0].attempt, 2);
  EXPECT_EQ(r.batch.pipeline_runs[0].conclusion, "failure");
}

TEST(DecodeGithubTest, PublishedRelease) {
  WebhookResult r = DecodeOrDie("release", Example("release/published.payload.json"));
  ASSERT_EQ(r.batch.releases.size(), 1u);
  const model::Release& rel = r.batch.releases[0];
  EXPECT_EQ(rel.repo, "Codertocat/Hello-World");
  EXPECT_EQ(rel.tag, "0.0.1");
  EXPECT_EQ(rel.sha, "");  // target_commitish is "master", not a sha
  EXPECT_EQ(rel.created_unix_ms, CivilToMillis(2019, 5, 15, 15, 20, 53));
  EXPECT_FALSE(rel.prerelease);
  EXPECT_EQ(rel.ref, (model::SourceRef{"github", "d-1"}));
}

TEST(DecodeGithubTest, ReleasesOtherThanPublishedAreIgnored) {
  for (const char* file : {"release/created.payload.json", "release/prereleased.payload.json",
                           "release/edited.payload.json", "release/deleted.payload.json"}) {
    WebhookResult r = DecodeOrDie("release", Example(file));
    EXPECT_TRUE(r.ignored) << file;
    EXPECT_THAT(r.batch.releases, IsEmpty()) << file;
  }
  Json draft = Json::parse(Example("release/published.payload.json"));
  draft["release"]["draft"] = true;
  EXPECT_TRUE(DecodeOrDie("release", draft.dump()).ignored);
}

TEST(DecodeGithubTest, PrereleaseAndShaTarget) {
  Json body = Json::parse(Example("release/published.payload.json"));
  body["release"]["prerelease"] = true;
  body["release"]["target_commitish"] = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
  WebhookResult r = DecodeOrDie("release", body.dump());
  ASSERT_EQ(r.batch.releases.size(), 1u);
  EXPECT_TRUE(r.batch.releases[0].prerelease);
  EXPECT_EQ(r.batch.releases[0].sha, "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
}

TEST(DecodeGithubTest, CreateTagIsARelease) {
  WebhookResult r = DecodeOrDie("create", Example("create/payload.json"));
  ASSERT_EQ(r.batch.releases.size(), 1u);
  EXPECT_EQ(r.batch.releases[0].tag, "simple-tag");
  EXPECT_EQ(r.batch.releases[0].sha, "");
  EXPECT_EQ(r.batch.releases[0].created_unix_ms, CivilToMillis(2019, 5, 15, 15, 20, 56));

  Json branch = Json::parse(Example("create/payload.json"));
  branch["ref_type"] = "branch";
  EXPECT_TRUE(DecodeOrDie("create", branch.dump()).ignored);
  EXPECT_TRUE(DecodeOrDie("delete", Example("delete/payload.json")).ignored);
}

TEST(DecodeGithubTest, OtherEventsAreIgnored) {
  for (auto [event, file] : std::vector<std::pair<std::string, std::string>>{
           {"ping", "ping/payload.json"},
           {"issues", "issues/opened.payload.json"},
           {"check_run", "check_run/completed.payload.json"},
           {"workflow_job", "workflow_job/completed.success.with-organization.payload.json"}}) {
    WebhookResult r = DecodeOrDie(event, Example(file));
    EXPECT_TRUE(r.ignored) << event;
    EXPECT_TRUE(r.batch.empty()) << event;
    EXPECT_EQ(r.dedupe_key, "github:d-1");
  }
  WebhookResult unknown = DecodeOrDie("some_future_event", R"({"action":"happened"})");
  EXPECT_TRUE(unknown.ignored);
  EXPECT_EQ(unknown.event, "some_future_event.happened");
}

TEST(DecodeGithubTest, FormEncodedBody) {
  std::string json = R"({"zen":"Keep it logically awesome.","hook_id":1})";
  std::string form =
      "payload=%7B%22zen%22%3A%22Keep+it+logically+awesome.%22%2C%22hook_id%22%3A1%7D";
  WebhookResult r = DecodeOrDie("ping", form);
  EXPECT_TRUE(r.ignored);

  std::string pr = Example("pull_request/closed.payload.json");
  std::string encoded = "payload=";
  for (unsigned char c : pr) {
    encoded += fmt::format("%{:02X}", c);
  }
  WebhookResult decoded = DecodeOrDie("pull_request", encoded);
  ASSERT_EQ(decoded.batch.changes.size(), 1u);
  EXPECT_EQ(decoded.batch.changes[0].number, 2);
}

TEST(DecodeGithubTest, MissingDeliveryIdHashesTheBody) {
  std::string body = Example("ping/payload.json");
  WebhookResult r = DecodeOrDie("ping", body, "");
  EXPECT_EQ(r.dedupe_key, "github:body:" + Hash128Hex(body));
}

TEST(DecodeGithubTest, RejectsMalformedInput) {
  EXPECT_THAT(DecodeGithub("", "d", "{}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("X-GitHub-Event")));
  EXPECT_THAT(
      DecodeGithub("push", "d", "not json").status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("github_webhook: body is not JSON")));
  EXPECT_THAT(DecodeGithub("push", "d", "[1,2]").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be a JSON object")));
  EXPECT_THAT(DecodeGithub("push", "d", "").status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeGithub("ping", "d", std::string(100000, '[')).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("nests deeper")));

  Json no_repo = Json::parse(Example("pull_request/closed.payload.json"));
  no_repo.erase("repository");
  EXPECT_THAT(DecodeGithub("pull_request", "d", no_repo.dump()).status(),
              StatusIs(StatusCode::kInvalidArgument, "github_webhook: repository: missing"));

  Json bad_commit = Json::parse(Example("push/with-new-branch.payload.json"));
  bad_commit["commits"][0]["timestamp"] = 1557933565.5;
  EXPECT_THAT(DecodeGithub("push", "d", bad_commit.dump()).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("github_webhook: commits[0].timestamp: expected a timestamp")));

  Json bad_labels = Json::parse(Example("pull_request/closed.payload.json"));
  bad_labels["pull_request"]["labels"] = "bug";
  EXPECT_THAT(DecodeGithub("pull_request", "d", bad_labels.dump()).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       "github_webhook: pull_request.labels: expected an array, got a string"));
}

TEST(DecodeGithubTest, ErrorsNeverEchoThePayload) {
  Json body = Json::parse(Example("pull_request/closed.payload.json"));
  body["pull_request"]["merged"] = true;
  body["pull_request"]["merged_at"] = "token ghp_SECRETSECRET";
  Result<WebhookResult> r = DecodeGithub("pull_request", "d", body.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), Not(HasSubstr("SECRET")));

  Result<WebhookResult> broken = DecodeGithub("ping", "d", R"({"a": ghp_SECRETSECRET})");
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.status().message(), Not(HasSubstr("SECRET")));
}

}  // namespace
}  // namespace goodhart::receivers::webhook
