#include "goodhart/store/clickhouse/internal/tsv.h"

#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::store::clickhouse {
namespace {

using ::goodhart::testing::StatusIs;

TEST(TsvTest, EveryByteSurvivesEscaping) {
  std::string all;
  for (int b = 0; b < 256; ++b)
    all.push_back(static_cast<char>(b));
  std::string escaped;
  AppendTsvEscaped(all, &escaped);
  EXPECT_EQ(escaped.find('\t'), std::string::npos);
  EXPECT_EQ(escaped.find('\n'), std::string::npos);
  EXPECT_EQ(TsvUnescape(escaped), all);
}

TEST(TsvTest, UnescapesWhatClickHouseWrites) {
  EXPECT_EQ(TsvUnescape(R"(a\'b\\c\td\ne\0f\x41)"), std::string("a'b\\c\td\ne\0fA", 12));
  EXPECT_EQ(TsvUnescape("plain"), "plain");
  EXPECT_EQ(TsvUnescape("trailing\\"), "trailing\\");
}

TEST(TsvTest, WriterAndReaderRoundTrip) {
  TsvWriter w;
  w.Str("josé\t1").Int(-5).UInt(0xfedcba9876543210).UIntArray(std::vector<uint64_t>{1, 2}).EndRow();
  w.Str("").Int(0).UInt(0).UIntArray(std::vector<uint64_t>{}).EndRow();
  EXPECT_EQ(w.rows(), 2);
  TsvReader r(w.data(), "test");
  ASSERT_TRUE(r.Next());
  ASSERT_TRUE(r.Expect(4).ok());
  EXPECT_EQ(r.Str(0), "josé\t1");
  EXPECT_EQ(*r.Int(1), -5);
  EXPECT_EQ(*r.UInt(2), 0xfedcba9876543210);
  EXPECT_EQ(*r.UIntArray(3), (std::vector<uint64_t>{1, 2}));
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.Str(0), "");
  EXPECT_TRUE(r.UIntArray(3)->empty());
  EXPECT_FALSE(r.Next());
}

TEST(TsvTest, MalformedAnswersAreDataLoss) {
  TsvReader r("x\t[1,y]\n", "test");
  ASSERT_TRUE(r.Next());
  EXPECT_THAT(r.Expect(3), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(r.Int(0).status(), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(r.UIntArray(1).status(), StatusIs(StatusCode::kDataLoss));
}

TEST(TsvTest, SqlLiteralsQuoteEverything) {
  EXPECT_EQ(SqlString("it's a \\ test"), R"('it\'s a \\ test')");
  EXPECT_EQ(SqlString(std::string("a\nb\0", 4)), R"('a\x0Ab\x00')");
  EXPECT_EQ(SqlIdentifier("goodhart"), "`goodhart`");
}

}  // namespace
}  // namespace goodhart::store::clickhouse
