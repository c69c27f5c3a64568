#include "goodhart/base/hash.h"

#include <gtest/gtest.h>

namespace goodhart {
namespace {

TEST(HashTest, FieldsAreLengthPrefixed) {
  Hasher128 a, b;
  a.AddField("ab");
  a.AddField("c");
  b.AddField("a");
  b.AddField("bc");
  EXPECT_NE(a.FinishHex(), b.FinishHex());
  EXPECT_EQ(a.FinishHex().size(), 32u);
}

TEST(HashTest, StableAcrossCalls) {
  EXPECT_EQ(Hash128Hex("goodhart"), Hash128Hex("goodhart"));
  EXPECT_NE(Hash64("goodhart"), Hash64("goodhart", 1));
}

}  // namespace
}  // namespace goodhart
