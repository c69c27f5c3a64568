#include "goodhart/receivers/webhook/generic_decoder.h"

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
using ::testing::HasSubstr;
using Json = nlohmann::json;

TEST(DecodeGenericDeploymentTest, DevLakeShapeGivesOneDeploymentPerCommit) {
  std::string body = ReadTestdata("generic_deployment_devlake.json");
  Result<WebhookResult> r = DecodeGenericDeployment(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->ignored);
  EXPECT_EQ(r->source, "api");
  EXPECT_EQ(r->event, "deployment");
  EXPECT_EQ(r->dedupe_key, "api:deployments:deploy-2026-03-04-1:" + Hash128Hex(body));
  ASSERT_EQ(r->batch.deployments.size(), 2u);
  const model::Deployment& a = r->batch.deployments[0];
  EXPECT_EQ(a.id, "api:deploy-2026-03-04-1");
  EXPECT_EQ(a.ref, (model::SourceRef{"api", "deploy-2026-03-04-1"}));
  EXPECT_EQ(a.repo, "acme/shop");
  EXPECT_EQ(a.commit_sha, "9f2c1e7d3b4a5c6d7e8f90a1b2c3d4e5f6a7b8c9");
  EXPECT_EQ(a.ref_name, "main");
  EXPECT_EQ(a.status, "success");
  EXPECT_EQ(a.environment, "PRODUCTION");
  EXPECT_EQ(a.environment_tier, "production");
  EXPECT_EQ(a.service, "checkout");
  EXPECT_EQ(a.started_unix_ms, CivilToMillis(2026, 3, 4, 9, 0, 0));
  EXPECT_EQ(a.finished_unix_ms, CivilToMillis(2026, 3, 4, 9, 5, 0));  // the commit's own
  const model::Deployment& b = r->batch.deployments[1];
  EXPECT_EQ(b.id, a.id);  // one deployment, two commits
  EXPECT_EQ(b.repo, "payments/api");
  EXPECT_EQ(b.ref_name, "release/7");
  EXPECT_EQ(b.started_unix_ms, CivilToMillis(2026, 3, 4, 9, 0, 0));     // the deployment's
  EXPECT_EQ(b.finished_unix_ms, CivilToMillis(2026, 3, 4, 9, 12, 30));  // the deployment's
  EXPECT_EQ(a.pipeline, "");
}

TEST(DecodeGenericDeploymentTest, PipelineNamesTheDefinitionInBothForms) {
  Json body = Json::parse(ReadTestdata("generic_deployment_devlake.json"));
  body["pipeline"] = "jenkins/shop-deploy";
  Result<WebhookResult> r = DecodeGenericDeployment(body.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const auto& d : r->batch.deployments) {
    EXPECT_EQ(d.pipeline, "jenkins/shop-deploy");
    EXPECT_EQ(d.pipeline_id, "");
  }
  Json legacy = Json::parse(ReadTestdata("generic_deployment_legacy.json"));
  legacy["pipeline"] = "argocd/shop";
  r = DecodeGenericDeployment(legacy.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->batch.deployments[0].pipeline, "argocd/shop");
  legacy["pipeline"] = 7;
  r = DecodeGenericDeployment(legacy.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), ::testing::HasSubstr("pipeline"));
}

TEST(DecodeGenericDeploymentTest, ResultsAndEnvironments) {
  Json body = Json::parse(ReadTestdata("generic_deployment_devlake.json"));
  for (auto [result, status] :
       std::vector<std::pair<std::string, std::string>>{{"FAILURE", "failure"},
                                                        {"failed", "failure"},
                                                        {"ABORT", "cancelled"},
                                                        {"success", "success"}}) {
    body["result"] = result;
    Result<WebhookResult> r = DecodeGenericDeployment(body.dump());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->batch.deployments[0].status, status) << result;
  }
  body.erase("result");
  body["environment"] = "eu-canary";
  Result<WebhookResult> r = DecodeGenericDeployment(body.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->batch.deployments[0].status, "success");  // DevLake's default
  EXPECT_EQ(r->batch.deployments[0].environment, "eu-canary");
  EXPECT_EQ(r->batch.deployments[0].environment_tier, "");
  body.erase("environment");
  r = DecodeGenericDeployment(body.dump());
  EXPECT_EQ(r->batch.deployments[0].environment_tier, "production");  // DevLake's default
}

