#include "goodhart/model/token_counts.h"

#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"

namespace goodhart::model {
namespace {

using ::goodhart::testing::StatusIs;
using ::testing::HasSubstr;

TEST(TokenCountsTest, AnthropicBucketsAreAlreadyDisjoint) {
  TokenCounts t = TokenCounts::FromAnthropic(2, 9179, 13356, 4);
  EXPECT_EQ(t.input_uncached, 2);
  EXPECT_EQ(t.TotalInput(), 22537);
  EXPECT_EQ(t.Total(), 22541);
}

TEST(TokenCountsTest, InclusiveInputSubtractsCachedTokens) {
  auto t = TokenCounts::FromInclusiveInput(1000, 800, 0, 500, 120);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->input_uncached, 200);
  EXPECT_EQ(t->cache_read, 800);
  EXPECT_EQ(t->output, 500);
  EXPECT_EQ(t->reasoning, 120);
}

TEST(TokenCountsTest, RejectsImpossibleCounts) {
  EXPECT_THAT(TokenCounts::FromInclusiveInput(10, 20, 0, 1, 0).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("exceeds total input")));
  EXPECT_THAT(TokenCounts::FromInclusiveInput(10, 0, 0, 1, 5).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("reasoning")));
  TokenCounts neg{.output = -4};
  EXPECT_THAT(neg.Validate(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("output is negative (-4)")));
}

}  // namespace
}  // namespace goodhart::model
