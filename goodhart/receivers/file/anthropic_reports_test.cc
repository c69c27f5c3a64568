// Anthropic Admin and Analytics reports: the documented examples in the corpus, decoded to the
// exact token and cost numbers they hold, plus malformed variants in testdata/.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "goodhart/base/testing/status_matchers.h"
#include "goodhart/base/testing/testdata.h"
#include "goodhart/base/time.h"
#include "goodhart/receivers/file/file_decoder.h"

namespace goodhart::receivers::file {
namespace {

using ::goodhart::testing::ReadCorpus;
using ::goodhart::testing::ReadTestdata;
using ::goodhart::testing::StatusIs;
using model::TokenCounts;
using model::UsageKind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

FileDecodeResult DecodeOk(FileFormat format, const std::string& content) {
  auto r = DecodeFile(format, content);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : FileDecodeResult{};
}

TEST(AnthropicUsageReportTest, DocsExample) {
  auto r = DecodeOk(FileFormat::kAnthropicUsageReport,
                    ReadCorpus("anthropic-admin-api-docs/usage_report_messages.example.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.source, "anthropic_usage_report");
  EXPECT_EQ(e.kind, UsageKind::kUsageAggregate);
  EXPECT_EQ(e.tokens, (TokenCounts{.input_uncached = 1500,
                                   .cache_read = 200,
                                   .cache_write = 1500,  // ephemeral 5m 500 + 1h 1000
                                   .output = 500}));
  EXPECT_EQ(e.time_unix_ms, CivilToMillis(2025, 8, 1));
  EXPECT_EQ(e.end_unix_ms, CivilToMillis(2025, 8, 2));
  EXPECT_EQ(e.provider, "anthropic");
  EXPECT_EQ(e.model, "claude-opus-4-6");
  EXPECT_EQ(e.actor, "user_01WCz1FkmYMm4gnmykNKUu3Q");
  EXPECT_EQ(e.actor_kind, "account_id");
  EXPECT_EQ(e.request_count, 0);  // the report has no request count
  EXPECT_FALSE(e.reported_cost_micros.has_value());
  EXPECT_THAT(e.event_key, HasSubstr("hash:"));
  EXPECT_EQ(e.event_key.size(), 5u + 32u);
  EXPECT_THAT(e.raw_id, HasSubstr("2025-08-01T00:00:00.000Z|ending_at=2025-08-02T00:00:00.000Z|"));
  EXPECT_THAT(e.raw_id, HasSubstr("workspace_id=wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"));
}

TEST(AnthropicUsageReportTest, ReimportGivesTheSameKeys) {
  std::string content = ReadCorpus("anthropic-admin-api-docs/usage_report_messages.example.json");
  auto a = DecodeOk(FileFormat::kAnthropicUsageReport, content);
  auto b = DecodeOk(FileFormat::kAnthropicUsageReport, content);
  ASSERT_EQ(a.batch.usage.size(), 1u);
  EXPECT_EQ(a.batch.usage, b.batch.usage);
}

TEST(AnthropicUsageReportTest, RejectsBadRecordsAndKeepsTheRest) {
  auto r = DecodeOk(FileFormat::kAnthropicUsageReport,
                    ReadTestdata("anthropic_usage_report_negative_output.json"));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  EXPECT_EQ(r.batch.usage[0].actor, "apikey_01A");
  EXPECT_EQ(r.batch.usage[0].actor_kind, "api_key");
  EXPECT_EQ(r.batch.usage[0].tokens, (TokenCounts{.input_uncached = 10, .output = 7}));
  EXPECT_EQ(r.rejected, 4);  // -3, 1.5, and a bad bucket's two results
  EXPECT_THAT(
      r.errors,
      ElementsAre("anthropic_usage_report: data[2].results[0]: output_tokens is negative (-3)",
                  "anthropic_usage_report: data[2].results[1]: uncached_input_tokens is not an "
                  "integer (1.5)",
                  "anthropic_usage_report: data[3]: starting_at: time: 'yesterday' is not an "
                  "RFC 3339 timestamp"));
}

TEST(AnthropicUsageReportTest, RepeatedRowsKeepDistinctStableKeys) {
  std::string content = ReadTestdata("anthropic_usage_report_repeated_row.json");
  auto r = DecodeOk(FileFormat::kAnthropicUsageReport, content);
  ASSERT_EQ(r.batch.usage.size(), 2u);
  EXPECT_NE(r.batch.usage[0].event_key, r.batch.usage[1].event_key);
  EXPECT_EQ(r.batch.usage[0].actor_kind, "service_account");
  auto again = DecodeOk(FileFormat::kAnthropicUsageReport, content);
  EXPECT_EQ(r.batch.usage, again.batch.usage);
}

TEST(AnthropicUsageReportTest, EmptyBucketsProduceNothing) {
  auto r = DecodeOk(FileFormat::kAnthropicUsageReport,
                    ReadTestdata("anthropic_report_all_buckets_empty.json"));
  EXPECT_TRUE(r.batch.empty());
  EXPECT_EQ(r.rejected, 0);
}

TEST(AnthropicUsageReportTest, WholeFileProblemsAreErrors) {
  EXPECT_THAT(
      DecodeFile(FileFormat::kAnthropicUsageReport, "{\"data\": ").status(),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("anthropic_usage_report: not JSON")));
  EXPECT_THAT(DecodeFile(FileFormat::kAnthropicUsageReport, "{\"data\": {}}").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("data: missing or not an array")));
  EXPECT_THAT(DecodeFile(FileFormat::kAnthropicCostReport, "[1]").status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a JSON object")));
}

TEST(AnthropicCostReportTest, DocsExampleAmountIsCentsAsADecimalString) {
  auto r = DecodeOk(FileFormat::kAnthropicCostReport,
                    ReadCorpus("anthropic-admin-api-docs/cost_report.example.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.source, "anthropic_cost_report");
  EXPECT_EQ(e.reported_cost_micros, 1'237'891);  // "123.78912" cents = $1.2378912
  EXPECT_EQ(e.tokens, TokenCounts{});
  EXPECT_EQ(e.request_count, 0);
  EXPECT_EQ(e.model, "claude-opus-4-6");
  EXPECT_EQ(e.event_name, "tokens");  // cost_type
  EXPECT_THAT(e.raw_id, HasSubstr("token_type=uncached_input_tokens"));
  EXPECT_EQ(e.time_unix_ms, CivilToMillis(2025, 8, 1));
  EXPECT_EQ(e.end_unix_ms, CivilToMillis(2025, 8, 2));
}

TEST(ClaudeCodeReportTest, DocsExampleOneRecordPerModel) {
  auto r = DecodeOk(FileFormat::kClaudeCodeUsageReport,
                    ReadCorpus("anthropic-admin-api-docs/usage_report_claude_code.example.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 2u);
  const auto& opus = r.batch.usage[0];
  EXPECT_EQ(opus.source, "claude_code_report");
  EXPECT_EQ(opus.tool, "claude-code");
  EXPECT_EQ(opus.model, "claude-opus-4-8");
  EXPECT_EQ(opus.actor, "user@emaildomain.com");
  EXPECT_EQ(opus.actor_kind, "email");
  EXPECT_EQ(opus.organization, "12345678-1234-5678-1234-567812345678");
  EXPECT_EQ(
      opus.tokens,
      (TokenCounts{
          .input_uncached = 45230, .cache_read = 8790, .cache_write = 2340, .output = 12450}));
  EXPECT_EQ(opus.reported_cost_micros, 1'860'000);  // 186 cents, a number
  EXPECT_EQ(opus.time_unix_ms, CivilToMillis(2025, 8, 8));
  EXPECT_EQ(opus.end_unix_ms, CivilToMillis(2025, 8, 9));
  const auto& sonnet = r.batch.usage[1];
  EXPECT_EQ(sonnet.model, "claude-sonnet-5");
  EXPECT_EQ(sonnet.tokens,
            (TokenCounts{
                .input_uncached = 23100, .cache_read = 3420, .cache_write = 890, .output = 5680}));
  EXPECT_EQ(sonnet.reported_cost_micros, 420'000);
  EXPECT_NE(opus.event_key, sonnet.event_key);
}

TEST(ClaudeCodeReportTest, BadRowsAreRejectedOneByOne) {
  auto r = DecodeOk(FileFormat::kClaudeCodeUsageReport,
                    ReadTestdata("claude_code_report_bad_rows.json"));
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.actor, "ci-key");
  EXPECT_EQ(e.actor_kind, "api_key");
  EXPECT_EQ(e.reported_cost_micros, 125'000);  // 12.5 cents
  EXPECT_EQ(e.tokens,
            (TokenCounts{.input_uncached = 10, .cache_read = 30, .cache_write = 40, .output = 20}));
  EXPECT_EQ(r.ignored, 1);   // an actor-day without model rows
  EXPECT_EQ(r.rejected, 4);  // two model rows, and a bad day's two rows
  EXPECT_THAT(r.errors,
              ElementsAre("claude_code_report: data[0].model_breakdown[1]: tokens.output is "
                          "negative (-2)",
                          "claude_code_report: data[0].model_breakdown[2]: estimated_cost: "
                          "currency 'EUR' is not USD",
                          "claude_code_report: data[2]: date: time: 'not a date' is not an RFC "
                          "3339 timestamp"));
}

TEST(AnalyticsTest, OrganisationUsageBuckets) {
  auto r = DecodeOk(FileFormat::kAnthropicAnalyticsUsage,
                    ReadCorpus("anthropic-admin-api-docs/analytics_usage_report.example.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.source, "anthropic_analytics");
  EXPECT_EQ(e.tokens, (TokenCounts{.cache_write = 1500}));
  EXPECT_EQ(e.request_count, 0);
  EXPECT_EQ(e.tool, "chat");
  EXPECT_EQ(e.organization, "org_013FP9SaFPBg7Kw7fetjn6cF");
  EXPECT_EQ(e.actor, "");
  EXPECT_EQ(e.time_unix_ms, CivilToMillis(2019, 12, 27, 18, 11, 19) + 117);
}

TEST(AnalyticsTest, PerUserUsageRowsMatchTotalTokens) {
  auto r =
      DecodeOk(FileFormat::kAnthropicAnalyticsUsage,
               ReadCorpus("anthropic-admin-api-docs/analytics_user_usage_report.example.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.tokens, (TokenCounts{.input_uncached = 1'284'500,
                                   .cache_read = 3'200'000,
                                   .cache_write = 1500,
                                   .output = 891'000}));
  EXPECT_EQ(e.tokens.Total(), 5'377'000);  // the row's total_tokens
  EXPECT_EQ(e.request_count, 128);
  EXPECT_EQ(e.actor, "jane@example.com");
  EXPECT_EQ(e.actor_kind, "email");
  EXPECT_EQ(e.model, "claude-opus-4-6");
}

TEST(AnalyticsTest, PerUserCostIsFractionalCents) {
  auto r = DecodeOk(FileFormat::kAnthropicAnalyticsCost,
                    ReadCorpus("anthropic-admin-api-docs/analytics_user_cost_report.example.json"));
  EXPECT_EQ(r.rejected, 0);
  ASSERT_EQ(r.batch.usage.size(), 1u);
  const auto& e = r.batch.usage[0];
  EXPECT_EQ(e.reported_cost_micros, 412'800'000);  // "41280.000000" cents = $412.80
  EXPECT_EQ(e.request_count, 0);                   // requests stay with the usage report
  EXPECT_EQ(e.event_name, "code_execution");
  EXPECT_EQ(e.actor, "jane@example.com");
}

TEST(AnalyticsTest, OrganisationCostExampleHasAPlaceholderAmount) {
  // The docs example literally says "amount": "amount".
  auto r = DecodeOk(FileFormat::kAnthropicAnalyticsCost,
                    ReadCorpus("anthropic-admin-api-docs/analytics_cost_report.example.json"));
  EXPECT_TRUE(r.batch.empty());
  EXPECT_EQ(r.rejected, 1);
  EXPECT_THAT(r.errors, ElementsAre("anthropic_analytics: data[0].results[0]: amount 'amount' is "
                                    "not a decimal number"));
}

}  // namespace
}  // namespace goodhart::receivers::file
