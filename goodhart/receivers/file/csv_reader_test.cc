#include "goodhart/receivers/file/internal/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::receivers::file::internal {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

Rows ReadAll(std::string_view text) {
  CsvReader reader(text);
  Rows rows;
  std::vector<std::string> fields;
  while (true) {
    auto next = reader.Next(&fields);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next)
      break;
    rows.push_back(fields);
  }
  return rows;
}

TEST(CsvReaderTest, Rfc4180) {
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(ReadAll("\xEF\xBB\xBF\"a\",\"b\"\n\"x,y\",\"say \"\"hi\"\"\"\n"),
            (Rows{{"a", "b"}, {"x,y", "say \"hi\""}}));
  EXPECT_EQ(ReadAll("\"multi\r\nline\",2\n"), (Rows{{"multi\r\nline", "2"}}));
  EXPECT_EQ(ReadAll("a,,\n\n\r\n,\nlast"), (Rows{{"a", "", ""}, {"", ""}, {"last"}}));
  EXPECT_EQ(ReadAll("\"\",\"\"\r\n"), (Rows{{"", ""}}));
  EXPECT_EQ(ReadAll(""), Rows{});
}

TEST(CsvReaderTest, MalformedRecordsAreErrorsAndReadingGoesOn) {
  CsvReader reader("a,b\n\"x\"y,2\nc,d\n\"open,3\n");
  std::vector<std::string> fields;
  ASSERT_TRUE(*reader.Next(&fields));
  EXPECT_EQ(reader.record_line(), 1);
  EXPECT_THAT(
      reader.Next(&fields).status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 1: text after the closing quote")));
  EXPECT_EQ(reader.record_line(), 2);
  ASSERT_TRUE(*reader.Next(&fields));
  EXPECT_THAT(fields, ElementsAre("c", "d"));
  EXPECT_EQ(reader.record_line(), 3);
  EXPECT_THAT(reader.Next(&fields).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("quote never closes")));
  auto end = reader.Next(&fields);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
}

}  // namespace
}  // namespace goodhart::receivers::file::internal
