// Fuzz target: every input as a webhook body: to GitHub's decoder as the event its payload looks
// like and as one more event picked by the input's hash, to GitLab's decoder under a hook header
// picked the same way (its object_kind decides), as a CDEvent in all three CloudEvents modes, and
// to the generic deployment and incident API. Each JSON parse costs, so an input is not sent to
// every GitHub event and GitLab hook. Rejections must be clear (base/testing/fuzz_checks.h).
// docs/fuzzing.md.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "goodhart/base/testing/fuzz_checks.h"
#include "goodhart/receivers/webhook/cdevents_decoder.h"
#include "goodhart/receivers/webhook/generic_decoder.h"
#include "goodhart/receivers/webhook/github_decoder.h"
#include "goodhart/receivers/webhook/gitlab_decoder.h"

namespace {

using goodhart::testing::RequireClearRejection;
namespace webhook = goodhart::receivers::webhook;

constexpr std::array<std::string_view, 9> kGithubEvents = {"push",
                                                           "pull_request",
                                                           "pull_request_review",
                                                           "deployment",
                                                           "deployment_status",
                                                           "workflow_run",
                                                           "release",
                                                           "create",
                                                           "ping"};
constexpr std::array<std::string_view, 6> kGitlabHooks = {"Merge Request Hook", "Push Hook",
                                                          "Deployment Hook",    "Pipeline Hook",
                                                          "Release Hook",       "System Hook"};

// The GitHub event whose payload `body` looks like (its distinctive top-level keys).
std::string_view GithubEventOf(std::string_view body) {
  auto has = [&](std::string_view key) { return body.find(key) != std::string_view::npos; };
  if (has("\"deployment_status\""))
    return "deployment_status";
  if (has("\"workflow_run\""))
    return "workflow_run";
  if (has("\"pull_request\""))
    return has("\"review\"") ? "pull_request_review" : "pull_request";
  if (has("\"ref_type\""))
    return "create";
  if (has("\"release\""))
    return "release";
  if (has("\"deployment\""))
    return "deployment";
  if (has("\"commits\"") || has("\"head_commit\""))
    return "push";
  return "ping";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const size_t hash = std::hash<std::string_view>{}(body);
  const std::string_view looks_like = GithubEventOf(body);
  const std::string_view other = kGithubEvents[hash % kGithubEvents.size()];
  RequireClearRejection(webhook::DecodeGithub(looks_like, "fuzz-delivery", body).status(),
                        "github_webhook");
  if (other != looks_like) {
    RequireClearRejection(webhook::DecodeGithub(other, "fuzz-delivery", body).status(),
                          "github_webhook");
  }
  const std::string_view hook = kGitlabHooks[(hash / kGithubEvents.size()) % kGitlabHooks.size()];
  RequireClearRejection(webhook::DecodeGitlab(hook, "", body).status(), "gitlab_webhook");
  const std::map<std::string, std::string> binary_headers = {
      {"ce-specversion", "1.0"}, {"ce-type", "dev.cdevents.service.deployed.0.2.0"}};
  for (std::string_view type :
       {"application/cloudevents-batch+json", "application/cloudevents+json", "application/json"}) {
    RequireClearRejection(webhook::DecodeCdevents(type, binary_headers, body).status(), "cdevents");
  }
  RequireClearRejection(webhook::DecodeGenericDeployment(body).status(), "generic_deployment");
  RequireClearRejection(webhook::DecodeGenericIncident(body).status(), "generic_incident");
  return 0;
}
