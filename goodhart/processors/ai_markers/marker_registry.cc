// The AI marker registry (formats.md §9). To add a tool: add a rule here and an example row to
// ai_markers_test.cc (a test fails for any rule without one).
#include <vector>

#include "goodhart/processors/ai_markers/ai_markers.h"

namespace goodhart::processors {

const std::vector<MarkerRule>& AiMarkerRules() {
  using S = MarkerSource;
  static const std::vector<MarkerRule> kRules = {
      // Co-authored-by trailers ("Name <email>"). Keys are matched case-insensitively.
      {"claude-code/bot-co-author", S::kTrailer, "co-authored-by", "claude[bot]",
       R"(<(\d+\+)?claude\[bot\]@users\.noreply\.github\.com>)", "claude-code"},
      {"claude-code/co-author", S::kTrailer, "co-authored-by", "anthropic.com",
       R"(^(?:claude|(.+?))\s*<noreply@anthropic\.com>\s*$)", "claude-code", 1},
      {"copilot/co-author", S::kTrailer, "co-authored-by", "copilot",
       R"(<\d+\+(copilot|copilot-swe-agent\[bot\])@users\.noreply\.github\.com>)", "copilot"},
      {"codex/co-author", S::kTrailer, "co-authored-by", "openai.com",
       R"(^codex\b.*<[^>]*@openai\.com>\s*$)", "codex"},
      {"cursor/co-author", S::kTrailer, "co-authored-by", "cursor.com",
       R"(<cursoragent@cursor\.com>)", "cursor"},
      {"aider/co-author", S::kTrailer, "co-authored-by", "aider",
       R"(^aider(?:\s*\(([^)]*)\))?\s*<(noreply|aider)@aider\.chat>)", "aider", 1},
      {"amp/co-author", S::kTrailer, "co-authored-by", "ampcode.com", R"(<amp@ampcode\.com>)",
       "amp"},
      {"crush/co-author", S::kTrailer, "co-authored-by", "charm.land", R"(<crush@charm\.land>)",
       "crush"},
      {"gemini-cli/co-author", S::kTrailer, "co-authored-by", "google.com",
       R"(^gemini[ -]cli\s*<noreply@google\.com>)", "gemini-cli"},
      {"devin/co-author", S::kTrailer, "co-authored-by", "devin-ai-integration",
       R"(devin-ai-integration\[bot\])", "devin"},
      {"jules/co-author", S::kTrailer, "co-authored-by", "google-labs-jules",
       R"(google-labs-jules\[bot\])", "jules"},
      {"openhands/co-author", S::kTrailer, "co-authored-by", "all-hands.dev",
       R"(<openhands@all-hands\.dev>)", "openhands"},
      // Session trailers: the key alone is the marker.
      {"claude-code/session", S::kTrailer, "claude-session", "", "", "claude-code"},
      {"amp/thread", S::kTrailer, "amp-thread-id", "", "", "amp"},
      {"kiro/session", S::kTrailer, "kiro-session-id", "", "", "kiro"},
      // The Linux-kernel convention "Assisted-by: AGENT:MODEL [TOOLS...]" (Crush's default).
      {"generic/assisted-by", S::kTrailer, "assisted-by", "",
       R"(^([a-z0-9][a-z0-9._-]*(?: [a-z0-9._-]+)*?)\s*(?::\s*([^\s]+).*)?$)", "$1", 2},

      // Commit authors ("Name <email>").
      {"claude-code/bot-author", S::kAuthor, "", "claude[bot]", R"(claude\[bot\])", "claude-code"},
      {"copilot/agent-author", S::kAuthor, "", "copilot",
       R"(<\d+\+(copilot|copilot-swe-agent\[bot\])@users\.noreply\.github\.com>|^copilot-swe-agent\[bot\])",
       "copilot"},
      {"cursor/agent-author", S::kAuthor, "", "cursoragent@cursor.com",
       R"(<cursoragent@cursor\.com>)", "cursor"},
      {"aider/author-suffix", S::kAuthor, "", "(aider)", R"(\s\(aider\)\s*<)", "aider"},
      {"devin/bot-author", S::kAuthor, "", "devin-ai-integration", R"(devin-ai-integration\[bot\])",
       "devin"},
      {"jules/bot-author", S::kAuthor, "", "google-labs-jules", R"(google-labs-jules\[bot\])",
       "jules"},

      // Subject prefixes.
      {"aider/subject-prefix", S::kSubject, "", "aider: ", R"(^aider: )", "aider"},

      // Body lines, emoji prefixes and link variants included.
      {"claude-code/generated-with", S::kBodyLine, "", "claude code",
       R"(^[^a-z0-9]*generated (with|by) \[?claude code\b)", "claude-code"},
      {"crush/generated-with", S::kBodyLine, "", "crush",
       R"(^[^a-z0-9]*generated (with|by) \[?crush\b)", "crush"},
      {"codex/task-link", S::kBodyLine, "", "chatgpt.com/codex/tasks/",
       R"(https://chatgpt\.com/codex/tasks/)", "codex"},
      {"devin/session-link", S::kBodyLine, "", "app.devin.ai/sessions/",
       R"(https://app\.devin\.ai/sessions/)", "devin"},

      // Pull request authors (GitHub logins).
      {"copilot/pr-author", S::kLogin, "", "copilot", R"(^(copilot|copilot-swe-agent\[bot\])$)",
       "copilot", 0, true},
      {"claude-code/pr-author", S::kLogin, "", "claude[bot]", R"(^claude\[bot\]$)", "claude-code"},
      {"devin/pr-author", S::kLogin, "", "devin-ai-integration", R"(^devin-ai-integration\[bot\]$)",
       "devin"},
      {"jules/pr-author", S::kLogin, "", "google-labs-jules", R"(^google-labs-jules\[bot\]$)",
       "jules"},

      // Head branch prefixes the agents use by default.
      {"copilot/branch", S::kHeadRef, "", "copilot/", R"(^copilot/)", "copilot"},
      {"claude-code/branch", S::kHeadRef, "", "claude/", R"(^claude/)", "claude-code"},
      {"codex/branch", S::kHeadRef, "", "codex/", R"(^codex/)", "codex"},
      {"cursor/branch", S::kHeadRef, "", "cursor/", R"(^cursor/)", "cursor"},
      {"devin/branch", S::kHeadRef, "", "devin/", R"(^devin/)", "devin"},
  };
  return kRules;
}

}  // namespace goodhart::processors
