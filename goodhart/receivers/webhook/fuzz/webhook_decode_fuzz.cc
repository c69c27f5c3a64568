// Fuzz target: every input as the body of each GitHub event goodhart decodes, each GitLab hook,
// a CDEvent in all three CloudEvents modes, and the generic deployment and incident API.
// Rejections must be clear (base/testing/fuzz_checks.h). docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (std::string_view event :
       {"push", "pull_request", "pull_request_review", "deployment", "deployment_status",
        "workflow_run", "release", "create", "ping"}) {
    RequireClearRejection(webhook::DecodeGithub(event, "fuzz-delivery", body).status(),
                          "github_webhook");
  }
  for (std::string_view hook : {"Merge Request Hook", "Push Hook", "Deployment Hook",
                                "Pipeline Hook", "Release Hook", "System Hook"}) {
    RequireClearRejection(webhook::DecodeGitlab(hook, "", body).status(), "gitlab_webhook");
  }
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
