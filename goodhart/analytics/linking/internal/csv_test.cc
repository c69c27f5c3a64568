#include "goodhart/analytics/linking/internal/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::analytics::internal {
namespace {

using goodhart::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ParseCsvTest, PlainRecordsWithAndWithoutFinalNewline) {
  auto records = ParseCsv("a,b,c\n1,,3\n");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT(*records, ElementsAre(ElementsAre("a", "b", "c"), ElementsAre("1", "", "3")));
  records = ParseCsv("a,b\n1,2");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT(*records, ElementsAre(ElementsAre("a", "b"), ElementsAre("1", "2")));
}

TEST(ParseCsvTest, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
  auto records =
      ParseCsv("id,text\r\n1,\"a, \"\"b\"\"\"\r\n2,\"line1\r\nline2\nline3\"\r\n3,\"\"\r\n");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT(*records,
              ElementsAre(ElementsAre("id", "text"), ElementsAre("1", "a, \"b\""),
                          ElementsAre("2", "line1\r\nline2\nline3"), ElementsAre("3", "")));
}

TEST(ParseCsvTest, LineEndsBlankLinesBomAndTrailingSeparator) {
  auto records = ParseCsv("\xEF\xBB\xBFx,y\r1,2\n\n\r\n3,\n");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT(*records,
              ElementsAre(ElementsAre("x", "y"), ElementsAre("1", "2"), ElementsAre("3", "")));
  records = ParseCsv("");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT(*records, IsEmpty());
}

TEST(ParseCsvTest, RejectsBrokenQuoting) {
  EXPECT_THAT(ParseCsv("a,b\n1,\"open\n").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("line 2")));
  EXPECT_THAT(ParseCsv("a\n\"x\"y\n").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("after a closing quote")));
}

TEST(CsvTableTest, ColumnsByName) {
  auto table = CsvTable::Parse("id,name\n1,a\n2,b\n");
  ASSERT_TRUE(table.ok());
  EXPECT_THAT(table->header(), ElementsAre("id", "name"));
  ASSERT_EQ(table->rows().size(), 2u);
  auto name = table->Column("name");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(table->rows()[1][*name], "b");
  EXPECT_THAT(table->Column("missing").status(), StatusIs(StatusCode::kNotFound));
}

TEST(CsvTableTest, RejectsRaggedRecordsAndNoHeader) {
  EXPECT_THAT(CsvTable::Parse("a,b\n1\n").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("record 1")));
  EXPECT_THAT(CsvTable::Parse("").status(), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace goodhart::analytics::internal
