#include "goodhart/processors/substance/substance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "goodhart/base/hash.h"
#include "goodhart/processors/substance/internal/line_rules.h"

namespace goodhart::processors {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A file patch from hunks written as git prints them: "+added", "-removed", " context".
FilePatch Patch(std::string path, std::initializer_list<std::vector<std::string>> hunks) {
  FilePatch p;
  p.path = std::move(path);
  for (const auto& hunk : hunks) {
    p.hunks.emplace_back();
    for (const std::string& l : hunk)
      p.hunks.back().push_back({l.empty() ? ' ' : l[0], l.empty() ? "" : l.substr(1)});
  }
  return p;
}
FilePatch NewFile(std::string path, std::vector<std::string> lines) {
  FilePatch p = Patch(std::move(path), {});
  p.is_new = true;
  p.hunks.emplace_back();
  for (const std::string& l : lines) {
    p.hunks.back().push_back({'+', l});
    p.head += l + "\n";
  }
  return p;
}
FilePatch DeletedFile(std::string path, std::vector<std::string> lines) {
  FilePatch p = Patch(std::move(path), {});
  p.is_deleted = true;
  p.hunks.emplace_back();
  for (const std::string& l : lines)
    p.hunks.back().push_back({'-', l});
  return p;
}

SubstanceResult Measure(const std::vector<FilePatch>& patches,
                        const GitAttributes& attrs = GitAttributes(),
                        const SubstanceOptions& options = SubstanceOptions()) {
  SubstanceResult r = MeasureSubstance(patches, attrs, options);
  // Every added and removed line of a text file is in exactly one class.
  int64_t lines = 0;
  for (const FilePatch& p : patches) {
    for (const auto& h : p.hunks) {
      for (const DiffLine& l : h)
        lines += l.op != ' ' ? 1 : 0;
    }
  }
  const LineCounts& c = r.lines;
  EXPECT_EQ(c.code + c.comment + c.docs + c.find_replace + c.whitespace + c.moved + c.copied +
                c.paired + c.trivial + c.excluded,
            lines);
  double sum = 0;
  for (const auto& f : r.files)
    sum += f.meaningful;
  EXPECT_DOUBLE_EQ(sum, r.meaningful);
  return r;
}

const std::vector<std::string> kFunction = {"int RetryDelayMillis(int attempt) {",
                                            "  int base = 100 << attempt;",
                                            "  return std::min(base, kMaxDelayMillis);", "}"};

TEST(MeasureSubstanceTest, AddedCodeLinesCountOne) {
  auto r = Measure({Patch("src/a.cc", {{"+int a = 1;", "+int b = 2;", "+int c = a + b;"}})});
  EXPECT_DOUBLE_EQ(r.meaningful, 3);
  EXPECT_EQ(r.lines.code, 3);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].path, "src/a.cc");
  EXPECT_EQ(r.files[0].added, 3);
  EXPECT_EQ(r.files[0].exclusion, "");
}

TEST(MeasureSubstanceTest, BlankAndKeywordOnlyLinesWeighZero) {
  auto r = Measure({NewFile("src/a.cc", kFunction),
                    NewFile("run.sh", {"if true; then", "  x=1", "fi", "", "done", "esac"})});
  // The function: 3 code lines and "}"; the script: 2 code lines, "fi", "done", "esac", blank.
  EXPECT_DOUBLE_EQ(r.meaningful, 5);
  EXPECT_EQ(r.lines.trivial, 4);
  EXPECT_EQ(r.lines.whitespace, 1);
}

TEST(MeasureSubstanceTest, WhitespaceOnlyEditsWeighZero) {
  auto r = Measure({Patch(
      "src/a.py", {{" def f():", "-  return 1", "-  pass", "+    return 1", "+\tpass  ", "+"}})});
  EXPECT_DOUBLE_EQ(r.meaningful, 0);
  EXPECT_EQ(r.lines.whitespace, 5);
}

