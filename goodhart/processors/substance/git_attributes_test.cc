#include "goodhart/processors/substance/git_attributes.h"

#include <gtest/gtest.h>

namespace goodhart::processors {
namespace {

TEST(GlobMatchTest, GitWildmatchRules) {
  EXPECT_TRUE(GlobMatch("*.go", "a.go"));
  EXPECT_FALSE(GlobMatch("*.go", "dir/a.go"));  // '*' does not cross '/'
  EXPECT_TRUE(GlobMatch("dir/*.go", "dir/a.go"));
  EXPECT_TRUE(GlobMatch("**/a.go", "a.go"));
  EXPECT_TRUE(GlobMatch("**/a.go", "x/y/a.go"));
  EXPECT_TRUE(GlobMatch("gen/**", "gen/x/y.ts"));
  EXPECT_FALSE(GlobMatch("gen/**", "other/gen/y.ts"));
  EXPECT_TRUE(GlobMatch("a/**/b", "a/b"));
  EXPECT_TRUE(GlobMatch("a/**/b", "a/x/y/b"));
  EXPECT_TRUE(GlobMatch("file?.txt", "file1.txt"));
  EXPECT_FALSE(GlobMatch("file?.txt", "file/.txt"));
  EXPECT_TRUE(GlobMatch("[a-c]x", "bx"));
  EXPECT_FALSE(GlobMatch("[!a-c]x", "bx"));
  EXPECT_TRUE(GlobMatch("\\*lit", "*lit"));
  EXPECT_FALSE(GlobMatch("[abc", "a"));
  EXPECT_TRUE(GlobMatch("[abc", "[abc"));
}

TEST(GitAttributesTest, SetUnsetValuesAndLastLineWins) {
  auto attrs = GitAttributes::Parse(
      "# comment\n"
      "*.pb.go linguist-generated=true\n"
      "api/*.pb.go -linguist-generated\n"
      "/docs/** linguist-documentation\n"
      "*.png binary\n"
      "vendor/** linguist-vendored=false\n"
      "x.txt !linguist-generated linguist-generated\n"
      "folder/ linguist-generated\n"
      "!neg linguist-generated\n");
  EXPECT_EQ(attrs.Get("internal/x.pb.go", "linguist-generated"), true);
  EXPECT_EQ(attrs.Get("api/x.pb.go", "linguist-generated"), false);
  EXPECT_EQ(attrs.Get("docs/a/b.md", "linguist-documentation"), true);
  EXPECT_EQ(attrs.Get("sub/docs/b.md", "linguist-documentation"), std::nullopt);
  EXPECT_EQ(attrs.Get("img/a.png", "diff"), false);
  EXPECT_EQ(attrs.Get("vendor/lib/a.c", "linguist-vendored"), false);
  EXPECT_EQ(attrs.Get("x.txt", "linguist-generated"), true);
  EXPECT_EQ(attrs.Get("folder/a", "linguist-generated"), std::nullopt);
  EXPECT_EQ(attrs.Get("main.go", "linguist-generated"), std::nullopt);
}

TEST(GitAttributesTest, EmptyAndPathologicalInput) {
  EXPECT_TRUE(GitAttributes::Parse("").empty());
  EXPECT_TRUE(GitAttributes::Parse("\n\n   \n*.go\n").empty());  // no attributes
  std::string stars(40, '*');
  auto attrs = GitAttributes::Parse(stars + "a linguist-generated\n");
  EXPECT_EQ(attrs.Get(std::string(200, 'b'), "linguist-generated"), std::nullopt);
}

}  // namespace
}  // namespace goodhart::processors