TEST(DecodeGenericDeploymentTest, LegacyFlatForm) {
  std::string body = ReadTestdata("generic_deployment_legacy.json");
  Result<WebhookResult> r = DecodeGenericDeployment(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->batch.deployments.size(), 1u);
  const model::Deployment& d = r->batch.deployments[0];
  EXPECT_EQ(d.repo, "acme/shop");
  EXPECT_EQ(d.commit_sha, "4b1d0c2e9a8f7e6d5c4b3a29180716253a4b5c6d");
  EXPECT_EQ(d.environment, "STAGING");
  EXPECT_EQ(d.environment_tier, "staging");
  EXPECT_EQ(d.status, "success");
  EXPECT_EQ(d.started_unix_ms, CivilToMillis(2026, 3, 1, 10, 0, 0));
  EXPECT_EQ(d.finished_unix_ms, CivilToMillis(2026, 3, 1, 10, 7, 0));
  // No id in the legacy form: a stable one from repo, commit and end time.
  EXPECT_TRUE(d.id.starts_with("api:"));
  EXPECT_EQ(d.id.size(), 4u + 32u);
  Result<WebhookResult> again = DecodeGenericDeployment(body);
  EXPECT_EQ(again->batch.deployments[0].id, d.id);
  EXPECT_EQ(again->dedupe_key, r->dedupe_key);
}

