#include "goodhart/processors/substance/patch_id.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "goodhart/base/testing/testdata.h"

namespace goodhart::processors {
namespace {

using goodhart::testing::ReadTestdata;

// testdata/patch_ids.txt: "<case> <git patch-id --stable>" from make_patch_cases.sh.
std::map<std::string, std::string> GitPatchIds() {
  std::map<std::string, std::string> ids;
  std::istringstream in(ReadTestdata("patch_ids.txt"));
  std::string name, id;
  while (in >> name >> id)
    ids[name] = id;
  return ids;
}

// git's diff text with hunk headers reduced to their line counts and "\ No newline" dropped:
// what RenderGitDiff can reproduce.
std::string Canonical(const std::string& diff) {
  std::istringstream in(diff);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("\\ ", 0) == 0)
      continue;
    if (line.rfind("@@ -", 0) == 0) {
      auto count = [](const std::string& range) {
        size_t comma = range.find(',');
        return comma == std::string::npos ? std::string("1") : range.substr(comma + 1);
      };
      std::istringstream h(line.substr(3));
      std::string before, after;
      h >> before >> after;
      line = "@@ -1," + count(before) + " +1," + count(after) + " @@";
    }
    out += line + "\n";
  }
  return out;
}

constexpr const char* kCases[] = {
    "base",         "modify",     "add_delete", "rename_edit",       "mode_change",     "binary",
    "quoted_paths", "whitespace", "feature",    "revert_of_feature", "revert_of_binary"};

TEST(StablePatchIdTest, EqualsGitPatchIdStable) {
  auto ids = GitPatchIds();
  ASSERT_EQ(ids.size(), std::size(kCases));
  for (const char* name : kCases) {
    SCOPED_TRACE(name);
    std::string diff = ReadTestdata(std::string(name) + ".diff");
    EXPECT_EQ(StablePatchId(ParseUnifiedDiff(diff)), ids[name]);
  }
}

TEST(StablePatchIdTest, RenderReproducesGitsDiffText) {
  for (const char* name : kCases) {
    SCOPED_TRACE(name);
    std::string diff = ReadTestdata(std::string(name) + ".diff");
    EXPECT_EQ(RenderGitDiff(ParseUnifiedDiff(diff)), Canonical(diff));
  }
}

TEST(StablePatchIdTest, IgnoresFileOrderAndWhitespace) {
  auto patches = ParseUnifiedDiff(ReadTestdata("modify.diff"));
  ASSERT_EQ(patches.size(), 2u);
  std::string id = StablePatchId(patches);
  std::swap(patches[0], patches[1]);
  EXPECT_EQ(StablePatchId(patches), id);
  patches[0].hunks[0][0].text += "   \t";
  EXPECT_EQ(StablePatchId(patches), id);
  patches[0].hunks[0][0].text += "x";
  EXPECT_NE(StablePatchId(patches), id);
}

TEST(StablePatchIdTest, EmptyDiffHasNoId) { EXPECT_EQ(StablePatchId({}), ""); }

TEST(InversePatchIdTest, MatchesGitRevert) {
  auto ids = GitPatchIds();
  EXPECT_EQ(InversePatchId(ParseUnifiedDiff(ReadTestdata("feature.diff"))),
            ids["revert_of_feature"]);
  EXPECT_EQ(InversePatchId(ParseUnifiedDiff(ReadTestdata("binary.diff"))), ids["revert_of_binary"]);
  EXPECT_EQ(InversePatchId(ParseUnifiedDiff(ReadTestdata("revert_of_feature.diff"))),
            ids["feature"]);
}

TEST(InversePatchIdTest, InvertTwiceIsIdentity) {
  for (const char* name : kCases) {
    SCOPED_TRACE(name);
    auto patches = ParseUnifiedDiff(ReadTestdata(std::string(name) + ".diff"));
    for (auto& p : patches)
      p.head.clear();
    EXPECT_EQ(InvertPatches(InvertPatches(patches)), patches);
  }
}

}  // namespace
}  // namespace goodhart::processors
