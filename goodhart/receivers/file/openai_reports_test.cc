// OpenAI organization usage and costs pages. The corpus has none, so testdata/ holds pages written
// from the documented shapes (formats.md §5).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/file/file_decoder.h"

namespace goodhart::receivers::file {
namespace {

using ::goodhart::testing::ReadTestdata;
using model::TokenCounts;
using model::UsageKind;
using ::testing::ElementsAre;

FileDecodeResult DecodeOk(FileFormat format, const std::string& content) {
  auto r = DecodeFile(format, content);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : FileDecodeResult{};
}

TEST(OpenAiUsageTest, InputTokensIncludeCachedTokens) {
  auto r = DecodeOk(FileFormat::kOpenAiUsage, ReadTestdata("openai_usage_completions_page.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 3u);
  const auto& first = r.batch.usage[0];
  EXPECT_EQ(first.source, "openai_usage");
  EXPECT_EQ(first.kind, UsageKind::kUsageAggregate);
  EXPECT_EQ(first.event_name, "usage.completions");
  EXPECT_EQ(first.tokens, (TokenCounts{.input_uncached = 200, .cache_read = 800, .output = 500}));
  EXPECT_EQ(first.request_count, 5);
  EXPECT_EQ(first.time_unix_ms, 1'730'419'200'000);
  EXPECT_EQ(first.end_unix_ms, 1'730'505'600'000);
  EXPECT_EQ(first.provider, "openai");
  EXPECT_EQ(first.actor, "");

  const auto& by_user = r.batch.usage[1];
  EXPECT_EQ(by_user.tokens, (TokenCounts{.input_uncached = 2400, .output = 300}));
  EXPECT_EQ(by_user.request_count, 3);
  EXPECT_EQ(by_user.actor, "user-xyz");
  EXPECT_EQ(by_user.actor_kind, "user_id");
  EXPECT_EQ(by_user.model, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(by_user.raw_id,
            "1730592000|end_time=1730678400|type=completions|project_id=proj_abc|user_id=user-"
            "xyz|api_key_id=key_1|model=gpt-4o-mini-2024-07-18|batch=false|service_tier=default");

  const auto& by_key = r.batch.usage[2];
  EXPECT_EQ(by_key.actor, "key_2");
  EXPECT_EQ(by_key.actor_kind, "api_key");
  EXPECT_NE(by_user.event_key, by_key.event_key);
}

TEST(OpenAiUsageTest, OtherEndpoints) {
  auto r = DecodeOk(FileFormat::kOpenAiUsage, ReadTestdata("openai_usage_other_endpoints.json"));
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.ignored, 2);  // vector stores and code interpreter sessions carry no calls
  ASSERT_EQ(r.batch.usage.size(), 2u);
  EXPECT_EQ(r.batch.usage[0].event_name, "usage.embeddings");
  EXPECT_EQ(r.batch.usage[0].tokens, (TokenCounts{.input_uncached = 16}));
  EXPECT_EQ(r.batch.usage[0].request_count, 2);
  EXPECT_EQ(r.batch.usage[1].event_name, "usage.images");
  EXPECT_EQ(r.batch.usage[1].tokens, TokenCounts{});
  EXPECT_EQ(r.batch.usage[1].request_count, 2);
}

TEST(OpenAiUsageTest, CachedAboveInputIsRejected) {
  auto r =
      DecodeOk(FileFormat::kOpenAiUsage, ReadTestdata("openai_usage_cached_exceeds_input.json"));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0].tokens,
            (TokenCounts{.input_uncached = 80, .cache_read = 20, .output = 5}));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_THAT(r.errors, ElementsAre("openai_usage: data[0].results[0]: tokens: cached input (200 "
                                    "read + 0 write) exceeds total input 100"));
}

TEST(OpenAiCostsTest, AmountIsUsdAsNumberOrString) {
  auto r = DecodeOk(FileFormat::kOpenAiCosts, ReadTestdata("openai_costs_page.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 2u);
  EXPECT_EQ(r.batch.usage[0].source, "openai_costs");
  EXPECT_EQ(r.batch.usage[0].reported_cost_micros, 60'000);
  EXPECT_EQ(r.batch.usage[0].event_name, "Text models");
  EXPECT_EQ(r.batch.usage[0].request_count, 0);
  EXPECT_EQ(r.batch.usage[0].tokens, TokenCounts{});
  EXPECT_EQ(r.batch.usage[1].reported_cost_micros, 1'234'568);  // "1.2345675" rounds half up
  EXPECT_EQ(r.batch.usage[1].raw_id,
            "1730419200|end_time=1730505600|line_item=Image models|project_id=proj_abc");
}

TEST(OpenAiCostsTest, OtherCurrenciesAndNonNumbersAreRejected) {
  auto r = DecodeOk(FileFormat::kOpenAiCosts, ReadTestdata("openai_costs_not_usd.json"));
  EXPECT_TRUE(r.batch.empty());
  EXPECT_EQ(r.rejected, 2);
  EXPECT_THAT(r.errors,
              ElementsAre("openai_costs: data[0].results[0]: amount: currency 'eur' is not usd",
                          "openai_costs: data[0].results[1]: amount.value 'abc' is not a decimal "
                          "number"));
}

}  // namespace
}  // namespace goodhart::receivers::file
