#include "goodhart/processors/substance/file_patch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string_view>

#include "goodhart/base/testing/testdata.h"

namespace goodhart::processors {
namespace {

using goodhart::testing::ReadTestdata;
using ::testing::ElementsAre;

TEST(ParseUnifiedDiffTest, ModifiedFileWithTwoHunks) {
  auto files = ParseUnifiedDiff(ReadTestdata("modify.diff"));
  ASSERT_EQ(files.size(), 2u);
  const FilePatch& a = files[0];
  EXPECT_EQ(a.path, "a.txt");
  EXPECT_EQ(a.old_path, "");
  EXPECT_FALSE(a.is_new || a.is_deleted || a.binary);
  EXPECT_EQ(a.old_mode, "100644");
  EXPECT_EQ(a.new_mode, "100644");
  ASSERT_EQ(a.hunks.size(), 2u);
  EXPECT_EQ(a.hunks[0].size(), 7u);
  EXPECT_EQ(a.hunks[0][2], (DiffLine{'-', "line 3"}));
  EXPECT_EQ(a.hunks[0][3], (DiffLine{'+', "line three"}));
  EXPECT_EQ(a.head, "line 1\nline 2\nline three\nline 4\nline 5\nline 6\n");
  EXPECT_EQ(files[1].path, "main.c");
}

TEST(ParseUnifiedDiffTest, NewDeletedAndNoNewlineAtEnd) {
  auto files = ParseUnifiedDiff(ReadTestdata("add_delete.diff"));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, "new.txt");
  EXPECT_TRUE(files[0].is_new);
  EXPECT_EQ(files[0].new_mode, "100644");
  EXPECT_EQ(files[0].old_path, "");
  EXPECT_THAT(files[0].hunks,
              ElementsAre(ElementsAre(DiffLine{'+', "new file"}, DiffLine{'+', "second"})));
  EXPECT_EQ(files[0].head, "new file\nsecond\n");
  EXPECT_EQ(files[1].path, "run.sh");
  EXPECT_TRUE(files[1].is_deleted);
  EXPECT_EQ(files[1].old_mode, "100644");
  EXPECT_EQ(files[1].hunks[0].size(), 2u);
}

TEST(ParseUnifiedDiffTest, RenamesWithAndWithoutEdits) {
  auto files = ParseUnifiedDiff(ReadTestdata("rename_edit.diff"));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].old_path, "a.txt");
  EXPECT_EQ(files[0].path, "b.txt");
  EXPECT_TRUE(files[0].renamed());
  EXPECT_EQ(files[0].similarity, 96);
  EXPECT_EQ(files[0].hunks.size(), 1u);
  EXPECT_EQ(files[1].old_path, "new.txt");
  EXPECT_EQ(files[1].path, "moved.txt");
  EXPECT_EQ(files[1].similarity, 100);
  EXPECT_TRUE(files[1].hunks.empty());
}

TEST(ParseUnifiedDiffTest, ModeChangeAndBinary) {
  auto mode = ParseUnifiedDiff(ReadTestdata("mode_change.diff"));
  ASSERT_EQ(mode.size(), 2u);
  EXPECT_EQ(mode[1].path, "mode.sh");
  EXPECT_EQ(mode[1].old_mode, "100644");
  EXPECT_EQ(mode[1].new_mode, "100755");
  auto bin = ParseUnifiedDiff(ReadTestdata("binary.diff"));
  ASSERT_EQ(bin.size(), 2u);
  EXPECT_EQ(bin[0].path, "blob.bin");
  EXPECT_TRUE(bin[0].binary);
  EXPECT_TRUE(bin[0].is_new);
  EXPECT_EQ(bin[0].old_oid, "0000000");
  EXPECT_EQ(bin[0].new_oid, "0f49c4a");
  EXPECT_TRUE(bin[0].hunks.empty());
  EXPECT_EQ(bin[1].new_mode, "100755");
}

TEST(ParseUnifiedDiffTest, QuotedPaths) {
  auto files = ParseUnifiedDiff(ReadTestdata("quoted_paths.diff"));
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, "caf\xc3\xa9.txt");
  EXPECT_EQ(files[1].path, "quote\"d.txt");
  EXPECT_EQ(files[2].path, "with space.txt");
}

TEST(ParseUnifiedDiffTest, HunkLinesThatLookLikeHeaders) {
  auto files = ParseUnifiedDiff(
      "diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n"
      "--- not a header\n+++ nor this\n-diff --git a/y b/y\n+@@ -1 +1 @@\n");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_THAT(
      files[0].hunks,
      ElementsAre(ElementsAre(DiffLine{'-', "-- not a header"}, DiffLine{'+', "++ nor this"},
                              DiffLine{'-', "diff --git a/y b/y"}, DiffLine{'+', "@@ -1 +1 @@"})));
}

TEST(ParseUnifiedDiffTest, GarbageNeverCrashes) {
  std::mt19937 rng(7);
  const std::string pieces[] = {"diff --git a/x b/x\n",
                                "@@ -1,3 +1 @@\n",
                                "+a\n",
                                "-b\n",
                                " c\n",
                                "\\ No newline\n",
                                "rename from \"q\n",
                                "index ..\n",
                                "@@ -x +y @@\n",
                                "--- \n",
                                "\"",
                                "\n"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int i = 0; i < 20; ++i)
      text += pieces[rng() % std::size(pieces)];
    auto files = ParseUnifiedDiff(text);
    for (const auto& f : files) {
      for (const auto& h : f.hunks) {
        for (const auto& l : h)
          ASSERT_TRUE(l.op == '+' || l.op == '-' || l.op == ' ');
      }
    }
  }
}

// Found by git_patch_fuzz: a "diff --git" line with a one- or three-character rest read past
// its end when split in the middle (std::out_of_range).
TEST(ParseUnifiedDiffTest, AShortDiffGitLineIsAPath) {
  for (std::string_view text : {"diff --git  \n", "diff --git a b\n", "diff --git   \n+x\n"}) {
    auto files = ParseUnifiedDiff(text);
    ASSERT_EQ(files.size(), 1u) << text;
  }
  EXPECT_EQ(ParseUnifiedDiff("diff --git a b\n")[0].path, "a b");
}

TEST(QuoteGitPathTest, RoundTripsAndMatchesGit) {
  EXPECT_EQ(QuoteGitPath("a/b c.txt"), "a/b c.txt");
  EXPECT_EQ(QuoteGitPath("caf\xc3\xa9"), "\"caf\\303\\251\"");
  EXPECT_EQ(QuoteGitPath("q\"\\\t\n"), "\"q\\\"\\\\\\t\\n\"");
  for (std::string name : {"plain", "caf\xc3\xa9", "q\"\\\t\n\x01\x7f"})
    EXPECT_EQ(UnquoteGitPath(QuoteGitPath(name)), name);
  EXPECT_EQ(UnquoteGitPath("\"unterminated"), "\"unterminated");
}

}  // namespace
}  // namespace goodhart::processors
