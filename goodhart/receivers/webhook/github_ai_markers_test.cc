// The AI markers the GitHub decoder attaches through the shared registry
// (goodhart/processors/ai_markers): PR authors, bodies, branches and pushed commits' trailers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/webhook/github_decoder.h"

namespace goodhart::receivers::webhook {
namespace {

using ::goodhart::testing::ReadCorpus;
using ::goodhart::testing::ReadTestdata;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using Json = nlohmann::json;

std::string Example(const std::string& relative) {
  return ReadCorpus("octokit-webhooks/payload-examples/api.github.com/" + relative);
}

WebhookResult DecodeOrDie(std::string_view event, std::string_view body) {
  Result<WebhookResult> r = DecodeGithub(event, "d-1", body);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : WebhookResult{};
}

auto Marker(std::string tool, std::string kind) {
  return AllOf(Field(&model::AiMarker::tool, tool), Field(&model::AiMarker::kind, kind));
}

TEST(GithubAiMarkersTest, HumanPullRequestHasNoAiMarkers) {
  WebhookResult r = DecodeOrDie("pull_request", Example("pull_request/closed.payload.json"));
  ASSERT_EQ(r.batch.changes.size(), 1u);
  EXPECT_THAT(r.batch.changes[0].ai_markers, IsEmpty());
}

TEST(GithubAiMarkersTest, AiMarkersOnPullRequests) {
  Json base = Json::parse(Example("pull_request/opened.payload.json"));
  auto markers = [&](std::string login, std::string type, std::string head_ref, Json body) {
    Json b = base;
    b["pull_request"]["user"]["login"] = login;
    b["pull_request"]["user"]["type"] = type;
    b["pull_request"]["head"]["ref"] = head_ref;
    b["pull_request"]["body"] = body;
    WebhookResult r = DecodeOrDie("pull_request", b.dump());
    EXPECT_EQ(r.batch.changes.size(), 1u);
    return r.batch.changes.empty() ? std::vector<model::AiMarker>{} : r.batch.changes[0].ai_markers;
  };
  // The Copilot coding agent: login Copilot, type Bot, a copilot/ branch.
  auto copilot = markers("Copilot", "Bot", "copilot/fix-flaky-test", nullptr);
  EXPECT_THAT(copilot, Contains(Marker("copilot", "pr_author")));
  EXPECT_THAT(copilot, Contains(Marker("copilot", "branch")));
  EXPECT_THAT(markers("claude[bot]", "Bot", "main", ""),
              Contains(Marker("claude-code", "pr_author")));
  EXPECT_THAT(markers("devin-ai-integration[bot]", "Bot", "main", ""),
              Contains(Marker("devin", "pr_author")));
  EXPECT_THAT(markers("google-labs-jules[bot]", "Bot", "main", ""),
              Contains(Marker("jules", "pr_author")));
  for (std::string link : {"https://claude.ai/code", "https://claude.com/claude-code"}) {
    std::string body =
        "Adds retries.\n\n\xF0\x9F\xA4\x96 Generated with [Claude Code](" + link + ")";
    EXPECT_THAT(markers("ana", "User", "feature/x", body), Contains(Marker("claude-code", "body")))
        << link;
  }
  for (auto [branch, tool] :
       std::vector<std::pair<std::string, std::string>>{{"claude/issue-12", "claude-code"},
                                                        {"codex/retry-budget", "codex"},
                                                        {"cursor/fix-nulls", "cursor"}}) {
    EXPECT_THAT(markers("ana", "User", branch, ""), ElementsAre(Marker(tool, "branch"))) << branch;
  }
  EXPECT_THAT(markers("ana", "User", "feature/claude-ideas", "Plain text."), IsEmpty());
}

TEST(GithubAiMarkersTest, AiMarkersOnPushedCommits) {
  WebhookResult r = DecodeOrDie("push", ReadTestdata("github_push_tag_with_trailers.json"));
  ASSERT_EQ(r.batch.commits.size(), 2u);
  EXPECT_THAT(r.batch.commits[0].ai_markers,
              Contains(AllOf(Marker("claude-code", "trailer"),
                             Field(&model::AiMarker::model, "Claude Opus 4.6"))));
  EXPECT_THAT(r.batch.commits[1].ai_markers, Contains(Marker("claude-code", "body")));
  EXPECT_THAT(r.batch.commits[1].ai_markers, Contains(Marker("claude-code", "trailer")));
  WebhookResult human = DecodeOrDie("push", Example("push/with-new-branch.payload.json"));
  ASSERT_EQ(human.batch.commits.size(), 1u);
  EXPECT_THAT(human.batch.commits[0].ai_markers, IsEmpty());
}

}  // namespace
}  // namespace goodhart::receivers::webhook
