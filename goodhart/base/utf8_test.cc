#include "goodhart/base/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace goodhart {
namespace {

TEST(IsUtf8Test, AcceptsUtf8AndRejectsEveryIllFormedSequence) {
  for (std::string ok : {"", "team-a", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x9a\x80",
                         "\xed\x9f\xbf", "\xee\x80\x80", "\xf4\x8f\xbf\xbf"}) {
    EXPECT_TRUE(IsUtf8(ok)) << ok;
  }
  for (std::string bad : {"\xff", "\xfe", "\x80", "caf\xe9", "\xc3", "\xc0\xaf", "\xc1\xbf",
                          "\xe0\x80\xaf", "\xed\xa0\x80", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80",
                          "\xf5\x80\x80\x80", "\xe2\x82", "\xf0\x9f\x9a"}) {
    EXPECT_FALSE(IsUtf8(bad)) << ::testing::PrintToString(bad);
  }
}

TEST(ToUtf8LossyTest, ReplacesEachByteThatStartsNoSequence) {
  EXPECT_EQ(ToUtf8Lossy("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(ToUtf8Lossy("caf\xe9!"), "caf\xef\xbf\xbd!");
  EXPECT_EQ(ToUtf8Lossy("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
  EXPECT_EQ(ToUtf8Lossy("\xe2\x82"), "\xef\xbf\xbd\xef\xbf\xbd");  // truncated at the end
  EXPECT_TRUE(IsUtf8(ToUtf8Lossy("\xff\xfe\xc0\xaf ok")));
}

}  // namespace
}  // namespace goodhart
