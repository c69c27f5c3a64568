// Metric points: Claude Code token and cost counters (delta and cumulative, asInt and asDouble),
// the GenAI token histogram, series keys and retry-stable event keys.
#include <gtest/gtest.h>

#include "goodhart/base/testing/testdata.h"
#include "goodhart/receivers/otlp_http/decode.h"
#include "goodhart/receivers/otlp_http/test_util.h"

namespace goodhart::receivers::otlp {
namespace {

using goodhart::testing::ReadTestdata;
using model::Temporality;
using model::TokenCounts;
using testing::Decoded;
using testing::Replace;

TEST(MetricsDecodeTest, ClaudeCodeDeltaAsInt) {
  DecodeResult r = Decoded(DecodeMetrics(ReadTestdata("metrics_claude_code_delta_asint.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  EXPECT_EQ(r.ignored, 3);  // session.count (1 point) and lines_of_code.count (2 points)
  ASSERT_EQ(r.batch.usage.size(), 5u);
  const TokenCounts expected[] = {
      {.input_uncached = 2}, {.output = 4}, {.cache_read = 9179}, {.cache_write = 13356}};
  for (int i = 0; i < 4; ++i) {
    const model::UsageEvent& e = r.batch.usage[static_cast<size_t>(i)];
    SCOPED_TRACE(i);
    EXPECT_EQ(e.tokens, expected[i]);
    EXPECT_EQ(e.signal, model::Signal::kMetric);
    EXPECT_EQ(e.kind, model::UsageKind::kModelCall);
    EXPECT_EQ(e.request_count, 0);
    EXPECT_EQ(e.source, "otlp_metrics");
    EXPECT_EQ(e.event_name, "token.usage");
    EXPECT_EQ(e.time_unix_ms, 1791447360000);
    EXPECT_EQ(e.series_start_unix_ms, 1791447300000);
    EXPECT_EQ(e.temporality, Temporality::kDelta);
    EXPECT_EQ(e.actor, "ana@example.com");
    EXPECT_EQ(e.actor_kind, "email");
    EXPECT_EQ(e.organization, "org-9");
    EXPECT_EQ(e.session_id, "sess-m1");
    EXPECT_EQ(e.model, "claude-haiku-5-5");
    EXPECT_EQ(e.query_source, "main");
    EXPECT_EQ(e.provider, "anthropic");
    EXPECT_EQ(e.tool, "claude-code");
    EXPECT_EQ(e.tool_version, "2.1.294");
    EXPECT_EQ(e.series_key.size(), 32u);
    EXPECT_EQ(e.raw_id, e.series_key);
    EXPECT_EQ(e.event_key.substr(0, 5), "hash:");
    EXPECT_FALSE(e.reported_cost_micros.has_value());
  }
  // Four token types are four series.
  EXPECT_NE(r.batch.usage[0].series_key, r.batch.usage[1].series_key);
  const model::UsageEvent& cost = r.batch.usage[4];
  EXPECT_EQ(cost.event_name, "cost.usage");
  EXPECT_EQ(cost.reported_cost_micros, 2765);  // 0.0027651900000000003 USD
  EXPECT_EQ(cost.tokens, TokenCounts{});
  EXPECT_EQ(cost.organization, "");
}

TEST(MetricsDecodeTest, ClaudeCodeCumulativeAsDoubleWithEnumNames) {
  // aggregationTemporality comes after dataPoints and as a name.
  DecodeResult r =
      Decoded(DecodeMetrics(ReadTestdata("metrics_claude_code_cumulative_asdouble.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  ASSERT_EQ(r.batch.usage.size(), 2u);
  const model::UsageEvent& tokens = r.batch.usage[0];
  EXPECT_EQ(tokens.tokens, (TokenCounts{.output = 1234}));
  EXPECT_EQ(tokens.temporality, Temporality::kCumulative);
  EXPECT_EQ(tokens.series_start_unix_ms, 1791447000000);
  EXPECT_EQ(tokens.actor, "9f0e0000-0000-4000-8000-000000000001");
  EXPECT_EQ(tokens.actor_kind, "account_uuid");
  EXPECT_EQ(tokens.model, "claude-opus-4-7");
  const model::UsageEvent& cost = r.batch.usage[1];
  EXPECT_EQ(cost.reported_cost_micros, 1'500'000);
  EXPECT_EQ(cost.temporality, Temporality::kCumulative);
}

TEST(MetricsDecodeTest, SeriesKeyIgnoresValueAndAttributeOrderButNotAttributes) {
  const std::string body = ReadTestdata("metrics_claude_code_cumulative_asdouble.json");
  DecodeResult first = Decoded(DecodeMetrics(body, {}));
  ASSERT_EQ(first.batch.usage.size(), 2u);
  const model::UsageEvent& a = first.batch.usage[0];

  // The next export of the same cumulative series: a later time and a larger value.
  std::string later = Replace(body, "\"asDouble\":1234", "\"asDouble\":1500");
  later = Replace(later, "1791447360000000000", "1791447420000000000");
  DecodeResult second = Decoded(DecodeMetrics(later, {}));
  ASSERT_EQ(second.batch.usage.size(), 2u);
  EXPECT_EQ(second.batch.usage[0].series_key, a.series_key);
  EXPECT_NE(second.batch.usage[0].event_key, a.event_key);
  EXPECT_EQ(second.batch.usage[0].tokens.output, 1500);

  // An identical retry has identical keys.
  DecodeResult retry = Decoded(DecodeMetrics(body, {}));
  EXPECT_EQ(retry.batch.usage, first.batch.usage);

  // Attribute order does not matter; an attribute value does.
  std::string reordered = Replace(
      body,
      R"({"key":"session.id","value":{"stringValue":"sess-c1"}},{"key":"user.account_uuid","value":{"stringValue":"9f0e0000-0000-4000-8000-000000000001"}},)",
      R"({"key":"user.account_uuid","value":{"stringValue":"9f0e0000-0000-4000-8000-000000000001"}},{"key":"session.id","value":{"stringValue":"sess-c1"}},)");
  EXPECT_EQ(Decoded(DecodeMetrics(reordered, {})).batch.usage[0].series_key, a.series_key);
  std::string other_session = Replace(body, "sess-c1", "sess-c2");
  EXPECT_NE(Decoded(DecodeMetrics(other_session, {})).batch.usage[0].series_key, a.series_key);
  // asInt 1234 and asDouble 1234 are the same value for the key but not the same encoding.
  std::string as_int = Replace(body, "\"asDouble\":1234", "\"asInt\":\"1234\"");
  DecodeResult int_result = Decoded(DecodeMetrics(as_int, {}));
  EXPECT_EQ(int_result.batch.usage[0].tokens.output, 1234);
  EXPECT_EQ(int_result.batch.usage[0].series_key, a.series_key);
}

TEST(MetricsDecodeTest, GenAiTokenUsageHistogram) {
  DecodeResult r = Decoded(DecodeMetrics(ReadTestdata("metrics_genai_histogram.json"), {}));
  EXPECT_EQ(r.rejected, 0) << r.error_message;
  EXPECT_EQ(r.ignored, 1);  // gen_ai.client.operation.duration
  ASSERT_EQ(r.batch.usage.size(), 2u);
  const model::UsageEvent& input = r.batch.usage[0];
  EXPECT_EQ(input.tokens, (TokenCounts{.input_uncached = 1200}));
  EXPECT_EQ(input.provider, "openai");
  EXPECT_EQ(input.model, "gpt-4-0613");
  EXPECT_EQ(input.temporality, Temporality::kCumulative);
  EXPECT_EQ(input.event_name, "gen_ai.client.token.usage");
  EXPECT_EQ(input.tool, "support-bot");
  EXPECT_EQ(input.time_unix_ms, 1791447060000);
  const model::UsageEvent& output = r.batch.usage[1];
  EXPECT_EQ(output.tokens, (TokenCounts{.output = 350}));
  EXPECT_EQ(output.provider, "openai");  // from the deprecated gen_ai.system
  EXPECT_EQ(output.model, "gpt-4");
}

TEST(MetricsDecodeTest, BadPointsAreRejectedOneByOne) {
  DecodeResult r =
      Decoded(DecodeMetrics(ReadTestdata("metrics_negative_and_missing_time.json"), {}));
  EXPECT_EQ(r.rejected, 3);
  EXPECT_EQ(r.ignored, 1);  // type "reasoning" has no bucket
  EXPECT_EQ(r.error_message,
            "otlp_http: resourceMetrics[0].scopeMetrics[0].metrics[0].dataPoints[1]: value is "
            "negative (-5)");
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0].tokens, (TokenCounts{.input_uncached = 5}));
}

TEST(MetricsDecodeTest, MetricNameAfterItsData) {
  std::string body = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
    {"sum":{"dataPoints":[{"timeUnixNano":"1791447360000000000","asInt":"7",
       "attributes":[{"key":"type","value":{"stringValue":"input"}}]}],"aggregationTemporality":1},
     "name":"claude_code.token.usage"}]}]}]})";
  DecodeResult r = Decoded(DecodeMetrics(body, {}));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0].tokens.input_uncached, 7);
  EXPECT_EQ(r.batch.usage[0].temporality, Temporality::kDelta);
}

