#include "goodhart/model/cost_units.h"

#include <gtest/gtest.h>

namespace goodhart::model {
namespace {

TEST(CostUnitsTest, EveryEncodingInTheUnitTable) {
  EXPECT_EQ(ToMicroUsd(0.0027651900000000003, MoneyUnit::kUsd), 2765);  // Claude Code cost_usd
  EXPECT_EQ(ToMicroUsd(2765, MoneyUnit::kMicroUsd), 2765);              // cost_usd_micros
  EXPECT_EQ(*DecimalStringToMicroUsd("123.78912", MoneyUnit::kCents), 1'237'891);  // $1.2378912
  EXPECT_EQ(*DecimalStringToMicroUsd("123.45", MoneyUnit::kCents), 1'234'500);     // "$1.23"
  EXPECT_EQ(ToMicroUsd(186, MoneyUnit::kCents), 1'860'000);  // claude_code estimated_cost
  EXPECT_EQ(ToMicroUsd(0.06, MoneyUnit::kUsd), 60'000);      // OpenAI amount.value
  EXPECT_EQ(*DecimalStringToMicroUsd("0.06", MoneyUnit::kUsd), 60'000);
  EXPECT_EQ(*DecimalStringToMicroUsd("0.0000005", MoneyUnit::kUsd), 1);  // rounds half up
  EXPECT_EQ(*DecimalStringToMicroUsd("-2", MoneyUnit::kCents), -20'000);
}

TEST(CostUnitsTest, RejectsNonNumbers) {
  EXPECT_FALSE(DecimalStringToMicroUsd("", MoneyUnit::kUsd).ok());
  EXPECT_FALSE(DecimalStringToMicroUsd("1.2.3", MoneyUnit::kUsd).ok());
  EXPECT_FALSE(DecimalStringToMicroUsd("12abc", MoneyUnit::kUsd).ok());
  EXPECT_FALSE(DecimalStringToMicroUsd("99999999999999999999", MoneyUnit::kUsd).ok());
}

}  // namespace
}  // namespace goodhart::model
