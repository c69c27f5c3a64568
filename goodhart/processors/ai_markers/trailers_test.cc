#include "goodhart/processors/ai_markers/trailers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace goodhart::processors {
namespace {

using model::Trailer;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ParseTrailersTest, LastParagraphKeyValueLines) {
  EXPECT_THAT(ParseTrailers("Fix parser\n\nLonger body.\n\nSigned-off-by: A <a@x>\n"
                            "Co-authored-by: Claude <noreply@anthropic.com>\n"),
              ElementsAre(Trailer{"Signed-off-by", "A <a@x>"},
                          Trailer{"Co-authored-by", "Claude <noreply@anthropic.com>"}));
}

TEST(ParseTrailersTest, TitleIsNeverTrailers) {
  EXPECT_THAT(ParseTrailers("Key: value\n"), IsEmpty());
  EXPECT_THAT(ParseTrailers("Key: value\nOther: x\n"), IsEmpty());
  EXPECT_THAT(ParseTrailers(""), IsEmpty());
}

TEST(ParseTrailersTest, OnlyTheLastParagraph) {
  EXPECT_THAT(ParseTrailers("T\n\nCo-authored-by: A <a@x>\n\nplain text at the end\n"), IsEmpty());
  EXPECT_THAT(ParseTrailers("T\n\nBug: 1\n\nReviewed-by: B\n"),
              ElementsAre(Trailer{"Reviewed-by", "B"}));
}

TEST(ParseTrailersTest, MixedParagraphNeedsGitGeneratedPrefix) {
  // Not all lines are trailers and nothing git-generated: not a trailer block.
  EXPECT_THAT(ParseTrailers("T\n\nsome words\nKey: v\n"), IsEmpty());
  // With Signed-off-by, 25% trailers are enough; the other lines are skipped.
  EXPECT_THAT(ParseTrailers("T\n\nsome words\nmore words\nSigned-off-by: A <a@x>\n"),
              ElementsAre(Trailer{"Signed-off-by", "A <a@x>"}));
  EXPECT_THAT(ParseTrailers("T\n\na\nb\nc\nd\nSigned-off-by: A <a@x>\n"), IsEmpty());
}

TEST(ParseTrailersTest, FoldedValuesAreUnfolded) {
  EXPECT_THAT(ParseTrailers("T\n\nNote: first part\n  second part\n\tthird\nKey: v\n"),
              ElementsAre(Trailer{"Note", "first part second part third"}, Trailer{"Key", "v"}));
}

TEST(ParseTrailersTest, SeparatorRules) {
  // Spaces before ':' are allowed; a key with spaces inside is not a trailer.
  EXPECT_THAT(ParseTrailers("T\n\nKey : v\n"), ElementsAre(Trailer{"Key", "v"}));
  EXPECT_THAT(ParseTrailers("T\n\nTwo words: v\n"), IsEmpty());
  EXPECT_THAT(ParseTrailers("T\n\n: v\n"), IsEmpty());
  // As in git, a URL line reads as a trailer with key "https".
  EXPECT_THAT(ParseTrailers("T\n\nhttps://example.com/x\n"),
              ElementsAre(Trailer{"https", "//example.com/x"}));
}

TEST(ParseTrailersTest, IgnoresTrailingBlankAndCommentLinesAndCrlf) {
  EXPECT_THAT(ParseTrailers("T\r\n\r\nKey: v\r\n\r\n# comment\n\n"),
              ElementsAre(Trailer{"Key", "v"}));
}

TEST(ParseTrailersTest, CherryPickLineCountsForTheBlock) {
  EXPECT_THAT(ParseTrailers("T\n\n(cherry picked from commit abc)\nCo-authored-by: A <a@x>\n"),
              ElementsAre(Trailer{"Co-authored-by", "A <a@x>"}));
}

TEST(TrailerKeyIsTest, CaseInsensitive) {
  EXPECT_TRUE(TrailerKeyIs({"Co-Authored-By", "x"}, "co-authored-by"));
  EXPECT_TRUE(TrailerKeyIs({"co-authored-by", "x"}, "co-authored-by"));
  EXPECT_FALSE(TrailerKeyIs({"Co-authored", "x"}, "co-authored-by"));
}

TEST(CoAuthorsTest, DistinctValuesInOrder) {
  auto trailers = ParseTrailers(
      "Squash (#12)\n\n* a\n\nCo-authored-by: B <b@x>\nCo-Authored-By: Claude "
      "<noreply@anthropic.com>\nco-authored-by: B <b@x>\nSigned-off-by: C <c@x>\n");
  EXPECT_THAT(CoAuthors(trailers), ElementsAre("B <b@x>", "Claude <noreply@anthropic.com>"));
}

}  // namespace
}  // namespace goodhart::processors
