#include "goodhart/receivers/webhook/internal/commit_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace goodhart::receivers::webhook::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using T = model::Trailer;

TEST(ParseCommitMessageTest, SubjectOnly) {
  CommitMessage m = ParseCommitMessage("Fix the build\n");
  EXPECT_EQ(m.subject, "Fix the build");
  EXPECT_THAT(m.trailers, IsEmpty());
}

TEST(ParseCommitMessageTest, TheTitleIsNeverATrailer) {
  CommitMessage m = ParseCommitMessage("fix: handle nulls\n");
  EXPECT_EQ(m.subject, "fix: handle nulls");
  EXPECT_THAT(m.trailers, IsEmpty());
}

TEST(ParseCommitMessageTest, MultiLineTitleIsJoined) {
  CommitMessage m = ParseCommitMessage("\n\nFirst line\nsecond line  \n\nBody.");
  EXPECT_EQ(m.subject, "First line second line");
}

TEST(ParseCommitMessageTest, LastParagraphOfTrailers) {
  CommitMessage m = ParseCommitMessage(
      "Add x\r\n\r\nBody: not a trailer, not last.\r\n\r\n"
      "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\r\n"
      "co-authored-by: Ana <ana@example.com>\r\nClaude-Session: https://claude.ai/s/1\r\n\r\n");
  EXPECT_THAT(m.trailers,
              ElementsAre(T{"Co-Authored-By", "Claude Opus 4.6 <noreply@anthropic.com>"},
                          T{"co-authored-by", "Ana <ana@example.com>"},
                          T{"Claude-Session", "https://claude.ai/s/1"}));
  EXPECT_THAT(m.co_authors,
              ElementsAre("Claude Opus 4.6 <noreply@anthropic.com>", "Ana <ana@example.com>"));
}

TEST(ParseCommitMessageTest, ParagraphWithProseIsNotATrailerBlock) {
  CommitMessage m = ParseCommitMessage(
      "Add x\n\nSee the design: it explains why\nCo-authored-by: Ana <ana@example.com>\n");
  // "See the design" has a space before ':', so the line is prose and the block is not trailers.
  EXPECT_THAT(m.trailers, IsEmpty());
  EXPECT_THAT(m.co_authors, IsEmpty());
}

TEST(ParseCommitMessageTest, GitGeneratedLineAllowsAQuarterOfProse) {
  CommitMessage m = ParseCommitMessage(
      "Add x\n\nsome prose here\nSigned-off-by: A <a@example.com>\n"
      "Co-authored-by: B <b@example.com>\nAcked-by: C\n");
  EXPECT_THAT(m.trailers,
              ElementsAre(T{"Signed-off-by", "A <a@example.com>"},
                          T{"Co-authored-by", "B <b@example.com>"}, T{"Acked-by", "C"}));
  // Without the git-generated line the same prose disqualifies the block.
  CommitMessage n = ParseCommitMessage("Add x\n\nsome prose here\nCo-authored-by: B <b@x>\n");
  EXPECT_THAT(n.trailers, IsEmpty());
  // With it, more than three prose lines per trailer still disqualify.
  CommitMessage o = ParseCommitMessage("Add x\n\np1\np2\np3\np4\nSigned-off-by: A <a@x>\n");
  EXPECT_THAT(o.trailers, IsEmpty());
}

TEST(ParseCommitMessageTest, ContinuationLinesAreUnfolded) {
  CommitMessage m = ParseCommitMessage("Add x\n\nNote: first part\n  second part\nKey : v\n");
  EXPECT_THAT(m.trailers, ElementsAre(T{"Note", "first part second part"}, T{"Key", "v"}));
}

TEST(ParseCommitMessageTest, GeneratedWithIsBodyText) {
  CommitMessage m = ParseCommitMessage(
      "Add x\n\n\xF0\x9F\xA4\x96 Generated with [Claude Code](https://claude.ai/code)\n\n"
      "Co-Authored-By: Claude <noreply@anthropic.com>");
  EXPECT_THAT(m.trailers, ElementsAre(T{"Co-Authored-By", "Claude <noreply@anthropic.com>"}));
  CommitMessage only_body =
      ParseCommitMessage("Add x\n\n\xF0\x9F\xA4\x96 Generated with [Claude Code](https://x)\n");
  EXPECT_THAT(only_body.trailers, IsEmpty());
}

TEST(ParseCommitMessageTest, EmptyAndBlankMessages) {
  EXPECT_EQ(ParseCommitMessage("").subject, "");
  EXPECT_EQ(ParseCommitMessage("\n \n\t\n").subject, "");
  EXPECT_THAT(ParseCommitMessage("\n\n").trailers, IsEmpty());
}

}  // namespace
}  // namespace goodhart::receivers::webhook::internal