TEST(MeasureSubstanceTest, UpdatedLineCountsOnce) {
  auto r = Measure({Patch("src/a.go", {{" func f() int {", "-\treturn 1", "+\treturn 2", " }"}})});
  EXPECT_DOUBLE_EQ(r.meaningful, 1);
  EXPECT_EQ(r.lines.code, 1);
  EXPECT_EQ(r.lines.paired, 1);
  EXPECT_EQ(r.lines.updated, 1);
  EXPECT_EQ(r.files[0].added, 1);
  EXPECT_EQ(r.files[0].deleted, 1);
}

TEST(MeasureSubstanceTest, DeletedCodeCounts) {
  auto r = Measure({Patch("src/a.go", {{"-x := compute()", "-y := x * 2", " return"}})});
  EXPECT_DOUBLE_EQ(r.meaningful, 2);
}

TEST(MeasureSubstanceTest, CommentAndDocsLinesWeighAQuarter) {
  auto r = Measure({
      Patch("src/a.cc", {{"+/* Retry with backoff", "+ * because the API throttles", "+ */",
                          "+// and log it", "+#define X 1"}}),
      Patch("tools/b.py", {{"+# a comment", "+x = 1  # not only a comment"}}),
      NewFile("README.md", {"# Title", "", "Some text here.", "```"}),
      NewFile("docs/guide.html", {"<p>Hello</p>"}),
  });
  // 3 C comments, " */" trivial, #define code; 1 Python comment + 1 code; 2 docs lines (+ a blank
  // and a fence), 1 docs line under docs/.
  EXPECT_EQ(r.lines.comment, 4);
  EXPECT_EQ(r.lines.code, 2);
  EXPECT_EQ(r.lines.docs, 3);
  EXPECT_EQ(r.lines.trivial, 2);
  EXPECT_DOUBLE_EQ(r.meaningful, 4 * 0.25 + 2 + 3 * 0.25);
}

TEST(MeasureSubstanceTest, MovedBlockBetweenFilesWeighsZero) {
  std::vector<std::string> removed, added;
  for (const auto& l : kFunction) {
    removed.push_back("-" + l);
    added.push_back("+    " + l);  // re-indented on the way
  }
  auto r = Measure({Patch("src/a.cc", {removed}), Patch("src/b.cc", {added})});
  EXPECT_DOUBLE_EQ(r.meaningful, 0);
  EXPECT_EQ(r.lines.moved, 8);
}

TEST(MeasureSubstanceTest, ShortMovesAreNotMoves) {
  // "x = 1;" has 2 alphanumerics, below the 20 a moved block needs.
  auto r = Measure({Patch("src/a.cc", {{"-x = 1;"}}), Patch("src/b.cc", {{"+x = 1;"}})});
  EXPECT_DOUBLE_EQ(r.meaningful, 2);
  EXPECT_EQ(r.lines.moved, 0);
}

TEST(MeasureSubstanceTest, MovedWithinFileAcrossHunks) {
  auto r = Measure({Patch(
      "src/a.cc", {{" // top", "-" + kFunction[1], "-" + kFunction[2]},
                   {" // bottom", "+" + kFunction[1], "+" + kFunction[2], "+int extra = 0;"}})});
  EXPECT_DOUBLE_EQ(r.meaningful, 1);
  EXPECT_EQ(r.lines.moved, 4);
}

TEST(MeasureSubstanceTest, CopyPasteWithinTheChangeCountsOnce) {
  std::vector<std::string> block = {"+a = load(path)", "+b = parse(a)", "+c = validate(b)",
                                    "+d = enrich(c)",  "+save(d, out)", "+log(d)"};
  std::vector<std::string> twice = block;
  twice.push_back("+");
  twice.insert(twice.end(), block.begin(), block.end());
  auto r = Measure({Patch("etl/job.py", {twice})});
  EXPECT_DOUBLE_EQ(r.meaningful, 6);
  EXPECT_EQ(r.lines.copied, 6);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].copied, 6);  // D10's duplicate-block lines, per file
  EXPECT_EQ(r.files[0].added, 13);
  // Across files too: the copy is counted in the file that holds it.
  auto r2 = Measure({Patch("etl/a.py", {block}), Patch("etl/b.py", {block})});
  EXPECT_DOUBLE_EQ(r2.meaningful, 6);
  ASSERT_EQ(r2.files.size(), 2u);
  EXPECT_EQ(r2.files[0].copied, 0);
  EXPECT_EQ(r2.files[1].copied, 6);
}