// A sum without delta or cumulative (unspecified, unknown, or a gauge-like producer) cannot be
// added up: its point is rejected alone and the request's other points are kept (the store refuses
// a metric point without temporality, which would have failed the whole request).
TEST(MetricsDecodeTest, AnUnspecifiedTemporalityRejectsThePointOnly) {
  std::string body = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
    {"name":"claude_code.token.usage","sum":{"aggregationTemporality":0,"dataPoints":[
      {"timeUnixNano":"1791447360000000000","asInt":"7",
       "attributes":[{"key":"type","value":{"stringValue":"input"}}]}]}},
    {"name":"claude_code.token.usage","sum":{"aggregationTemporality":1,"dataPoints":[
      {"timeUnixNano":"1791447360000000000","asInt":"9",
       "attributes":[{"key":"type","value":{"stringValue":"output"}}]}]}},
    {"name":"claude_code.token.usage","sum":{"aggregationTemporality":7,"dataPoints":[
      {"timeUnixNano":"1791447360000000000","asInt":"5",
       "attributes":[{"key":"type","value":{"stringValue":"output"}}]}]}}]}]}]})";
  DecodeResult r = Decoded(DecodeMetrics(body, {}));
  EXPECT_EQ(r.rejected, 2);  // unspecified (0), and 7, which no version of OTLP defines
  EXPECT_EQ(r.error_message,
            "otlp_http: resourceMetrics[0].scopeMetrics[0].metrics[0].dataPoints[0]: "
            "aggregationTemporality: unspecified or unknown; a usage count must be a delta or "
            "cumulative sum");
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0].tokens, (TokenCounts{.output = 9}));
}

}  // namespace
}  // namespace goodhart::receivers::otlp
