#include "goodhart/analytics/linking/ai_linker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/analytics/linking/internal/testing_commits.h"

namespace goodhart::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeCommit;

constexpr int64_t kMinute = 60'000;

model::UsageEvent MakeEvent(std::string session, std::string actor, int64_t time,
                            int64_t duration_ms = 0) {
  model::UsageEvent event;
  event.session_id = std::move(session);
  event.actor = std::move(actor);
  event.time_unix_ms = time;
  event.duration_ms = duration_ms;
  return event;
}

model::Commit AuthoredBy(std::string sha, std::string email, int64_t authored) {
  model::Commit commit = MakeCommit(std::move(sha), {}, {}, authored);
  commit.author_email = std::move(email);
  return commit;
}

TEST(SessionsFromUsageTest, SpansEarliestStartToLatestEnd) {
  model::UsageEvent bucket = MakeEvent("s1", "", 1000);
  bucket.end_unix_ms = 9000;
  std::vector<model::UsageEvent> events = {
      MakeEvent("s2", "bob@example.com", 500, 100), MakeEvent("s1", "", 2000, 50), bucket,
      MakeEvent("s1", "alice@example.com", 3000, 10'000), MakeEvent("", "x", 0)};
  EXPECT_THAT(SessionsFromUsage(events), ElementsAre(AiSession{.session_id = "s1",
                                                               .actor = "alice@example.com",
                                                               .repo = "",
                                                               .start_unix_ms = 1000,
                                                               .end_unix_ms = 13'000},
                                                     AiSession{.session_id = "s2",
                                                               .actor = "bob@example.com",
                                                               .repo = "",
                                                               .start_unix_ms = 500,
                                                               .end_unix_ms = 600}));
}

TEST(LinkAiByCommitIdTest, ExpandsAbbreviatedIdsAndDeduplicates) {
  CommitGraph graph(
      {MakeCommit("abcdef0123456789", {}, {}), MakeCommit("1234567890abcdef", {}, {})});
  std::vector<model::UsageEvent> events = {MakeEvent("s1", "a", 1), MakeEvent("s1", "a", 2),
                                           MakeEvent("s1", "a", 3), MakeEvent("s2", "a", 4)};
  events[0].git_commit_id = "abcdef0";
  events[1].git_commit_id = "abcdef0123456789";  // the same commit, full
  events[2].git_commit_id = "FEDCBA9";           // not imported (yet)
  events[3].git_commit_id = "1234567";
  EXPECT_THAT(LinkAiByCommitId(events, graph),
              ElementsAre(AiLink{"s1", "abcdef0123456789", kEvidenceE2, kRuleGitCommitId},
                          AiLink{"s1", "fedcba9", kEvidenceE2, kRuleGitCommitId},
                          AiLink{"s2", "1234567890abcdef", kEvidenceE2, kRuleGitCommitId}));
}

TEST(LinkAiByMarkersTest, DeclaredCommitsWithTheirSessionTrailer) {
  model::Commit marked = MakeCommit("c1", {}, {});
  marked.ai_markers.push_back({.tool = "claude-code", .model = "", .kind = "trailer", .raw = ""});
  model::Commit with_session = MakeCommit("c2", {}, {});
  with_session.ai_markers = marked.ai_markers;
  with_session.trailers = {{"Co-Authored-By", "Claude <noreply@anthropic.com>"},
                           {"claude-session", "https://claude.ai/code/session_01X"}};
  model::Commit amp = MakeCommit("c3", {}, {});
  amp.trailers = {{"Amp-Thread-ID", "https://ampcode.com/threads/T-1"}};
  model::Commit plain = MakeCommit("c4", {}, {});
  EXPECT_THAT(
      LinkAiByMarkers({marked, with_session, amp, plain}),
      ElementsAre(AiLink{"", "c1", kEvidenceE1, kRuleMarker},
                  AiLink{"https://claude.ai/code/session_01X", "c2", kEvidenceE1, kRuleMarker},
                  AiLink{"https://ampcode.com/threads/T-1", "c3", kEvidenceE1, kRuleMarker}));
}

TEST(LinkAiBySessionOverlapTest, SamePersonWithinThirtyMinutes) {
  std::vector<AiSession> sessions = {{.session_id = "s1",
                                      .actor = "Alice@Example.com",
                                      .start_unix_ms = 100 * kMinute,
                                      .end_unix_ms = 160 * kMinute},
                                     {.session_id = "s2",
                                      .actor = "bob@example.com",
                                      .start_unix_ms = 100 * kMinute,
                                      .end_unix_ms = 160 * kMinute}};
  std::vector<model::Commit> commits = {
      AuthoredBy("before", "alice@example.com", 70 * kMinute),  // exactly 30 min before
      AuthoredBy("during", "alice@example.com", 130 * kMinute),
      AuthoredBy("after", "alice@example.com", 190 * kMinute),  // exactly 30 min after
      AuthoredBy("too-late", "alice@example.com", 191 * kMinute),
      AuthoredBy("carol", "carol@example.com", 130 * kMinute),
      AuthoredBy("no-time", "alice@example.com", 0)};
  EXPECT_THAT(LinkAiBySessionOverlap(sessions, commits),
              ElementsAre(AiLink{"s1", "before", kEvidenceE2, kRuleSessionOverlap},
                          AiLink{"s1", "during", kEvidenceE2, kRuleSessionOverlap},
                          AiLink{"s1", "after", kEvidenceE2, kRuleSessionOverlap}));
}

TEST(LinkAiBySessionOverlapTest, ResolverJoinsIdentitiesAndReposMustAgree) {
  std::vector<AiSession> sessions = {{.session_id = "s1",
                                      .actor = "user_01AbC",
                                      .repo = "acme/mono",
                                      .start_unix_ms = 100 * kMinute,
                                      .end_unix_ms = 110 * kMinute},
                                     {.session_id = "s2",
                                      .actor = "user_01AbC",
                                      .repo = "acme/other",
                                      .start_unix_ms = 100 * kMinute,
                                      .end_unix_ms = 110 * kMinute}};
  IdentityResolver resolve = [](std::string_view identity) -> std::string {
    if (identity == "user_01AbC" || identity == "alice@example.com") {
      return "alice";
    }
    return "";
  };
  std::vector<model::Commit> commits = {AuthoredBy("c1", "alice@example.com", 105 * kMinute),
                                        AuthoredBy("c2", "mallory@example.com", 105 * kMinute)};
  EXPECT_THAT(LinkAiBySessionOverlap(sessions, commits, resolve),
              ElementsAre(AiLink{"s1", "c1", kEvidenceE2, kRuleSessionOverlap}));
  EXPECT_THAT(
      LinkAiBySessionOverlap(sessions, commits, [](std::string_view) { return std::string(); }),
      IsEmpty());
}

TEST(MergeAiLinksTest, KeepsTheStrongestEvidencePerPair) {
  std::vector<AiLink> links = {{"s1", "c1", kEvidenceE1, kRuleMarker},
                               {"s1", "c2", kEvidenceE2, kRuleSessionOverlap},
                               {"s1", "c1", kEvidenceE2, kRuleSessionOverlap},
                               {"s1", "c1", kEvidenceE2, kRuleGitCommitId},
                               {"s1", "c2", kEvidenceE3, "line_fingerprint"},
                               {"", "c1", kEvidenceE1, kRuleMarker}};
  EXPECT_THAT(MergeAiLinks(links), ElementsAre(AiLink{"s1", "c1", kEvidenceE2, kRuleSessionOverlap},
                                               AiLink{"s1", "c2", kEvidenceE3, "line_fingerprint"},
                                               AiLink{"", "c1", kEvidenceE1, kRuleMarker}));
}

}  // namespace
}  // namespace goodhart::analytics