TEST(DecodeGenericDeploymentTest, RejectsMalformedShapes) {
  EXPECT_THAT(DecodeGenericDeployment(ReadTestdata("generic_deployment_bad_commit.json")).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_deployment: deploymentCommits[1].commitSha: not a hex commit id "
                       "(7 to 64 digits)"));
  Json good = Json::parse(ReadTestdata("generic_deployment_devlake.json"));
  auto with = [&](auto edit) {
    Json body = good;
    edit(body);
    return DecodeGenericDeployment(body.dump()).status();
  };
  EXPECT_THAT(with([](Json& b) { b.erase("id"); }),
              StatusIs(StatusCode::kInvalidArgument, "generic_deployment: id: missing"));
  EXPECT_THAT(with([](Json& b) { b.erase("finishedDate"); }),
              StatusIs(StatusCode::kInvalidArgument, "generic_deployment: finishedDate: missing"));
  EXPECT_THAT(
      with([](Json& b) { b["finishedDate"] = "soon"; }),
      StatusIs(StatusCode::kInvalidArgument, "generic_deployment: finishedDate: not a timestamp"));
  EXPECT_THAT(
      with([](Json& b) { b["finishedDate"] = "2026-03-04T08:00:00Z"; }),
      StatusIs(StatusCode::kInvalidArgument, "generic_deployment: finishedDate: before the start"));
  EXPECT_THAT(with([](Json& b) { b["result"] = "MAYBE"; }),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_deployment: result: expected SUCCESS, FAILURE or ABORT"));
  EXPECT_THAT(with([](Json& b) { b["deploymentCommits"] = Json::array(); }),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("deploymentCommits: empty")));
  EXPECT_THAT(with([](Json& b) { b["deploymentCommits"] = "abc"; }),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_deployment: deploymentCommits: expected an array, got a string"));
  EXPECT_THAT(with([](Json& b) { b["deploymentCommits"][0].erase("repoUrl"); }),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_deployment: deploymentCommits[0].repoUrl: missing"));
  EXPECT_THAT(with([](Json& b) { b["deploymentCommits"][0]["repoUrl"] = "https://github.com/"; }),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no repository path")));
  EXPECT_THAT(with([](Json& b) { b["deploymentCommits"][1] = 7; }),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_deployment: deploymentCommits[1]: expected an object"));
  EXPECT_THAT(with([](Json& b) { b.erase("deploymentCommits"); }),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("deploymentCommits: missing")));
  EXPECT_THAT(DecodeGenericDeployment("[]").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be a JSON object")));
  EXPECT_THAT(DecodeGenericDeployment(R"({"repo_url": "https://github.com/a/b"})").status(),
              StatusIs(StatusCode::kInvalidArgument, "generic_deployment: commit_sha: missing"));
}

TEST(DecodeGenericIncidentTest, ResolvedIncident) {
  std::string body = ReadTestdata("generic_incident_resolved.json");
  Result<WebhookResult> r = DecodeGenericIncident(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->event, "incident");
  EXPECT_EQ(r->dedupe_key, "api:incidents:INC-7:" + Hash128Hex(body));
  ASSERT_EQ(r->batch.incidents.size(), 1u);
  const model::Incident& i = r->batch.incidents[0];
  EXPECT_EQ(i.id, "api:INC-7");
  EXPECT_EQ(i.ref, (model::SourceRef{"api", "INC-7"}));
  EXPECT_EQ(i.title, "Checkout p99 above 2s");
  EXPECT_EQ(i.status, "resolved");
  EXPECT_EQ(i.service, "checkout");
  EXPECT_EQ(i.environment, "production");
  EXPECT_EQ(i.severity, "SEV2");
  EXPECT_EQ(i.caused_by_deployment, "api:deploy-2026-03-04-1");
  EXPECT_EQ(i.started_unix_ms, CivilToMillis(2026, 3, 4, 9, 30, 0));
  EXPECT_EQ(i.detected_unix_ms, CivilToMillis(2026, 3, 4, 9, 30, 0));
  EXPECT_EQ(i.resolved_unix_ms, CivilToMillis(2026, 3, 4, 10, 45, 0));
}

TEST(DecodeGenericIncidentTest, StatusesAndLinks) {
  Json body = Json::parse(ReadTestdata("generic_incident_resolved.json"));
  body.erase("resolutionDate");
  for (auto [status, want] : std::vector<std::pair<std::string, std::string>>{
           {"TODO", "open"}, {"in-progress", "in_progress"}, {"IN_PROGRESS", "in_progress"}}) {
    body["status"] = status;
    Result<WebhookResult> r = DecodeGenericIncident(body.dump());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->batch.incidents[0].status, want) << status;
  }
  body.erase("status");
  EXPECT_EQ(DecodeGenericIncident(body.dump())->batch.incidents[0].status, "open");
  body["deployment_id"] = "github:acme/shop/deployments/9";  // a goodhart id passes through
  EXPECT_EQ(DecodeGenericIncident(body.dump())->batch.incidents[0].caused_by_deployment,
            "github:acme/shop/deployments/9");
  body.erase("deployment_id");
  body["deploymentId"] = 42;
  EXPECT_EQ(DecodeGenericIncident(body.dump())->batch.incidents[0].caused_by_deployment, "api:42");
  // A status update is a new delivery: the dedupe key changes with the body.
  std::string open = body.dump();
  body["status"] = "DONE";
  body["resolutionDate"] = "2026-03-04T11:00:00Z";
  EXPECT_NE(DecodeGenericIncident(open)->dedupe_key,
            DecodeGenericIncident(body.dump())->dedupe_key);
}

TEST(DecodeGenericIncidentTest, RejectsMalformedShapes) {
  EXPECT_THAT(
      DecodeGenericIncident(ReadTestdata("generic_incident_resolved_without_date.json")).status(),
      StatusIs(StatusCode::kInvalidArgument,
               "generic_incident: resolutionDate: required when the incident is resolved"));
  Json good = Json::parse(ReadTestdata("generic_incident_resolved.json"));
  auto with = [&](auto edit) {
    Json body = good;
    edit(body);
    return DecodeGenericIncident(body.dump()).status();
  };
  EXPECT_THAT(with([](Json& b) { b.erase("id"); }),
              StatusIs(StatusCode::kInvalidArgument, "generic_incident: id: missing"));
  EXPECT_THAT(with([](Json& b) { b["id"] = true; }),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_incident: id: expected a string or an integer, got a boolean"));
  EXPECT_THAT(with([](Json& b) { b.erase("createdDate"); }),
              StatusIs(StatusCode::kInvalidArgument, "generic_incident: createdDate: missing"));
  EXPECT_THAT(with([](Json& b) { b["status"] = "ON_FIRE"; }),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_incident: status: expected TODO, IN_PROGRESS or DONE"));
  EXPECT_THAT(with([](Json& b) { b["status"] = "TODO"; }),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_incident: status: an incident with a resolutionDate must be DONE"));
  EXPECT_THAT(
      with([](Json& b) { b["resolutionDate"] = "2026-03-04T09:00:00Z"; }),
      StatusIs(StatusCode::kInvalidArgument, "generic_incident: resolutionDate: before the start"));
  EXPECT_THAT(with([](Json& b) { b["title"] = Json::array(); }),
              StatusIs(StatusCode::kInvalidArgument,
                       "generic_incident: title: expected a string, got an array"));
  EXPECT_THAT(
      DecodeGenericIncident("{\"id\": 1,").status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("generic_incident: body is not JSON")));
}

}  // namespace
}  // namespace goodhart::receivers::webhook
