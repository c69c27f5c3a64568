#include "goodhart/receivers/git/internal/log_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::receivers::git::internal {
namespace {

using goodhart::testing::StatusIs;
using namespace std::string_literals;

std::string Record(const std::string& sha, const std::string& message, const std::string& diff) {
  std::string r;
  for (std::string field : {sha, std::string("p1 p2"), std::string("Ann"), std::string("a@x"),
                            std::string("1700000000"), std::string("Bob"), std::string("b@x"),
                            std::string("1700000100"), message}) {
    r += '\0';
    r += field;
  }
  r += '\0';
  r += "\n\n" + diff;
  return r;
}

const std::string kSha1(40, 'a'), kSha2(40, 'b');
const std::string kDiff =
    "diff --git a/x.cc b/x.cc\nindex 1..2 100644\n--- a/x.cc\n+++ b/x.cc\n@@ -1 +1,3 @@\n"
    " keep\n+add\n";

std::vector<LogRecord> ParseInChunks(const std::string& stream, size_t chunk, Status* status) {
  std::vector<LogRecord> out;
  LogStreamParser parser([&](LogRecord&& r) {
    out.push_back(std::move(r));
    return Status::Ok();
  });
  for (size_t i = 0; i < stream.size(); i += chunk) {
    *status = parser.Feed(std::string_view(stream).substr(i, chunk));
    if (!status->ok())
      return out;
  }
  *status = parser.Finish();
  return out;
}

TEST(LogStreamParserTest, SameResultWhateverTheChunking) {
  // A message with newlines and a '\x1e', a merge without a diff, a line with a NUL inside.
  std::string stream = Record(kSha1, "Subject\n\nBody \x1e line\n", kDiff + "+nul\0inside\n"s) +
                       Record(kSha2, "Merge\n", "");
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{64}, stream.size()}) {
    SCOPED_TRACE(chunk);
    Status status;
    auto records = ParseInChunks(stream, chunk, &status);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].sha, kSha1);
    EXPECT_EQ(records[0].parents, "p1 p2");
    EXPECT_EQ(records[0].author_name, "Ann");
    EXPECT_EQ(records[0].committer_time, "1700000100");
    EXPECT_EQ(records[0].message, "Subject\n\nBody \x1e line\n");
    ASSERT_EQ(records[0].patches.size(), 1u);
    ASSERT_EQ(records[0].patches[0].hunks.size(), 1u);
    EXPECT_EQ(records[0].patches[0].hunks[0].size(), 3u);
    EXPECT_EQ(records[0].patches[0].hunks[0][2].text, std::string("nul\0inside", 10));
    EXPECT_EQ(records[1].sha, kSha2);
    EXPECT_TRUE(records[1].patches.empty());
  }
}

TEST(LogStreamParserTest, ANulLineThatIsNotARecordStays) {
  std::string diff = kDiff.substr(0, kDiff.size() - 5) + "+\0not-a-sha\n"s;  // replaces "+add"
  Status status;
  auto records = ParseInChunks(Record(kSha1, "S\n", diff), 2, &status);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(records.size(), 1u);
}

TEST(LogStreamParserTest, TruncatedHeaderIsDataLoss) {
  std::string stream = Record(kSha1, "S\n", kDiff);
  Status status;
  ParseInChunks(stream.substr(0, 50), 7, &status);
  EXPECT_THAT(status, StatusIs(StatusCode::kDataLoss));
}

TEST(LogStreamParserTest, EmptyStreamAndCallbackErrors) {
  Status status;
  EXPECT_TRUE(ParseInChunks("", 1, &status).empty());
  EXPECT_TRUE(status.ok());
  LogStreamParser failing([](LogRecord&&) { return Status::Internal("stop"); });
  std::string two = Record(kSha1, "S\n", kDiff) + Record(kSha2, "T\n", "");
  EXPECT_THAT(failing.Feed(two), StatusIs(StatusCode::kInternal));
}

}  // namespace
}  // namespace goodhart::receivers::git::internal
