#include "goodhart/receivers/webhook/gitlab_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "goodhart/base/hash.h"
#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"

namespace goodhart::receivers::webhook {
namespace {

using ::goodhart::testing::ReadTestdata;
using ::goodhart::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

WebhookResult DecodeOrDie(std::string_view event, std::string_view body,
                          std::string_view key = "idem-1") {
  Result<WebhookResult> r = DecodeGitlab(event, key, body);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : WebhookResult{};
}

TEST(DecodeGitlabTest, MergedMergeRequest) {
  WebhookResult r =
      DecodeOrDie("Merge Request Hook", ReadTestdata("gitlab_merge_request_merged.json"));
  EXPECT_FALSE(r.ignored);
  EXPECT_EQ(r.dedupe_key, "gitlab:idem-1");
  EXPECT_EQ(r.source, "gitlab");
  EXPECT_EQ(r.event, "Merge Request Hook");
  ASSERT_EQ(r.batch.changes.size(), 1u);
  const model::Change& c = r.batch.changes[0];
  EXPECT_EQ(c.ref, (model::SourceRef{"gitlab", "idem-1"}));
  EXPECT_EQ(c.id, "gitlab:mike/diaspora!7");
  EXPECT_EQ(c.repo, "mike/diaspora");
  EXPECT_EQ(c.number, 7);
  EXPECT_EQ(c.title, "MS-Viewport");
  EXPECT_TRUE(c.merged);
  EXPECT_EQ(c.state, "merged");
  EXPECT_EQ(c.merge_sha, "e4c2b4a1d0c9f8e7d6c5b4a39281706f5e4d3c2b");
  EXPECT_EQ(c.merged_by, "root");         // the user acting on the "merge" action
  EXPECT_EQ(c.author, "gitlab-user:51");  // the author is named only by id
  EXPECT_EQ(c.base_ref, "master");
  EXPECT_EQ(c.head_ref, "claude/ms-viewport");
  EXPECT_EQ(c.head_sha, "da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
  // "2022-01-05 04:36:28 -0800" and "2022-01-12T09:47:26.948+01:00".
  EXPECT_EQ(c.created_unix_ms, CivilToMillis(2022, 1, 5, 12, 36, 28));
  EXPECT_EQ(c.merged_unix_ms, CivilToMillis(2022, 1, 12, 8, 47, 26) + 948);
  EXPECT_EQ(c.closed_unix_ms, c.merged_unix_ms);
  EXPECT_THAT(c.labels, ElementsAre("API", "frontend"));
  EXPECT_THAT(r.batch.reviews, IsEmpty());
  // A claude/ branch and a "Generated with [Claude Code]" description.
  EXPECT_THAT(c.ai_markers, Contains(AllOf(Field(&model::AiMarker::tool, "claude-code"),
                                           Field(&model::AiMarker::kind, "branch"))));
  EXPECT_THAT(c.ai_markers, Contains(AllOf(Field(&model::AiMarker::tool, "claude-code"),
                                           Field(&model::AiMarker::kind, "body"))));
}

TEST(DecodeGitlabTest, OpenedMergeRequestByItsAuthor) {
  Json body = Json::parse(ReadTestdata("gitlab_merge_request_merged.json"));
  body["object_attributes"]["state"] = "opened";
  body["object_attributes"]["action"] = "open";
  body["object_attributes"]["author_id"] = 1;
  body["object_attributes"].erase("labels");
  WebhookResult r = DecodeOrDie("Merge Request Hook", body.dump());
  ASSERT_EQ(r.batch.changes.size(), 1u);
  const model::Change& c = r.batch.changes[0];
  EXPECT_EQ(c.state, "open");
  EXPECT_FALSE(c.merged);
  EXPECT_EQ(c.merge_sha, "");  // not merged: the sha is not a merge
  EXPECT_EQ(c.merged_unix_ms, 0);
  EXPECT_EQ(c.author, "root");
  EXPECT_THAT(c.labels, ElementsAre("API", "frontend"));  // from the top-level list
}

TEST(DecodeGitlabTest, ClosedUnmergedMergeRequest) {
  Json body = Json::parse(ReadTestdata("gitlab_merge_request_merged.json"));
  body["object_attributes"]["state"] = "closed";
  body["object_attributes"]["action"] = "close";
  WebhookResult r = DecodeOrDie("Merge Request Hook", body.dump());
  ASSERT_EQ(r.batch.changes.size(), 1u);
  EXPECT_EQ(r.batch.changes[0].state, "closed");
  EXPECT_FALSE(r.batch.changes[0].merged);
  EXPECT_EQ(r.batch.changes[0].closed_unix_ms, CivilToMillis(2022, 1, 12, 8, 47, 26) + 948);
}

TEST(DecodeGitlabTest, ApprovalIsAReview) {
  Json body = Json::parse(ReadTestdata("gitlab_merge_request_merged.json"));
  body["object_attributes"]["state"] = "opened";
  body["object_attributes"]["action"] = "approved";
  WebhookResult r = DecodeOrDie("Merge Request Hook", body.dump());
  ASSERT_EQ(r.batch.reviews.size(), 1u);
  const model::Review& v = r.batch.reviews[0];
  EXPECT_EQ(v.change_id, "gitlab:mike/diaspora!7");
  EXPECT_EQ(v.reviewer, "root");
  EXPECT_EQ(v.state, "approved");
  EXPECT_EQ(v.commit_sha, "da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
  EXPECT_EQ(v.submitted_unix_ms, CivilToMillis(2022, 1, 12, 8, 47, 26) + 948);
}

TEST(DecodeGitlabTest, SuccessfulDeployment) {
  WebhookResult r = DecodeOrDie("Deployment Hook", ReadTestdata("gitlab_deployment_success.json"));
  ASSERT_EQ(r.batch.deployments.size(), 1u);
  const model::Deployment& d = r.batch.deployments[0];
  EXPECT_EQ(d.id, "gitlab:mike/diaspora/deployments/15");
  EXPECT_EQ(d.ref, (model::SourceRef{"gitlab", "idem-1"}));
  EXPECT_EQ(d.repo, "mike/diaspora");
  EXPECT_EQ(d.status, "success");
  EXPECT_EQ(d.environment, "production");
  EXPECT_EQ(d.environment_tier, "production");
  EXPECT_EQ(d.commit_sha, "279484c09fbe69ededfced8c1bb6e6d24616b468");  // from commit_url
  EXPECT_EQ(d.ref_name, "master");
  EXPECT_EQ(d.triggered_by, "root");
  EXPECT_EQ(d.finished_unix_ms, CivilToMillis(2022, 1, 18, 5, 35, 35));  // "... UTC"
  EXPECT_EQ(d.started_unix_ms, 0);
}

TEST(DecodeGitlabTest, DeploymentStatuses) {
  Json body = Json::parse(ReadTestdata("gitlab_deployment_success.json"));
  body["status_changed_at"] = "2021-04-28 21:50:00 +0200";
  for (auto [status, want] : std::vector<std::pair<std::string, std::string>>{
           {"running", "in_progress"}, {"failed", "failure"}, {"canceled", "cancelled"}}) {
    body["status"] = status;
    WebhookResult r = DecodeOrDie("Deployment Hook", body.dump());
    ASSERT_EQ(r.batch.deployments.size(), 1u);
    const model::Deployment& d = r.batch.deployments[0];
    EXPECT_EQ(d.status, want);
    int64_t at = CivilToMillis(2021, 4, 28, 19, 50, 0);
    EXPECT_EQ(status == "running" ? d.started_unix_ms : d.finished_unix_ms, at) << status;
  }
  body["commit_url"] = "not-a-url";
  WebhookResult short_sha = DecodeOrDie("Deployment Hook", body.dump());
  EXPECT_EQ(short_sha.batch.deployments[0].commit_sha, "279484c0");
}

TEST(DecodeGitlabTest, PushGivesCommits) {
  WebhookResult r = DecodeOrDie("Push Hook", ReadTestdata("gitlab_push.json"));
  ASSERT_EQ(r.batch.commits.size(), 2u);
  const model::Commit& a = r.batch.commits[0];
  EXPECT_EQ(a.sha, "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327");
  EXPECT_EQ(a.repo, "mike/diaspora");
  EXPECT_EQ(a.subject, "Update Catalan translation to e38cb41.");
  EXPECT_THAT(a.trailers, IsEmpty());
  EXPECT_EQ(a.author_name, "Jordi Mallach");
  EXPECT_EQ(a.author_email, "jordi@softcatala.org");
  EXPECT_EQ(a.authored_unix_ms, CivilToMillis(2011, 12, 12, 12, 27, 31));  // +02:00
  ASSERT_EQ(a.files.size(), 2u);
  EXPECT_EQ(a.files[0].path, "CHANGELOG");
  EXPECT_EQ(a.files[1].path, "app/controller/application.rb");
  const model::Commit& b = r.batch.commits[1];
  EXPECT_EQ(b.authored_unix_ms, CivilToMillis(2012, 1, 4, 7, 36, 29));  // "... -0800"
  EXPECT_THAT(b.co_authors, ElementsAre("Codex <noreply@openai.com>"));
  EXPECT_THAT(b.ai_markers, Contains(AllOf(Field(&model::AiMarker::tool, "codex"),
                                           Field(&model::AiMarker::kind, "trailer"))));
  EXPECT_THAT(a.ai_markers, IsEmpty());
  EXPECT_EQ(b.ref, (model::SourceRef{"gitlab", "idem-1"}));
}

TEST(DecodeGitlabTest, BranchDeleteIsIgnored) {
  Json body = Json::parse(ReadTestdata("gitlab_push.json"));
  body["after"] = "0000000000000000000000000000000000000000";
  body["commits"] = Json::array();
  WebhookResult r = DecodeOrDie("Push Hook", body.dump());
  EXPECT_TRUE(r.ignored);
  EXPECT_EQ(r.entity_count(), 0u);
}

TEST(DecodeGitlabTest, Pipeline) {
  WebhookResult r = DecodeOrDie("Pipeline Hook", ReadTestdata("gitlab_pipeline_success.json"));
  ASSERT_EQ(r.batch.pipeline_runs.size(), 1u);
  const model::PipelineRun& p = r.batch.pipeline_runs[0];
  EXPECT_EQ(p.id, "gitlab:mike/diaspora/pipelines/31");
  EXPECT_EQ(p.attempt, 1);
  EXPECT_EQ(p.name, "Pipeline for branch: master");
  EXPECT_EQ(p.head_sha, "bcbb5ec396a2c0f828686f14fac9b80b780504f2");
  EXPECT_EQ(p.head_branch, "master");
  EXPECT_EQ(p.status, "completed");
  EXPECT_EQ(p.conclusion, "success");
  EXPECT_EQ(p.started_unix_ms, CivilToMillis(2016, 8, 12, 15, 23, 28));
  EXPECT_EQ(p.finished_unix_ms, CivilToMillis(2016, 8, 12, 15, 26, 29));

  Json body = Json::parse(ReadTestdata("gitlab_pipeline_success.json"));
  body["object_attributes"]["status"] = "failed";
  EXPECT_EQ(DecodeOrDie("Pipeline Hook", body.dump()).batch.pipeline_runs[0].conclusion, "failure");
  body["object_attributes"]["status"] = "running";
  body["object_attributes"]["finished_at"] = nullptr;
  WebhookResult running = DecodeOrDie("Pipeline Hook", body.dump());
  EXPECT_EQ(running.batch.pipeline_runs[0].status, "in_progress");
  EXPECT_EQ(running.batch.pipeline_runs[0].conclusion, "");
  EXPECT_EQ(running.batch.pipeline_runs[0].finished_unix_ms, 0);
}

TEST(DecodeGitlabTest, ReleaseHook) {
  WebhookResult r = DecodeOrDie("Release Hook", ReadTestdata("gitlab_release_create.json"));
  ASSERT_EQ(r.batch.releases.size(), 1u);
  EXPECT_EQ(r.batch.releases[0].tag, "v1.1");
  EXPECT_EQ(r.batch.releases[0].repo, "mike/diaspora");
  EXPECT_EQ(r.batch.releases[0].sha, "ee0a3fb31ac16e11b9dbb596ad16d4af654d08f8");
  EXPECT_EQ(r.batch.releases[0].created_unix_ms, CivilToMillis(2020, 11, 2, 12, 55, 12));
  Json update = Json::parse(ReadTestdata("gitlab_release_create.json"));
  update["action"] = "update";
  EXPECT_TRUE(DecodeOrDie("Release Hook", update.dump()).ignored);
}

TEST(DecodeGitlabTest, ObjectKindWinsOverTheHeader) {
  // System hooks send one header for every kind.
  WebhookResult r = DecodeOrDie("System Hook", ReadTestdata("gitlab_push.json"));
  EXPECT_EQ(r.batch.commits.size(), 2u);
  Json body = Json::parse(ReadTestdata("gitlab_push.json"));
  body.erase("object_kind");
  EXPECT_EQ(DecodeOrDie("Push Hook", body.dump()).batch.commits.size(), 2u);
}

TEST(DecodeGitlabTest, OtherHooksAreIgnored) {
  WebhookResult r = DecodeOrDie("Issue Hook", R"({"object_kind":"issue","object_attributes":{}})");
  EXPECT_TRUE(r.ignored);
  WebhookResult tag =
      DecodeOrDie("Tag Push Hook", R"({"object_kind":"tag_push","ref":"refs/tags/v1"})");
  EXPECT_TRUE(tag.ignored);
}

TEST(DecodeGitlabTest, DedupeKeyFallsBackToTheBodyHash) {
  std::string body = ReadTestdata("gitlab_push.json");
  EXPECT_EQ(DecodeOrDie("Push Hook", body, "").dedupe_key, "gitlab:body:" + Hash128Hex(body));
}

TEST(DecodeGitlabTest, RejectsMalformedPayloads) {
  EXPECT_THAT(DecodeGitlab("", "k", "{}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("X-Gitlab-Event")));
  EXPECT_THAT(
      DecodeGitlab("Push Hook", "k", "{").status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("gitlab_webhook: body is not JSON")));
  Json bad_time = Json::parse(ReadTestdata("gitlab_deployment_success.json"));
  bad_time["status_changed_at"] = "18/01/2022 05:35";
  EXPECT_THAT(
      DecodeGitlab("Deployment Hook", "k", bad_time.dump()).status(),
      StatusIs(StatusCode::kInvalidArgument, "gitlab_webhook: status_changed_at: not a timestamp"));
  Json no_project = Json::parse(ReadTestdata("gitlab_merge_request_merged.json"));
  no_project["project"].erase("path_with_namespace");
  EXPECT_THAT(DecodeGitlab("Merge Request Hook", "k", no_project.dump()).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       "gitlab_webhook: project.path_with_namespace: missing"));
  Json bad_commits = Json::parse(ReadTestdata("gitlab_push.json"));
  bad_commits["commits"][1]["timestamp"] = nullptr;
  EXPECT_THAT(
      DecodeGitlab("Push Hook", "k", bad_commits.dump()).status(),
      StatusIs(StatusCode::kInvalidArgument, "gitlab_webhook: commits[1].timestamp: missing"));
}

}  // namespace
}  // namespace goodhart::receivers::webhook
