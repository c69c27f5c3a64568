#include "goodhart/processors/pricing/pricing_processor.h"

#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/time.h"
#include "goodhart/pipeline/testing/sink_consumer.h"

namespace goodhart::processors {
namespace {

using ::goodhart::testing::IsOk;

model::UsageEvent Call(std::string key, std::string provider, std::string model,
                       model::TokenCounts tokens, int64_t time_unix_ms) {
  model::UsageEvent e;
  e.event_key = std::move(key);
  e.source = "otlp_logs";
  e.kind = model::UsageKind::kModelCall;
  e.time_unix_ms = time_unix_ms;
  e.provider = std::move(provider);
  e.model = std::move(model);
  e.tokens = tokens;
  return e;
}

TEST(PricingProcessorTest, FillsComputedCostAndKeepsReportedCost) {
  pipeline::testing::SinkConsumer sink;
  PricingProcessor processor(PriceTable::Builtin(), sink);
  const int64_t t = CivilToMillis(2025, 11, 25, 9);

  model::EventBatch batch;
  // Claude Code api_request with its own cost_usd: both costs are kept side by side.
  batch.usage.push_back(Call("req:1", "anthropic", "claude-sonnet-4-5-20250929",
                             model::TokenCounts::FromAnthropic(1'000'000, 0, 0, 2'000), t));
  batch.usage.back().reported_cost_micros = 3'100'000;
  // Same model again (cached resolution), cache-read heavy.
  batch.usage.push_back(Call("req:2", "anthropic", "claude-sonnet-4-5-20250929",
                             model::TokenCounts::FromAnthropic(12, 1'234'567, 8'000, 1'500), t));
  // An OpenAI usage-report bucket.
  auto aggregate = Call(
      "hash:3", "openai", "gpt-4o-mini",
      model::TokenCounts{.input_uncached = 2'000'000, .cache_read = 500'000, .output = 300'000}, t);
  aggregate.kind = model::UsageKind::kUsageAggregate;
  aggregate.end_unix_ms = t + kMillisPerDay;
  aggregate.request_count = 40;
  batch.usage.push_back(aggregate);
  // o3 before and after its price cut: resolved once, priced by time.
  const int64_t cut = CivilToMillis(2025, 6, 10);
  batch.usage.push_back(
      Call("req:4", "openai", "o3", {.input_uncached = 1'000, .output = 1'000}, cut - 1));
  batch.usage.push_back(
      Call("req:5", "openai", "o3", {.input_uncached = 1'000, .output = 1'000}, cut));
  // Unknown model: no computed cost, reported cost untouched.
  batch.usage.push_back(
      Call("req:6", "anthropic", "claude-opus-4-7", {.input_uncached = 500, .output = 500}, t));
  batch.usage.back().reported_cost_micros = 17'500;
  // Not priced: a prompt event and a call without tokens.
  auto prompt = Call("seq:s:7", "anthropic", "claude-sonnet-4-5", {.input_uncached = 40}, t);
  prompt.kind = model::UsageKind::kPrompt;
  batch.usage.push_back(prompt);
  batch.usage.push_back(Call("req:8", "anthropic", "claude-sonnet-4-5", {}, t));

  auto stats = processor.Consume(batch);
  ASSERT_THAT(stats.status(), IsOk());
  EXPECT_EQ(stats->inserted, 8);

  const auto out = sink.AllUsage();
  ASSERT_EQ(out.size(), 8u);
  EXPECT_EQ(out[0].computed_cost_micros, 3'030'000);
  EXPECT_EQ(out[0].reported_cost_micros, 3'100'000);
  EXPECT_EQ(out[1].computed_cost_micros, 422'906);
  EXPECT_EQ(out[1].reported_cost_micros, std::nullopt);
  EXPECT_EQ(out[2].computed_cost_micros, 517'500);
  EXPECT_EQ(out[3].computed_cost_micros, 50'000);
  EXPECT_EQ(out[4].computed_cost_micros, 10'000);
  EXPECT_EQ(out[5].computed_cost_micros, 0);
  EXPECT_EQ(out[5].reported_cost_micros, 17'500);
  EXPECT_EQ(out[6].computed_cost_micros, 0);
  EXPECT_EQ(out[7].computed_cost_micros, 0);
  // Everything else passes through unchanged.
  EXPECT_EQ(out[0].model, "claude-sonnet-4-5-20250929");
  EXPECT_EQ(out[2].request_count, 40);
  EXPECT_EQ(out[6].kind, model::UsageKind::kPrompt);

  EXPECT_EQ(processor.priced_events(), 5);
  EXPECT_EQ(processor.unpriced_events(), 1);
}

TEST(PricingProcessorTest, ForwardsEmptyAndDeliveryOnlyBatches) {
  pipeline::testing::SinkConsumer sink;
  PricingProcessor processor(PriceTable::Builtin(), sink);
  model::EventBatch batch;
  batch.deployments.push_back({.id = "d1", .service = "payments"});
  auto stats = processor.Consume(batch);
  ASSERT_THAT(stats.status(), IsOk());
  EXPECT_EQ(stats->inserted, 1);
  EXPECT_TRUE(sink.AllUsage().empty());
  EXPECT_EQ(processor.priced_events(), 0);
}

}  // namespace
}  // namespace goodhart::processors
