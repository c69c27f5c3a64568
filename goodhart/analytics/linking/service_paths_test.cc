#include "goodhart/analytics/linking/service_paths.h"

#include <gtest/gtest.h>

#include "goodhart/analytics/linking/internal/testing_commits.h"
#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::analytics {
namespace {

using goodhart::testing::IsOk;
using goodhart::testing::StatusIs;
using testing::MakeCommit;

TEST(MatchPathGlobTest, DoubleStarCoversADirectoryTree) {
  EXPECT_TRUE(MatchPathGlob("services/payments/**", "services/payments/api.go"));
  EXPECT_TRUE(MatchPathGlob("services/payments/**", "services/payments/internal/db/x.sql"));
  EXPECT_FALSE(MatchPathGlob("services/payments/**", "services/payments-v2/api.go"));
  EXPECT_FALSE(MatchPathGlob("services/payments/**", "services/search/api.go"));
  EXPECT_FALSE(MatchPathGlob("services/payments/**", "other/services/payments/api.go"));
}

TEST(MatchPathGlobTest, DoubleStarSlashMatchesZeroOrMoreDirectories) {
  EXPECT_TRUE(MatchPathGlob("**/testdata/**", "testdata/a.json"));
  EXPECT_TRUE(MatchPathGlob("**/testdata/**", "x/y/testdata/a.json"));
  EXPECT_TRUE(MatchPathGlob("services/**/BUILD", "services/BUILD"));
  EXPECT_TRUE(MatchPathGlob("services/**/BUILD", "services/a/b/BUILD"));
  EXPECT_FALSE(MatchPathGlob("services/**/BUILD", "services/a/b/BUILD.bazel"));
}

TEST(MatchPathGlobTest, NameGlobsMatchAtAnyDepth) {
  EXPECT_TRUE(MatchPathGlob("*.go", "main.go"));
  EXPECT_TRUE(MatchPathGlob("*.go", "cmd/server/main.go"));
  EXPECT_FALSE(MatchPathGlob("*.go", "cmd/server/main.go.orig"));
  EXPECT_FALSE(MatchPathGlob("*.go", "README.md"));
  EXPECT_TRUE(MatchPathGlob("Makefile", "tools/Makefile"));
  // A name that is a directory covers everything below it.
  EXPECT_TRUE(MatchPathGlob("vendor", "third_party/vendor/lib/x.c"));
}

TEST(MatchPathGlobTest, SingleStarStaysInOneSegment) {
  EXPECT_TRUE(MatchPathGlob("services/*/main.go", "services/search/main.go"));
  EXPECT_FALSE(MatchPathGlob("services/*/main.go", "services/search/cmd/main.go"));
  EXPECT_TRUE(MatchPathGlob("services/p*s/**", "services/payments/a"));
  EXPECT_FALSE(MatchPathGlob("services/p*s/**", "services/p/s/a"));
}

TEST(MatchPathGlobTest, AnchoredGlobsAndDirectoryPrefixes) {
  EXPECT_TRUE(MatchPathGlob("/services/payments", "services/payments/api.go"));
  EXPECT_TRUE(MatchPathGlob("services/payments", "services/payments/api.go"));
  EXPECT_TRUE(MatchPathGlob("services/payments", "services/payments"));
  EXPECT_TRUE(MatchPathGlob("services/payments/", "services/payments/api.go"));
  EXPECT_FALSE(MatchPathGlob("services/payments/", "services/payments"));  // a file, not a dir
  EXPECT_FALSE(MatchPathGlob("/main.go", "cmd/main.go"));
  EXPECT_TRUE(MatchPathGlob("/main.go", "main.go"));
}

TEST(MatchPathGlobTest, QuestionMarksClassesAndEscapes) {
  EXPECT_TRUE(MatchPathGlob("v?/api.go", "v2/api.go"));
  EXPECT_FALSE(MatchPathGlob("v?/api.go", "v10/api.go"));
  EXPECT_FALSE(MatchPathGlob("a?b", "a/b"));
  EXPECT_TRUE(MatchPathGlob("v[0-9]/*", "v3/x"));
  EXPECT_FALSE(MatchPathGlob("v[0-9]/*", "vx/x"));
  EXPECT_TRUE(MatchPathGlob("v[!0-9]/*", "vx/x"));
  EXPECT_TRUE(MatchPathGlob("v[^0-9]/*", "vx/x"));
  EXPECT_TRUE(MatchPathGlob("[]]", "]"));
  EXPECT_TRUE(MatchPathGlob("a\\*b", "a*b"));
  EXPECT_FALSE(MatchPathGlob("a\\*b", "axb"));
  EXPECT_TRUE(MatchPathGlob("a[b", "a[b"));  // unterminated class: literal
}

TEST(MatchPathGlobTest, EmptyGlobOrPathMatchesNothing) {
  EXPECT_FALSE(MatchPathGlob("", "a"));
  EXPECT_FALSE(MatchPathGlob("/", "a"));
  EXPECT_FALSE(MatchPathGlob("*", ""));
}

TEST(ValidatePathGlobTest, RejectsBrokenGlobs) {
  EXPECT_THAT(ValidatePathGlob("services/payments/**"), IsOk());
  EXPECT_THAT(ValidatePathGlob("!docs/**"), IsOk());
  EXPECT_THAT(ValidatePathGlob("v[0-9]/\\*"), IsOk());
  EXPECT_THAT(ValidatePathGlob(""), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidatePathGlob("!"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidatePathGlob("/"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidatePathGlob("v[0-9/x"),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("unterminated")));
  EXPECT_THAT(ValidatePathGlob("abc\\"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(ServicePathsTest, LastMatchingGlobWins) {
  ServicePaths paths(
      {"services/payments/**", "!services/payments/docs/**", "proto/payments.proto"});
  EXPECT_TRUE(paths.Matches("services/payments/api.go"));
  EXPECT_FALSE(paths.Matches("services/payments/docs/README.md"));
  EXPECT_TRUE(paths.Matches("proto/payments.proto"));
  EXPECT_FALSE(paths.Matches("services/search/api.go"));
}

TEST(ServicePathsTest, OnlyNegatedGlobsKeepTheRest) {
  ServicePaths paths({"!docs/**"});
  EXPECT_TRUE(paths.Matches("src/main.cc"));
  EXPECT_FALSE(paths.Matches("docs/index.md"));
}

TEST(ServicePathsTest, NoGlobsIsTheWholeRepository) {
  ServicePaths paths({});
  EXPECT_TRUE(paths.whole_repo());
  EXPECT_TRUE(paths.Matches("anything/at/all"));
  EXPECT_TRUE(paths.Touches(MakeCommit("m", {"a", "b"}, {})));  // a merge without files
}

TEST(ServicePathsTest, CommitTouchesThroughAnyFileOrRenameSource) {
  ServicePaths paths({"services/payments/**"});
  EXPECT_TRUE(paths.Touches(MakeCommit("a", {}, {"README.md", "services/payments/x.go"})));
  EXPECT_FALSE(paths.Touches(MakeCommit("b", {}, {"README.md", "services/search/x.go"})));
  EXPECT_FALSE(paths.Touches(MakeCommit("m", {"a", "b"}, {})));

  model::Commit moved_out = MakeCommit("c", {}, {"services/common/x.go"});
  moved_out.files[0].old_path = "services/payments/x.go";
  EXPECT_TRUE(paths.Touches(moved_out));
}

}  // namespace
}  // namespace goodhart::analytics