TEST(MeasureSubstanceTest, CopyOfExistingContextOrRemovedCode) {
  std::vector<std::string> hunk = {" a = load(path)", " b = parse(a)",    " c = validate(b)",
                                   " d = enrich(c)",  " save(d, out)",    "+a = load(path)",
                                   "+b = parse(a)",   "+c = validate(b)", "+d = enrich(c)",
                                   "+save(d, out)",   "+extra_step(d)"};
  auto r = Measure({Patch("etl/job.py", {hunk})});
  EXPECT_DOUBLE_EQ(r.meaningful, 1);
  EXPECT_EQ(r.lines.copied, 5);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].copied, 5);
}

TEST(MeasureSubstanceTest, FourLineBlocksAreNotCopies) {
  std::vector<std::string> block = {"+a = load(path)", "+b = parse(a)", "+c = validate(b)",
                                    "+d = enrich(c)"};
  auto r = Measure({Patch("etl/a.py", {block}), Patch("etl/b.py", {block})});
  EXPECT_DOUBLE_EQ(r.meaningful, 8);
}

TEST(MeasureSubstanceTest, FindReplaceBatchWeighsPointThree) {
  std::vector<FilePatch> five, four;
  for (int i = 0; i < 5; ++i) {
    auto p =
        Patch("src/f" + std::to_string(i) + ".ts", {{"-  oldName(x, " + std::to_string(i) + ");",
                                                     "+  newName(x, " + std::to_string(i) + ");"}});
    five.push_back(p);
    if (i < 4)
      four.push_back(p);
  }
  auto r = Measure(five);
  EXPECT_DOUBLE_EQ(r.meaningful, 5 * 0.3);
  EXPECT_EQ(r.lines.find_replace, 5);
  EXPECT_DOUBLE_EQ(Measure(four).meaningful, 4);
}

TEST(MeasureSubstanceTest, CodeCommentedOutCountsAsCode) {
  auto r = Measure({Patch("src/a.cc", {{"-  Flush(out);", "+  // Flush(out);"}})});
  EXPECT_DOUBLE_EQ(r.meaningful, 1);
}

TEST(MeasureSubstanceTest, GeneratedVendoredAndLockfilesWeighZero) {
  std::vector<std::string> lock(100, "  \"version\": \"1.0.0\",");
  auto r = Measure({
      NewFile("package-lock.json", lock),
      NewFile("vendor/github.com/x/y/y.go", {"package y", "func Y() {}"}),
      NewFile("node_modules/left-pad/index.js", {"module.exports = 1;"}),
      NewFile("api/v1/api.pb.go", {"package v1"}),
      NewFile("gen/client.go",
              {"// Code generated by oapi-codegen. DO NOT EDIT.", "package gen", "var X = 1"}),
      NewFile("web/app.js", {std::string(200, 'x') + ";"}),
      NewFile("src/ok.go", {"package ok"}),
  });
  EXPECT_DOUBLE_EQ(r.meaningful, 1);
  ASSERT_EQ(r.files.size(), 7u);
  EXPECT_EQ(r.files[0].exclusion, "lockfile");
  EXPECT_EQ(r.files[1].exclusion, "vendored");
  EXPECT_EQ(r.files[2].exclusion, "vendored");
  EXPECT_EQ(r.files[3].exclusion, "generated");
  EXPECT_EQ(r.files[4].exclusion, "generated");
  EXPECT_EQ(r.files[5].exclusion, "minified");
  EXPECT_EQ(r.files[6].exclusion, "");
  EXPECT_EQ(r.lines.excluded, 100 + 2 + 1 + 1 + 3 + 1);
}

