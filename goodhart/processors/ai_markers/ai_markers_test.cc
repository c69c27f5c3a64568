#include "goodhart/processors/ai_markers/ai_markers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace goodhart::processors {
namespace {

using model::AiMarker;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct CommitExample {
  std::string rule_id;
  std::string name, email, message;
  AiMarker want;  // raw is checked only when set
};

// One or more rows per registry rule, with the case variants formats.md §9 lists.
const std::vector<CommitExample>& CommitExamples() {
  static const std::vector<CommitExample> kExamples = {
      {"claude-code/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n",
       {"claude-code", "Claude Opus 4.6", "trailer",
        "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>"}},
      {"claude-code/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
       {"claude-code", "", "trailer", ""}},
      {"claude-code/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nco-authored-by: claude <NOREPLY@anthropic.com>\n",
       {"claude-code", "", "trailer", ""}},
      {"claude-code/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>\n",
       {"claude-code", "Claude Sonnet 4.5", "trailer", ""}},
      {"claude-code/bot-co-author",
       "Ann",
       "ann@x",
       "Fix (#3)\n\nCo-authored-by: claude[bot] "
       "<209825114+claude[bot]@users.noreply.github.com>\n",
       {"claude-code", "", "trailer", ""}},
      {"claude-code/session",
       "Ann",
       "ann@x",
       "Fix x\n\nClaude-Session: https://claude.ai/code/session_01ABC\n",
       {"claude-code", "", "trailer", "Claude-Session: https://claude.ai/code/session_01ABC"}},
      {"claude-code/generated-with",
       "Ann",
       "ann@x",
       "Fix x\n\n\xF0\x9F\xA4\x96 Generated with [Claude Code](https://claude.ai/code)\n",
       {"claude-code", "", "body",
        "\xF0\x9F\xA4\x96 Generated with [Claude Code](https://claude.ai/code)"}},
      {"claude-code/generated-with",
       "Ann",
       "ann@x",
       "Fix x\n\n\xF0\x9F\xA4\x96 Generated with [Claude Code](https://claude.com/claude-code)\n",
       {"claude-code", "", "body", ""}},
      {"claude-code/generated-with",
       "Ann",
       "ann@x",
       "Fix x\n\n\xF0\x9F\xA4\x96\xF0\x9F\x92\xA5 Generated with [Claude "
       "Code](https://claude.ai/code)"
       " (0% human)\n",
       {"claude-code", "", "body", ""}},
      {"claude-code/generated-with",
       "Ann",
       "ann@x",
       "Fix x\n\n\xF0\x9F\x9A\x80 Generated with Claude Code (https://claude.ai/code)\n",
       {"claude-code", "", "body", ""}},
      {"claude-code/generated-with",
       "Ann",
       "ann@x",
       "Fix x\n\nGenerated with Claude Code https://claude.ai/code\n",
       {"claude-code", "", "body", ""}},
      {"claude-code/bot-author",
       "claude[bot]",
       "41898282+claude[bot]@users.noreply.github.com",
       "chore: release v0.1.2\n",
       {"claude-code", "", "author",
        "claude[bot] <41898282+claude[bot]@users.noreply.github.com>"}},
      {"copilot/agent-author",
       "Copilot",
       "198982749+Copilot@users.noreply.github.com",
       "Add retries\n\nCo-authored-by: ann <1+ann@users.noreply.github.com>\n",
       {"copilot", "", "author", ""}},
      {"copilot/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>\n",
       {"copilot", "", "trailer", ""}},
      {"copilot/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: Copilot <198982749+Copilot@users.noreply.github.com>\n",
       {"copilot", "", "trailer", ""}},
      {"codex/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: Codex <noreply@openai.com>\n",
       {"codex", "", "trailer", ""}},
      {"codex/task-link",
       "Ann",
       "ann@x",
       "Fix x (#9)\n\nhttps://chatgpt.com/codex/tasks/task_e_68a1\n",
       {"codex", "", "body", ""}},
      {"cursor/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\n",
       {"cursor", "", "trailer", ""}},
      {"cursor/agent-author",
       "Cursor Agent",
       "cursoragent@cursor.com",
       "Fix x\n",
       {"cursor", "", "author", ""}},
      {"aider/author-suffix",
       "Paul Gauthier (aider)",
       "paul@x",
       "Fix x\n",
       {"aider", "", "author", ""}},
      {"aider/subject-prefix",
       "Paul",
       "paul@x",
       "aider: Fix x\n",
       {"aider", "", "subject", "aider: Fix x"}},
      {"aider/co-author",
       "Paul",
       "paul@x",
       "Fix x\n\nCo-authored-by: aider (openai/gpt-4o) <noreply@aider.chat>\n",
       {"aider", "openai/gpt-4o", "trailer", ""}},
      {"aider/co-author",
       "Paul",
       "paul@x",
       "Fix x\n\nCo-authored-by: aider <aider@aider.chat>\n",
       {"aider", "", "trailer", ""}},
      {"amp/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: Amp <amp@ampcode.com>\n",
       {"amp", "", "trailer", ""}},
      {"amp/thread",
       "Ann",
       "ann@x",
       "Fix x\n\nAmp-Thread-ID: https://ampcode.com/threads/T-5b1c\n",
       {"amp", "", "trailer", ""}},
      {"crush/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\n\xF0\x9F\x92\x98 Generated with Crush\n\nCo-Authored-By: Crush "
       "<crush@charm.land>\n",
       {"crush", "", "trailer", ""}},
      {"crush/generated-with",
       "Ann",
       "ann@x",
       "Fix x\n\n\xF0\x9F\x92\x98 Generated with Crush\n\nSigned-off-by: Ann <ann@x>\n",
       {"crush", "", "body", ""}},
      {"generic/assisted-by",
       "Ann",
       "ann@x",
       "Fix x\n\nAssisted-by: Crush:claude-sonnet-4-5\n",
       {"crush", "claude-sonnet-4-5", "trailer", ""}},
      {"generic/assisted-by",
       "Ann",
       "ann@x",
       "Fix x\n\nAssisted-by: Claude Code:claude-opus-4-6 coccinelle\n",
       {"claude-code", "claude-opus-4-6", "trailer", ""}},
      {"kiro/session",
       "Ann",
       "ann@x",
       "Fix x\n\nKiro-Session-Id: 4f2a-99\n",
       {"kiro", "", "trailer", ""}},
      {"gemini-cli/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: Gemini CLI <noreply@google.com>\n",
       {"gemini-cli", "", "trailer", ""}},
      {"devin/bot-author",
       "devin-ai-integration[bot]",
       "158243242+devin-ai-integration[bot]@users.noreply.github.com",
       "Fix x\n",
       {"devin", "", "author", ""}},
      {"devin/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: devin-ai-integration[bot] "
       "<158243242+devin-ai-integration[bot]@users.noreply.github.com>\n",
       {"devin", "", "trailer", ""}},
      {"devin/session-link",
       "Ann",
       "ann@x",
       "Fix x\n\nLink to Devin run: https://app.devin.ai/sessions/abc\n\nRequested by: Ann\n",
       {"devin", "", "body", ""}},
      {"jules/bot-author",
       "google-labs-jules[bot]",
       "161369871+google-labs-jules[bot]@users.noreply.github.com",
       "Fix x\n",
       {"jules", "", "author", ""}},
      {"jules/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: google-labs-jules[bot] "
       "<161369871+google-labs-jules[bot]@users.noreply.github.com>\n",
       {"jules", "", "trailer", ""}},
      {"openhands/co-author",
       "Ann",
       "ann@x",
       "Fix x\n\nCo-authored-by: openhands <openhands@all-hands.dev>\n",
       {"openhands", "", "trailer", ""}},
  };
  return kExamples;
}

struct ChangeExample {
  std::string rule_id;
  std::string login, type, head_ref, body;
  AiMarker want;
};

const std::vector<ChangeExample>& ChangeExamples() {
  static const std::vector<ChangeExample> kExamples = {
      {"copilot/pr-author", "Copilot", "Bot", "main", "", {"copilot", "", "pr_author", "Copilot"}},
      {"copilot/pr-author",
       "copilot-swe-agent[bot]",
       "",
       "x",
       "",
       {"copilot", "", "pr_author", ""}},
      {"claude-code/pr-author",
       "claude[bot]",
       "Bot",
       "x",
       "",
       {"claude-code", "", "pr_author", ""}},
      {"devin/pr-author",
       "devin-ai-integration[bot]",
       "Bot",
       "x",
       "",
       {"devin", "", "pr_author", ""}},
      {"jules/pr-author", "google-labs-jules[bot]", "Bot", "x", "", {"jules", "", "pr_author", ""}},
      {"copilot/branch",
       "ann",
       "User",
       "copilot/fix-retry-logic",
       "",
       {"copilot", "", "branch", "copilot/fix-retry-logic"}},
      {"claude-code/branch",
       "ann",
       "User",
       "claude/issue-42-20250601",
       "",
       {"claude-code", "", "branch", ""}},
      {"codex/branch", "ann", "User", "codex/add-tests", "", {"codex", "", "branch", ""}},
      {"cursor/branch", "ann", "User", "cursor/fix-lint-8c1f", "", {"cursor", "", "branch", ""}},
      {"devin/branch", "ann", "User", "devin/1717000000-fix", "", {"devin", "", "branch", ""}},
  };
  return kExamples;
}

MATCHER_P(HasMarker, want, "") {
  for (const AiMarker& m : arg) {
    if (m.tool == want.tool && m.model == want.model && m.kind == want.kind &&
        (want.raw.empty() || m.raw == want.raw)) {
      return true;
    }
  }
  *result_listener << "markers:";
  for (const AiMarker& m : arg)
    *result_listener << " {" << m.tool << "|" << m.model << "|" << m.kind << "|" << m.raw << "}";
  return false;
}

TEST(AiMarkersTest, EveryCommitExampleFindsItsMarker) {
  for (const CommitExample& e : CommitExamples()) {
    SCOPED_TRACE(e.rule_id + ": " + e.message);
    EXPECT_THAT(FindCommitMarkers(e.name, e.email, e.message), HasMarker(e.want));
  }
}

TEST(AiMarkersTest, EveryChangeExampleFindsItsMarker) {
  for (const ChangeExample& e : ChangeExamples()) {
    SCOPED_TRACE(e.rule_id + ": " + e.login + " " + e.head_ref);
    EXPECT_THAT(FindChangeMarkers(e.login, e.type, e.head_ref, e.body), HasMarker(e.want));
  }
}

TEST(AiMarkersTest, EveryRegistryRuleHasAnExample) {
  std::set<std::string> covered;
  for (const CommitExample& e : CommitExamples())
    covered.insert(e.rule_id);
  for (const ChangeExample& e : ChangeExamples())
    covered.insert(e.rule_id);
  std::set<std::string> ids;
  for (const MarkerRule& rule : AiMarkerRules()) {
    EXPECT_TRUE(ids.insert(std::string(rule.id)).second) << "duplicate id " << rule.id;
    EXPECT_TRUE(covered.count(std::string(rule.id))) << "no example for " << rule.id;
  }
  for (const std::string& id : covered)
    EXPECT_TRUE(ids.count(id)) << "example names unknown rule " << id;
}

TEST(AiMarkersTest, ClaudeCodeCommitHasBodyAndTrailerMarkersInOrder) {
  auto markers = FindCommitMarkers("Ann", "ann@example.com",
                                   "Add retry\n\nDetails.\n\n\xF0\x9F\xA4\x96 Generated with "
                                   "[Claude Code](https://claude.ai/code)"
                                   "\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n");
  EXPECT_THAT(markers, ElementsAre(AiMarker{"claude-code", "", "trailer",
                                            "Co-Authored-By: Claude <noreply@anthropic.com>"},
                                   AiMarker{"claude-code", "", "body",
                                            "\xF0\x9F\xA4\x96 Generated with [Claude "
                                            "Code](https://claude.ai/code)"}));
}

TEST(AiMarkersTest, HumanCommitsHaveNone) {
  EXPECT_THAT(FindCommitMarkers("Ann", "ann@example.com",
                                "Fix the claude code parser\n\nMentions Claude Code and "
                                "copilot in prose.\n\nCo-authored-by: Bob <bob@example.com>\n"),
              IsEmpty());
  EXPECT_THAT(FindCommitMarkers("", "", ""), IsEmpty());
  // A marker-looking line outside the trailer block is not a trailer.
  EXPECT_THAT(FindCommitMarkers("Ann", "a@x",
                                "T\n\nCo-authored-by: Codex <noreply@openai.com>\n\nthe end\n"),
              IsEmpty());
}

TEST(AiMarkersTest, TrailerRulesNeedTheirKey) {
  EXPECT_THAT(FindCommitMarkers("Ann", "a@x", "T\n\nReviewed-by: Claude <noreply@anthropic.com>\n"),
              IsEmpty());
}

TEST(AiMarkersTest, CopilotLoginMustBeABotWhenTypeIsKnown) {
  EXPECT_THAT(FindChangeMarkers("Copilot", "User", "main", ""), IsEmpty());
}

TEST(AiMarkersTest, ChangeBodyLinesAndTrailerLines) {
  auto markers =
      FindChangeMarkers("ann", "User", "feature/x",
                        "## Summary\nAdds retries.\n\n\xF0\x9F\xA4\x96 Generated with [Claude "
                        "Code](https://claude.ai/code)\n\nCo-Authored-By: Claude Opus 4.7 "
                        "<noreply@anthropic.com>\nsee below\n");
  EXPECT_THAT(markers, ElementsAre(AiMarker{"claude-code", "", "body",
                                            "\xF0\x9F\xA4\x96 Generated with [Claude "
                                            "Code](https://claude.ai/code)"},
                                   AiMarker{"claude-code", "Claude Opus 4.7", "body",
                                            "Co-Authored-By: Claude Opus 4.7 "
                                            "<noreply@anthropic.com>"}));
}

TEST(AiMarkersTest, HugeInputsDoNotCrash) {
  std::string big(1 << 20, 'a');
  EXPECT_THAT(FindCommitMarkers(big, big, "T\n\nCo-authored-by: " + big + "\n" + big), IsEmpty());
  EXPECT_THAT(FindChangeMarkers(big, "Bot", big, big), IsEmpty());
}

}  // namespace
}  // namespace goodhart::processors
