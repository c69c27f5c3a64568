#include "goodhart/receivers/file/internal/json_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "goodhart/base/utf8.h"

namespace goodhart::receivers::file::internal {
namespace {

// Rejections quote at most 32 bytes of the value, cut between characters: a message that split
// one was not UTF-8, and the JSON output of `goodhart ingest --format json` threw on it.
TEST(ReadCountTest, AQuotedValueIsCutBetweenCharacters) {
  std::string value;
  for (int i = 0; i < 40; ++i)
    value += "\xc3\xa9";  // é, two bytes: byte 32 would start the 17th
  Json object = {{"n", "x" + value}};
  auto count = ReadCount(object, "n");
  ASSERT_FALSE(count.ok());
  const std::string& message = count.status().message();
  EXPECT_TRUE(IsUtf8(message)) << message;
  EXPECT_THAT(message, ::testing::HasSubstr("('x" + value.substr(0, 30) + "...')"));
}

}  // namespace
}  // namespace goodhart::receivers::file::internal
