// Robustness: every decoder answers a Status, never a crash, for bodies that are valid JSON of the
// wrong shape (each node of real payloads swapped for every other JSON type in turn) or not JSON
// at all (truncations). Run under ASan+UBSan in CI.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/webhook/cdevents_decoder.h"
#include "goodhart/receivers/webhook/generic_decoder.h"
#include "goodhart/receivers/webhook/github_decoder.h"
#include "goodhart/receivers/webhook/gitlab_decoder.h"

namespace goodhart::receivers::webhook {
namespace {

using ::goodhart::testing::ReadCorpus;
using ::goodhart::testing::ReadTestdata;
using Json = nlohmann::json;
using Decode = std::function<bool(const std::string&)>;  // true when decoded OK

// Drops what no decoder reads (links, avatars, nested repository copies, sender, ...) so the
// mutation sweep stays fast; the fields the decoders read are all kept.
Json Prune(const Json& node) {
  if (node.is_array()) {
    Json out = Json::array();
    for (size_t i = 0; i < node.size() && i < 2; ++i)
      out.push_back(Prune(node[i]));
    return out;
  }
  if (!node.is_object())
    return node;
  Json out = Json::object();
  for (const auto& [key, value] : node.items()) {
    bool unread = key == "url" || key == "node_id" || key == "_links" || key == "sender" ||
                  key == "organization" || key == "installation" || key == "owner" ||
                  key == "repo" || key == "head_repository" || key == "performed_via_github_app" ||
                  (key.size() > 4 && key.substr(key.size() - 4) == "_url");
    if (!unread)
      out[key] = Prune(value);
  }
  return out;
}

// Replaces each node of `doc` (depth-first, skipping subtrees below `max_depth`) with null, a
// number, a string, an array and an object, one at a time, and decodes the result.
void MutateEveryNode(const Json& doc, const Decode& decode, int max_depth = 4) {
  const std::vector<Json> replacements = {
      nullptr, 7, -1.5, "x", Json::array({1}), Json::object({{"k", "v"}}), true};
  std::vector<Json::json_pointer> pointers;
  std::function<void(const Json&, const Json::json_pointer&, int)> walk =
      [&](const Json& node, const Json::json_pointer& at, int depth) {
        pointers.push_back(at);
        if (depth >= max_depth)
          return;
        if (node.is_object()) {
          for (const auto& [key, value] : node.items())
            walk(value, at / key, depth + 1);
        } else if (node.is_array()) {
          for (size_t i = 0; i < node.size() && i < 3; ++i)
            walk(node[i], at / i, depth + 1);
        }
      };
  walk(doc, Json::json_pointer(), 0);
  int decoded = 0;
  for (const auto& pointer : pointers) {
    for (const Json& replacement : replacements) {
      Json mutated = doc;
      mutated[pointer] = replacement;
      decoded += decode(mutated.dump()) ? 1 : 0;
    }
  }
  EXPECT_GT(decoded, 0);  // fields goodhart does not read are free to change
}

void TruncateEverywhere(const std::string& body, const Decode& decode) {
  size_t end = body.find_last_of("}]");  // cutting only trailing whitespace leaves valid JSON
  for (size_t n = 0; n < end; n += 1 + end / 64)
    EXPECT_FALSE(decode(body.substr(0, n))) << n;
}

TEST(MalformedTest, GithubPayloads) {
  for (auto [event, file] : std::vector<std::pair<std::string, std::string>>{
           {"push", "push/with-new-branch.payload.json"},
           {"pull_request", "pull_request/closed.payload.json"},
           {"pull_request_review", "pull_request_review/submitted.payload.json"},
           {"deployment_status", "deployment_status/gh-pages.payload.json"},
           {"workflow_run", "workflow_run/completed.payload.json"},
           {"release", "release/published.payload.json"},
           {"create", "create/payload.json"}}) {
    SCOPED_TRACE(file);
    std::string body = ReadCorpus("octokit-webhooks/payload-examples/api.github.com/" + file);
    Decode decode = [event = event](const std::string& b) {
      return DecodeGithub(event, "d", b).ok();
    };
    MutateEveryNode(Prune(Json::parse(body)), decode, 3);
    TruncateEverywhere(body, decode);
  }
  Decode push = [](const std::string& b) { return DecodeGithub("push", "d", b).ok(); };
  MutateEveryNode(Json::parse(ReadTestdata("github_push_tag_with_trailers.json")), push);
}

TEST(MalformedTest, GitlabPayloads) {
  for (auto [event, file] : std::vector<std::pair<std::string, std::string>>{
           {"Merge Request Hook", "gitlab_merge_request_merged.json"},
           {"Push Hook", "gitlab_push.json"},
           {"Deployment Hook", "gitlab_deployment_success.json"},
           {"Pipeline Hook", "gitlab_pipeline_success.json"},
           {"Release Hook", "gitlab_release_create.json"}}) {
    SCOPED_TRACE(file);
    std::string body = ReadTestdata(file);
    Decode decode = [event = event](const std::string& b) {
      return DecodeGitlab(event, "k", b).ok();
    };
    MutateEveryNode(Json::parse(body), decode);
    TruncateEverywhere(body, decode);
  }
}

TEST(MalformedTest, CdeventsInEveryMode) {
  for (const char* file : {"service_deployed.json", "change_merged.json", "change_reviewed.json",
                           "incident_reported.json", "pipelinerun_finished.json"}) {
    SCOPED_TRACE(file);
    std::string body = ReadCorpus(std::string("cdevents-spec/conformance/") + file);
    Decode binary = [](const std::string& b) {
      return DecodeCdevents("application/json", {}, b).ok();
    };
    MutateEveryNode(Json::parse(body), binary, 5);
    TruncateEverywhere(body, binary);
    Json envelope = {{"specversion", "1.0"},
                     {"id", "1"},
                     {"source", "/s"},
                     {"type", "dev.cdevents.x"},
                     {"data", Json::parse(body)}};
    Decode structured = [](const std::string& b) {
      return DecodeCdevents("application/cloudevents+json", {}, b).ok();
    };
    MutateEveryNode(envelope, structured, 2);
    Decode batch = [](const std::string& b) {
      return DecodeCdevents("application/cloudevents-batch+json", {}, b).ok();
    };
    MutateEveryNode(Json::array({envelope}), batch, 2);
  }
}

TEST(MalformedTest, GenericPayloads) {
  Decode deployment = [](const std::string& b) { return DecodeGenericDeployment(b).ok(); };
  MutateEveryNode(Json::parse(ReadTestdata("generic_deployment_devlake.json")), deployment);
  MutateEveryNode(Json::parse(ReadTestdata("generic_deployment_legacy.json")), deployment);
  TruncateEverywhere(ReadTestdata("generic_deployment_devlake.json"), deployment);
  Decode incident = [](const std::string& b) { return DecodeGenericIncident(b).ok(); };
  MutateEveryNode(Json::parse(ReadTestdata("generic_incident_resolved.json")), incident);
  TruncateEverywhere(ReadTestdata("generic_incident_resolved.json"), incident);
}

TEST(MalformedTest, NonUtf8AndControlBytes) {
  std::string bad_utf8 = "{\"action\":\"opened\",\"x\":\"\xC3\x28\"}";
  EXPECT_FALSE(DecodeGithub("pull_request", "d", bad_utf8).ok());
  std::string nul("{\"a\":1}\0{", 9);
  EXPECT_FALSE(DecodeGitlab("Push Hook", "k", nul).ok());
  EXPECT_FALSE(DecodeGenericIncident("\xEF\xBB\xBF").ok());
  EXPECT_TRUE(DecodeGithub("ping", "d", "\xEF\xBB\xBF{}").ok());  // a BOM is tolerated
}

}  // namespace
}  // namespace goodhart::receivers::webhook