TEST(MeasureSubstanceTest, GitAttributesOverrideBothWays) {
  auto attrs = GitAttributes::Parse(
      "gen/** linguist-generated\n*.pb.go -linguist-generated\nvendor/** -linguist-vendored\n"
      "*.dat -diff\n");
  auto r = Measure({NewFile("gen/models.ts", {"export const a = 1;"}),
                    NewFile("api/v1/api.pb.go", {"package v1"}),
                    NewFile("vendor/lib/x.go", {"package lib"}), NewFile("data/blob.dat", {"abc"})},
                   attrs);
  EXPECT_EQ(r.files[0].exclusion, "generated");
  EXPECT_EQ(r.files[1].exclusion, "");
  EXPECT_EQ(r.files[2].exclusion, "");
  EXPECT_EQ(r.files[3].exclusion, "binary");
  EXPECT_DOUBLE_EQ(r.meaningful, 2);
}

TEST(MeasureSubstanceTest, BinaryFilesWeighZero) {
  FilePatch bin = Patch("img/logo.png", {});
  bin.binary = true;
  auto r = Measure({bin});
  EXPECT_DOUBLE_EQ(r.meaningful, 0);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_TRUE(r.files[0].binary);
  EXPECT_EQ(r.files[0].exclusion, "binary");
}

TEST(MeasureSubstanceTest, TestCodeIsCappedAtProductionLines) {
  auto r = Measure(
      {NewFile("src/a.cc", {"int a = 1;", "int b = 2;"}),
       NewFile("tests/a_test.cc", {"TEST(A, B) {", "  EXPECT_EQ(a, 1);", "  EXPECT_EQ(b, 2);",
                                   "  EXPECT_EQ(a + b, 3);", "  EXPECT_NE(a, b);", "}"})});
  EXPECT_TRUE(r.test_capped);
  EXPECT_DOUBLE_EQ(r.production_meaningful, 2);
  EXPECT_DOUBLE_EQ(r.test_meaningful, 5);
  EXPECT_DOUBLE_EQ(r.meaningful, 4);
  EXPECT_DOUBLE_EQ(r.files[1].meaningful, 2);
  EXPECT_EQ(r.lines.test, 5);
  // Tests alone earn nothing; under the cap they count fully.
  EXPECT_DOUBLE_EQ(Measure({NewFile("pkg/x_test.go", {"func TestX(t *testing.T) {"})}).meaningful,
                   0);
  auto under = Measure({NewFile("src/a.cc", {"int a = 1;", "int b = 2;"}),
                        NewFile("src/a_test.cc", {"EXPECT_EQ(a, 1);"})});
  EXPECT_FALSE(under.test_capped);
  EXPECT_DOUBLE_EQ(under.meaningful, 3);
}

TEST(MeasureSubstanceTest, RenamePairCountsOnlyEditedLines) {
  std::vector<std::string> before = {"import os", "def main():", "    path = os.getcwd()",
                                     "    print(path)", "    return 0"};
  std::vector<std::string> after = before;
  after[3] = "    print('cwd:', path)";
  // Without rename detection: a deleted and an added file, paired here.
  auto r = Measure({DeletedFile("old/tool.py", before), NewFile("new/tool.py", after)});
  EXPECT_DOUBLE_EQ(r.meaningful, 1);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].path, "new/tool.py");
  EXPECT_EQ(r.files[0].old_path, "old/tool.py");
  EXPECT_EQ(r.files[0].added, 5);
  EXPECT_EQ(r.files[0].deleted, 5);
  // The same change as git -M shows it.
  FilePatch renamed = Patch("new/tool.py", {{"     path = os.getcwd()", "-    print(path)",
                                             "+    print('cwd:', path)", "     return 0"}});
  renamed.old_path = "old/tool.py";
  renamed.similarity = 80;
  auto m = Measure({renamed});
  EXPECT_DOUBLE_EQ(m.meaningful, 1);
  EXPECT_EQ(m.files[0].old_path, "old/tool.py");
}

TEST(MeasureSubstanceTest, DissimilarFilesAreNotRenames) {
  auto r = Measure({DeletedFile("a.py", {"x = 1", "y = 2"}), NewFile("b.py", {"z = 3", "w = 4"})});
  EXPECT_DOUBLE_EQ(r.meaningful, 4);
  EXPECT_EQ(r.files.size(), 2u);
}

