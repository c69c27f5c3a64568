#include "goodhart/processors/substance/internal/line_rules.h"

#include <gtest/gtest.h>

namespace goodhart::processors::internal {
namespace {

TEST(LineRulesTest, StripWhitespaceAndAlnum) {
  EXPECT_EQ(StripWhitespace("  a b\t\r"), "ab");
  EXPECT_EQ(CountAlnum("x_1 = y;"), 3);
}

TEST(LineRulesTest, TrivialLines) {
  for (const char* line :
       {"}", "  });", "end", "fi", "done", "esac", "} else {", "#endif", "return;", "break;",
        "pass", "default:", "public:", "END", "]],", ";;"}) {
    EXPECT_TRUE(IsTrivialLine(line)) << line;
  }
  for (const char* line :
       {"", "   ", "return x;", "x++;", "0,", "foo()", "} else if (x) {", "</div>"}) {
    EXPECT_FALSE(IsTrivialLine(line)) << line;
  }
}

TEST(LineRulesTest, CodePartDropsTrailingComments) {
  EXPECT_EQ(CodePart("}  // namespace net", CommentStyle::kCLike), "}  ");
  EXPECT_EQ(CodePart("// only a comment", CommentStyle::kCLike), "// only a comment");
  EXPECT_EQ(CodePart("end # done", CommentStyle::kHash), "end ");
  EXPECT_EQ(CodePart("x // y", CommentStyle::kNone), "x // y");
  EXPECT_TRUE(IsTrivialLine(CodePart("}  // namespace net", CommentStyle::kCLike)));
}

TEST(LineRulesTest, CLikeComments) {
  CommentTracker t(CommentStyle::kCLike);
  EXPECT_TRUE(t.Next("// note"));
  EXPECT_FALSE(t.Next("int x = 1;  // trailing"));
  EXPECT_TRUE(t.Next("/* one line */"));
  EXPECT_FALSE(t.Next("/* a */ int y;"));
  EXPECT_TRUE(t.Next("/**"));
  EXPECT_TRUE(t.Next("   text inside without a star"));
  EXPECT_TRUE(t.Next(" */"));
  EXPECT_FALSE(t.Next("int z;"));
  EXPECT_FALSE(t.Next("call(); /* opens"));
  EXPECT_TRUE(t.Next("still comment"));
  EXPECT_TRUE(t.Next("closes */"));
  EXPECT_FALSE(t.Next("*ptr = 1;"));
  EXPECT_TRUE(t.Next(" * continuation of a comment the hunk started inside"));
}

TEST(LineRulesTest, OtherCommentStyles) {
  CommentTracker hash(CommentStyle::kHash);
  EXPECT_TRUE(hash.Next("  # note"));
  EXPECT_FALSE(hash.Next("x = 1  # note"));
  CommentTracker sql(CommentStyle::kDashDash);
  EXPECT_TRUE(sql.Next("-- note"));
  CommentTracker xml(CommentStyle::kMarkup);
  EXPECT_TRUE(xml.Next("<!-- a"));
  EXPECT_TRUE(xml.Next("b -->"));
  EXPECT_FALSE(xml.Next("<a/>"));
  CommentTracker none(CommentStyle::kNone);
  EXPECT_FALSE(none.Next("# not a comment here"));
}

TEST(LineRulesTest, SubstitutionKey) {
  EXPECT_EQ(SubstitutionKey("foo(x);", "bar(x);"), "foo -> bar");
  EXPECT_EQ(SubstitutionKey("foo(foo);", "bar(bar);"), "foo -> bar");
  EXPECT_EQ(SubstitutionKey("  foo(x);", "foo(x);"), "");
  EXPECT_EQ(SubstitutionKey("a = f(x);", "a = g(x, y);"), "f ( x -> g ( x , y");
  EXPECT_EQ(SubstitutionKey(std::string(3000, 'a'), "b"), "");
}

}  // namespace
}  // namespace goodhart::processors::internal
