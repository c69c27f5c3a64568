#include "goodhart/receivers/webhook/internal/text.h"

#include <gtest/gtest.h>

namespace goodhart::receivers::webhook::internal {
namespace {

TEST(UrlDecodeTest, DecodesPercentAndOptionallyPlus) {
  EXPECT_EQ(UrlDecode("sha256%3Aab%2fcd"), "sha256:ab/cd");
  EXPECT_EQ(UrlDecode("a+b"), "a+b");
  EXPECT_EQ(UrlDecode("a+b", true), "a b");
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%zz%4"), "%zz%4");
}

TEST(RepoFromUrlTest, KnownShapes) {
  EXPECT_EQ(RepoFromUrl("https://github.com/acme/shop"), "acme/shop");
  EXPECT_EQ(RepoFromUrl("https://github.com/acme/shop.git/"), "acme/shop");
  EXPECT_EQ(RepoFromUrl("git@gitlab.example.com:group/sub/proj.git"), "group/sub/proj");
  EXPECT_EQ(RepoFromUrl("https://gitlab.example.com/group/proj?x=1#y"), "group/proj");
  EXPECT_EQ(RepoFromUrl("https://github.com/"), "");
  EXPECT_EQ(RepoFromUrl("https://github.com"), "");
  EXPECT_EQ(RepoFromUrl("acme/shop"), "acme/shop");
}

TEST(IsFullShaTest, FortyHexDigits) {
  EXPECT_TRUE(IsFullSha("279484c09fbe69ededfced8c1bb6e6d24616b468"));
  EXPECT_FALSE(IsFullSha("279484c0"));
  EXPECT_FALSE(IsFullSha("master"));
  EXPECT_FALSE(IsFullSha("279484c09fbe69ededfced8c1bb6e6d24616b46g"));
}

}  // namespace
}  // namespace goodhart::receivers::webhook::internal