TEST(MeasureSubstanceTest, OrgGlobsAndLargeDataFiles) {
  std::vector<std::string> rows(501, "{\"id\": 1}");
  auto r = Measure({NewFile("data/big.json", rows), NewFile("src/__snapshots__/a.snap", {"x"}),
                    NewFile("data/small.json", {"{\"a\": 1}"})});
  EXPECT_EQ(r.files[0].exclusion, "data");
  EXPECT_EQ(r.files[1].exclusion, "excluded");
  EXPECT_EQ(r.files[2].exclusion, "");
  EXPECT_DOUBLE_EQ(r.meaningful, 1);
  SubstanceOptions allow;
  allow.data_allow_globs = {"data/big.json"};
  EXPECT_DOUBLE_EQ(Measure({NewFile("data/big.json", rows)}, {}, allow).meaningful, 501);
}

TEST(MeasureSubstanceTest, WeightsComeFromOptions) {
  SubstanceOptions o;
  o.code_weight = 2;
  o.comment_weight = 0.5;
  auto r = Measure({NewFile("a.cc", {"int a;", "// note"})}, {}, o);
  EXPECT_DOUBLE_EQ(r.meaningful, 2.5);
}

TEST(MeasureSubstanceTest, LineFingerprintsForDurability) {
  auto h = [](std::string_view text) { return Hash64(internal::StripWhitespace(text)); };
  auto r = Measure({Patch("src/a.go", {{" func f() int {", "-\treturn 1", "+\treturn 2",
                                        "-\tx := 3", "+\t  x := 3", "+\tlog(x)", "+}", "+"}})});
  ASSERT_EQ(r.files.size(), 1u);
  // "return 1" -> "return 2" is an update; "x := 3" only re-indented; "}" and "" weigh 0.
  EXPECT_THAT(r.files[0].added_line_hashes, ElementsAre(h("return 2"), h("log(x)")));
  EXPECT_THAT(r.files[0].removed_line_hashes, ElementsAre(h("return 1")));
  // Moved lines keep their life.
  std::vector<std::string> removed, added;
  for (const auto& l : kFunction) {
    removed.push_back("-" + l);
    added.push_back("+" + l);
  }
  auto moved = Measure({Patch("src/a.cc", {removed}), Patch("src/b.cc", {added})});
  EXPECT_THAT(moved.files[0].removed_line_hashes, IsEmpty());
  EXPECT_THAT(moved.files[1].added_line_hashes, IsEmpty());
  // A deleted line counts as removed.
  auto deleted = Measure({Patch("src/a.go", {{"-x := compute()"}})});
  EXPECT_THAT(deleted.files[0].removed_line_hashes, ElementsAre(h("x := compute()")));
}

TEST(MeasureSubstanceTest, EmptyInput) {
  auto r = Measure({});
  EXPECT_DOUBLE_EQ(r.meaningful, 0);
  EXPECT_TRUE(r.files.empty());
}

TEST(MeasureSubstanceTest, LargeRewriteStaysFast) {
  std::vector<std::string> hunk;
  for (int i = 0; i < 3000; ++i)
    hunk.push_back("-old_value_" + std::to_string(i) + " = compute(" + std::to_string(i) + ")");
  for (int i = 0; i < 3000; ++i)
    hunk.push_back("+new_value_" + std::to_string(i) + " = compute(" + std::to_string(i) + ")");
  for (int i = 0; i < 2000; ++i)
    hunk.push_back("+}");
  auto r = Measure({Patch("src/big.py", {hunk})});
  EXPECT_GT(r.meaningful, 0);
}

TEST(SubstanceOptionsTest, Validate) {
  EXPECT_TRUE(SubstanceOptions().Validate().ok());
  SubstanceOptions bad;
  bad.copy_min_lines = 1;
  EXPECT_FALSE(bad.Validate().ok());
  bad = SubstanceOptions();
  bad.comment_weight = -1;
  EXPECT_EQ(bad.Validate().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace goodhart::processors
